package cmd

import (
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/internal/sfnfake"
	"github.com/sfnapic/sfnapic/internal/sfnmock"
)

// TestInvokeServe calls a running serve --mock with invoke --url: the
// answer is printed, 2xx exits 0, anything else 1, and --output json is
// one document.
func TestInvokeServe(t *testing.T) {
	s := startServe(t, "../../golden/orders-open/spec.yaml")
	code, stdout, stderr := run(t, "invoke", "../../golden/orders-open/spec.yaml", "--url", s.URL, "POST /orders", "-H", "Idempotency-Key: inv-1", "-d", `{"id": "o-1"}`)
	if code != 0 || !strings.HasPrefix(stdout, "HTTP 200 (") || !strings.Contains(stdout, `"executionId": "inv-1"`) || !strings.Contains(stdout, "X-Amzn-Requestid: ") {
		t.Fatalf("invoke: exit %d\n%s\n%s", code, stdout, stderr)
	}
	code, stdout, _ = run(t, "invoke", "../../golden/orders-open/spec.yaml", "--url", s.URL, "GET /orders/nobody", "--output", "json")
	var res invokeResult
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("--output json: %v\n%s", err, stdout)
	}
	if code != 1 || res.Status != 404 || res.Route != "GET /orders/{id}" || !strings.Contains(string(res.Body), "ExecutionDoesNotExist") {
		t.Errorf("an unknown execution: exit %d, %+v", code, res)
	}
	for _, args := range [][]string{
		{"POST /orders"},
		{"--url", s.URL, "--stack", "x", "POST /orders"},
		{"--url", s.URL, "--history", "POST /orders"},
		{"--url", s.URL, "--output", "yaml", "POST /orders"},
	} {
		if code, _, stderr := run(t, append([]string{"invoke", "../../golden/orders-open/spec.yaml"}, args...)...); code != 2 {
			t.Errorf("invoke %v: exit %d, want 2: %s", args, code, stderr)
		}
	}
}

// TestInvokeStack finds the stage's invoke URL in the stack's outputs and
// calls it over HTTPS.
func TestInvokeStack(t *testing.T) {
	f := fakeAWS(t)
	g := routeGateway(t, mustRead(t, "../../golden/orders-open/spec.yaml"))
	stage := httptest.NewTLSServer(http.StripPrefix("/prod", gateway.NewServer(g, sfnmock.New(nil), nil)))
	defer stage.Close()
	// The client trusts the stage's certificate as it would a real one:
	// through the system's roots, which SSL_CERT_FILE names.
	certFile := filepath.Join(t.TempDir(), "stage.pem")
	writeTestFile(t, certFile, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: stage.Certificate().Raw})))
	t.Setenv("SSL_CERT_FILE", certFile)
	st := f.AddStack("orders", "CREATE_COMPLETE", map[string]any{"Outputs": map[string]any{"ApiUrl": map[string]any{}, "ApiId": map[string]any{}}})
	st.Outputs = map[string]string{"ApiUrl": stage.URL + "/prod/"}

	code, stdout, stderr := run(t, "invoke", "../../golden/orders-open/spec.yaml", "--stack", "orders", "POST /orders", "-H", "Idempotency-Key: stack-1", "-d", `{}`, "--output", "json")
	var res invokeResult
	_ = json.Unmarshal([]byte(stdout), &res)
	if code != 0 || res.Status != 200 || res.URL != stage.URL+"/prod/orders" || !strings.Contains(string(res.Body), `"executionId":"stack-1"`) && !strings.Contains(string(res.Body), `"executionId": "stack-1"`) {
		t.Fatalf("invoke --stack: exit %d %+v\n%s", code, res, stderr)
	}
	if code, _, stderr := run(t, "invoke", "../../golden/orders-open/spec.yaml", "--stack", "missing", "POST /orders"); code != 1 || !strings.Contains(stderr, "missing") {
		t.Errorf("a missing stack: exit %d %s", code, stderr)
	}
}

