package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/sfnapic/sfnapic/internal/cfnfake"
	"github.com/sfnapic/sfnapic/internal/sfnfake"
)

// buildBinary builds sfnapic, as `go install ./cmd/sfnapic` does, and
// returns its path.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "sfnapic")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// fakeEnv is the environment that points the binary at the fake, with
// made-up credentials and no shared AWS files.
func fakeEnv(fake *cfnfake.Fake) []string {
	return append(os.Environ(), "AWS_ENDPOINT_URL="+fake.URL(), "AWS_ACCESS_KEY_ID=AKIDEXAMPLE",
		"AWS_SECRET_ACCESS_KEY=secret", "AWS_REGION=us-east-1", "AWS_CONFIG_FILE="+os.DevNull, "AWS_SHARED_CREDENTIALS_FILE="+os.DevNull)
}

// runIn runs the binary in dir with env and returns its exit code, stdout
// and stderr.
func runIn(t *testing.T, bin, dir string, env []string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), out.String(), errb.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, out.String(), errb.String()
}

// TestBinaryDeploysAgainstFake builds sfnapic and runs it as a user would,
// pointed at the CloudFormation fake through AWS_ENDPOINT_URL.
func TestBinaryDeploysAgainstFake(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	fake := cfnfake.New()
	defer fake.Close()
	env := fakeEnv(fake)
	runBin := func(args ...string) (int, string, string) { return runIn(t, bin, ".", env, args...) }
	example := "../../examples/item-api.yaml"

	// Without --yes and with no terminal to ask on: exit 2, no AWS call.
	code, _, errs := runBin("deploy", example, "--stack", "demo")
	if code != 2 || !strings.Contains(errs, "pass --yes") || len(fake.Calls()) != 0 {
		t.Fatalf("no terminal: exit %d, %d calls\n%s", code, len(fake.Calls()), errs)
	}

	outputs := filepath.Join(t.TempDir(), "outputs.json")
	code, out, errs := runBin("deploy", example, "--stack", "demo", "--yes", "--poll", "1ms", "--outputs-file", outputs)
	if code != 0 || !strings.HasPrefix(out, "ApiUrl\thttps://") || !strings.Contains(errs, "Stack demo is CREATE_COMPLETE") {
		t.Fatalf("deploy: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	if !strings.Contains(errs, "warning: 1 of 1 routes have no authorization") {
		t.Errorf("no exposure warning:\n%s", errs)
	}
	if b, err := os.ReadFile(outputs); err != nil || !strings.Contains(string(b), `"ApiUrl": "https://`) {
		t.Errorf("outputs file: %s %v", b, err)
	}
	if strings.Contains(errs, "secret") || strings.Contains(out, "secret") {
		t.Fatal("a credential was printed")
	}
	code, out, _ = runBin("deploy", example, "--stack", "demo", "--yes", "--poll", "1ms", "--output", "json", "--fail-on-empty-changeset")
	if code != 3 || !strings.Contains(out, `"event":"NO_CHANGES"`) {
		t.Fatalf("no changes: exit %d\n%s", code, out)
	}
	code, _, errs = runBin("destroy", "--stack", "demo", "--yes", "--poll", "1ms")
	if code != 0 || !strings.Contains(errs, "Stack demo is deleted") {
		t.Fatalf("destroy: exit %d\n%s", code, errs)
	}
}

// TestBinaryCtrlC interrupts a real deploy process: one Ctrl-C while the
// change set is being created cleans up and exits 130; a second Ctrl-C
// during that cleanup ends the process at once.
func TestBinaryCtrlC(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	start := func(fake *cfnfake.Fake) (*exec.Cmd, *bytes.Buffer) {
		cmd := exec.Command(bin, "deploy", "../../examples/item-api.yaml", "--stack", "demo", "--yes", "--poll", "20ms")
		cmd.Env = fakeEnv(fake)
		var errb bytes.Buffer
		cmd.Stderr = &errb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait until the change set exists and is being polled.
		for i := 0; fake.Count("DescribeChangeSet") < 2; i++ {
			if i > 500 {
				t.Fatalf("deploy never polled the change set:\n%s", errb.String())
			}
			time.Sleep(10 * time.Millisecond)
		}
		return cmd, &errb
	}

	// One Ctrl-C: cleanup, exit 130.
	fake := cfnfake.New()
	defer fake.Close()
	fake.Scripts["demo"] = &cfnfake.Script{PendingPolls: 20}
	cmd, errb := start(fake)
	_ = cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("exit %v, want 130\n%s", err, errb.String())
	}
	if fake.Count("DeleteChangeSet") != 1 || fake.Count("ExecuteChangeSet") != 0 {
		t.Fatalf("cleanup calls: %v", fake.Calls())
	}

	// Two: the second ends the cleanup wait at once.
	slow := cfnfake.New()
	defer slow.Close()
	slow.Scripts["demo"] = &cfnfake.Script{PendingPolls: 100000}
	cmd, errb = start(slow)
	_ = cmd.Process.Signal(os.Interrupt)
	time.Sleep(200 * time.Millisecond)
	_ = cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err == nil {
			t.Fatalf("exited 0 after two interrupts\n%s", errb.String())
		}
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("a second Ctrl-C did not end the process\n%s", errb.String())
	}
}

