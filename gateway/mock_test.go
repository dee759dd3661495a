package gateway_test

import (
	"context"
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

// TestServeMockPassthrough: a MOCK without a request template passes the
// body through (PassthroughBehavior WHEN_NO_MATCH, the default), so the
// body itself chooses the status; NEVER refuses the media type.
func TestServeMockPassthrough(t *testing.T) {
	s := serverWith(t, noBackend{t}, func(tpl *cfn.Template) { addPreflight(tpl, "") })
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest("OPTIONS", "/orders", strings.NewReader(`{"statusCode": 200}`)))
	if w.Code != 204 {
		t.Errorf("passed through: %d %s", w.Code, w.Body)
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
