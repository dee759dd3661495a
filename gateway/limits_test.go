package gateway_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/internal/sfnmock"
)

// TestServeCapsHeaders: serve takes header lines up to API Gateway's
// 10,240 bytes and answers 431 past them, before routing or reading the
// body, and says why in its log.
func TestServeCapsHeaders(t *testing.T) {
	var events []gateway.Event
	s := gateway.NewServer(gatewayWith(t, nil), sfnmock.New(nil), func(e gateway.Event) { events = append(events, e) })
	send := func(pad int) *httptest.ResponseRecorder {
		r := orderRequest(1)
		r.Host = "localhost"
		// The lines already there: Host, Content-Type, Idempotency-Key.
		used := len("Host: localhost") + len("Content-Type: application/json") + len("Idempotency-Key: order-1")
		r.Header.Set("X-Pad", strings.Repeat("p", gateway.MaxHeaderBytes-used-len("X-Pad: ")+pad))
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		return w
	}
	if w := send(0); w.Code != 200 {
		t.Errorf("headers of exactly %d bytes: %d %s, want 200", gateway.MaxHeaderBytes, w.Code, w.Body)
	}
	w := send(1)
	var body struct{ Message string }
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || w.Code != 431 || body.Message != "HTTP header is larger than 10240 bytes." {
		t.Errorf("headers one byte over: %d %s, want 431 and API Gateway's message", w.Code, w.Body)
	}
	last := events[len(events)-1]
	if last.Status != 431 || last.Route != "" || !strings.Contains(last.Reason, "10241 bytes, over API Gateway's 10240") {
		t.Errorf("the log: %+v", last)
	}
	// Many small headers count as one big one.
	r := orderRequest(2)
	for i := 0; i < 2000; i++ {
		r.Header.Add("X-Many", "v")
	}
	w = httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Code != 431 {
		t.Errorf("2,000 header lines: %d, want 431", w.Code)
	}
}
