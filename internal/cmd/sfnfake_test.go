package cmd

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/internal/golden"
	"github.com/sfnapic/sfnapic/internal/sfnfake"
)

// TestRepliesAgainstStepFunctionsFake covers the replies moto cannot
// give: every outcome of a synchronous run, and a task that timed out. The
// rendered request goes to a fake that speaks Step Functions' JSON
// protocol, as API Gateway would send it; the fake's reply, byte for byte,
// goes through the route's response templates; and the real SDK, sent the
// same request, reads the same reply, which shows the fake's replies are
// Step Functions' own shapes.
func TestRepliesAgainstStepFunctionsFake(t *testing.T) {
	fake := sfnfake.Start()
	defer fake.Close()
	cfg := awsEnv(t, fake.URL)
	// The SDK sends StartSyncExecution to a sync- host; the fake has
	// none. The switch is a stack value, so it is set inside the stack.
	client := sfn.NewFromConfig(cfg, func(o *sfn.Options) {
		o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
			return s.Initialize.Add(middleware.InitializeMiddlewareFunc("NoHostPrefix",
				func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
					return next.HandleInitialize(smithyhttp.DisableEndpointHostPrefix(ctx, true), in)
				}), middleware.Before)
		})
	})
	ctx := context.Background()

	var g *gateway.Gateway
	for _, name := range []string{"sync-express", "callbacks"} {
		src, err := os.ReadFile(filepath.Join(golden.Root(), name, "spec.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		other := routeGateway(t, src)
		if name == "sync-express" {
			g = other
			continue
		}
		testTaskTimedOut(t, ctx, fake, client, other)
	}

	hostile := "it's \"broken\" \\ </script> \n\u2028 $ref #set($x = 1) {\"json\": [1]}"
	output, _ := json.Marshal(map[string]any{"total": 42, "note": hostile})
	for _, c := range []struct {
		name   string
		reply  map[string]any
		status int
		check  func(body map[string]any) bool
	}{
		{"succeeded", map[string]any{"status": "SUCCEEDED", "output": string(output)}, 200,
			func(b map[string]any) bool { return b["total"] == 42.0 && b["note"] == hostile }},
		{"failed mapped", map[string]any{"status": "FAILED", "error": "QuoteNotFound", "cause": hostile}, 404,
			func(b map[string]any) bool { return b["error"] == "QuoteNotFound" && b["message"] == hostile }},
		{"failed", map[string]any{"status": "FAILED", "error": "States.Runtime", "cause": hostile}, 500,
			func(b map[string]any) bool { return b["error"] == "States.Runtime" && b["message"] == hostile }},
		{"timed out", map[string]any{"status": "TIMED_OUT"}, 504,
			func(b map[string]any) bool { return b["error"] == "States.Timeout" }},
	} {
		reply := map[string]any{"executionArn": "arn:aws:states:us-east-1:123456789012:express:quote:r:x", "stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:quote",
			"name": "x", "startDate": 1.7e9, "stopDate": 1.7e9}
		for k, v := range c.reply {
			reply[k] = v
		}
		fake.Script("StartSyncExecution", sfnfake.Reply{Status: 200, Body: reply})
		var in sfn.StartSyncExecutionInput
		call := renderRoute(t, g, "POST", "/quotes", `{"sku": "a-1"}`, &in)
		status, raw := sendAsAPIGateway(t, fake.URL, call)
		resp, _, err := call.Respond(gateway.Reply{Status: status, Body: raw})
		if err != nil {
			t.Fatal(err)
		}
		var body map[string]any
		if err := json.Unmarshal([]byte(resp.Body), &body); err != nil || resp.Status != c.status || !c.check(body) {
			t.Fatalf("%s: HTTP %d %s (%v)", c.name, resp.Status, resp.Body, err)
		}
		out, err := client.StartSyncExecution(ctx, &in)
		if err != nil || string(out.Status) != c.reply["status"] || aws.ToString(out.Cause) != stringOr(c.reply["cause"]) {
			t.Fatalf("%s: the SDK reads %+v, %v", c.name, out, err)
		}
	}
}

// testTaskTimedOut: a callback whose task timed out answers 410.
func testTaskTimedOut(t *testing.T, ctx context.Context, fake *sfnfake.Server, client *sfn.Client, g *gateway.Gateway) {
	fake.Script("SendTaskSuccess", sfnfake.Error(400, "TaskTimedOut", "Task Timed Out: 'the task'"))
	var in sfn.SendTaskSuccessInput
	call := renderRoute(t, g, "POST", "/approvals/echo", `{"taskToken": "AQCE+/=", "ok": true}`, &in)
	status, raw := sendAsAPIGateway(t, fake.URL, call)
	resp, _, err := call.Respond(gateway.Reply{Status: status, Body: raw})
	if err != nil || resp.Status != 410 || !strings.Contains(resp.Body, `"TaskTimedOut"`) {
		t.Fatalf("a timed-out task: %v %v", resp, err)
	}
	var timedOut *types.TaskTimedOut
	if _, err := client.SendTaskSuccess(ctx, &in); !errors.As(err, &timedOut) {
		t.Fatalf("the SDK reads %v, not TaskTimedOut", err)
	}
}

// sendAsAPIGateway posts a rendered body as API Gateway's AWS integration
// does, and returns the raw reply.
func sendAsAPIGateway(t *testing.T, url string, call *gateway.Call) (int, json.RawMessage) {
	t.Helper()
	req, err := http.NewRequest("POST", url, strings.NewReader(call.Body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Amz-Target", "AWSStepFunctions."+call.Action)
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

func stringOr(v any) string {
	s, _ := v.(string)
	return s
}
