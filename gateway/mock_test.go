package gateway_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"

	"github.com/sfnapic/sfnapic/cfn"
	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/internal/sfnmock"
)

// noBackend fails the test when a request reaches Step Functions.
type noBackend struct{ t *testing.T }

func (b noBackend) Call(_ context.Context, call *gateway.Call) (gateway.Reply, error) {
	b.t.Errorf("%s %s reached Step Functions (%s); a MOCK method calls nothing", call.Verb, call.Path, call.Action)
	return gateway.Reply{}, context.Canceled
}

// addPreflight adds a hand-written CORS preflight to POST /orders' path:
// an OPTIONS method with a MOCK integration whose request template picks
// the status, and static headers on its integration response, as the
// API Gateway console and the CDK write them.
func addPreflight(tpl *cfn.Template, requestTemplate string) {
	post := tpl.CFN.Resources["RouteOrdersPost"].(*apigateway.Method)
	mock := &apigateway.Method_Integration{
		Type: "MOCK",
		IntegrationResponses: []apigateway.Method_IntegrationResponse{{
			StatusCode: "204",
			ResponseParameters: map[string]string{
				"method.response.header.Access-Control-Allow-Origin":  "'https://shop.example.com'",
				"method.response.header.Access-Control-Allow-Methods": "'OPTIONS,POST'",
				"method.response.header.X-Mapped":                     "integration.response.header.X-Mapped",
			},
			ResponseTemplates: map[string]string{"application/json": ""},
		}},
	}
	if requestTemplate != "" {
		mock.RequestTemplates = map[string]string{"application/json": requestTemplate}
	}
	tpl.CFN.Resources["RouteOrdersOptions"] = &apigateway.Method{
		HttpMethod: "OPTIONS", ResourceId: post.ResourceId, RestApiId: post.RestApiId,
		AuthorizationType: ptr("NONE"), Integration: mock,
	}
}

func ptr[T any](v T) *T { return &v }

// TestServeMockMethod: a MOCK method (a CORS preflight) is answered by the
// gateway from its integration response, with its static headers and no
// call to Step Functions; a header mapped from the integration's reply is
// not made up.
func TestServeMockMethod(t *testing.T) {
	s := serverWith(t, noBackend{t}, func(tpl *cfn.Template) { addPreflight(tpl, `{"statusCode": 200}`) })
	r := httptest.NewRequest("OPTIONS", "/orders", nil)
	r.Header.Set("Origin", "https://shop.example.com")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Code != 204 {
		t.Fatalf("OPTIONS /orders: %d %s", w.Code, w.Body)
	}
	if got := w.Header().Get("Access-Control-Allow-Origin"); got != "https://shop.example.com" {
		t.Errorf("Access-Control-Allow-Origin = %q, want the static value without its quotes", got)
	}
	if got := w.Header().Get("Access-Control-Allow-Methods"); got != "OPTIONS,POST" {
		t.Errorf("Access-Control-Allow-Methods = %q", got)
	}
	if _, ok := w.Header()["X-Mapped"]; ok {
		t.Errorf("a header mapped from the integration's reply was set: %q", w.Header().Get("X-Mapped"))
	}
}

// TestServeMockMethodWithoutStatus: a MOCK integration whose request
// template writes no statusCode is API Gateway's configuration error (it
// logs "Unable to parse statusCode"), a 500.
func TestServeMockMethodWithoutStatus(t *testing.T) {
	s := serverWith(t, noBackend{t}, func(tpl *cfn.Template) { addPreflight(tpl, `{"status": "ok"}`) })
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest("OPTIONS", "/orders", nil))
	if w.Code != 500 || !strings.Contains(w.Body.String(), "API_CONFIGURATION_ERROR") {
		t.Errorf("OPTIONS /orders: %d %s", w.Code, w.Body)
	}
}

// TestServeMockPassthrough: a MOCK without a request template answers
// with its default integration response (a browser's preflight has no
// body), or the status a body passed through (PassthroughBehavior
// WHEN_NO_MATCH, the default) names; NEVER refuses a media type without a
// template.
func TestServeMockPassthrough(t *testing.T) {
	s := serverWith(t, noBackend{t}, func(tpl *cfn.Template) {
		addPreflight(tpl, "")
		m := tpl.CFN.Resources["RouteOrdersOptions"].(*apigateway.Method)
		m.Integration.IntegrationResponses = append(m.Integration.IntegrationResponses,
			apigateway.Method_IntegrationResponse{StatusCode: "403", SelectionPattern: ptr("4\\d{2}")})
	})
	for body, want := range map[string]int{"": 204, `{"statusCode": 200}`: 204, `{"statusCode": 404}`: 403} {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest("OPTIONS", "/orders", strings.NewReader(body)))
		if w.Code != want {
			t.Errorf("passed through %q: %d %s; want %d", body, w.Code, w.Body, want)
		}
	}
	// Without a status, only the default answers, even where a pattern
	// would match anything.
	catchAll := serverWith(t, noBackend{t}, func(tpl *cfn.Template) {
		addPreflight(tpl, "")
		m := tpl.CFN.Resources["RouteOrdersOptions"].(*apigateway.Method)
		m.Integration.IntegrationResponses = append([]apigateway.Method_IntegrationResponse{{StatusCode: "403", SelectionPattern: ptr(".*")}},
			m.Integration.IntegrationResponses...)
	})
	w := httptest.NewRecorder()
	catchAll.ServeHTTP(w, httptest.NewRequest("OPTIONS", "/orders", nil))
	if w.Code != 204 {
		t.Errorf("no status, a catch-all pattern: %d %s; want the default response", w.Code, w.Body)
	}
	never := serverWith(t, noBackend{t}, func(tpl *cfn.Template) {
		addPreflight(tpl, `{"statusCode": 200}`)
		tpl.CFN.Resources["RouteOrdersOptions"].(*apigateway.Method).Integration.PassthroughBehavior = ptr("NEVER")
	})
	r := httptest.NewRequest("OPTIONS", "/orders", strings.NewReader(`x`))
	r.Header.Set("Content-Type", "text/plain")
	w = httptest.NewRecorder()
	never.ServeHTTP(w, r)
	if w.Code != 415 {
		t.Errorf("NEVER with a type without a template: %d %s", w.Code, w.Body)
	}
}

