package gateway_test

import (
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"

	"github.com/sfnapic/sfnapic/cfn"
	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/internal/sfnmock"
)

// echoOrigin is the response template the contract gives several
// origins: it sets Access-Control-Allow-Origin to the request's Origin
// only when it is in the list.
const echoOrigin = `#set($origin = $input.params('Origin'))
#if($origin == "https://shop.example.com" || $origin == "https://admin.example.com")
#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)
#end
`

// corsHeaders are the static CORS headers of the contract's preflight.
var corsHeaders = map[string]string{
	"method.response.header.Access-Control-Allow-Methods":     "'OPTIONS,POST'",
	"method.response.header.Access-Control-Allow-Headers":     "'Content-Type,Authorization,Idempotency-Key,X-Api-Key'",
	"method.response.header.Access-Control-Max-Age":           "'600'",
	"method.response.header.Access-Control-Allow-Credentials": "'true'",
	"method.response.header.Vary":                             "'Origin'",
}

// addCORS gives golden/orders-open's template the contract's CORS for
// two origins: an OPTIONS MOCK method on /orders ({"statusCode": 200},
// no authorizer, no key) whose integration response has the static
// headers and the template that echoes an allowed Origin; the same
// origin treatment on POST /orders' responses; and gateway responses
// (DEFAULT_4XX, INVALID_API_KEY, THROTTLED, BAD_REQUEST_BODY) with static
// CORS headers and the request's Origin mapped, with Vary: Origin.
func addCORS(tpl *cfn.Template) {
	r := tpl.CFN.Resources
	post := r["RouteOrdersPost"].(*apigateway.Method)
	params := map[string]string{}
	for k, v := range corsHeaders {
		params[k] = v
	}
	r["RouteOrdersOptions"] = &apigateway.Method{HttpMethod: "OPTIONS", ResourceId: post.ResourceId, RestApiId: post.RestApiId,
		AuthorizationType: ptr("NONE"), Integration: &apigateway.Method_Integration{Type: "MOCK",
			RequestTemplates: map[string]string{"application/json": `{"statusCode": 200}`},
			IntegrationResponses: []apigateway.Method_IntegrationResponse{{StatusCode: "200", ResponseParameters: params,
				ResponseTemplates: map[string]string{"application/json": echoOrigin}}}}}
	for i := range post.Integration.IntegrationResponses {
		ir := &post.Integration.IntegrationResponses[i]
		ir.ResponseParameters = map[string]string{"method.response.header.Vary": "'Origin'",
			"method.response.header.Access-Control-Expose-Headers": "'Location'", "method.response.header.Access-Control-Allow-Credentials": "'true'"}
		ir.ResponseTemplates["application/json"] = echoOrigin + ir.ResponseTemplates["application/json"]
	}
	// compile declares UNSUPPORTED_MEDIA_TYPE for every API (its message
	// names the content types), with the CORS headers when there is CORS:
	// the one without them goes, so that a type has one response.
	delete(r, "GatewayResponseUnsupportedMediaType")
	for _, typ := range []string{"DEFAULT_4XX", "INVALID_API_KEY", "THROTTLED", "QUOTA_EXCEEDED", "BAD_REQUEST_BODY", "UNSUPPORTED_MEDIA_TYPE"} {
		r["GatewayResponseCORS"+typ] = &apigateway.GatewayResponse{RestApiId: tpl.Ref("Api"), ResponseType: typ,
			ResponseParameters: map[string]string{"gatewayresponse.header.Access-Control-Allow-Origin": "method.request.header.Origin",
				"gatewayresponse.header.Vary": "'Origin'", "gatewayresponse.header.Access-Control-Allow-Credentials": "'true'"},
			ResponseTemplates: map[string]string{"application/json": `{"error": "$context.error.responseType", "message": $context.error.messageString}`}}
	}
}

