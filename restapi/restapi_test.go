package restapi_test

import (
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"

	"github.com/sfnapic/sfnapic/compile"
	"github.com/sfnapic/sfnapic/restapi"
	"github.com/sfnapic/sfnapic/spec"
)

const src = `version: 1
api: {name: r, stage: v1}
stateMachines:
  m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}}
routes:
  GET /items/{id}: {stateMachine: m, action: status, execution: path.id}
  GET /items/special: {stateMachine: m}
  ANY /items/{id}: {stateMachine: m, input: {id: path.id}}
  GET /files/{path+}: {stateMachine: m, input: {path: path.path}}
  POST /: {stateMachine: m}
`

func read(t *testing.T) *restapi.API {
	t.Helper()
	s, diags := spec.Parse("r.yaml", []byte(src), nil)
	if s == nil || diags.HasErrors() {
		t.Fatal(diags)
	}
	api, err := restapi.Read(compile.Compile(s))
	if err != nil {
		t.Fatal(err)
	}
	return api
}

// TestRead: the stage, the methods sorted by path then verb with their
// paths rebuilt from the resource tree, each integration's kind and
// action, and the gateway responses by type.
func TestRead(t *testing.T) {
	api := read(t)
	if api.Stage != "v1" {
		t.Errorf("stage %q", api.Stage)
	}
	if got := strings.Join(api.Routes(), ", "); got != "POST /, GET /files/{path+}, GET /items/special, ANY /items/{id}, GET /items/{id}" {
		t.Errorf("routes: %s", got)
	}
	actions := map[string]string{}
	for _, m := range api.Methods {
		if m.Kind != restapi.StepFunctions || m.Action == nil {
			t.Errorf("%s: kind %s, action %v", m.Route(), m.Kind, m.Action)
			continue
		}
		actions[m.Route()] = m.Action.Name()
	}
	if actions["GET /items/{id}"] != "DescribeExecution" || actions["POST /"] != "StartExecution" {
		t.Errorf("actions: %v", actions)
	}
	if gr := api.GatewayResponses["MISSING_AUTHENTICATION_TOKEN"]; gr == nil || gr.StatusCode == nil || *gr.StatusCode != "404" {
		t.Errorf("gateway responses: %v", api.GatewayResponses)
	}
}

// TestReadKinds: a MOCK integration and one sfnapic does not model are
// read as such, not as Step Functions.
func TestReadKinds(t *testing.T) {
	s, _ := spec.Parse("r.yaml", []byte(src), nil)
	tpl := compile.Compile(s)
	var post *apigateway.Method
	for _, r := range tpl.CFN.Resources {
		if m, ok := r.(*apigateway.Method); ok && m.HttpMethod == "POST" {
			post = m
		}
	}
	tpl.CFN.Resources["Preflight"] = &apigateway.Method{HttpMethod: "OPTIONS", ResourceId: post.ResourceId, RestApiId: post.RestApiId,
		Integration: &apigateway.Method_Integration{Type: "MOCK"}}
	lambda := "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f/invocations"
	tpl.CFN.Resources["Lambda"] = &apigateway.Method{HttpMethod: "PUT", ResourceId: post.ResourceId, RestApiId: post.RestApiId,
		Integration: &apigateway.Method_Integration{Type: "AWS_PROXY", Uri: &lambda}}
	api, err := restapi.Read(tpl)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]restapi.Kind{}
	for _, m := range api.Methods {
		kinds[m.Route()] = m.Kind
	}
	if kinds["OPTIONS /"] != restapi.Mock || kinds["PUT /"] != restapi.Unknown || kinds["POST /"] != restapi.StepFunctions {
		t.Errorf("kinds: %v", kinds)
	}
}

// TestReadRefusesABrokenTree: a method on a resource that is not under
// the API's root is an error naming it.
func TestReadRefusesABrokenTree(t *testing.T) {
	s, _ := spec.Parse("r.yaml", []byte(src), nil)
	tpl := compile.Compile(s)
	tpl.CFN.Resources["Stray"] = &apigateway.Method{HttpMethod: "GET", ResourceId: "not-a-ref"}
	if _, err := restapi.Read(tpl); err == nil || !strings.Contains(err.Error(), "method Stray") {
		t.Errorf("err = %v", err)
	}
}

