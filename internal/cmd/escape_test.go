package cmd

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/internal/apigwfake"
	"github.com/sfnapic/sfnapic/internal/sfnfake"
)

func TestEscapeText(t *testing.T) {
	for in, want := range map[string]string{
		"plain é 日本 \\ \"q\"":  "plain é 日本 \\ \"q\"",
		"a\x1b[2Jb":            `a\x1b[2Jb`,
		"l1\nl2\tx\r":          `l1\nl2\tx\r`,
		"del\x7f":              `del\x7f`,
		"csi\u009b31m":         `csi\u009b31m`,
		"nel\u0085":            `nel\u0085`,
		"bidi\u202eevil\u202c": `bidi\u202eevil\u202c`,
		"iso\u2066x\u2069":     `iso\u2066x\u2069`,
		"mark\u200e\u200f":     `mark\u200e\u200f`,
		"arabic\u061c":         `arabic\u061c`,
		"bad\xffutf8\x9b":      `bad\xffutf8\x9b`,
		"kept\ufffd":           "kept\ufffd",
	} {
		if got := escapeText(in); got != want {
			t.Errorf("escapeText(%q) = %q, want %q", in, got, want)
		}
	}
	if got := escapeLines("{\n\t\"a\": \"\x1b\"\r\n}"); got != "{\n\t\"a\": \"\\x1b\"\\r\n}" {
		t.Errorf("escapeLines keeps newlines and tabs only: %q", got)
	}
	raw := []byte("{\"a\": \"x\x7f\u009b\u202e\xff\", \"b\": \"é\"}")
	got := escapeJSON(raw)
	var before, after map[string]string
	if json.Unmarshal(raw, &before) != nil || json.Unmarshal(got, &after) != nil || after["a"] != "x\x7f\u009b\u202e\ufffd" || after["b"] != before["b"] || hasControls(string(got)) {
		t.Errorf("escapeJSON: %q decodes to %q", got, after)
	}
}

// hasControls says whether s holds a character a terminal could run:
// any escapeText escapes, but newlines and tabs.
func hasControls(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r == utf8.RuneError || isControl(r, true) })
}

// TestInvokeEscapesControls: what an API answers and what an execution
// failed with (error, cause, state names: a client of a stop or reject
// route sets the cause) reach the terminal escaped, in text and in JSON.
func TestInvokeEscapesControls(t *testing.T) {
	const evil = "\x1b]0;owned\x07\x1b[2J\u009b31m\u202eevil\x7f"
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Evil", "a\u202eb\u009bc")
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte("{\"m\": \"a\u202eb\u009bc\x7f\"}"))
	}))
	defer api.Close()
	for _, output := range []string{"text", "json"} {
		code, stdout, stderr := run(t, "invoke", "../../golden/orders-open/spec.yaml", "--url", api.URL, "POST /orders", "-d", "{}", "--output", output)
		if code != 0 || hasControls(stdout) || hasControls(stderr) || !strings.Contains(stdout, `\u202e`) {
			t.Errorf("an answer with controls, --output %s: exit %d\n%q\n%q", output, code, stdout, stderr)
		}
	}

	fake := sfnfake.Start()
	defer fake.Close()
	awsEnv(t, fake.URL)
	fake.Script("DescribeExecution", sfnfake.Reply{Status: 200, Body: map[string]any{"executionArn": boundsArn, "stateMachineArn": "m", "status": "FAILED",
		"startDate": 1.7e9, "stopDate": 1.7e9 + 1, "error": "E" + evil, "cause": "C" + evil}})
	fake.Script("GetExecutionHistory", sfnfake.Reply{Status: 200, Body: map[string]any{"events": []any{
		map[string]any{"id": 3, "timestamp": 1.7e9, "type": "ExecutionAborted", "executionAbortedEventDetails": map[string]any{"error": "A" + evil, "cause": "B" + evil}},
		map[string]any{"id": 2, "timestamp": 1.7e9, "type": "TaskStateEntered", "stateEnteredEventDetails": map[string]any{"name": "S" + evil}},
	}}})
	code, stdout, stderr := run(t, "invoke", "../../golden/orders-open/spec.yaml", "--url", startedAPI(t).URL, "POST /orders", "-d", "{}", "--wait", "--history")
	if code != 1 || hasControls(stdout) || hasControls(stderr) || !strings.Contains(stdout, `Cause: C\x1b]0;owned\a\x1b[2J\u009b31m\u202eevil\x7f`) ||
		!strings.Contains(stdout, `Failed in state S\x1b]0;owned\a`) {
		t.Errorf("an execution that failed with controls: exit %d\n%q\n%q", code, stdout, stderr)
	}

	// The ARN the answer names is the route's too: the messages about it
	// are escaped as well.
	fake.Script("DescribeExecution", sfnfake.Reply{Status: 200, Body: map[string]any{}, Delay: time.Hour})
	evilStart := gateway.Reply{Status: 200, Body: json.RawMessage(`{"executionArn": "arn:aws:states:us-east-1:123456789012:execution:M:\u001b[2J"}`)}
	code, stdout, stderr = run(t, "invoke", "../../golden/orders-open/spec.yaml", "--url", apiReplying(t, evilStart).URL, "POST /orders", "-d", "{}", "--wait", "--timeout", "1s")
	if code != 1 || hasControls(stdout) || hasControls(stderr) || !strings.Contains(stderr, `execution:M:\x1b[2J is unknown`) {
		t.Errorf("an ARN with controls: exit %d\n%q\n%q", code, stdout, stderr)
	}
}

