package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"

	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/internal/awsconfig"
	"github.com/sfnapic/sfnapic/internal/sfnfake"
	"github.com/sfnapic/sfnapic/internal/sfnmock"
)

const boundsArn = "arn:aws:states:us-east-1:123456789012:execution:StateMachineOrders:o-1"

// startedAPI serves orders-api.yaml's routes with a backend whose
// StartExecution answers with boundsArn, for invoke --wait to follow.
func startedAPI(t *testing.T) *httptest.Server {
	t.Helper()
	return apiReplying(t, gateway.Reply{Status: 200, Body: json.RawMessage(`{"executionArn": "` + boundsArn + `", "startDate": 1.7E9}`)})
}

// apiReplying serves orders-api.yaml's routes with a backend whose
// StartExecution answers startReply.
func apiReplying(t *testing.T, startReply gateway.Reply) *httptest.Server {
	t.Helper()
	g := routeGateway(t, mustRead(t, "../../golden/orders-open/spec.yaml"))
	api := httptest.NewServer(gateway.NewServer(g, sfnmock.New(map[string]gateway.Reply{"StartExecution": startReply}), nil))
	t.Cleanup(api.Close)
	return api
}

// hugeReply is an answer of Step Functions with fill bytes of 'A' between
// head and tail.
type hugeReply struct {
	head, tail string
	fill       int
}

// hugeSFN is a Step Functions endpoint on loopback that answers each
// action with its reply, counting the answers it began and the bytes it
// managed to send.
func hugeSFN(t *testing.T, replies map[string]hugeReply) (url string, served, calls *atomic.Int64) {
	t.Helper()
	served, calls = new(atomic.Int64), new(atomic.Int64)
	chunk := bytes.Repeat([]byte("A"), 64<<10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		action := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "AWSStepFunctions.")
		reply, ok := replies[action]
		if !ok {
			w.WriteHeader(400)
			return
		}
		calls.Add(1)
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		write := func(b []byte) bool {
			n, err := w.Write(b)
			served.Add(int64(n))
			return err == nil
		}
		if !write([]byte(reply.head)) {
			return
		}
		for left := reply.fill; left > 0; left -= len(chunk) {
			if !write(chunk[:min(left, len(chunk))]) {
				return
			}
		}
		write([]byte(reply.tail))
	}))
	t.Cleanup(srv.Close)
	return srv.URL, served, calls
}

// TestInvokeWaitBoundsAnswers: invoke --wait reads no answer of Step
// Functions past maxAnswer (4 MiB), whether DescribeExecution's or
// GetExecutionHistory's: a 64 MiB answer fails at once with the bound in
// the message, is not asked for again, and no more than the bound and
// what the sockets buffer is ever sent.
func TestInvokeWaitBoundsAnswers(t *testing.T) {
	const huge = 64 << 20
	small := func(status string) hugeReply {
		return hugeReply{head: `{"executionArn": "` + boundsArn + `", "stateMachineArn": "m", "status": "` + status + `", "startDate": 1.7E9, "stopDate": 1.7E9}`}
	}
	for name, tc := range map[string]struct {
		replies map[string]hugeReply
		op      string
	}{
		"DescribeExecution": {op: "DescribeExecution", replies: map[string]hugeReply{
			"DescribeExecution": {head: `{"executionArn": "` + boundsArn + `", "stateMachineArn": "m", "status": "SUCCEEDED", "startDate": 1.7E9, "output": "`, fill: huge, tail: `"}`}}},
		"GetExecutionHistory": {op: "GetExecutionHistory", replies: map[string]hugeReply{
			"DescribeExecution":   small("FAILED"),
			"GetExecutionHistory": {head: `{"events": [{"id": 2, "timestamp": 1.7E9, "type": "ExecutionFailed", "executionFailedEventDetails": {"error": "E", "cause": "`, fill: huge, tail: `"}}]}`}}},
	} {
		t.Run(name, func(t *testing.T) {
			url, served, calls := hugeSFN(t, tc.replies)
			awsEnv(t, url)
			code, stdout, stderr := run(t, "invoke", "../../golden/orders-open/spec.yaml", "--url", startedAPI(t).URL, "POST /orders", "-d", "{}", "--wait", "--history", "--timeout", "30s")
			want := fmt.Sprintf("the Step Functions endpoint %s answered %s with more than %d bytes", url, tc.op, maxAnswer)
			if code != 1 || !strings.Contains(stderr, want) || strings.Contains(stderr, "CloudFormation") {
				t.Errorf("exit %d, want 1 and %q\n%s\n%.2000s", code, want, stderr, stdout)
			}
			t.Logf("the fake sent %d bytes of its %d", served.Load(), huge)
			if n := served.Load(); n > 2*maxAnswer+20<<20 {
				t.Errorf("the fake sent %d bytes of its %d: invoke read on past the bound", n, huge)
			}
			// Now and then, on a loaded machine, the connection breaks
			// under a read before the bound (cause not found; CI saw it
			// twice in a row once), and the SDK retries a broken
			// connection as it should, up to its attempts. That an answer
			// which reached the bound is never asked for again is
			// TestAnswerTooLongIsNotRetried's.
			if n := calls.Load(); n < int64(len(tc.replies)) || n > int64(len(tc.replies)-1+awsconfig.MaxAttempts) {
				t.Errorf("%d calls, want %d (or SDK retries of a broken connection)\n%.3000s", n, len(tc.replies), stderr)
			}
		})
	}
}

