package cmd

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/internal/sfnmock"
)

// TestServeMockRefusesAsStepFunctions: through serve's handler and the
// orders API's templates, what Step Functions refuses reaches the client
// as the route maps Step Functions' refusal (400, its error name and
// message), not as a started order: an input over 256 KiB, an execution
// name that is too long or holds a space or a control character.
func TestServeMockRefusesAsStepFunctions(t *testing.T) {
	s := gateway.NewServer(routeGateway(t, mustRead(t, "../../golden/orders-open/spec.yaml")), sfnmock.New(nil), nil)
	big := `{"id": "o-1", "pad": "` + strings.Repeat("x", sfnmock.MaxPayload) + `"}`
	for _, c := range []struct {
		key, body, wantError, wantMessage string
	}{
		{"order-1", big, "ValidationException", "Value at 'input' failed to satisfy constraint: Member must have size less than or equal to 262144 bytes in UTF-8 encoding"},
		{strings.Repeat("k", sfnmock.MaxName+1), `{"id": "o-1"}`, "ValidationException", "at 'name' failed to satisfy constraint: Member must have length less than or equal to 80"},
		{"order 1", `{"id": "o-1"}`, "InvalidName", "Invalid Name: 'order 1'"},
		{"order\x7f1", `{"id": "o-1"}`, "InvalidName", "Invalid Name: 'order\x7f1'"},
	} {
		r := httptest.NewRequest("POST", "/orders", strings.NewReader(c.body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Idempotency-Key", c.key)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		var got struct{ Error, Message string }
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || w.Code != http.StatusBadRequest || got.Error != c.wantError || !strings.Contains(got.Message, c.wantMessage) {
			t.Errorf("Idempotency-Key %.90q: %d %.300s, want 400 %s %q", c.key, w.Code, w.Body, c.wantError, c.wantMessage)
		}
	}
}

// TestRenderCapsHeaders: render refuses, as API Gateway would, a request
// whose header lines come to more than 10,240 bytes, and takes one at the
// bound.
func TestRenderCapsHeaders(t *testing.T) {
	header := func(size int) string { return "X-Pad: " + strings.Repeat("p", size-len("X-Pad: ")) }
	code, stdout, stderr := run(t, "render", "../../golden/orders-open/spec.yaml", "POST /orders", "-H", header(gateway.MaxHeaderBytes+1), "-d", `{"id": "o-1"}`)
	if code != 1 || !strings.HasPrefix(stdout, "HTTP 431\n") || !strings.Contains(stdout, "HTTP header is larger than 10240 bytes.") || !strings.Contains(stderr, "over API Gateway's 10240") {
		t.Errorf("render with %d header bytes: exit %d\n%.300s\n%s", gateway.MaxHeaderBytes+1, code, stdout, stderr)
	}
	if code, stdout, stderr := run(t, "render", "../../golden/orders-open/spec.yaml", "POST /orders", "-H", header(gateway.MaxHeaderBytes), "-d", `{"id": "o-1"}`); code != 0 {
		t.Errorf("render with %d header bytes: exit %d\n%.300s\n%s", gateway.MaxHeaderBytes, code, stdout, stderr)
	}
}
