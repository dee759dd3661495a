package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/internal/apigwfake"
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
	notFound := resources["GatewayResponseNotFound"].(map[string]any)["Properties"].(map[string]any)
	notFound["ResponseParameters"] = map[string]any{"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"}
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
	if status, h, _ = s.do(t, "GET", "/a/b", "", ""); status != 404 || h.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("GET /a/b: %d %v; want the gateway response's static header", status, h)
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

// TestRenderTemplateRefusalHeaders: render shows a refusal's static
// headers, from the template's gateway response, as serve sends them.
func TestRenderTemplateRefusalHeaders(t *testing.T) {
	code, stdout, _ := run(t, "render", "--template", handEdited(t), "GET /a/b")
	if code != 1 || !strings.Contains(stdout, "HTTP 404\nAccess-Control-Allow-Origin: *\n") {
		t.Errorf("render of a refused request: exit %d\n%s", code, stdout)
	}
}

// TestTestInvokeMockMethod: test-invoke on a MOCK method compares API
// Gateway's status and headers with the local answer (its log shows no
// endpoint request: a MOCK sends nothing), and reports a difference.
func TestTestInvokeMockMethod(t *testing.T) {
	f := fakeAWS(t)
	st := f.AddStack("items", "CREATE_COMPLETE", map[string]any{"Outputs": map[string]any{"ApiId": map[string]any{}, "StateMachineItemsArn": map[string]any{}}})
	st.Outputs = map[string]string{"ApiId": "a1b2c3", "StateMachineItemsArn": "arn:aws:states:eu-west-1:210987654321:stateMachine:items"}
	origin := "https://shop.example.com"
	api := apigwfake.Start("a1b2c3", map[string]string{"/": "root1", "/{item_id}": "res-item"}, func(in apigwfake.Invocation) apigwfake.Result {
		return apigwfake.Result{Status: 200, Latency: 3, Log: "Execution log for request 7e57-1d\nMethod completed with status: 200\n", Headers: map[string]string{
			"Access-Control-Allow-Origin": origin, "Access-Control-Allow-Methods": "OPTIONS,POST", "Access-Control-Allow-Headers": "Content-Type",
		}}
	})
	defer api.Close()
	t.Setenv("AWS_ENDPOINT_URL_API_GATEWAY", api.URL)
	tpl := handEdited(t)
	code, stdout, stderr := run(t, "test-invoke", "--template", tpl, "--stack", "items", "OPTIONS /42")
	if code != 0 || !strings.Contains(stdout, "same status and headers") {
		t.Errorf("a matching answer: exit %d\n%s\n%s", code, stdout, stderr)
	}
	origin = "*"
	code, _, stderr = run(t, "test-invoke", "--template", tpl, "--stack", "items", "OPTIONS /42")
	if code != 1 || !strings.Contains(stderr, `Access-Control-Allow-Origin: AWS "*", local "https://shop.example.com"`) {
		t.Errorf("a differing header: exit %d\n%s", code, stderr)
	}
}