// TestInvokeRouteAnswerTooLong: a route's answer longer than API
// Gateway's 10 MB is not cut silently: invoke says so and exits 1.
func TestInvokeRouteAnswerTooLong(t *testing.T) {
	body := `{"x": "` + strings.Repeat("a", gateway.MaxBody) + `"}`
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	defer api.Close()
	code, _, stderr := run(t, "invoke", "../../golden/orders-open/spec.yaml", "--url", api.URL, "POST /orders", "-d", "{}")
	if code != 1 || !strings.Contains(stderr, fmt.Sprintf("the answer is longer than %d bytes (10 MB, API Gateway's limit on a payload)", gateway.MaxBody)) {
		t.Errorf("a 10 MB answer: exit %d\n%.2000s", code, stderr)
	}
	code, stdout, _ := run(t, "invoke", "../../golden/orders-open/spec.yaml", "--url", api.URL, "POST /orders", "-d", "{}", "--output", "json")
	var res invokeResult
	_ = json.Unmarshal([]byte(stdout), &res)
	if code != 1 || !res.Truncated || res.Status != 200 {
		t.Errorf("a 10 MB answer as JSON: exit %d, truncated %v, status %d", code, res.Truncated, res.Status)
	}
}

// TestInvokeDoesNotFollowRedirects: a 3xx is the answer, shown with its
// Location, and exits 1 as any status outside 2xx; the request, with its
// Authorization and Cookie, never goes where it points, here another port
// of the same host.
func TestInvokeDoesNotFollowRedirects(t *testing.T) {
	var elsewhere atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		if r.Header.Get("Authorization") != "" || r.Header.Get("Cookie") != "" {
			t.Errorf("the redirect's target got Authorization %q and Cookie %q", r.Header.Get("Authorization"), r.Header.Get("Cookie"))
		}
	}))
	defer other.Close()
	for _, status := range []int{301, 302, 303, 307, 308} {
		api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+"/steal", status)
		}))
		code, stdout, stderr := run(t, "invoke", "../../golden/orders-open/spec.yaml", "--url", api.URL, "POST /orders", "-d", "{}",
			"-H", "Authorization: Bearer s3cret", "-H", "Cookie: session=s3cret")
		api.Close()
		if code != 1 || !strings.HasPrefix(stdout, fmt.Sprintf("HTTP %d (", status)) || !strings.Contains(stdout, "Location: "+other.URL+"/steal\n") ||
			!strings.Contains(stderr, "invoke does not follow redirects") {
			t.Errorf("a %d: exit %d\n%s\n%s", status, code, stdout, stderr)
		}
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("the redirect's target got %d requests", n)
	}
}