// TestInvokeWaitAgainstFake follows executions that the fake describes:
// one that failed (with the state from its history), one that never ends
// (the wait gives up within --timeout), and one on an EXPRESS machine
// (which cannot be followed).
func TestInvokeWaitAgainstFake(t *testing.T) {
	fake := sfnfake.Start()
	defer fake.Close()
	awsEnv(t, fake.URL)
	const arn = "arn:aws:states:us-east-1:123456789012:execution:StateMachineOrders:o-1"
	startReply := gateway.Reply{Status: 200, Body: json.RawMessage(`{"executionArn": "` + arn + `", "startDate": 1.7E9}`)}
	g := routeGateway(t, mustRead(t, "../../golden/orders-open/spec.yaml"))
	api := httptest.NewServer(gateway.NewServer(g, sfnmock.New(map[string]gateway.Reply{"StartExecution": startReply}), nil))
	defer api.Close()
	invoke := func(extra ...string) (int, string, string) {
		return run(t, append([]string{"invoke", "../../golden/orders-open/spec.yaml", "--url", api.URL, "POST /orders", "-d", "{}", "--wait"}, extra...)...)
	}

	fake.Script("DescribeExecution", sfnfake.Reply{Status: 200, Body: map[string]any{"executionArn": arn, "stateMachineArn": "m", "status": "FAILED",
		"startDate": 1.7e9, "stopDate": 1.7e9 + 2.5, "error": "OrderRejected", "cause": "no \"stock\""}})
	fake.Script("GetExecutionHistory", sfnfake.Reply{Status: 200, Body: map[string]any{"events": []any{
		map[string]any{"id": 5, "timestamp": 1.7e9, "type": "ExecutionFailed", "executionFailedEventDetails": map[string]any{"error": "OrderRejected", "cause": "no \"stock\""}},
		map[string]any{"id": 4, "timestamp": 1.7e9, "type": "TaskFailed", "taskFailedEventDetails": map[string]any{"error": "Stock.Empty", "cause": "sku a-1", "resource": "x", "resourceType": "lambda"}},
		map[string]any{"id": 3, "timestamp": 1.7e9, "type": "TaskStateEntered", "stateEnteredEventDetails": map[string]any{"name": "Reserve"}},
	}}})
	code, stdout, stderr := invoke("--history")
	if code != 1 || !strings.Contains(stdout, "Execution "+arn+": FAILED after 2.5s") || !strings.Contains(stdout, `Cause: no "stock"`) ||
		!strings.Contains(stdout, "Failed in state Reserve: OrderRejected: no \"stock\"") {
		t.Errorf("a failed execution: exit %d\n%s\n%s", code, stdout, stderr)
	}

	fake.Script("DescribeExecution", sfnfake.Reply{Status: 200, Body: map[string]any{"executionArn": arn, "stateMachineArn": "m", "status": "RUNNING", "startDate": 1.7e9}})
	code, _, stderr = invoke("--timeout", "1s")
	if code != 1 || !strings.Contains(stderr, "gave up waiting after 1s: "+arn+" is still RUNNING") {
		t.Errorf("a wait that times out: exit %d\n%s", code, stderr)
	}

	fake.Script("DescribeExecution", sfnfake.Reply{Status: 200, Body: map[string]any{"executionArn": arn, "stateMachineArn": "m", "status": "SUCCEEDED",
		"startDate": 1.7e9, "stopDate": 1.7e9 + 1, "output": `{"ok": true}`}})
	code, stdout, _ = invoke("--output", "json")
	var res invokeResult
	_ = json.Unmarshal([]byte(stdout), &res)
	if code != 0 || res.Execution == nil || res.Execution.Status != "SUCCEEDED" || !reflect.DeepEqual(jsonOf(t, string(res.Execution.Output)), map[string]any{"ok": true}) || res.Execution.DurationMs != 1000 {
		t.Errorf("a success: exit %d\n%s", code, stdout)
	}

	express := gateway.Reply{Status: 200, Body: json.RawMessage(`{"executionArn": "arn:aws:states:us-east-1:123456789012:express:StateMachineOrders:o-2:abc", "startDate": 1.7E9}`)}
	api2 := httptest.NewServer(gateway.NewServer(g, sfnmock.New(map[string]gateway.Reply{"StartExecution": express}), nil))
	defer api2.Close()
	code, _, stderr = run(t, "invoke", "../../golden/orders-open/spec.yaml", "--url", api2.URL, "POST /orders", "-d", "{}", "--wait")
	if code != 0 || !strings.Contains(stderr, "an EXPRESS execution cannot be followed") || !strings.Contains(stderr, "CloudWatch Logs") {
		t.Errorf("an EXPRESS execution: exit %d\n%s", code, stderr)
	}
}