// TestOfflineCommandsNeedNoAWS runs build, validate, render and schema in an
// environment where any attempt to load AWS configuration or reach AWS
// fails: a HOME whose .aws files are garbage, a profile that does not
// exist, a region that is not one, and endpoints that cannot answer. They
// must work and print exactly what they print in a clean environment. The
// same environment makes destroy fail while loading the configuration,
// which shows that the environment really is poisoned.
func TestOfflineCommandsNeedNoAWS(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".aws"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"config", "credentials"} {
		if err := os.WriteFile(filepath.Join(home, ".aws", f), []byte("[[[ not an ini file\n\x00\xff"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(home, 0); err != nil { // unreadable too, where the test is not root
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(home, 0o755) })
	var clean []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") && !strings.HasPrefix(kv, "HOME=") {
			clean = append(clean, kv)
		}
	}
	poisoned := append(append([]string{}, clean...), "HOME="+home,
		"AWS_PROFILE=no-such-profile", "AWS_REGION=not a region!", "AWS_DEFAULT_REGION=\x7f",
		"AWS_ACCESS_KEY_ID=garbage", "AWS_SECRET_ACCESS_KEY=garbage",
		"AWS_CONFIG_FILE="+filepath.Join(home, ".aws", "config"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(home, ".aws", "credentials"),
		"AWS_ENDPOINT_URL=http://192.0.2.1:9", "AWS_EC2_METADATA_SERVICE_ENDPOINT=http://192.0.2.1:9",
		"AWS_CA_BUNDLE=/nonexistent", "AWS_WEB_IDENTITY_TOKEN_FILE=/nonexistent", "AWS_ROLE_ARN=garbage")
	run := func(env []string, args ...string) (int, string, string) { return runIn(t, bin, "../..", env, args...) }
	for _, args := range [][]string{
		{"build", "examples/item-api.yaml"},
		{"build", "examples/reddit-api.yaml", "--format", "yaml"},
		{"validate", "examples/item-api.yaml", "examples/reddit-api.yaml"},
		{"render", "examples/item-api.yaml", "POST /42", "--all-variants"},
		{"schema"},
		{"version"},
	} {
		code, out, errs := run(poisoned, args...)
		wantCode, wantOut, wantErrs := run(clean, args...)
		if code != 0 || code != wantCode || out != wantOut || errs != wantErrs {
			t.Errorf("sfnapic %s in a poisoned AWS environment: exit %d (clean: %d)\nstderr:\n%s", strings.Join(args, " "), code, wantCode, errs)
		}
	}
	code, _, errs := run(poisoned, "destroy", "--stack", "demo", "--yes")
	if code == 0 || !strings.Contains(errs, "AWS configuration") {
		t.Errorf("destroy did not trip on the poisoned environment: exit %d\n%s", code, errs)
	}
}

// TestBinaryDiffIntoClosedPipe: diff whose output goes nowhere (diff ... |
// head -1, with head gone) still deletes its change set and the empty
// stack.
func TestBinaryDiffIntoClosedPipe(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	fake := cfnfake.New()
	defer fake.Close()
	cmd := exec.Command(bin, "diff", "../../examples/item-api.yaml", "--stack", "demo", "--poll", "1ms")
	cmd.Env = fakeEnv(fake)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close() // nobody reads
	cmd.Stdout, cmd.Stderr = w, w
	err = cmd.Run()
	w.Close()
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() < 0 {
		t.Fatalf("killed by a signal: %v", err)
	}
	if fake.Count("DeleteChangeSet") != 1 || fake.Stacks["demo"] == nil || fake.Stacks["demo"].Status != "DELETE_COMPLETE" {
		t.Fatalf("left behind: %v", fake.Calls())
	}
}

