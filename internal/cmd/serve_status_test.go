package cmd

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestServeStatusAfterStop follows an execution that a stop route aborts
// with a cause, an error, both or neither, and reads it back through the
// status route: the answer has an error or a cause only when the stop gave
// one (DescribeExecution gives each only when it has it, as moto's does),
// and is one line of JSON, with no line break before its closing brace.
func TestServeStatusAfterStop(t *testing.T) {
	s := startServe(t, "../../golden/execution-routes/spec.yaml")
	for _, c := range []struct {
		stop string
		want map[string]string // error and cause in the status answer
	}{
		{`{"reason": "out of stock"}`, map[string]string{"cause": "out of stock"}},
		{`{"error": "Cancelled"}`, map[string]string{"error": "Cancelled"}},
		{`{"error": "Cancelled", "reason": "it's \"late\""}`, map[string]string{"error": "Cancelled", "cause": `it's "late"`}},
		{`{}`, map[string]string{}},
	} {
		status, _, body := s.do(t, "POST", "/orders", "application/json", `{}`)
		if status != 200 {
			t.Fatalf("start: %d %s", status, body)
		}
		var started struct{ ExecutionID string }
		if err := json.Unmarshal([]byte(body), &started); err != nil || started.ExecutionID == "" {
			t.Fatalf("start answered %s", body)
		}
		if status, _, body := s.do(t, "DELETE", "/orders/"+started.ExecutionID, "application/json", c.stop); status != 200 {
			t.Fatalf("stop %s: %d %s", c.stop, status, body)
		}
		status, _, body = s.do(t, "GET", "/orders/"+started.ExecutionID, "", "")
		if status != 200 {
			t.Fatalf("status after stop %s: %d %s", c.stop, status, body)
		}
		if strings.Count(body, "\n") != 1 || !strings.HasSuffix(body, "}\n") {
			t.Errorf("stop %s: the status answer is not one line:\n%q", c.stop, body)
		}
		var got map[string]any
		if err := json.Unmarshal([]byte(body), &got); err != nil {
			t.Fatalf("stop %s: status answer %q: %v", c.stop, body, err)
		}
		if got["status"] != "ABORTED" {
			t.Errorf("stop %s: status %v, want ABORTED", c.stop, got["status"])
		}
		for _, k := range []string{"error", "cause"} {
			v, has := got[k]
			want, wanted := c.want[k]
			if has != wanted || (has && v != want) {
				t.Errorf("stop %s: %s is %v (present: %v), want %q (present: %v)\n%s", c.stop, k, v, has, want, wanted, body)
			}
		}
	}
}