// TestInvokeWaitNoAnswer: a Step Functions endpoint that never answers
// DescribeExecution does not make a status up. When --timeout ends the
// wait, invoke says which call did not answer and that the status is
// unknown; when the SDK gives up first (each attempt waits for headers a
// while, a few times: 150 s by default), it says that, not "gave up
// waiting after" a --timeout that had not passed.
func TestInvokeWaitNoAnswer(t *testing.T) {
	fake := sfnfake.Start()
	defer fake.Close()
	fake.Script("DescribeExecution", sfnfake.Reply{Status: 200, Body: map[string]any{}, Delay: time.Hour})
	cfg := awsEnv(t, fake.URL)
	code, stdout, stderr := run(t, "invoke", "../../golden/orders-open/spec.yaml", "--url", startedAPI(t).URL, "POST /orders", "-d", "{}", "--wait", "--timeout", "1500ms")
	want := "gave up waiting after 1.5s: Step Functions at " + fake.URL + " did not answer DescribeExecution in that time; the status of " + boundsArn + " is unknown (it was never read)"
	if code != 1 || !strings.Contains(stderr, want) || strings.Contains(stderr, "RUNNING") || !strings.Contains(stdout, "Execution "+boundsArn+": UNKNOWN\n") {
		t.Errorf("no answer within --timeout: exit %d, want %q\n%s\n%s", code, want, stdout, stderr)
	}

	// The SDK's limits, made short: 200 ms for headers, two attempts.
	cfg.HTTPClient = &http.Client{Transport: &http.Transport{ResponseHeaderTimeout: 200 * time.Millisecond}}
	cfg.Retryer = func() aws.Retryer { return retry.AddWithMaxAttempts(retry.NewStandard(), 2) }
	o := invokeOptions{timeout: 5 * time.Minute, output: "json"}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	defer cancel()
	var out bytes.Buffer
	res := &invokeResult{}
	err := o.followExecution(ctx, &app{stdout: &out, stderr: &out}, cfg, boundsArn, res)
	want = "the Step Functions endpoint " + fake.URL + " did not answer DescribeExecution in 2 attempts for "
	if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "the status of "+boundsArn+" is unknown") || strings.Contains(err.Error(), "gave up waiting") {
		t.Errorf("the SDK gives up: %v, want %q", err, want)
	}
	if res.Execution == nil || res.Execution.Status != statusUnknown || !strings.Contains(out.String(), `"status": "UNKNOWN"`) {
		t.Errorf("the status never read: %+v\n%s", res.Execution, out.String())
	}
}

// TestInvokeNamesStepFunctions: an endpoint that does not speak Step
// Functions' protocol is called what it is not, Step Functions; not
// CloudFormation.
func TestInvokeNamesStepFunctions(t *testing.T) {
	html := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html>a captive portal</html>"))
	}))
	defer html.Close()
	awsEnv(t, html.URL)
	code, _, stderr := run(t, "invoke", "../../golden/orders-open/spec.yaml", "--url", startedAPI(t).URL, "POST /orders", "-d", "{}", "--wait", "--timeout", "30s")
	if code != 1 || !strings.Contains(stderr, html.URL+" does not answer like Step Functions") || strings.Contains(stderr, "CloudFormation") {
		t.Errorf("an endpoint that is not Step Functions: exit %d\n%s", code, stderr)
	}

}

// TestInvokeEndpointFlagWins: invoke --wait follows the execution at the
// Step Functions endpoint --endpoint-url names, even when
// AWS_ENDPOINT_URL_SFN names another, as the AWS CLI does (the other,
// a loopback listener here, fails the test when it is called).
func TestInvokeEndpointFlagWins(t *testing.T) {
	url, _, calls := hugeSFN(t, map[string]hugeReply{"DescribeExecution": {head: `{"executionArn": "` + boundsArn + `", "stateMachineArn": "m", "status": "SUCCEEDED", "startDate": 1.7E9, "stopDate": 1.7E9, "output": "{}"}`}})
	decoy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("AWS_ENDPOINT_URL_SFN's endpoint was called: %s", r.Header.Get("X-Amz-Target"))
		w.WriteHeader(500)
	}))
	defer decoy.Close()
	awsEnv(t, decoy.URL)
	t.Setenv("AWS_ENDPOINT_URL_SFN", decoy.URL)
	code, stdout, stderr := run(t, "invoke", "../../golden/orders-open/spec.yaml", "--url", startedAPI(t).URL, "--endpoint-url", url, "POST /orders", "-d", "{}", "--wait", "--timeout", "30s")
	if code != 0 || calls.Load() != 1 {
		t.Errorf("exit %d, %d calls at --endpoint-url\n%s\n%s", code, calls.Load(), stdout, stderr)
	}
}

// TestAnswerTooLongIsNotRetried: the retryer every AWS call of sfnapic
// uses does not ask again for an answer that reached invoke's bound (the
// next would be as long), while it does retry a broken connection.
func TestAnswerTooLongIsNotRetried(t *testing.T) {
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	cfg, err := awsconfig.Load(context.Background(), awsconfig.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r := cfg.Retryer()
	if r.IsErrorRetryable(&answerTooLongError{limit: maxAnswer}) {
		t.Error("an answer too long is retried")
	}
	if !r.IsErrorRetryable(&net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}) {
		t.Error("a reset connection is not retried: the check above proves nothing")
	}
}