// syncBuffer is a buffer a process writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestBinaryServeCtrlC runs the real binary's serve against the Step
// Functions fake: a request in flight when Ctrl-C comes still gets its
// answer, and serve deletes the state machine it created, then exits 0.
func TestBinaryServeCtrlC(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	fake := creatingFake(t)
	fake.Script("StartExecution", sfnfake.Reply{Status: 200, Body: map[string]any{"executionArn": strings.Replace(servedMachine, "stateMachine", "execution", 1) + ":e-1", "startDate": 1.7e9}, Delay: 700 * time.Millisecond})
	cmd, errb, base := startServeBinary(t, bin, fake)
	answered := make(chan string, 1)
	go func() {
		resp, err := http.Post(base+"/42", "application/json", strings.NewReader(`{}`))
		if err != nil {
			answered <- err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		answered <- fmt.Sprintf("%d %s", resp.StatusCode, b)
	}()
	started := func() bool {
		for _, r := range fake.Requests() {
			if r.Action == "StartExecution" {
				return true
			}
		}
		return false
	}
	for i := 0; !started(); i++ {
		if i > 500 {
			t.Fatalf("the request never reached the fake:\n%s", errb.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	_ = cmd.Process.Signal(os.Interrupt)
	if got := <-answered; !strings.HasPrefix(got, "200 ") || !strings.Contains(got, `"executionId": "e-1"`) {
		t.Errorf("the request in flight got %s", got)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("serve exited with %v after Ctrl-C:\n%s", err, errb.String())
	}
	for _, want := range []string{"stopping: letting requests in flight finish", "deleted " + servedMachine, "POST /42 -> POST /{item_id} 200 "} {
		if !strings.Contains(errb.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, errb.String())
		}
	}
}

// servedMachine is the ARN the fake gives the state machine serve
// --create makes for examples/item-api.yaml.
const servedMachine = "arn:aws:states:us-east-1:123456789012:stateMachine:StateMachineItems"

// creatingFake is a Step Functions fake that creates servedMachine, for
// serve --create; it closes when the test ends.
func creatingFake(t *testing.T) *sfnfake.Server {
	fake := sfnfake.Start()
	t.Cleanup(fake.Close)
	fake.Creates(servedMachine)
	return fake
}

// startServeBinary runs the binary's serve --create against the Step
// Functions fake (through the command prefix, when given: a shell that
// sets up the process first) and waits until it listens. It returns the
// process, its stderr and its URL.
func startServeBinary(t *testing.T, bin string, fake *sfnfake.Server, prefix ...string) (*exec.Cmd, *syncBuffer, string) {
	t.Helper()
	args := append(prefix, bin, "serve", "../../examples/item-api.yaml", "--endpoint-url", fake.URL, "--create", "--addr", "127.0.0.1:0")
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=secret", "AWS_REGION=us-east-1",
		"AWS_CONFIG_FILE="+os.DevNull, "AWS_SHARED_CREDENTIALS_FILE="+os.DevNull, "AWS_ENDPOINT_URL=")
	var errb syncBuffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	addr := regexp.MustCompile(`serving \d+ routes? on (http://\S+)`)
	for i := 0; ; i++ {
		if m := addr.FindStringSubmatch(errb.String()); m != nil && strings.Contains(errb.String(), "press Ctrl-C") {
			return cmd, &errb, m[1]
		}
		if i > 500 {
			t.Fatalf("serve did not start:\n%s", errb.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestBinaryServeHangup: SIGHUP (a closed terminal, a dropped SSH
// session) stops serve as Ctrl-C does, deleting the state machine that
// --create made, and exits 0. Started under nohup (SIGHUP ignored), serve
// goes on serving through a SIGHUP.
func TestBinaryServeHangup(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	fake := creatingFake(t)
	deleted := func() int {
		n := 0
		for _, r := range fake.Requests() {
			if r.Action == "DeleteStateMachine" && strings.Contains(string(r.Body), servedMachine) {
				n++
			}
		}
		return n
	}

	cmd, errb, _ := startServeBinary(t, bin, fake)
	_ = cmd.Process.Signal(syscall.SIGHUP)
	if err := cmd.Wait(); err != nil {
		t.Errorf("serve ended with %v after SIGHUP:\n%s", err, errb.String())
	}
	if deleted() != 1 || !strings.Contains(errb.String(), "deleted "+servedMachine) {
		t.Errorf("SIGHUP left the state machine behind (%d deletes):\n%s", deleted(), errb.String())
	}

	// nohup: the shell ignores SIGHUP, and the binary it execs inherits that.
	cmd, errb, base := startServeBinary(t, bin, fake, "sh", "-c", `trap "" HUP; exec "$@"`, "sh")
	_ = cmd.Process.Signal(syscall.SIGHUP)
	time.Sleep(200 * time.Millisecond)
	resp, err := http.Get(base + "/nowhere")
	if err != nil {
		t.Fatalf("serve under nohup stopped at SIGHUP: %v\n%s", err, errb.String())
	}
	resp.Body.Close()
	_ = cmd.Process.Signal(os.Interrupt)
	if err := cmd.Wait(); err != nil || deleted() != 2 {
		t.Errorf("serve under nohup: %v after Ctrl-C, %d deletes:\n%s", err, deleted(), errb.String())
	}
}