// TestMatch: literal segments before parameters, the exact verb before
// ANY, greedy parameters take the rest, and a path that exists with
// another verb says so.
func TestMatch(t *testing.T) {
	api := read(t)
	for _, c := range []struct {
		verb, path, want string
		params           string
		pathExists       bool
	}{
		{"GET", "/items/special", "GET /items/special", "", true},
		{"GET", "/items/7", "GET /items/{id}", "id=7", true},
		{"DELETE", "/items/7", "ANY /items/{id}", "id=7", true},
		{"GET", "/items/a%2Fb", "GET /items/{id}", "id=a/b", true},
		{"GET", "/files/a/b/c", "GET /files/{path+}", "path=a/b/c", true},
		{"POST", "/", "POST /", "", true},
		{"GET", "/", "", "", true},
		{"GET", "/files", "", "", false},
		{"GET", "/nowhere", "", "", false},
	} {
		m, params, exists := api.Match(c.verb, c.path)
		got := ""
		if m != nil {
			got = m.Route()
		}
		var ps []string
		for k, v := range params {
			ps = append(ps, k+"="+v)
		}
		if got != c.want || strings.Join(ps, ",") != c.params || (m == nil && exists != c.pathExists) {
			t.Errorf("%s %s: %q %v %v; want %q %q %v", c.verb, c.path, got, params, exists, c.want, c.params, c.pathExists)
		}
	}
}

// TestAllowsOrigin: an origin is allowed when the method that takes the
// request, or the path's OPTIONS method, sends it (or *) as a static
// Access-Control-Allow-Origin; nothing else allows it.
func TestAllowsOrigin(t *testing.T) {
	api := read(t)
	const shop = "https://shop.example.com"
	if api.AllowsOrigin("GET", "/items/7", shop) {
		t.Fatal("a template without CORS headers allows a foreign origin")
	}
	get := method(t, api, "GET /items/{id}")
	get.Resource.Integration.IntegrationResponses[0].ResponseParameters = map[string]string{
		"method.response.header.access-control-allow-origin":  "'" + shop + "'",
		"method.response.header.X-Other":                      "'" + "https://evil.example" + "'",
		"method.response.header.Access-Control-Allow-Methods": "method.request.header.Origin",
	}
	for _, c := range []struct {
		verb, path, origin string
		want               bool
	}{
		{"GET", "/items/7", shop, true},
		{"GET", "/items/7", "https://evil.example", false},
		{"GET", "/items/7", shop + ":444", false},
		{"GET", "/items/7", "", false},
		{"POST", "/items/7", shop, false}, // ANY /items/{id} takes it, and sends no header
		{"GET", "/items/special", shop, false},
	} {
		if got := api.AllowsOrigin(c.verb, c.path, c.origin); got != c.want {
			t.Errorf("AllowsOrigin(%s %s, %q) = %v, want %v", c.verb, c.path, c.origin, got, c.want)
		}
	}
	// The method that answers the path's preflight (here ANY) allows its
	// origin for every verb on the path; * allows any origin, and a
	// browser request that names none.
	anyItem := method(t, api, "ANY /items/{id}")
	anyItem.Resource.Integration.IntegrationResponses[0].ResponseParameters = map[string]string{
		"method.response.header.Access-Control-Allow-Origin": "'*'",
	}
	if !api.AllowsOrigin("POST", "/items/7", "https://any.example") || !api.AllowsOrigin("DELETE", "/items/7", "") {
		t.Error("* on the ANY method does not allow any origin")
	}
	if api.AllowsOrigin("POST", "/", shop) || api.AllowsOrigin("GET", "/nowhere", shop) {
		t.Error("a path without CORS headers, or no path, allows an origin")
	}
}

func method(t *testing.T, api *restapi.API, route string) *restapi.Method {
	t.Helper()
	for _, m := range api.Methods {
		if m.Route() == route {
			return m
		}
	}
	t.Fatalf("no %s", route)
	return nil
}