// TestInvokeWaitAgainstMoto follows a real run on moto, started through
// serve: invoke --url serve --wait sees it succeed with its output.
func TestInvokeWaitAgainstMoto(t *testing.T) {
	endpoint := startMoto(t)
	awsEnv(t, endpoint)
	motoExecutes(t, endpoint)
	src := `# invoke --wait against moto
version: 1
api: {name: waited}
stateMachines:
  greet:
    definition: {StartAt: Hello, States: {Hello: {Type: Pass, Parameters: {greeting.$: "States.Format('hello, {}', $.name)"}, End: true}}}
routes:
  POST /greet:
    stateMachine: greet
    executionName: header.X-Run
    input:
      name: body.name
`
	s := serveSpec(t, endpoint, src)
	specFile := filepath.Join(t.TempDir(), "spec.yaml")
	writeTestFile(t, specFile, src)
	code, stdout, stderr := run(t, "invoke", specFile, "--url", s.URL, "POST /greet", "-H", "X-Run: w-1", "-d", `{"name": "ana"}`, "--wait", "--timeout", "30s")
	if code != 0 || !strings.Contains(stdout, ":execution:StateMachineGreet:w-1: SUCCEEDED") || !strings.Contains(stdout, `"greeting": "hello, ana"`) {
		t.Errorf("invoke --wait: exit %d\n%s\n%s", code, stdout, stderr)
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestInvokeWaitFailureAgainstMoto follows a real run that fails on moto,
// and finds the state that failed in its history.
func TestInvokeWaitFailureAgainstMoto(t *testing.T) {
	endpoint := startMoto(t)
	awsEnv(t, endpoint)
	motoExecutes(t, endpoint)
	src := `# invoke --wait --history against moto
version: 1
api: {name: failing}
stateMachines:
  check:
    definition:
      StartAt: Look
      States:
        Look: {Type: Pass, Next: Refuse}
        Refuse: {Type: Fail, Error: OrderRejected, Cause: "no \"stock\" left"}
routes:
  POST /check:
    stateMachine: check
    executionName: header.X-Run
`
	s := serveSpec(t, endpoint, src)
	specFile := filepath.Join(t.TempDir(), "spec.yaml")
	writeTestFile(t, specFile, src)
	code, stdout, stderr := run(t, "invoke", specFile, "--url", s.URL, "POST /check", "-H", "X-Run: f-1", "-d", `{}`, "--wait", "--history", "--timeout", "30s")
	if code != 1 || !strings.Contains(stdout, ":execution:StateMachineCheck:f-1: FAILED") || !strings.Contains(stdout, `Cause: no "stock" left`) ||
		!strings.Contains(stdout, "Failed in state Refuse: OrderRejected") {
		t.Errorf("invoke --wait --history: exit %d\n%s\n%s", code, stdout, stderr)
	}
}

// TestInvokeWaitTimeoutAgainstMoto gives up on an execution that does not
// end in time: moto without execute_state_machine keeps it RUNNING.
func TestInvokeWaitTimeoutAgainstMoto(t *testing.T) {
	endpoint := startMoto(t)
	awsEnv(t, endpoint)
	code, _, stderr := run(t, "invoke", "../../examples/item-api.yaml", "--url", serveSpec(t, endpoint, string(mustRead(t, "../../examples/item-api.yaml"))).URL,
		"POST /42", "-d", `{}`, "--wait", "--timeout", "1500ms")
	if code != 1 || !strings.Contains(stderr, "gave up waiting after 1.5s") || !strings.Contains(stderr, "is still RUNNING") {
		t.Errorf("a wait that times out: exit %d\n%s", code, stderr)
	}
}

// TestInvokeWaitOnMock: invoke --wait does not send a mock execution's
// placeholder ARN to AWS; it says why it cannot follow it.
func TestInvokeWaitOnMock(t *testing.T) {
	s := startServe(t, "../../examples/item-api.yaml")
	t.Setenv("AWS_ENDPOINT_URL", "")
	t.Setenv("AWS_REGION", "us-east-1")
	// Any call to AWS would fail here: no credentials, no network.
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	code, _, stderr := run(t, "invoke", "../../examples/item-api.yaml", "--url", s.URL, "POST /42", "-d", "{}", "--wait")
	if code != 0 || !strings.Contains(stderr, "the execution is in the placeholder account 123456789012 (serve --mock?)") {
		t.Errorf("invoke --wait on the mock: exit %d %s", code, stderr)
	}
}
