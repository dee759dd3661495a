package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/internal/golden"
	"github.com/sfnapic/sfnapic/internal/sfnfake"
)

// lockedBuffer is a buffer that a running command writes while the test
// reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// serving is a serve command running in the test's process.
type serving struct {
	URL    string
	stderr *lockedBuffer
	stop   func() int
}

var servingOn = regexp.MustCompile(`serving \d+ routes? on (http://\S+)`)

// startServe runs sfnapic serve with args on a free loopback port until
// the test ends (or stop), and waits until it listens.
func startServe(t *testing.T, args ...string) *serving {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &serving{stderr: &lockedBuffer{}}
	code := make(chan int, 1)
	go func() {
		var out lockedBuffer
		code <- mainContext(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), strings.NewReader(""), &out, s.stderr)
	}()
	var once sync.Once
	result := -1
	s.stop = func() int {
		once.Do(func() { cancel(); result = <-code })
		return result
	}
	t.Cleanup(func() { s.stop() })
	deadline := time.Now().Add(30 * time.Second)
	for {
		if m := servingOn.FindStringSubmatch(s.stderr.String()); m != nil && strings.Contains(s.stderr.String(), "press Ctrl-C") {
			s.URL = m[1]
			return s
		}
		select {
		case c := <-code:
			code <- c // for stop, which the cleanup calls
			t.Fatalf("serve ended with %d before listening:\n%s", c, s.stderr)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start:\n%s", s.stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// do sends one request and returns the status, the headers and the body.
func (s *serving) do(t *testing.T, method, path, contentType, body string, headers ...string) (int, http.Header, string) {
	t.Helper()
	if contentType != "" {
		headers = append([]string{"Content-Type", contentType}, headers...)
	}
	return s.send(t, method, path, "", body, headers...)
}

// send sends one request, to the Host host when it is not "", and
// returns the status, the headers and the body.
func (s *serving) send(t *testing.T, method, path, host, body string, headers ...string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// jsonOf decodes a JSON body, failing the test when it is not JSON.
func jsonOf(t *testing.T, body string) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("not a JSON object: %q: %v", body, err)
	}
	return v
}

// TestServeMock runs the whole order lifecycle of examples/orders-api.yaml
// through serve's built-in stand-in: no AWS, no emulator, no skip.
func TestServeMock(t *testing.T) {
	s := startServe(t, "../../golden/orders-open/spec.yaml", "--log-input")
	if !strings.Contains(s.stderr.String(), "backend: mock (no AWS calls)") {
		t.Errorf("serve does not say that it calls no AWS:\n%s", s.stderr)
	}
	const json = "application/json"

	// A start answers the execution's id; the status route finds it
	// RUNNING, the stop route aborts it.
	status, h, body := s.do(t, "POST", "/orders", json, `{"order": {"id": "o-1", "note": "it's \"here\" \\ </script>"}}`, "Idempotency-Key", "order-1")
	if status != 200 || h.Get("X-Amzn-Requestid") == "" || h.Get("Content-Type") != json {
		t.Fatalf("start: %d %v %s", status, h, body)
	}
	id, _ := jsonOf(t, body)["executionId"].(string)
	if id != "order-1" {
		t.Fatalf("start: executionId %q, want the Idempotency-Key order-1: %s", id, body)
	}
	status, _, body = s.do(t, "GET", "/orders/"+id, "", "")
	if got := jsonOf(t, body)["status"]; status != 200 || got != "RUNNING" {
		t.Fatalf("status: %d %s", status, body)
	}
	if status, _, body = s.do(t, "DELETE", "/orders/"+id, json, `{"reason": "customer asked"}`); status != 200 {
		t.Fatalf("stop: %d %s", status, body)
	}
	status, _, body = s.do(t, "GET", "/orders/"+id, "", "")
	if got := jsonOf(t, body)["status"]; status != 200 || got != "ABORTED" {
		t.Fatalf("status after stop: %d %s", status, body)
	}
	// The same name with another input is refused, as Step Functions does.
	if status, _, body = s.do(t, "POST", "/orders", json, `{"order": {"id": "o-2"}}`, "Idempotency-Key", "order-1"); status != 409 {
		t.Errorf("a second start with the same name: %d %s, want 409", status, body)
	}
	// An unknown execution is 404; an id that is no name is 400.
	if status, _, body = s.do(t, "GET", "/orders/nobody", "", ""); status != 404 || jsonOf(t, body)["error"] != "ExecutionDoesNotExist" {
		t.Errorf("unknown execution: %d %s", status, body)
	}
	if status, _, body = s.do(t, "GET", "/orders/a%3Ab", "", ""); status != 400 {
		t.Errorf("an id holding a colon: %d %s, want 400", status, body)
	}

	// A synchronous run answers with its output: the mock's is the input.
	status, _, body = s.do(t, "POST", "/quotes", json, `{"items": [{"sku": "a'b", "qty": 2}]}`)
	if status != 200 || !strings.Contains(body, `"sku"`) || !strings.Contains(body, `a'b`) {
		t.Errorf("sync run: %d %s", status, body)
	}
	// Callbacks take any token.
	if status, _, body = s.do(t, "POST", "/approvals/approve", json, `{"taskToken": "AAAA+/==", "manager": "ann"}`); status != 200 || body != "{}\n" {
		t.Errorf("approve: %d %q", status, body)
	}

	// What API Gateway refuses itself.
	if status, _, body = s.do(t, "GET", "/nowhere", "", ""); status != 404 || jsonOf(t, body)["error"] != "NotFound" {
		t.Errorf("unknown path: %d %s", status, body)
	}
	if status, _, body = s.do(t, "PATCH", "/orders", json, "{}"); status != 404 {
		t.Errorf("unknown verb: %d %s", status, body)
	}
	if status, _, body = s.do(t, "POST", "/orders", "text/plain", "x"); status != 415 {
		t.Errorf("a content type without a template: %d %s", status, body)
	}
	if status, _, body = s.do(t, "POST", "/orders", json, "{not json"); status != 400 {
		t.Errorf("a body that is not JSON: %d %s", status, body)
	}

	// One line per request, the execution named; --log-input adds inputs.
	log := s.stderr.String()
	for _, want := range []string{
		"POST /orders -> POST /orders 200 arn:aws:states:us-east-1:123456789012:execution:StateMachineOrders:order-1 ",
		`{\"order\":{\"id\":\"o-1\"`,
		"DELETE /orders/order-1 -> DELETE /orders/{id} 200 arn:aws:states:us-east-1:123456789012:execution:StateMachineOrders:order-1 ",
		"GET /nowhere -> - 404 - ",
		"GET /orders/nobody -> GET /orders/{id} 404 arn:aws:states:us-east-1:123456789012:execution:StateMachineOrders:nobody ",
		"(Step Functions: 400 ExecutionDoesNotExist: Execution Does Not Exist: 'arn:aws:states:us-east-1:123456789012:execution:StateMachineOrders:nobody')",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %q:\n%s", want, log)
		}
	}
	if code := s.stop(); code != 0 {
		t.Errorf("serve exited %d after Ctrl-C:\n%s", code, s.stderr)
	}
}

