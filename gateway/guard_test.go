package gateway_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"

	"github.com/sfnapic/sfnapic/cfn"
	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/internal/sfnmock"
)

// counting counts the calls that reach Step Functions.
type counting struct {
	n    atomic.Int64
	next gateway.StepFunctions
}

func (c *counting) Call(ctx context.Context, call *gateway.Call) (gateway.Reply, error) {
	c.n.Add(1)
	return c.next.Call(ctx, call)
}

// guarded serves golden/orders-open's template, changed by edit, behind
// Guard; it returns the handler, the calls made and the last reason
// logged.
func guarded(t *testing.T, loopback bool, edit func(*cfn.Template)) (http.Handler, *counting, *atomic.Value) {
	t.Helper()
	backend := &counting{next: sfnmock.New(nil)}
	var reason atomic.Value
	reason.Store("")
	s := gateway.NewServer(gatewayWith(t, edit), backend, func(ev gateway.Event) { reason.Store(ev.Reason) })
	return s.Guard(loopback), backend, &reason
}

// send sends POST /orders' request with another verb, a Host and header
// pairs (an empty value removes the header), and returns the status and
// body.
func send(h http.Handler, verb, host string, headers ...string) (int, string) {
	r := orderRequest(1)
	r.Method, r.Host = verb, host
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			r.Header.Del(headers[i])
			continue
		}
		r.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code, w.Body.String()
}

// TestGuardHost: on loopback, a Host that is not a name of this machine
// (a page that rebinds its own name to 127.0.0.1) is refused before any
// call, with a 403 that says why without repeating the Host; loopback
// names and addresses pass with any port. Off loopback, any Host passes.
func TestGuardHost(t *testing.T) {
	h, calls, reason := guarded(t, true, nil)
	for _, host := range []string{"127.0.0.1:8080", "127.0.0.1", "localhost:8080", "LOCALHOST", "localhost.", "app.localhost:9000", "[::1]:8080", "[::1]", "127.0.0.2:1", ""} {
		if status, body := send(h, "POST", host); status != 200 {
			t.Errorf("Host %q: %d %s", host, status, body)
		}
	}
	passed := calls.n.Load()
	for _, host := range []string{"evil.example:8080", "evil.example", "localhost.evil.example", "127.0.0.1.nip.io:8080", "10.0.0.1:8080", "0.0.0.0:8080", "[::ffff:10.0.0.1]:8080", ":8080"} {
		status, body := send(h, "POST", host)
		var v map[string]string
		if status != 403 || json.Unmarshal([]byte(body), &v) != nil || v["error"] != "ForbiddenHost" || !strings.Contains(v["message"], "DNS rebinding") {
			t.Errorf("Host %q: %d %s", host, status, body)
		}
		if strings.Contains(body, "example") || strings.Contains(body, "nip.io") || strings.Contains(body, "10.0.0.1") || strings.Contains(body, "8080") {
			t.Errorf("Host %q: the answer repeats the Host: %s", host, body)
		}
		if r := reason.Load().(string); !strings.Contains(r, "Host "+`"`+host+`"`) {
			t.Errorf("Host %q: the log's reason does not name it: %q", host, r)
		}
	}
	if calls.n.Load() != passed {
		t.Errorf("a refused request reached Step Functions")
	}
	off, _, _ := guarded(t, false, nil)
	if status, body := send(off, "POST", "evil.example:8080"); status != 200 {
		t.Errorf("off loopback, Host evil.example: %d %s", status, body)
	}
}

// TestGuardCrossSite: a browser request from another origin (a form post,
// or fetch with no-cors and no content type, which API Gateway would take
// as JSON) is refused before any call, on loopback or off it, unless the
// API's CORS headers allow the origin; a same-origin request, a
// navigation, and a client that sends neither Origin nor Sec-Fetch-Site
// pass; a POST without a content type is still JSON.
func TestGuardCrossSite(t *testing.T) {
	for _, loopback := range []bool{true, false} {
		h, calls, reason := guarded(t, loopback, nil)
		for _, hdrs := range [][]string{
			{"Origin", "https://evil.example", "Content-Type", ""},
			{"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site", "Content-Type", "text/plain"},
			{"Origin", "http://localhost:3000", "Sec-Fetch-Site", "same-site"},
			{"Origin", "null"},
			{"Origin", "http://127.0.0.1:8081"},
			{"Sec-Fetch-Site", "cross-site"},
			{"Sec-Fetch-Site", "same-site"},
		} {
			status, body := send(h, "POST", "127.0.0.1:8080", hdrs...)
			if status != 403 || !strings.Contains(body, `"error":"CrossSiteRequest"`) || strings.Contains(body, "evil") {
				t.Errorf("%v: %d %s", hdrs, status, body)
			}
			if r := reason.Load().(string); !strings.Contains(r, "cross-site request from") {
				t.Errorf("%v: the log's reason: %q", hdrs, r)
			}
		}
		if calls.n.Load() != 0 {
			t.Errorf("loopback %v: a cross-site request reached Step Functions", loopback)
		}
		for _, hdrs := range [][]string{
			{"Content-Type", ""},
			{"Origin", "http://127.0.0.1:8080", "Sec-Fetch-Site", "same-origin"},
			{"Origin", "HTTP://127.0.0.1:8080"},
			{"Sec-Fetch-Site", "none"},
		} {
			if status, body := send(h, "POST", "127.0.0.1:8080", hdrs...); status != 200 || !strings.Contains(body, "executionId") {
				t.Errorf("%v: %d %s", hdrs, status, body)
			}
		}
	}
}

// TestGuardCORS: an origin that the API's CORS headers allow (its path's
// preflight sends it) passes, preflight and request; '*' on the route
// allows any origin; another origin is still refused.
func TestGuardCORS(t *testing.T) {
	h, _, _ := guarded(t, true, func(tpl *cfn.Template) { addPreflight(tpl, `{"statusCode": 204}`) })
	const shop = "https://shop.example.com"
	if status, body := send(h, "OPTIONS", "localhost:8080", "Origin", shop, "Sec-Fetch-Site", "cross-site", "Access-Control-Request-Method", "POST"); status != 204 {
		t.Errorf("preflight from %s: %d %s", shop, status, body)
	}
	if status, body := send(h, "POST", "localhost:8080", "Origin", shop, "Sec-Fetch-Site", "cross-site"); status != 200 {
		t.Errorf("POST from %s: %d %s", shop, status, body)
	}
	for _, verb := range []string{"OPTIONS", "POST"} {
		if status, body := send(h, verb, "localhost:8080", "Origin", "https://evil.example"); status != 403 {
			t.Errorf("%s from evil.example: %d %s", verb, status, body)
		}
	}
	star, _, _ := guarded(t, true, func(tpl *cfn.Template) {
		m := tpl.CFN.Resources["RouteOrdersPost"].(*apigateway.Method)
		for i := range m.Integration.IntegrationResponses {
			m.Integration.IntegrationResponses[i].ResponseParameters = map[string]string{"method.response.header.Access-Control-Allow-Origin": "'*'"}
		}
	})
	if status, body := send(star, "POST", "localhost:8080", "Origin", "https://any.example"); status != 200 {
		t.Errorf("POST with '*': %d %s", status, body)
	}
}
