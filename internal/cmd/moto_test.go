package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/sfnapic/sfnapic/gateway"
)

// startMoto runs moto_server on a free loopback port, or skips.
func startMoto(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		t.Skip("moto_server is not on PATH (it ships with the project machines' Python toolset; CI requires it)")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", fmt.Sprint(port))
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	for i := 0; ; i++ {
		if resp, err := http.Get(url + "/moto-api/"); err == nil {
			resp.Body.Close()
			break
		}
		if i > 100 {
			t.Fatalf("moto_server did not start:\n%s", logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	return url
}

func awsEnv(t *testing.T, endpoint string) aws.Config {
	t.Setenv("AWS_ENDPOINT_URL", endpoint)
	t.Setenv("AWS_ACCESS_KEY_ID", "testing")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "testing")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	return aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", ""), BaseEndpoint: aws.String(endpoint)}
}

func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// TestDeployAgainstMoto: create, update, no changes, diff, destroy and
// re-create against moto, which really creates the API Gateway, IAM and
// Step Functions resources; the result is checked through moto's own APIs.
func TestDeployAgainstMoto(t *testing.T) {
	cfg := awsEnv(t, startMoto(t))
	ctx := context.Background()
	dir := t.TempDir()
	spec := dir + "/api.yaml"
	write := func(s string) {
		if err := os.WriteFile(spec, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	base := `version: 1
api: {name: moto-api}
stateMachines:
  items: {definition: {StartAt: Done, States: {Done: {Type: Pass, End: true}}}}
routes:
  POST /items/{item_id}:
    stateMachine: items
    input: {item_id: path.item_id}
`
	write(base)
	deploy := func(want int, extra ...string) string {
		t.Helper()
		code, out, errs := run(t, append([]string{"deploy", spec, "--stack", "moto-api", "--yes", "--poll", "10ms"}, extra...)...)
		if code != want {
			t.Fatalf("deploy exited %d, want %d\nstdout:\n%s\nstderr:\n%s", code, want, out, errs)
		}
		return errs
	}

	// Create.
	log := deploy(0)
	for _, w := range []string{`\(CREATE\) for stack moto-api`, `\+ Add +RouteItemsItemIdPost +AWS::ApiGateway::Method`, `Stack moto-api is CREATE_COMPLETE`} {
		if !regexp.MustCompile(w).MatchString(log) {
			t.Errorf("create output lacks %s:\n%s", w, log)
		}
	}
	ag := apigateway.NewFromConfig(cfg)
	apis, err := ag.GetRestApis(ctx, &apigateway.GetRestApisInput{})
	if err != nil || len(apis.Items) != 1 || aws.ToString(apis.Items[0].Name) != "moto-api" {
		t.Fatalf("REST APIs: %v %v", apis, err)
	}
	paths := func() string {
		res, err := ag.GetResources(ctx, &apigateway.GetResourcesInput{RestApiId: apis.Items[0].Id})
		if err != nil {
			t.Fatal(err)
		}
		var ps []string
		for _, r := range res.Items {
			for m := range r.ResourceMethods {
				ps = append(ps, m+" "+aws.ToString(r.Path))
			}
		}
		return strings.Join(ps, ",")
	}
	if p := paths(); p != "POST /items/{item_id}" {
		t.Fatalf("routes in API Gateway: %q", p)
	}
	machines, err := sfn.NewFromConfig(cfg).ListStateMachines(ctx, &sfn.ListStateMachinesInput{})
	if err != nil || len(machines.StateMachines) != 1 {
		t.Fatalf("state machines: %v %v", machines, err)
	}

	// Update: a second route.
	write(base + "  GET /health:\n    stateMachine: items\n")
	log = deploy(0)
	if !strings.Contains(log, "(UPDATE)") || !regexp.MustCompile(`\+ Add +RouteHealthGet`).MatchString(log) || !strings.Contains(log, "UPDATE_COMPLETE") {
		t.Errorf("update output:\n%s", log)
	}
	if p := paths(); !strings.Contains(p, "GET /health") {
		t.Errorf("routes after the update: %q", p)
	}

	// No changes, then the same with --fail-on-empty-changeset.
	if log = deploy(0); !strings.Contains(log, "No changes") {
		t.Errorf("no-change output:\n%s", log)
	}
	deploy(3, "--fail-on-empty-changeset")

	// Diff shows and changes nothing.
	write(base)
	code, _, errs := run(t, "diff", spec, "--stack", "moto-api", "--poll", "10ms")
	if code != 0 || !strings.Contains(errs, "- Remove  <- DELETED") {
		t.Errorf("diff exited %d:\n%s", code, errs)
	}
	if p := paths(); !strings.Contains(p, "GET /health") {
		t.Errorf("diff changed the API: %q", p)
	}

	// Destroy, destroy again (nothing to do), and create again.
	code, _, errs = run(t, "destroy", "--stack", "moto-api", "--yes", "--poll", "10ms")
	if code != 0 || !strings.Contains(errs, "Stack moto-api is deleted") {
		t.Fatalf("destroy exited %d:\n%s", code, errs)
	}
	if code, _, errs = run(t, "destroy", "--stack", "moto-api", "--yes"); code != 0 || !strings.Contains(errs, "nothing to destroy") {
		t.Fatalf("second destroy exited %d:\n%s", code, errs)
	}
	if log = deploy(0); !strings.Contains(log, "(CREATE)") {
		t.Errorf("re-create output:\n%s", log)
	}
}

// TestExecutionRoutesAgainstMoto runs the requests that the start, status
// and stop routes render against moto's Step Functions, which really runs
// the machine (its execute_state_machine option): start an execution, find
// its id in the start route's answer, describe it and stop it through the
// status and stop routes, and describe it again.
func TestExecutionRoutesAgainstMoto(t *testing.T) {
	endpoint := startMoto(t)
	cfg := awsEnv(t, endpoint)
	ctx := context.Background()
	motoExecutes(t, endpoint)
	client := sfn.NewFromConfig(cfg)
	created, err := client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{
		Name:       aws.String("orders"),
		RoleArn:    aws.String("arn:aws:iam::123456789012:role/run"),
		Definition: aws.String(`{"StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": 60, "Next": "Done"}, "Done": {"Type": "Succeed"}}}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	// moto names every unnamed execution "None": the start route names
	// them from the body.
	src := `version: 1
api: {name: orders}
stateMachines:
  orders: {arn: "` + aws.ToString(created.StateMachineArn) + `"}
routes:
  POST /orders:
    stateMachine: orders
    executionName: body.ref
    input: {order: body}
  GET /orders/{id}:
    stateMachine: orders
    action: status
    execution: path.id
  DELETE /orders/{id}:
    stateMachine: orders
    action: stop
    execution: path.id
    error: body.error
    cause: body.reason
`
	g := routeGateway(t, []byte(src))
	answer := func(call *gateway.Call, reply any) map[string]any {
		t.Helper()
		b, _ := json.Marshal(reply)
		res, _, err := call.Respond(gateway.Reply{Status: 200, Body: b})
		if err != nil {
			t.Fatal(err)
		}
		var out map[string]any
		if err := json.Unmarshal([]byte(res.Body), &out); err != nil || res.Status != 200 {
			t.Fatalf("answer %d %q: %v", res.Status, res.Body, err)
		}
		return out
	}

	// Start, with the body the start route rendered.
	var startIn sfn.StartExecutionInput
	start := renderRoute(t, g, "POST", "/orders", `{"ref": "order-42", "sku": "it's \"x\""}`, &startIn)
	started, err := client.StartExecution(ctx, &startIn)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := answer(start, map[string]any{"executionArn": aws.ToString(started.ExecutionArn), "startDate": started.StartDate.Unix()})["executionId"].(string)
	if id != "order-42" {
		t.Fatalf("the start route answers id %q for %s", id, aws.ToString(started.ExecutionArn))
	}

	// Describe it through the status route.
	describe := func() map[string]any {
		t.Helper()
		var in sfn.DescribeExecutionInput
		call := renderRoute(t, g, "GET", "/orders/"+id, "", &in)
		if aws.ToString(in.ExecutionArn) != aws.ToString(started.ExecutionArn) {
			t.Fatalf("the status route asks for %s, not %s", aws.ToString(in.ExecutionArn), aws.ToString(started.ExecutionArn))
		}
		d, err := client.DescribeExecution(ctx, &in)
		if err != nil {
			t.Fatal(err)
		}
		reply := map[string]any{"executionArn": aws.ToString(d.ExecutionArn), "status": string(d.Status), "startDate": d.StartDate.Unix(), "input": aws.ToString(d.Input)}
		if d.StopDate != nil {
			reply["stopDate"] = d.StopDate.Unix()
		}
		if d.Error != nil || d.Cause != nil {
			reply["error"], reply["cause"] = aws.ToString(d.Error), aws.ToString(d.Cause)
		}
		return answer(call, reply)
	}
	if got := describe(); got["status"] != "RUNNING" || got["executionId"] != id || got["input"] != nil {
		t.Fatalf("status while running: %v", got)
	}

	// Stop it through the stop route, then describe it again.
	var stopIn sfn.StopExecutionInput
	stop := renderRoute(t, g, "DELETE", "/orders/"+id, `{"error": "Cancelled", "reason": "by \"the\" customer"}`, &stopIn)
	if aws.ToString(stopIn.Error) != "Cancelled" || aws.ToString(stopIn.Cause) != `by "the" customer` {
		t.Fatalf("stop request: %s", stop.Body)
	}
	if _, err := client.StopExecution(ctx, &stopIn); err != nil {
		t.Fatal(err)
	}
	// moto stops the execution's thread a moment after it answers.
	got := describe()
	for i := 0; i < 50 && got["status"] == "RUNNING"; i++ {
		time.Sleep(100 * time.Millisecond)
		got = describe()
	}
	if got["status"] != "ABORTED" || got["stopDate"] == nil {
		t.Fatalf("status after the stop: %v", got)
	}
}

// TestCallbackRoutesAgainstMoto completes a .waitForTaskToken task with
// the request a taskSuccess route renders: the workflow sends its token to
// an SQS queue (moto's), the test reads it from there as a worker would,
// and the route's request, sent to moto's Step Functions, completes the
// task with the output the route maps.
func TestCallbackRoutesAgainstMoto(t *testing.T) {
	endpoint := startMoto(t)
	cfg := awsEnv(t, endpoint)
	ctx := context.Background()
	queue := newMotoQueue(t, endpoint, "approvals")
	client := sfn.NewFromConfig(cfg)
	created, err := client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{
		Name:    aws.String("approval"),
		RoleArn: aws.String("arn:aws:iam::123456789012:role/run"),
		Definition: aws.String(`{"StartAt": "Ask", "States": {"Ask": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
			"Parameters": {"QueueUrl": "` + queue.url + `", "MessageBody": {"token.$": "$$.Task.Token"}}, "End": true}}}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	started, err := client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: created.StateMachineArn, Name: aws.String("approval-1"), Input: aws.String("{}")})
	if err != nil {
		t.Fatal(err)
	}
	// The worker's side: the token arrives on the queue.
	token := queue.token(t)

	src := `version: 1
api: {name: approvals}
stateMachines:
  approval: {arn: "` + aws.ToString(created.StateMachineArn) + `"}
routes:
  POST /approve:
    stateMachine: approval
    action: taskSuccess
    output:
      approved: {value: true}
      by: body.manager
`
	reqBody, _ := json.Marshal(map[string]string{"taskToken": token, "manager": `ana "the boss"`})
	var in sfn.SendTaskSuccessInput
	call := renderRoute(t, routeGateway(t, []byte(src)), "POST", "/approve", string(reqBody), &in)
	if aws.ToString(in.TaskToken) != token {
		t.Fatalf("the route's request %s", call.Body)
	}
	if _, err := client.SendTaskSuccess(ctx, &in); err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		d, err := client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: started.ExecutionArn})
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != "RUNNING" {
			var out map[string]any
			_ = json.Unmarshal([]byte(aws.ToString(d.Output)), &out)
			if d.Status != "SUCCEEDED" || out["approved"] != true || out["by"] != `ana "the boss"` {
				t.Fatalf("the execution ended %s with %s", d.Status, aws.ToString(d.Output))
			}
			break
		}
		if i > 50 {
			t.Fatal("the execution is still running after the task's success")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// motoQueue is an SQS queue of moto's, where a .waitForTaskToken task
// sends its token as a worker would receive it. It turns moto's Step
// Functions execution on.
type motoQueue struct {
	url  string
	post func(url.Values) string
}

func newMotoQueue(t *testing.T, endpoint, name string) *motoQueue {
	t.Helper()
	motoExecutes(t, endpoint)
	q := &motoQueue{post: motoSQS(t, endpoint)}
	made := q.post(url.Values{"Action": {"CreateQueue"}, "QueueName": {name}})
	m := regexp.MustCompile(`<QueueUrl>([^<]+)</QueueUrl>`).FindStringSubmatch(made)
	if m == nil {
		t.Fatalf("moto made no queue: %s", made)
	}
	q.url = m[1]
	return q
}

// token waits for a message {"token": ...} on the queue.
func (q *motoQueue) token(t *testing.T) string {
	t.Helper()
	for i := 0; i < 100; i++ {
		body := q.post(url.Values{"Action": {"ReceiveMessage"}, "QueueUrl": {q.url}})
		if m := regexp.MustCompile(`<Body>([^<]+)</Body>`).FindStringSubmatch(body); m != nil {
			var msg struct{ Token string }
			if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &msg); err != nil {
				t.Fatalf("message %q: %v", m[1], err)
			}
			if msg.Token != "" {
				return msg.Token
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("no task token reached the queue")
	return ""
}

// motoSQS posts SQS actions to moto through SQS's Query protocol,
// unsigned: moto picks the service from the credential scope and checks
// no signature.
func motoSQS(t *testing.T, endpoint string) func(url.Values) string {
	return func(form url.Values) string {
		t.Helper()
		req, err := http.NewRequest("POST", endpoint+"/", strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
}
