package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// handEdited is golden/item-api's committed template as a user might
// extend it by hand: a CORS preflight (an OPTIONS method with a MOCK
// integration and static headers, as the API Gateway console writes it)
// and a static header on the start route's success response.
func handEdited(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../golden/item-api/template.json")
	if err != nil {
		t.Fatal(err)
	}
	var tpl map[string]any
	if err := json.Unmarshal(b, &tpl); err != nil {
		t.Fatal(err)
	}
	resources := tpl["Resources"].(map[string]any)
	post := resources["RouteItemIdPost"].(map[string]any)["Properties"].(map[string]any)
	success := post["Integration"].(map[string]any)["IntegrationResponses"].([]any)[0].(map[string]any)
	success["ResponseParameters"] = map[string]any{"method.response.header.Access-Control-Allow-Origin": "'https://shop.example.com'"}
	resources["RouteItemIdOptions"] = map[string]any{
		"Type": "AWS::ApiGateway::Method",
		"Properties": map[string]any{
			"AuthorizationType": "NONE", "HttpMethod": "OPTIONS",
			"ResourceId": map[string]any{"Ref": "ResourceItemId"}, "RestApiId": map[string]any{"Ref": "Api"},
			"Integration": map[string]any{
				"Type":             "MOCK",
				"RequestTemplates": map[string]any{"application/json": `{"statusCode": 200}`},
				"IntegrationResponses": []any{map[string]any{
					"StatusCode": "200",
					"ResponseParameters": map[string]any{
						"method.response.header.Access-Control-Allow-Origin":  "'https://shop.example.com'",
						"method.response.header.Access-Control-Allow-Methods": "'OPTIONS,POST'",
						"method.response.header.Access-Control-Allow-Headers": "'Content-Type'",
					},
					"ResponseTemplates": map[string]any{"application/json": ""},
				}},
			},
			"MethodResponses": []any{map[string]any{"StatusCode": "200", "ResponseParameters": map[string]any{
				"method.response.header.Access-Control-Allow-Origin":  true,
				"method.response.header.Access-Control-Allow-Methods": true,
				"method.response.header.Access-Control-Allow-Headers": true,
			}}},
		},
	}
	out, err := json.MarshalIndent(tpl, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(t.TempDir(), "template.json")
	writeTestFile(t, name, string(out))
	return name
}

// TestServeTemplateMockMethod: serve --template answers a hand-added MOCK
// method (a CORS preflight) from its integration response, with its
// static headers and no call to Step Functions, and a route's static
// response header reaches the client.
func TestServeTemplateMockMethod(t *testing.T) {
	s := startServe(t, "--template", handEdited(t))
	status, h, body := s.do(t, "OPTIONS", "/42", "", "", "Origin", "https://shop.example.com", "Access-Control-Request-Method", "POST")
	if status != 200 || h.Get("Access-Control-Allow-Origin") != "https://shop.example.com" || h.Get("Access-Control-Allow-Methods") != "OPTIONS,POST" {
		t.Errorf("OPTIONS /42: %d %v %q", status, h, body)
	}
	status, h, body = s.do(t, "POST", "/42", "application/json", `{}`)
	if status != 200 || h.Get("Access-Control-Allow-Origin") != "https://shop.example.com" {
		t.Errorf("POST /42: %d %v %q", status, h, body)
	}
	if log := s.stderr.String(); !strings.Contains(log, "OPTIONS /42") {
		t.Errorf("the log has no line for the preflight:\n%s", log)
	}
}

// TestRenderTemplateMockMethod: render shows a MOCK method's integration
// request and, since nothing is called, the answer its integration
// response gives, with the static headers.
func TestRenderTemplateMockMethod(t *testing.T) {
	code, stdout, stderr := run(t, "render", "--template", handEdited(t), "OPTIONS /42", "--output", "json")
	var res renderResult
	if err := json.Unmarshal([]byte(stdout), &res); err != nil || code != 0 {
		t.Fatalf("exit %d, %v:\n%s\n%s", code, err, stdout, stderr)
	}
	if res.Action != "" || !strings.Contains(res.Target, "MOCK") || res.Reply == nil || res.Reply.Status != 200 ||
		res.Reply.Headers["Access-Control-Allow-Methods"] != "OPTIONS,POST" {
		t.Errorf("render of a MOCK method: %s", stdout)
	}
}