// TestServeMockReplies: scripted replies, per route and per action, run
// through the route's response templates: a failed synchronous run
// becomes its mapped status.
func TestServeMockReplies(t *testing.T) {
	dir := t.TempDir()
	replies := filepath.Join(dir, "replies.json")
	writeTestFile(t, replies, `{
  "POST /quotes": {"status": 200, "body": {"status": "FAILED", "error": "EmptyCart", "cause": "it's \"empty\"\n"}},
  "SendTaskSuccess": {"status": 400, "body": {"__type": "com.amazonaws.swf.service.v2.model#TaskTimedOut", "message": "Task Timed Out"}}
}`)
	s := startServe(t, "../../golden/orders-open/spec.yaml", "--mock-replies", replies)
	status, _, body := s.do(t, "POST", "/quotes", "application/json", `{}`)
	v := jsonOf(t, body)
	if status != 422 || v["error"] != "EmptyCart" || v["message"] != "it's \"empty\"\n" {
		t.Errorf("scripted failed run: %d %s", status, body)
	}
	if status, _, body = s.do(t, "POST", "/approvals/approve", "application/json", `{"taskToken": "t"}`); status != 410 {
		t.Errorf("scripted TaskTimedOut: %d %s, want 410", status, body)
	}
}

// TestServeUsage: what serve refuses before it starts.
func TestServeUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--mock", "--stack", "s"}, "--mock answers without Step Functions"},
		{[]string{"--create"}, "--create makes state machines at an emulator"},
		{[]string{"--endpoint-url", "http://127.0.0.1:1"}, "--endpoint-url needs the state machines"},
		{[]string{"--stack", "s", "--create", "--endpoint-url", "http://127.0.0.1:1"}, "choose one"},
	} {
		t.Setenv("AWS_ENDPOINT_URL", "")
		code, _, stderr := run(t, append([]string{"serve", "../../examples/item-api.yaml"}, tc.args...)...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("serve %v: exit %d, %q; want 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
}

func writeTestFile(t *testing.T, name, text string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestServeAgainstMoto runs serve against moto with --create, over HTTP:
// hostile path, query, header and body values reach the execution's input
// unchanged; a status route answers for the execution a start route
// began; a stop route stops one; a callback route completes a
// .waitForTaskToken task; and what API Gateway refuses is refused. On
// exit, serve deletes what it created. moto 5.2 runs one execution per
// process when its execute_state_machine is on (every later start fails
// with a 500), so the callback, which needs a real run, has a moto of its
// own; the rest needs no run.
func TestServeAgainstMoto(t *testing.T) {
	endpoint := startMoto(t)
	cfg := awsEnv(t, endpoint)
	motoExecutes(t, endpoint)
	s := serveSpec(t, endpoint, serveMotoSpec)
	const js = "application/json"

	// Hostile values, from every location, reach the input unchanged.
	id := `it's "a" \ b ü`
	q := `x&y=1 'q' "\" $z #set`
	note := `say "hi" \ 'there' </script>`
	doc := `{"s": "\u2028 \\\" ' $input #if", "n": 1.5, "a": [null, true], "o": {"k": "\\"}}`
	status, _, body := s.do(t, "POST", "/echo/"+url.PathEscape(id)+"?q="+url.QueryEscape(q), js, doc, "X-Run", "echo-1", "X-Note", note)
	if status != 200 || jsonOf(t, body)["executionId"] != "echo-1" {
		t.Fatalf("start: %d %s", status, body)
	}
	var wantDoc any
	_ = json.Unmarshal([]byte(doc), &wantDoc)
	want := map[string]any{"id": id, "q": q, "note": note, "doc": wantDoc}
	if got := waitForRun(t, s, "/echo/echo-1"); got["status"] != "SUCCEEDED" || !reflect.DeepEqual(got["input"], want) || !reflect.DeepEqual(got["output"], want) {
		t.Fatalf("the execution's input and output:\n got %v\nwant %v", got, want)
	}

	// What API Gateway refuses, and what Step Functions refuses.
	for _, tc := range []struct {
		method, path, ct, body string
		want                   int
	}{
		{"GET", "/nowhere", "", "", 404},
		{"PUT", "/slow", js, "{}", 404},
		{"POST", "/slow", "text/plain", "x", 415},
		{"POST", "/echo/x", js, "{oops", 400},
		{"GET", "/slow/nobody", "", "", 404},
		// (An id that is no name leaves the ARN nameless, which Step
		// Functions refuses with InvalidArn, 400; moto answers
		// ExecutionDoesNotExist, so TestServeMock covers it.)
	} {
		status, _, body := s.do(t, tc.method, tc.path, tc.ct, tc.body)
		if status != tc.want || jsonOf(t, body)["error"] == nil {
			t.Errorf("%s %s: %d %s, want %d in the envelope", tc.method, tc.path, status, body, tc.want)
		}
	}

	// On exit, serve deletes the machines it created.
	if code := s.stop(); code != 0 {
		t.Fatalf("serve exited %d:\n%s", code, s.stderr)
	}
	left, err := sfn.NewFromConfig(cfg).ListStateMachines(context.Background(), &sfn.ListStateMachinesInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(left.StateMachines) != 0 || !strings.Contains(s.stderr.String(), "deleted arn:aws:states:us-east-1:123456789012:stateMachine:StateMachineEcho") {
		t.Errorf("serve left %d state machines behind:\n%s", len(left.StateMachines), s.stderr)
	}
}

// TestServeCallbackAgainstMoto completes a .waitForTaskToken task through
// serve: the start route begins a real run on moto, the task sends its
// token to moto's SQS, and the callback route's request completes it.
func TestServeCallbackAgainstMoto(t *testing.T) {
	endpoint := startMoto(t)
	awsEnv(t, endpoint)
	queue := newMotoQueue(t, endpoint, "serve-approvals")
	s := serveSpec(t, endpoint, `# a callback through serve
version: 1
api: {name: serve-approvals}
stateMachines:
  approval:
    definition:
      StartAt: Ask
      States:
        Ask:
          Type: Task
          Resource: arn:aws:states:::sqs:sendMessage.waitForTaskToken
          Parameters: {QueueUrl: "`+queue.url+`", MessageBody: {token.$: $$.Task.Token}}
          End: true
    policies:
      - Effect: Allow
        Action: sqs:SendMessage
        Resource: arn:aws:sqs:us-east-1:123456789012:serve-approvals
routes:
  POST /approvals:
    stateMachine: approval
    executionName: header.X-Run
  GET /approvals/{id}:
    stateMachine: approval
    action: status
    execution: path.id
  POST /approve:
    stateMachine: approval
    action: taskSuccess
    output:
      approved: {value: true}
      by: body.manager
`)
	const js = "application/json"
	if status, _, body := s.do(t, "POST", "/approvals", js, "{}", "X-Run", "approval-1"); status != 200 {
		t.Fatalf("start approval: %d %s", status, body)
	}
	token := queue.token(t)
	reqBody, _ := json.Marshal(map[string]string{"taskToken": token, "manager": `ana "the boss"`})
	if status, _, body := s.do(t, "POST", "/approve", js, string(reqBody)); status != 200 {
		t.Fatalf("approve: %d %s", status, body)
	}
	if v := waitForRun(t, s, "/approvals/approval-1"); v["status"] != "SUCCEEDED" || !reflect.DeepEqual(v["output"], map[string]any{"approved": true, "by": `ana "the boss"`}) {
		t.Fatalf("after the approval: %v", v)
	}
	// A token Step Functions never issued is an error in the envelope.
	if status, _, body := s.do(t, "POST", "/approve", js, `{"taskToken": "not-a-token"}`); status < 400 || jsonOf(t, body)["error"] == nil {
		t.Errorf("an unknown token: %d %s", status, body)
	}
}

// TestServeStopAgainstMoto stops a running execution through the stop
// route, on a moto of its own (moto runs one execution per process).
func TestServeStopAgainstMoto(t *testing.T) {
	endpoint := startMoto(t)
	awsEnv(t, endpoint)
	motoExecutes(t, endpoint)
	s := serveSpec(t, endpoint, serveMotoSpec)
	const js = "application/json"
	var (
		status int
		body   string
	)
	// Stop a running execution.
	if status, _, body = s.do(t, "POST", "/slow", js, "{}", "X-Run", "slow-1"); status != 200 {
		t.Fatalf("start slow: %d %s", status, body)
	}
	if _, _, body = s.do(t, "GET", "/slow/slow-1", "", ""); jsonOf(t, body)["status"] != "RUNNING" {
		t.Fatalf("slow is not running: %s", body)
	}
	if status, _, body = s.do(t, "DELETE", "/slow/slow-1", js, `{"reason": "no \"longer\" needed"}`); status != 200 {
		t.Fatalf("stop: %d %s", status, body)
	}
	if v := waitForRun(t, s, "/slow/slow-1"); v["status"] != "ABORTED" {
		t.Fatalf("after the stop: %v", v)
	}

}

// serveMotoSpec is the API the moto tests serve: a machine that passes its
// input through, and one that waits two minutes.
const serveMotoSpec = `# serve against moto
version: 1
api: {name: serve-moto}
stateMachines:
  echo:
    definition: {StartAt: Done, States: {Done: {Type: Pass, End: true}}}
  slow:
    definition: {StartAt: Hold, States: {Hold: {Type: Wait, Seconds: 120, End: true}}}
routes:
  POST /echo/{id}:
    stateMachine: echo
    executionName: header.X-Run
    input:
      id: path.id
      q: query.q
      note: header.X-Note
      doc: body
  GET /echo/{id}:
    stateMachine: echo
    action: status
    execution: path.id
    includeInput: true
  POST /slow:
    stateMachine: slow
    executionName: header.X-Run
  GET /slow/{id}:
    stateMachine: slow
    action: status
    execution: path.id
  DELETE /slow/{id}:
    stateMachine: slow
    action: stop
    execution: path.id
    cause: body.reason
`

// motoExecutes turns on moto's execution of state machines.
func motoExecutes(t *testing.T, endpoint string) {
	t.Helper()
	resp, err := http.Post(endpoint+"/moto-api/config", "application/json", strings.NewReader(`{"stepfunctions": {"execute_state_machine": true}}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// serveSpec writes a spec and serves it with --create at an emulator.
func serveSpec(t *testing.T, endpoint, src string) *serving {
	t.Helper()
	specFile := filepath.Join(t.TempDir(), "spec.yaml")
	writeTestFile(t, specFile, src)
	return startServe(t, specFile, "--endpoint-url", endpoint, "--create")
}

// waitForRun polls a status route until the execution leaves RUNNING.
func waitForRun(t *testing.T, s *serving, path string) map[string]any {
	t.Helper()
	for i := 0; ; i++ {
		status, _, body := s.do(t, "GET", path, "", "")
		if status != 200 {
			t.Fatalf("GET %s: %d %s", path, status, body)
		}
		if v := jsonOf(t, body); v["status"] != "RUNNING" || i > 100 {
			return v
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestServeAgainstStepFunctionsFake covers what moto cannot give serve:
// every outcome of a synchronous run, throttling, a state machine that
// is gone, and a call that outlasts the integration's timeout. serve
// talks to the fake with the real SDK, as it would to AWS.
func TestServeAgainstStepFunctionsFake(t *testing.T) {
	fake := sfnfake.Start()
	defer fake.Close()
	awsEnv(t, fake.URL)
	const machine = "arn:aws:states:us-east-1:123456789012:stateMachine:StateMachineQuote"
	fake.Creates(machine)
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join(golden.Root(), "sync-express", "spec.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	specFile := filepath.Join(dir, "spec.yaml")
	writeTestFile(t, specFile, strings.Replace(string(src), "    timeout: 10s\n", "    timeout: 300ms\n", 1))
	s := startServe(t, specFile, "--endpoint-url", fake.URL, "--create", "--log-input", "--watch")
	hostile := "it's \"bad\" \\ </script> \u2028 $x #if\n\t"
	output, _ := json.Marshal(map[string]any{"price": 42, "note": hostile})
	run := func(status string, extra map[string]any) map[string]any {
		body := map[string]any{"executionArn": "arn:aws:states:us-east-1:123456789012:express:StateMachineQuote:r:1", "stateMachineArn": machine,
			"startDate": 1.7e9, "stopDate": 1.7e9, "status": status}
		for k, v := range extra {
			body[k] = v
		}
		return body
	}
	for _, tc := range []struct {
		name  string
		reply sfnfake.Reply
		want  int
		check func(v map[string]any) bool
	}{
		{"succeeded", sfnfake.Reply{Status: 200, Body: run("SUCCEEDED", map[string]any{"output": string(output)})}, 200,
			func(v map[string]any) bool { return v["price"] == 42.0 && v["note"] == hostile }},
		{"failed, mapped", sfnfake.Reply{Status: 200, Body: run("FAILED", map[string]any{"error": "QuoteNotFound", "cause": hostile})}, 404,
			func(v map[string]any) bool { return v["error"] == "QuoteNotFound" && v["message"] == hostile }},
		{"failed, unmapped", sfnfake.Reply{Status: 200, Body: run("FAILED", map[string]any{"error": hostile, "cause": hostile})}, 500,
			func(v map[string]any) bool { return v["error"] == hostile }},
		{"timed out", sfnfake.Reply{Status: 200, Body: run("TIMED_OUT", nil)}, 504,
			func(v map[string]any) bool { return v["error"] != nil }},
		{"throttled", sfnfake.Error(400, "ThrottlingException", "Rate exceeded"), 429,
			func(v map[string]any) bool { return v["error"] == "ThrottlingException" }},
		{"machine gone", sfnfake.Error(400, "StateMachineDoesNotExist", "State Machine Does Not Exist: '"+machine+"'"), 500,
			func(v map[string]any) bool { return v["error"] == "StateMachineDoesNotExist" }},
		{"integration timeout", sfnfake.Reply{Status: 200, Body: run("SUCCEEDED", map[string]any{"output": "{}"}), Delay: 2 * time.Second}, 504,
			func(v map[string]any) bool { return v["message"] == "Endpoint request timed out" }},
	} {
		fake.Script("StartSyncExecution", tc.reply)
		status, _, body := s.do(t, "POST", "/quotes", "application/json", `{"sku": "a'b"}`, "X-Customer", hostile[:4])
		if status != tc.want || !tc.check(jsonOf(t, body)) {
			t.Errorf("%s: %d %s, want %d", tc.name, status, body, tc.want)
		}
	}
	// What the fake received is what the template rendered, once per
	// request: serve does not retry a throttled call (API Gateway does not).
	syncCalls := 0
	for _, r := range fake.Requests() {
		if r.Action == "StartSyncExecution" {
			syncCalls++
			var in struct{ StateMachineArn, Input string }
			if err := json.Unmarshal(r.Body, &in); err != nil || in.StateMachineArn != machine || in.Input != `{"sku":"a'b","customer":"it's"}` {
				t.Errorf("the fake received %s", r.Body)
			}
		}
	}
	if syncCalls != 7 {
		t.Errorf("the fake received %d StartSyncExecution calls for 7 requests", syncCalls)
	}
	if !strings.Contains(s.stderr.String(), `  {"stateMachineArn": "`+machine+`", "input": "{\"sku\":\"a'b\",\"customer\":\"it's\"}"}`) {
		t.Errorf("--log-input does not log what Step Functions received:\n%s", s.stderr)
	}
	// A machine added while serving was not created: serve says so.
	writeTestFile(t, specFile, strings.Replace(string(mustRead(t, specFile)), "stateMachines:\n", "stateMachines:\n  extra: {definition: {StartAt: A, States: {A: {Type: Succeed}}}}\n", 1))
	for i := 0; !strings.Contains(s.stderr.String(), "reloaded"); i++ {
		if i > 200 {
			t.Fatalf("no reload:\n%s", s.stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(s.stderr.String(), "warning: state machine StateMachineExtra is new since serve started, so serve did not create it; restart serve to call it") {
		t.Errorf("no warning about the new machine:\n%s", s.stderr)
	}
	if !strings.Contains(s.stderr.String(), "Step Functions did not answer StartSyncExecution within 300ms") {
		t.Errorf("the log does not explain the 504:\n%s", s.stderr)
	}
}

// TestServeWatch: --watch reloads a changed spec, and a spec with errors
// keeps the last good one serving, its errors printed.
func TestServeWatch(t *testing.T) {
	specFile := filepath.Join(t.TempDir(), "spec.yaml")
	base := `# watched
version: 1
api: {name: watched}
stateMachines:
  m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}}
routes:
  POST /a: {stateMachine: m}
`
	writeTestFile(t, specFile, base)
	s := startServe(t, specFile, "--watch")
	waitLog := func(want string, n int) {
		t.Helper()
		for i := 0; strings.Count(s.stderr.String(), want) < n; i++ {
			if i > 200 {
				t.Fatalf("no %q in the log:\n%s", want, s.stderr)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	if status, _, _ := s.do(t, "POST", "/b", "application/json", "{}"); status != 404 {
		t.Fatalf("POST /b before the change: %d", status)
	}
	writeTestFile(t, specFile, base+"  POST /b: {stateMachine: m}\n")
	waitLog("reloaded: 2 routes", 1)
	if status, _, body := s.do(t, "POST", "/b", "application/json", "{}"); status != 200 {
		t.Fatalf("POST /b after the reload: %d %s", status, body)
	}
	writeTestFile(t, specFile, base+"  POST /c: {stateMachine: nope}\n")
	waitLog("reload failed: still serving the last good version", 1)
	if !strings.Contains(s.stderr.String(), `spec.yaml:8:`) {
		t.Errorf("the spec's error is not shown with its position:\n%s", s.stderr)
	}
	if status, _, _ := s.do(t, "POST", "/b", "application/json", "{}"); status != 200 {
		t.Errorf("the last good spec no longer serves POST /b: %d", status)
	}
}

// TestServeWarnsOffLoopback: serve listens on loopback by default, and
// says so when told to listen where other machines can reach it.
func TestServeWarnsOffLoopback(t *testing.T) {
	s := startServe(t, "../../examples/item-api.yaml")
	if strings.Contains(s.stderr.String(), "warning") || !strings.HasPrefix(s.URL, "http://127.0.0.1:") {
		t.Errorf("the default is not a quiet loopback address: %s\n%s", s.URL, s.stderr)
	}
	s = startServe(t, "../../examples/item-api.yaml", "--addr", "0.0.0.0:0")
	if !strings.Contains(s.stderr.String(), "warning: serving on [::]:") && !strings.Contains(s.stderr.String(), "warning: serving on 0.0.0.0:") {
		t.Errorf("no warning off loopback:\n%s", s.stderr)
	}
}

// TestServeLoad is a bounded load test on loopback: 2,000 requests, 50 at
// a time, over HTTP to serve --mock, with no error. It logs the median and
// 99th percentile latencies the clients saw.
func TestServeLoad(t *testing.T) {
	if os.Getenv("SFNAPIC_LOAD") == "" {
		t.Skip("the load test is not part of the default run: set SFNAPIC_LOAD=1 to run it; .ci/run does")
	}
	s := startServe(t, "../../golden/orders-open/spec.yaml")
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 50, MaxConnsPerHost: 50}, Timeout: 30 * time.Second}
	const total, concurrent = 2000, 50
	lat := make([]time.Duration, total)
	errs := make([]error, total)
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < concurrent; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				began := time.Now()
				req, _ := http.NewRequest("POST", s.URL+"/orders", strings.NewReader(`{"id": "o-`+strconv.Itoa(i)+`", "note": "it's \"x\""}`))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Idempotency-Key", "load-"+strconv.Itoa(i))
				resp, err := client.Do(req)
				if err == nil {
					b, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 || !strings.Contains(string(b), `"executionId": "load-`+strconv.Itoa(i)+`"`) {
						err = fmt.Errorf("%d %s", resp.StatusCode, b)
					}
				}
				lat[i], errs[i] = time.Since(began), err
			}
		}()
	}
	for i := 0; i < total; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	failed := 0
	for i, err := range errs {
		if err != nil {
			failed++
			if failed <= 5 {
				t.Errorf("request %d: %v", i, err)
			}
		}
	}
	if failed > 0 {
		t.Fatalf("%d of %d requests failed", failed, total)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	t.Logf("%d requests, %d at a time, no error: p50 %s, p99 %s", total, concurrent, lat[total/2].Round(time.Microsecond), lat[total*99/100].Round(time.Microsecond))
}

// TestServeStack: serve --stack calls the deployed stack's state machines,
// whose ARNs it reads from the stack's outputs.
func TestServeStack(t *testing.T) {
	f := fakeAWS(t)
	fake := sfnfake.Start()
	defer fake.Close()
	t.Setenv("AWS_ENDPOINT_URL_SFN", fake.URL)
	const machine = "arn:aws:states:eu-west-1:210987654321:stateMachine:items-StateMachineItems-Q1"
	st := f.AddStack("items", "CREATE_COMPLETE", map[string]any{"Outputs": map[string]any{"StateMachineItemsArn": map[string]any{}}})
	st.Outputs = map[string]string{"StateMachineItemsArn": machine}
	fake.Script("StartExecution", sfnfake.Reply{Status: 200, Body: map[string]any{"executionArn": "arn:aws:states:eu-west-1:210987654321:execution:items-StateMachineItems-Q1:e-9", "startDate": 1.7e9}})
	s := startServe(t, "../../examples/item-api.yaml", "--stack", "items")
	if !strings.Contains(s.stderr.String(), "with the state machines of stack items") {
		t.Errorf("serve does not say what it calls:\n%s", s.stderr)
	}
	if status, _, body := s.do(t, "POST", "/42", "application/json", "{}"); status != 200 || jsonOf(t, body)["executionId"] != "e-9" {
		t.Fatalf("POST /42: %d %s", status, body)
	}
	reqs := fake.Requests()
	if len(reqs) != 1 || !strings.Contains(string(reqs[0].Body), machine) {
		t.Errorf("Step Functions received %v", reqs)
	}
	// A stack without the spec's machines is refused before serving.
	other := f.AddStack("other", "CREATE_COMPLETE", map[string]any{"Outputs": map[string]any{"ApiUrl": map[string]any{}}})
	other.Outputs = map[string]string{"ApiUrl": "https://x.example/prod"}
	code, _, stderr := run(t, "serve", "../../examples/item-api.yaml", "--stack", "other", "--addr", "127.0.0.1:0")
	if code != 1 || !strings.Contains(stderr, "stack other has no output for state machine StateMachineItems: deploy this spec to it first") {
		t.Errorf("a stack without the machines: exit %d %s", code, stderr)
	}
	// A stack with no outputs at all is what moto leaves of a deploy: the
	// message says so instead of asking for a deploy that leaves the same.
	f.AddStack("moto", "CREATE_COMPLETE", map[string]any{})
	code, _, stderr = run(t, "serve", "../../examples/item-api.yaml", "--stack", "moto", "--addr", "127.0.0.1:0")
	if code != 1 || !strings.Contains(stderr, "stack moto has no outputs at all, so no output for state machine StateMachineItems: moto does not create stage outputs") {
		t.Errorf("a stack with no outputs: exit %d %s", code, stderr)
	}
}

// TestServeMockExpress: the mock answers a start on an EXPRESS machine as
// Step Functions does, with an express: ARN that names the run, which
// invoke --wait then declines to follow.
func TestServeMockExpress(t *testing.T) {
	specFile := filepath.Join(golden.Root(), "sync-express", "spec.yaml")
	s := startServe(t, specFile)
	status, _, body := s.do(t, "POST", "/quotes/batch", "application/json", `{"skus": ["a"]}`)
	arn, _ := jsonOf(t, body)["executionArn"].(string)
	if status != 200 || !strings.HasPrefix(arn, "arn:aws:states:us-east-1:123456789012:express:StateMachineQuote:") {
		t.Fatalf("start on EXPRESS: %d %s", status, body)
	}
	t.Setenv("AWS_REGION", "us-east-1")
	code, _, stderr := run(t, "invoke", specFile, "--url", s.URL, "POST /quotes/batch", "-d", `{"skus": []}`, "--wait")
	if code != 0 || !strings.Contains(stderr, "an EXPRESS execution cannot be followed") {
		t.Errorf("invoke --wait on EXPRESS: exit %d %s", code, stderr)
	}
}

// recorder is a StepFunctions that keeps what it is sent and answers like
// a start.
type recorder struct {
	mu    sync.Mutex
	calls []*gateway.Call
}

func (r *recorder) Call(_ context.Context, c *gateway.Call) (gateway.Reply, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, c)
	return gateway.Reply{Status: 200, Body: json.RawMessage(`{"executionArn": "arn:aws:states:us-east-1:123456789012:execution:m:x", "startDate": 1.7E9}`)}, nil
}

// TestServeContext: a served request carries the $context API Gateway
// would give it: a fresh request id, the time it arrived, the caller's
// address, the protocol and host, the account.
func TestServeContext(t *testing.T) {
	g := routeGateway(t, []byte(`version: 1
api: {name: ctx}
stateMachines:
  m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}}
routes:
  POST /c:
    stateMachine: m
    input:
      id: context.requestId
      time: context.requestTime
      epoch: context.requestTimeEpoch
      ip: context.identity.sourceIp
      protocol: context.protocol
      host: context.domainName
      account: context.accountId
`))
	rec := &recorder{}
	srv := httptest.NewServer(gateway.NewServer(g, rec, nil))
	defer srv.Close()
	before := time.Now()
	for i := 0; i < 2; i++ {
		resp, err := http.Post(srv.URL+"/c", "application/json", strings.NewReader("{}"))
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("POST /c: %v %v", resp, err)
		}
		resp.Body.Close()
	}
	var inputs []map[string]string
	for _, c := range rec.calls {
		var in map[string]string
		if err := json.Unmarshal([]byte(c.Request.Input()), &in); err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, in)
	}
	in := inputs[0]
	when, err := time.Parse("02/Jan/2006:15:04:05 -0700", in["time"])
	epoch, _ := strconv.ParseInt(in["epoch"], 10, 64)
	if err != nil || when.Before(before.Add(-time.Second)) || epoch < before.UnixMilli() || epoch > time.Now().UnixMilli() {
		t.Errorf("the request time: %q, %q (%v)", in["time"], in["epoch"], err)
	}
	if in["ip"] != "127.0.0.1" || in["protocol"] != "HTTP/1.1" || in["host"] != strings.TrimPrefix(srv.URL, "http://") || in["account"] != "123456789012" {
		t.Errorf("the context: %v", in)
	}
	if len(in["id"]) != 36 || in["id"] == inputs[1]["id"] {
		t.Errorf("request ids %q and %q: want two fresh UUIDs", in["id"], inputs[1]["id"])
	}
}

// TestServeLeftoverMachineAgainstMoto: a machine of the same name already
// at the emulator (an earlier serve was killed) gets the template's
// definition; moto would otherwise hand back the old one unchanged.
func TestServeLeftoverMachineAgainstMoto(t *testing.T) {
	endpoint := startMoto(t)
	cfg := awsEnv(t, endpoint)
	motoExecutes(t, endpoint)
	client := sfn.NewFromConfig(cfg)
	if _, err := client.CreateStateMachine(context.Background(), &sfn.CreateStateMachineInput{Name: aws.String("StateMachineItems"),
		RoleArn:    aws.String("arn:aws:iam::123456789012:role/old"),
		Definition: aws.String(`{"StartAt": "Old", "States": {"Old": {"Type": "Fail", "Error": "Stale"}}}`)}); err != nil {
		t.Fatal(err)
	}
	s := startServe(t, "../../examples/item-api.yaml", "--endpoint-url", endpoint, "--create")
	if !strings.Contains(s.stderr.String(), "updated arn:aws:states:us-east-1:123456789012:stateMachine:StateMachineItems, which was already there") {
		t.Errorf("serve does not say it updated the leftover machine:\n%s", s.stderr)
	}
	code, stdout, stderr := run(t, "invoke", "../../examples/item-api.yaml", "--url", s.URL, "POST /42", "-d", "{}", "--wait", "--timeout", "30s")
	if code != 0 || !strings.Contains(stdout, ": SUCCEEDED") {
		t.Errorf("the run used the old definition: exit %d\n%s\n%s", code, stdout, stderr)
	}
}