// TestServeStaticResponseHeaders: static ResponseParameters reach the
// client on a Step Functions method's answer and on a gateway response;
// a header the template overrides wins over the static one.
func TestServeStaticResponseHeaders(t *testing.T) {
	s := serverWith(t, sfnmock.New(nil), func(tpl *cfn.Template) {
		m := tpl.CFN.Resources["RouteOrdersPost"].(*apigateway.Method)
		for i := range m.Integration.IntegrationResponses {
			m.Integration.IntegrationResponses[i].ResponseParameters = map[string]string{
				"method.response.header.Access-Control-Allow-Origin": "'*'",
				"method.response.header.X-Overridden":                "'static'",
			}
			tpls := m.Integration.IntegrationResponses[i].ResponseTemplates
			tpls["application/json"] = "#set($context.responseOverride.header.X-Overridden = \"template\")\n" + tpls["application/json"]
		}
		nf := tpl.CFN.Resources["GatewayResponseNotFound"].(*apigateway.GatewayResponse)
		nf.ResponseParameters = map[string]string{"gatewayresponse.header.Access-Control-Allow-Origin": "'https://shop.example.com'"}
	})
	w := httptest.NewRecorder()
	s.ServeHTTP(w, orderRequest(1))
	if w.Code != 200 || w.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("POST /orders: %d, Access-Control-Allow-Origin %q", w.Code, w.Header().Get("Access-Control-Allow-Origin"))
	}
	if got := w.Header().Get("X-Overridden"); got != "template" {
		t.Errorf("X-Overridden = %q, want the template's override over the static value", got)
	}
	w = httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest("GET", "/nowhere", nil))
	if w.Code != 404 || w.Header().Get("Access-Control-Allow-Origin") != "https://shop.example.com" {
		t.Errorf("GET /nowhere: %d, Access-Control-Allow-Origin %q", w.Code, w.Header().Get("Access-Control-Allow-Origin"))
	}
}

// TestResponseHeadersIgnoreCase: a template's header override replaces a
// static header of the same name in another case, as HTTP names match
// without regard to case: one value, never both.
func TestResponseHeadersIgnoreCase(t *testing.T) {
	g := gatewayWith(t, func(tpl *cfn.Template) {
		m := tpl.CFN.Resources["RouteOrdersPost"].(*apigateway.Method)
		ir := &m.Integration.IntegrationResponses[0]
		ir.ResponseParameters = map[string]string{"method.response.header.access-control-allow-origin": "'*'"}
		ir.ResponseTemplates["application/json"] = "#set($context.responseOverride.header.Access-Control-Allow-Origin = \"https://a.example\")\n{}"
	})
	call, err := g.Start(&gateway.Request{Method: "POST", Path: "/orders", Header: gateway.Header{}, Body: `{"items": [1]}`})
	if err != nil {
		t.Fatal(err)
	}
	resp, _, err := call.Respond(gateway.Reply{Status: 200, Body: []byte(`{}`)})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Headers) != 1 || resp.Headers["Access-Control-Allow-Origin"] != "https://a.example" {
		t.Errorf("headers %v; want the override alone", resp.Headers)
	}
}

// TestStepFunctionsPassthrough: a hand-written Step Functions method
// without PassthroughBehavior (WHEN_NO_MATCH) sends a body of a type it
// has no template for as it came, as API Gateway does; sfnapic's own
// methods say NEVER, and refuse it (415).
func TestStepFunctionsPassthrough(t *testing.T) {
	g := gatewayWith(t, func(tpl *cfn.Template) {
		tpl.CFN.Resources["RouteOrdersPost"].(*apigateway.Method).Integration.PassthroughBehavior = nil
	})
	body := `{"stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:StateMachineOrders", "input": "{}"}`
	call, err := g.Start(&gateway.Request{Method: "POST", Path: "/orders", Header: gateway.Header{"Content-Type": {"text/plain"}}, Body: body})
	if err != nil || call.Body != body {
		t.Errorf("passed through: %v %+v", err, call)
	}
	_, err = gatewayWith(t, nil).Start(&gateway.Request{Method: "POST", Path: "/orders", Header: gateway.Header{"Content-Type": {"text/plain"}}, Body: body})
	var rej *gateway.Rejection
	if !errors.As(err, &rej) || rej.Status != 415 {
		t.Errorf("NEVER: %v", err)
	}
}