// preflight sends a browser's preflight of POST /orders from origin.
func preflight(h http.Handler, origin string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("OPTIONS", "/orders", nil)
	r.Header.Set("Origin", origin)
	r.Header.Set("Access-Control-Request-Method", "POST")
	r.Header.Set("Access-Control-Request-Headers", "content-type,x-api-key")
	r.Host = "localhost:8080"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// TestCORSPreflight: a preflight from an allowed origin gets exactly the
// template's headers, its Origin echoed by the response template; from
// another origin, the static headers without Access-Control-Allow-Origin
// (the browser then refuses). No key, no call to Step Functions.
func TestCORSPreflight(t *testing.T) {
	s := serverWith(t, noBackend{t}, func(tpl *cfn.Template) { addCORS(tpl); addKeys(tpl) })
	want := []string{"Access-Control-Allow-Credentials: true", "Access-Control-Allow-Headers: Content-Type,Authorization,Idempotency-Key,X-Api-Key",
		"Access-Control-Allow-Methods: OPTIONS,POST", "Access-Control-Max-Age: 600", "Vary: Origin"}
	for _, origin := range []string{"https://shop.example.com", "https://admin.example.com", "https://evil.example", "null"} {
		w := preflight(s, origin)
		got := corsOf(w.Header())
		exp := want
		if strings.HasSuffix(origin, ".example.com") {
			exp = append([]string{"Access-Control-Allow-Origin: " + origin}, want...)
			sort.Strings(exp)
		}
		if w.Code != 200 || strings.Join(got, "\n") != strings.Join(exp, "\n") {
			t.Errorf("%s: %d\n%s\nwant\n%s", origin, w.Code, strings.Join(got, "\n"), strings.Join(exp, "\n"))
		}
	}
}

// corsOf lists a response's headers but those every answer has.
func corsOf(h http.Header) []string {
	var out []string
	for k, vs := range h {
		if k != "Content-Type" && k != "X-Amzn-Requestid" {
			out = append(out, k+": "+strings.Join(vs, ","))
		}
	}
	sort.Strings(out)
	return out
}

// TestCORSOnAnswers: a route's answer carries the origin treatment of its
// integration response; API Gateway's own answers (a missing key's 403,
// a throttle's 429, an invalid body's 400, an unknown path's 404 through
// DEFAULT_4XX... ) carry their gateway response's static headers and the
// Origin mapped from the request.
func TestCORSOnAnswers(t *testing.T) {
	g := gatewayWith(t, func(tpl *cfn.Template) {
		addCORS(tpl)
		addKeys(tpl)
		addValidation(tpl)
		for _, id := range []string{"GatewayResponseNotFound", "GatewayResponseDefault4xx"} {
			delete(tpl.CFN.Resources, id)
		}
		tpl.CFN.Resources["GatewayResponseBadRequestBody"] = tpl.CFN.Resources["GatewayResponseCORSBAD_REQUEST_BODY"]
	})
	if err := g.UseKeys(gateway.NewKeys(map[string]string{"acme": acmeKey})); err != nil {
		t.Fatal(err)
	}
	s := gateway.NewServer(g, sfnmock.New(nil), nil)
	const shop = "https://shop.example.com"
	send := func(verb, path, body string, hdrs ...string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(verb, path, strings.NewReader(body))
		r.Header.Set("Origin", shop)
		r.Header.Set("Content-Type", "application/json")
		for i := 0; i+1 < len(hdrs); i += 2 {
			r.Header.Set(hdrs[i], hdrs[i+1])
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		return w
	}
	for name, w := range map[string]*httptest.ResponseRecorder{
		"200 POST /orders": send("POST", "/orders", `{"items": [{"sku": "a"}]}`),
		"400 invalid body": send("POST", "/orders", `{}`),
		"403 no key":       send("GET", "/orders/o-1", ""),
		"403 unknown path": send("GET", "/nowhere", ""),
		"415 text/plain":   send("POST", "/orders", `x`, "Content-Type", "text/plain"),
		"429 throttled (3rd)": func() *httptest.ResponseRecorder {
			send("DELETE", "/orders/o-1", "", "x-api-key", acmeKey)
			return send("DELETE", "/orders/o-1", "", "x-api-key", acmeKey)
		}(),
	} {
		if got := w.Header().Get("Access-Control-Allow-Origin"); got != shop || w.Header().Get("Vary") != "Origin" || w.Header().Get("Access-Control-Allow-Credentials") != "true" {
			t.Errorf("%s: %d, headers %v", name, w.Code, w.Header())
		}
		if code := name[:3]; itoa(w.Code) != code {
			t.Errorf("%s: status %d %s", name, w.Code, w.Body)
		}
	}
}

// TestGuardEchoedOrigin: serve's guard lets through a cross-site request
// from an origin the preflight's template echoes, and no other.
func TestGuardEchoedOrigin(t *testing.T) {
	h, _, _ := guarded(t, true, func(tpl *cfn.Template) { addCORS(tpl); addKeys(tpl) })
	for origin, want := range map[string]int{"https://admin.example.com": 200, "https://evil.example": 403} {
		if w := preflight(h, origin); w.Code != want {
			t.Errorf("preflight from %s: %d %s", origin, w.Code, w.Body)
		}
		if status, body := send(h, "POST", "localhost:8080", "Origin", origin, "Sec-Fetch-Site", "cross-site"); status != want {
			t.Errorf("POST from %s: %d %s", origin, status, body)
		}
	}
	g := gatewayWith(t, addCORS)
	if !g.AllowsOrigin("POST", "/orders", "https://shop.example.com") || g.AllowsOrigin("POST", "/orders", "") || g.AllowsOrigin("POST", "/orders", "https://shop.example.com.evil") {
		t.Errorf("AllowsOrigin")
	}
}
