package gateway_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/internal/sfnmock"
)

// TestEventExchange: the event a request reports carries the whole
// exchange that serve's console shows: the request as received, the
// action and its reply, the answer sent, and the call's time.
func TestEventExchange(t *testing.T) {
	var got []gateway.Event
	srv := gateway.NewServer(gatewayWith(t, nil), sfnmock.New(nil), func(ev gateway.Event) { got = append(got, ev) })
	r := orderRequest(7)
	r.URL.RawQuery = "verbose=1"
	srv.ServeHTTP(httptest.NewRecorder(), r)
	srv.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/nowhere", nil))
	if len(got) != 2 {
		t.Fatalf("%d events, want 2", len(got))
	}
	ev := got[0]
	switch {
	case ev.Query != "verbose=1" || ev.Header.Get("Idempotency-Key") != "order-7" || !strings.Contains(ev.Body, `"o-1"`):
		t.Errorf("the request as received: query %q, headers %v, body %q", ev.Query, ev.Header, ev.Body)
	case ev.Action != "StartExecution" || ev.Reply == nil || ev.Reply.Status != 200 || !strings.Contains(string(ev.Reply.Body), ev.Execution):
		t.Errorf("the call: action %q, reply %+v", ev.Action, ev.Reply)
	case !strings.Contains(ev.ResponseBody, ev.Execution) || ev.CallTime <= 0 || ev.CallTime > ev.Latency:
		t.Errorf("the answer: %q, call time %s of %s", ev.ResponseBody, ev.CallTime, ev.Latency)
	}
	if ev := got[1]; ev.Reply != nil || ev.Action != "" || ev.Status != 404 || !strings.Contains(ev.ResponseBody, "no route matches") {
		t.Errorf("a refused request: %+v", ev)
	}
}
