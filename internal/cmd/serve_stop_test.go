package cmd

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sfnapic/sfnapic/internal/sfnfake"
)

// TestServeDrainCutsOff stops serve while a request waits on a Step
// Functions that never answers: after the drain bound (shortened here
// from 30 s), serve cuts the request off, says so, still deletes what
// --create made, and ends as the stop asked (no error: exit 0).
func TestServeDrainCutsOff(t *testing.T) {
	fake := sfnfake.Start()
	defer fake.Close()
	awsEnv(t, fake.URL)
	const machine = "arn:aws:states:us-east-1:123456789012:stateMachine:StateMachineItems"
	fake.Creates(machine)
	fake.Script("StartExecution", sfnfake.Reply{Status: 200, Body: map[string]any{}, Delay: time.Hour})

	o := serveOptions{addr: "127.0.0.1:0", create: true, drain: 300 * time.Millisecond}
	o.aws.Endpoint = fake.URL
	var stderr lockedBuffer
	a := &app{stdin: strings.NewReader(""), stdout: &lockedBuffer{}, stderr: &stderr}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ended := make(chan error, 1)
	go func() { ended <- runServe(ctx, a, "../../examples/item-api.yaml", o) }()
	base := waitServing(t, &stderr, ended)

	answered := make(chan error, 1)
	go func() {
		resp, err := http.Post(base+"/42", "application/json", strings.NewReader(`{}`))
		if err == nil {
			resp.Body.Close()
		}
		answered <- err
	}()
	for i := 0; !fakeGot(fake, "StartExecution"); i++ {
		if i > 1000 {
			t.Fatalf("the request never reached the fake:\n%s", stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-ended; err != nil {
		t.Errorf("serve ended with %v after the drain, want no error (exit 0):\n%s", err, stderr.String())
	}
	if err := <-answered; err == nil {
		t.Error("the request cut off got an answer")
	}
	for _, want := range []string{"stopped waiting after 300ms: cut off 1 request still in flight, without an answer", "deleted " + machine} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
}

// waitServing waits until the serve that writes stderr listens, and
// returns its URL.
func waitServing(t *testing.T, stderr *lockedBuffer, ended <-chan error) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if m := servingOn.FindStringSubmatch(stderr.String()); m != nil && strings.Contains(stderr.String(), "press Ctrl-C") {
			return m[1]
		}
		select {
		case err := <-ended:
			t.Fatalf("serve ended before listening: %v\n%s", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start:\n%s", stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// fakeGot reports whether the fake received a request for action.
func fakeGot(fake *sfnfake.Server, action string) bool {
	for _, r := range fake.Requests() {
		if r.Action == action {
			return true
		}
	}
	return false
}

// TestServeMockLogsNoInput: the mock's log leaves out what the request
// template rendered unless --log-input asks for it, so a secret that a
// route maps from a header (orders-api's X-Customer here) is not printed.
func TestServeMockLogsNoInput(t *testing.T) {
	const secret = "tok-5ecret-1f2e3d"
	for _, args := range [][]string{nil, {"--mock"}, {"--log-input"}} {
		s := startServe(t, append([]string{"../../golden/orders-open/spec.yaml"}, args...)...)
		status, _, body := s.do(t, "POST", "/orders", "application/json", `{"id": "o-1"}`, "Idempotency-Key", "order-1", "X-Customer", secret)
		if status != 200 {
			t.Fatalf("%v: %d %s", args, status, body)
		}
		if code := s.stop(); code != 0 {
			t.Fatalf("%v: serve exited %d:\n%s", args, code, s.stderr)
		}
		log := s.stderr.String()
		if !strings.Contains(log, "POST /orders -> POST /orders 200 ") {
			t.Errorf("%v: no line for the request:\n%s", args, log)
		}
		if logged := strings.Contains(log, secret); logged != (len(args) == 1 && args[0] == "--log-input") {
			t.Errorf("%v: the input with the header's secret logged: %v\n%s", args, logged, log)
		}
	}
}
