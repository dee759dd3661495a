package cmd

import (
	"strings"
	"testing"
	"time"

	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/internal/apigwfake"
)

// TestTestInvoke runs test-invoke against a fake of TestInvokeMethod (moto
// has none) whose log carries the body "API Gateway" sent: rendered here by
// the deployed template with the invocation's request id and test context,
// once as sent, once changed, and cut short by the log as it is, then
// changed. What agrees with the local render exits 0; a difference is
// reported plainly and exits 1.
func TestTestInvoke(t *testing.T) {
	f := fakeAWS(t)
	const machine = "arn:aws:states:eu-west-1:210987654321:stateMachine:orders-StateMachineOrders-AbC123"
	st := f.AddStack("orders", "CREATE_COMPLETE", map[string]any{"Outputs": map[string]any{"ApiId": map[string]any{}, "StateMachineOrdersArn": map[string]any{}, "StateMachineQuoteArn": map[string]any{}}})
	st.Outputs = map[string]string{"ApiId": "a1b2c3", "StateMachineOrdersArn": machine, "StateMachineQuoteArn": "arn:aws:states:eu-west-1:210987654321:stateMachine:q"}

	// What AWS would send: the deployed template, rendered with the
	// invocation's request id, the test stage and source.
	g := routeGateway(t, mustRead(t, "../../golden/orders-open/spec.yaml"))
	g.Vars["StateMachineOrders"], g.Vars["StateMachineOrders.Name"] = machine, "orders-StateMachineOrders-AbC123"
	tamper := func(s string) string { return s }
	stamp := time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC).Format("Mon Jan 02 15:04:05 UTC 2006") + " : "
	api := apigwfake.Start("a1b2c3", map[string]string{"/": "root1", "/orders": "res-orders", "/orders/{id}": "res-order"}, func(in apigwfake.Invocation) apigwfake.Result {
		path, query, _ := strings.Cut(in.PathWithQueryString, "?")
		req, _ := gateway.ParseTarget(in.Method + " " + path + "?" + query)
		req.Body, req.RequestID, req.SourceIP, req.Stage = in.Body, "7e57-1d", "test-invoke-source-ip", "test-invoke-stage"
		for k, v := range in.Headers {
			req.Header.Set(k, v)
		}
		call, err := g.Start(req)
		if err != nil {
			t.Errorf("the fake cannot render: %v", err)
			return apigwfake.Result{Status: 500}
		}
		log := "Execution log for request 7e57-1d\n" + stamp + "Starting execution for request: 7e57-1d\n" +
			stamp + "Endpoint request body after transformations: " + tamper(call.Body) + "\n" +
			stamp + "Received response. Status: 200, Integration latency: 21 ms\n"
		return apigwfake.Result{Status: 200, Body: `{"executionArn": "x:o-1", "executionId": "o-1", "startDate": 1.7E9}`, Headers: map[string]string{"Content-Type": "application/json"}, Latency: 42, Log: log}
	})
	defer api.Close()
	t.Setenv("AWS_ENDPOINT_URL_API_GATEWAY", api.URL)

	args := []string{"test-invoke", "../../golden/orders-open/spec.yaml", "--stack", "orders", "POST /orders", "-H", "Idempotency-Key: it's \"1\"", "-d", `{"note": "é \u2028 </script>"}`}
	code, stdout, stderr := run(t, args...)
	if code != 0 || !strings.Contains(stdout, "HTTP 200 (42 ms") || !strings.Contains(stdout, "Endpoint request body after transformations:") ||
		!strings.Contains(stdout, machine) || !strings.Contains(stdout, "sends the same JSON") {
		t.Fatalf("a matching body: exit %d\n%s\n%s", code, stdout, stderr)
	}
	calls := api.Calls()
	if len(calls) != 1 || calls[0].ResourceID != "res-orders" || calls[0].Method != "POST" || calls[0].Headers["Idempotency-Key"] != `it's "1"` {
		t.Errorf("TestInvokeMethod got %+v", calls)
	}

	tamper = func(s string) string { return strings.Replace(s, `"name": "`, `"name": "x`, 1) }
	code, _, stderr = run(t, args...)
	if code != 1 || !strings.Contains(stderr, "differs from the local render") || !strings.Contains(stderr, "AWS:") || !strings.Contains(stderr, "local:") {
		t.Errorf("a differing body: exit %d\n%s", code, stderr)
	}

	// API Gateway's log cuts a long body short: the part it shows must
	// agree with the start of the local render, or the difference is
	// reported all the same.
	tamper = func(s string) string {
		if !strings.Contains(s[:80], "eu-west-1") {
			t.Fatalf("the body's first 80 characters do not name the machine's region: %s", s)
		}
		return s[:80] + " [TRUNCATED]"
	}
	code, stdout, stderr = run(t, args...)
	if code != 0 || !strings.Contains(stdout, "The log cut the body short; its first 80 characters agree with the local render.") {
		t.Errorf("a body cut short that agrees: exit %d\n%s\n%s", code, stdout, stderr)
	}
	tamper = func(s string) string { return strings.Replace(s[:80], "eu-west-1", "eu-west-2", 1) + " [TRUNCATED]" }
	code, stdout, stderr = run(t, args...)
	if code != 1 || !strings.Contains(stderr, "the body API Gateway sent (cut short by the log) differs from the local render") ||
		!strings.Contains(stderr, "eu-west-2") || strings.Contains(stdout, "agree") {
		t.Errorf("a body cut short that differs: exit %d\n%s\n%s", code, stdout, stderr)
	}

	if code, _, stderr = run(t, "test-invoke", "../../golden/orders-open/spec.yaml", "--stack", "orders", "GET /nowhere"); code != 1 || !strings.Contains(stderr, "no route") {
		t.Errorf("an unknown route: exit %d %s", code, stderr)
	}
	// Without --stack, the stack is the spec's api.name, said first.
	if _, _, stderr = run(t, "test-invoke", "../../golden/orders-open/spec.yaml", "POST /orders"); !strings.HasPrefix(stderr, "stack orders-api (api.name of ../../golden/orders-open/spec.yaml; --stack NAME names another)\n") {
		t.Errorf("no --stack: the default stack is not said first:\n%s", stderr)
	}
}

// TestTransformedBody reads the endpoint request body out of a test
// invocation's log: up to the next timed line, across the body's own
// lines, and cut short where the log says so.
func TestTransformedBody(t *testing.T) {
	const at = "Sun Nov 29 08:00:00 UTC 2026 : "
	for _, tc := range []struct {
		log, body       string
		truncated, seen bool
	}{
		{at + "Endpoint request body after transformations: {\"a\": 1}\n" + at + "Sending request\n", `{"a": 1}`, false, true},
		{at + "Endpoint request body after transformations: {\"a\":\n  \"b\"}\n" + at + "next\n", "{\"a\":\n  \"b\"}", false, true},
		{at + "Endpoint request body after transformations: {\"a\": \"bbb [TRUNCATED]\n" + at + "next\n", `{"a": "bbb`, true, true},
		{at + "Endpoint request body after transformations: {}", `{}`, false, true},
		{at + "Method completed with status: 415\n", "", false, false},
	} {
		body, truncated, seen := transformed(tc.log)
		if body != tc.body || truncated != tc.truncated || seen != tc.seen {
			t.Errorf("transformed(%q) = %q, %v, %v; want %q, %v, %v", tc.log, body, truncated, seen, tc.body, tc.truncated, tc.seen)
		}
	}
}