// TestTestInvokeEscapesControls: test-invoke prints what API Gateway
// answered, and the body its log shows, escaped.
func TestTestInvokeEscapesControls(t *testing.T) {
	f := fakeAWS(t)
	st := f.AddStack("orders", "CREATE_COMPLETE", map[string]any{"Outputs": map[string]any{"ApiId": map[string]any{}, "StateMachineOrdersArn": map[string]any{}, "StateMachineQuoteArn": map[string]any{}}})
	st.Outputs = map[string]string{"ApiId": "a1b2c3", "StateMachineOrdersArn": "arn:aws:states:eu-west-1:210987654321:stateMachine:o", "StateMachineQuoteArn": "arn:aws:states:eu-west-1:210987654321:stateMachine:q"}
	const evil = "\x1b[2J\u009b\u202e\x7f"
	api := apigwfake.Start("a1b2c3", map[string]string{"/": "root1", "/orders": "res-orders"}, func(in apigwfake.Invocation) apigwfake.Result {
		return apigwfake.Result{Status: 200, Body: `{"m": "` + evil + `"}`, Headers: map[string]string{"X-Evil": evil}, Latency: 1,
			Log: "Execution log for request r-1\nEndpoint request body after transformations: {\"sent\": \"" + evil + "\"}\n"}
	})
	defer api.Close()
	t.Setenv("AWS_ENDPOINT_URL_API_GATEWAY", api.URL)
	code, stdout, stderr := run(t, "test-invoke", "../../golden/orders-open/spec.yaml", "--stack", "orders", "POST /orders", "-d", "{}")
	if code != 1 || hasControls(stdout) || hasControls(stderr) || !strings.Contains(stdout, `X-Evil: \x1b[2J\u009b\u202e\x7f`) || !strings.Contains(stderr, `AWS:   {"sent": "\x1b[2J`) {
		t.Errorf("test-invoke: exit %d\n%q\n%q", code, stdout, stderr)
	}
}

// TestServeLogEscapesControls: serve's log line escapes the control and
// bidi characters a client or Step Functions wrote (an error message,
// an execution's name, the input), so none runs in the terminal.
func TestServeLogEscapesControls(t *testing.T) {
	var stderr bytes.Buffer
	a := &app{stderr: &stderr}
	logEvent(a, &sync.Mutex{}, true)(gateway.Event{Method: "POST", Path: "/orders", Route: "POST /orders", Status: 400,
		Execution: "arn:aws:states:us-east-1:1:execution:m:a\u202eb", Reason: "Step Functions: 400 X: \x1b[31mred\x1b[0m",
		Input: `{"note": "\u009b2J"}`})
	out := stderr.String()
	if strings.ContainsAny(out, "\x1b\u202e\u009b") || !strings.Contains(out, `\x1b[31mred`) || !strings.Contains(out, `a\u202eb`) {
		t.Errorf("the log line: %q", out)
	}
}
