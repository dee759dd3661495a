package sfnmock

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/integration"
)

const machine = "arn:aws:states:us-east-1:123456789012:stateMachine:orders"

// call sends one action with a body built from members to the mock.
func call(t testing.TB, m *Mock, action string, members map[string]any) gateway.Reply {
	t.Helper()
	b, err := json.Marshal(members)
	if err != nil {
		t.Fatal(err)
	}
	r, err := m.Call(context.Background(), &gateway.Call{Verb: "POST", Path: "/x", Action: action, Body: string(b)})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// errorOf is an error reply's __type and message.
func errorOf(t *testing.T, r gateway.Reply) (string, string) {
	t.Helper()
	var body struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(r.Body, &body); err != nil {
		t.Fatalf("reply %s: %v", r.Body, err)
	}
	return body.Type, body.Message
}

// TestRefusesWhatStepFunctionsRefuses: the mock answers a request that
// Step Functions refuses with Step Functions' status, error type and
// message, so a client that passes against `serve --mock` does not fail
// on AWS.
func TestRefusesWhatStepFunctionsRefuses(t *testing.T) {
	big := `"` + strings.Repeat("a", MaxPayload) + `"` // 262,146 bytes
	long := strings.Repeat("n", MaxName+1)
	const validate = ValidationError + "ValidationException"
	cases := []struct {
		action   string
		members  map[string]any
		wantType string
		wantMsg  string
	}{
		{"StartExecution", map[string]any{"stateMachineArn": machine, "input": big}, validate,
			"1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have size less than or equal to 262144 bytes in UTF-8 encoding"},
		{"StartSyncExecution", map[string]any{"stateMachineArn": machine, "input": big}, validate,
			"1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have size less than or equal to 262144 bytes in UTF-8 encoding"},
		{"StartExecution", map[string]any{"stateMachineArn": machine, "name": long}, validate,
			"1 validation error detected: Value '" + long + "' at 'name' failed to satisfy constraint: Member must have length less than or equal to 80"},
		{"StartExecution", map[string]any{"stateMachineArn": machine, "name": long, "input": big}, validate,
			"2 validation errors detected: Value '" + long + "' at 'name' failed to satisfy constraint: Member must have length less than or equal to 80; " +
				"Value at 'input' failed to satisfy constraint: Member must have size less than or equal to 262144 bytes in UTF-8 encoding"},
		// The model's bounds come before the state machine's ARN is read.
		{"StartExecution", map[string]any{"stateMachineArn": "nope", "name": long}, validate,
			"1 validation error detected: Value '" + long + "' at 'name' failed to satisfy constraint: Member must have length less than or equal to 80"},
		{"SendTaskSuccess", map[string]any{"taskToken": "t", "output": big}, validate,
			"1 validation error detected: Value at 'output' failed to satisfy constraint: Member must have size less than or equal to 262144 bytes in UTF-8 encoding"},
		{"SendTaskSuccess", map[string]any{"taskToken": "t", "output": "{"}, gateway.ModelError + "InvalidOutput", "Invalid Output: not JSON"},
		{"SendTaskFailure", map[string]any{"taskToken": "t", "cause": strings.Repeat("c", maxCause+1)}, validate,
			"1 validation error detected: Value at 'cause' failed to satisfy constraint: Member must have length less than or equal to 32768"},
		{"StopExecution", map[string]any{"executionArn": "arn:aws:states:us-east-1:123456789012:execution:orders:x", "error": strings.Repeat("e", maxError+1)}, validate,
			"1 validation error detected: Value at 'error' failed to satisfy constraint: Member must have length less than or equal to 256"},
	}
	for _, name := range []string{"a b", "a\tb", "a\u00a0b", "a\u3000b", "a<b", "a>b", "a{b", "a}b", "a[b", "a]b", "a?b", "a*b",
		`a"b`, "a#b", "a%b", `a\b`, "a^b", "a|b", "a~b", "a`b", "a$b", "a&b", "a,b", "a;b", "a:b", "a/b",
		"a\x00b", "a\x1fb", "a\x7fb", "a\u0085b", "a\u009fb", "a\ufffeb", "a\uffffb", "a\U0010ffffb",
		"a\u202eb", "a\u2066b", "a\u200fb", "a\u061cb"} {
		for _, action := range []string{"StartExecution", "StartSyncExecution"} {
			cases = append(cases, struct {
				action   string
				members  map[string]any
				wantType string
				wantMsg  string
			}{action, map[string]any{"stateMachineArn": machine, "name": name}, gateway.ModelError + "InvalidName", "Invalid Name: '" + name + "'"})
		}
	}
	m := New(nil)
	for _, c := range cases {
		r := call(t, m, c.action, c.members)
		typ, msg := errorOf(t, r)
		if r.Status != 400 || typ != c.wantType || msg != c.wantMsg {
			t.Errorf("%s %.80q: %d %s %.200q, want 400 %s %.200q", c.action, fmt.Sprint(c.members["name"]), r.Status, typ, msg, c.wantType, c.wantMsg)
		}
	}
}

// TestTakesWhatStepFunctionsTakes: the bounds are Step Functions' own,
// not tighter: an input of exactly 262,144 bytes, a name of 80 characters
// (not bytes), names with characters the list does not forbid, a cause of
// 32,768 characters.
func TestTakesWhatStepFunctionsTakes(t *testing.T) {
	exact := `"` + strings.Repeat("a", MaxPayload-2) + `"`
	m := New(nil)
	for _, c := range []struct {
		action  string
		members map[string]any
	}{
		{"StartExecution", map[string]any{"stateMachineArn": machine, "input": exact}},
		{"StartSyncExecution", map[string]any{"stateMachineArn": machine, "input": exact}},
		{"StartExecution", map[string]any{"stateMachineArn": machine, "name": strings.Repeat("é", MaxName)}},
		{"StartExecution", map[string]any{"stateMachineArn": machine, "name": "order-1_2.3+4=5@6!7'8(9)é日本\u00ad"}},
		{"SendTaskSuccess", map[string]any{"taskToken": "t", "output": exact}},
		{"SendTaskFailure", map[string]any{"taskToken": "t", "error": strings.Repeat("e", maxError), "cause": strings.Repeat("c", maxCause)}},
	} {
		if r := call(t, m, c.action, c.members); r.Status != 200 {
			t.Errorf("%s %.80q: %d %.200s, want 200", c.action, fmt.Sprint(c.members["name"]), r.Status, r.Body)
		}
	}
}

// TestMemoryBoundedInBytes: 400 starts of 250 KB (100 MB of inputs) keep
// the mock's memory within its byte budget: the oldest executions are
// forgotten, the newest are still described. Before the budget, the mock
// kept all 400 (1,000 took 527 MB).
func TestMemoryBoundedInBytes(t *testing.T) {
	if testing.Short() {
		t.Skip("makes 100 MB of inputs")
	}
	const starts, size = 400, 250_000
	heap := func() uint64 {
		runtime.GC()
		var s runtime.MemStats
		runtime.ReadMemStats(&s)
		return s.HeapAlloc
	}
	before := heap()
	m := New(nil)
	arns := make([]string, starts)
	for i := range arns {
		input := fmt.Sprintf(`{"i": %d, "pad": "%s"}`, i, strings.Repeat("x", size))
		r := call(t, m, "StartExecution", map[string]any{"stateMachineArn": machine, "name": fmt.Sprint("run-", i), "input": input})
		var out struct{ ExecutionArn string }
		if err := json.Unmarshal(r.Body, &out); err != nil || r.Status != 200 {
			t.Fatalf("start %d: %d %s", i, r.Status, r.Body)
		}
		arns[i] = out.ExecutionArn
	}
	grown := int64(heap()) - int64(before)
	m.mu.Lock()
	held, kept := m.held, len(m.order)
	m.mu.Unlock()
	t.Logf("the mock holds %d executions, %d bytes by its count; the heap grew by %d bytes", kept, held, grown)
	if held > MaxBytes || kept >= starts {
		t.Errorf("the mock holds %d executions, %d bytes: want at most %d bytes, and fewer than %d", kept, held, MaxBytes, starts)
	}
	if limit := int64(MaxBytes) + 16<<20; grown > limit {
		t.Errorf("the heap grew by %d bytes over %d starts of %d bytes: want at most %d", grown, starts, size, limit)
	}
	if r := call(t, m, "DescribeExecution", map[string]any{"executionArn": arns[starts-1]}); r.Status != 200 {
		t.Errorf("the newest execution: %d %.200s, want 200", r.Status, r.Body)
	}
	r := call(t, m, "DescribeExecution", map[string]any{"executionArn": arns[0]})
	if typ, _ := errorOf(t, r); typ != gateway.ModelError+"ExecutionDoesNotExist" {
		t.Errorf("the oldest execution: %d %.200s, want ExecutionDoesNotExist", r.Status, r.Body)
	}
	runtime.KeepAlive(m)
}

// TestStopCountsItsCause: a stop's error and cause count in the budget
// too, and forgetting gives back what was counted.
func TestStopCountsItsCause(t *testing.T) {
	m := New(nil)
	m.maxBytes = 2*maxCause + 4096
	var arns []string
	for i := 0; i < 3; i++ {
		r := call(t, m, "StartExecution", map[string]any{"stateMachineArn": machine, "name": fmt.Sprint("run-", i)})
		var out struct{ ExecutionArn string }
		_ = json.Unmarshal(r.Body, &out)
		arns = append(arns, out.ExecutionArn)
	}
	for _, arn := range arns {
		cause := strings.Repeat("c", maxCause)
		if r := call(t, m, integration.Stop{}.Name(), map[string]any{"executionArn": arn, "cause": cause}); r.Status != 200 {
			t.Fatalf("stop: %d %s", r.Status, r.Body)
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	sum := 0
	for _, arn := range m.order {
		sum += m.executions[arn].size()
	}
	if len(m.order) != len(m.executions) || sum != m.held || m.held > m.maxBytes || len(m.order) >= 3 {
		t.Errorf("%d executions in order, %d in the map, %d bytes counted, %d summed, budget %d: want the oldest forgotten and the count exact",
			len(m.order), len(m.executions), m.held, sum, m.maxBytes)
	}
}
