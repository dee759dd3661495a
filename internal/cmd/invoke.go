package cmd

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/spf13/cobra"

	"github.com/sfnapic/sfnapic/compile"
	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/integration"
	"github.com/sfnapic/sfnapic/internal/awsconfig"
)

type invokeOptions struct {
	request requestFlags
	creds   credentialFlags
	// awsFlags name the deployed stack whose stage invoke calls, and
	// where --wait follows the execution.
	awsFlags
	output  string
	url     string
	wait    bool
	history bool
	timeout time.Duration
}

const invokeDoc = `Invoke calls a route of the API as a client would, and tells what happened:
the HTTP status, headers and body. The base URL is the stage's invoke URL,
read from the stack's outputs (--stack NAME), or --url, such as a running
sfnapic serve. A redirect is shown, not followed (the request's headers go
nowhere else); an answer over 10 MB is cut there, and invoke says so.

With --wait, the execution a start route began is followed with
DescribeExecution, with backoff, until it ends: its status, its output or
its error and cause, and how long it ran. --history adds the state that
failed and its error, from GetExecutionHistory. An EXPRESS execution cannot
be followed (Step Functions keeps no record to describe): invoke says where
its logs would be. No answer of Step Functions is read past 4 MiB; a status
never read is UNKNOWN.

A route that asks who calls it gets what its template says: for an
AWS_IAM route, invoke signs the request with SigV4 (service execute-api,
the region of the stage's host name, or --region) with the credentials of
the usual chain (AWS_PROFILE, --profile, environment, SSO, instance role).
--api-key VALUE sends x-api-key; --api-key-name NAME reads the value of the
spec's key NAME from API Gateway (GetApiKey, the key's id from the stack's
outputs; with --url, name the stack too). --token TOKEN (or @FILE) goes as
it is in the header the route's authorizer reads (Authorization, unless
the authorizer names another): API Gateway's Cognito authorizer takes the
ID or access token itself; a Lambda authorizer gets whatever it is sent,
so add "Bearer " when it expects it. No key, token or signature is ever
printed, in any output or error: each shows as [hidden].

Invoke exits 0 when the status is 2xx, the answer was read whole and any
execution it waited for SUCCEEDED, 1 otherwise, 2 for a bad command line.
Text output shows control characters escaped (\x1b, \u202e). --output
json prints one JSON document, for smoke tests in CI after a deploy.

` + specHelp + ` Without --url, ` + stackHelp + `

Examples:
  sfnapic invoke examples/item-api.yaml --stack item-api "POST /42" -d '{}' --wait
  sfnapic invoke examples/orders-api.yaml --url http://127.0.0.1:8080 "GET /orders/o-1"
  sfnapic invoke examples/orders-api.yaml --stack orders "POST /orders" -d @order.json --wait --history --output json
  sfnapic invoke examples/orders-api.yaml --stack orders "POST /orders" -d '{}' --token @id-token.txt
  sfnapic invoke examples/orders-api.yaml --stack orders "GET /partner/orders/o-1" --api-key-name acme --token "$PARTNER_TOKEN"`

func newInvokeCmd(a *app) *cobra.Command {
	var o invokeOptions
	cmd := &cobra.Command{
		Use:   `invoke [SPEC | --template FILE] [--stack NAME | --url URL] "VERB /path?query" [-H 'Name: value']... [-d BODY | -d @FILE] [--api-key VALUE | --api-key-name NAME] [--token TOKEN] [--wait [--history]]`,
		Short: "call a route of a deployed (or served) API, and follow the execution it starts",
		Long:  invokeDoc,
		Args:  specAndRequest,
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			return runInvoke(cmd.Context(), a, args, o)
		}),
	}
	f := cmd.Flags()
	o.request.add(cmd)
	o.creds.add(cmd)
	o.awsFlags.add(cmd, awsHelp{stack: "call the stage of the deployed stack `NAME` (its " + compile.OutputAPIURL + " output; with --url, the stack --api-key-name reads)"})
	f.StringVar(&o.url, "url", "", "call the API at this base `URL` instead, such as http://127.0.0.1:8080 (sfnapic serve)")
	f.BoolVar(&o.wait, "wait", false, "follow the execution a start route began until it ends")
	f.BoolVar(&o.history, "history", false, "with --wait: show the state that failed, from the execution's history")
	f.StringVar(&o.output, "output", "text", "`text`, or json for one JSON document on stdout")
	f.DurationVar(&o.timeout, "timeout", 5*time.Minute, "give up after this `DURATION`: the request and the wait")
	return cmd
}

// invokeResult is what invoke found, as --output json prints it.
type invokeResult struct {
	Request   string            `json:"request"`
	URL       string            `json:"url"`
	Route     string            `json:"route,omitempty"`
	Status    int               `json:"status"`
	Headers   map[string]string `json:"headers"`
	Body      json.RawMessage   `json:"body"`
	LatencyMs int64             `json:"latencyMs"`
	Execution *followed         `json:"execution,omitempty"`
	// Truncated says the answer was longer than API Gateway's payload
	// limit: Body holds its first gateway.MaxBody bytes.
	Truncated bool `json:"truncated,omitempty"`
	// Note says what the answer alone does not: why an execution was not
	// followed, a redirect that was not followed, an answer cut short.
	Note string `json:"note,omitempty"`
}

// followed is an execution --wait followed to its end (or gave up on).
type followed struct {
	Arn        string          `json:"arn"`
	Status     string          `json:"status"`
	Output     json.RawMessage `json:"output,omitempty"`
	Error      string          `json:"error,omitempty"`
	Cause      string          `json:"cause,omitempty"`
	DurationMs int64           `json:"durationMs,omitempty"`
	// FailedState, FailedError and FailedCause come from the history.
	FailedState string `json:"failedState,omitempty"`
	FailedError string `json:"failedError,omitempty"`
	FailedCause string `json:"failedCause,omitempty"`

	// read is when the status was last read; zero if never.
	read time.Time
}

// statusUnknown is the status of an execution whose description was
// never read.
const statusUnknown = "UNKNOWN"

func runInvoke(parent context.Context, a *app, args []string, o invokeOptions) (err error) {
	survivePipes()
	if err := o.check(); err != nil {
		return err
	}
	// From here on, no output shows a key, a token or a signature.
	sec := &secrets{}
	a = sec.app(a)
	defer func() { err = sec.err(err) }()
	if err := o.creds.read(sec); err != nil {
		return err
	}
	req, rt, err := loadRequest(a, args, o.request)
	if err != nil {
		return err
	}
	if o.url == "" {
		if err := o.defaultStack(a, rt.apiName, rt.apiNameField, rt.files[0]); err != nil {
			return err
		}
	}
	acc := accessOf(rt, req)
	if err := o.creds.apply(req, acc, o.creds.apiKey); err != nil {
		return err
	}
	ctx, stop := interruptible(parent)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()

	signs := acc != nil && acc.authType == "AWS_IAM"
	cfg, outputs, base, err := o.where(ctx, signs)
	if err != nil {
		return err
	}
	if err := o.readKey(ctx, cfg, rt, outputs, req, acc, sec); err != nil {
		return err
	}
	res := &invokeResult{Request: req.Method + " " + req.Path, URL: base + req.Path}
	if len(req.Query) > 0 {
		res.URL += "?" + req.Query.Encode()
	}
	var action string
	res.Route, action = localRoute(rt, req)
	var sign func(*http.Request, []byte) error
	if signs {
		region, err := signingRegion(hostOf(res.URL), cfg.Region)
		if err != nil {
			return err
		}
		sign = signer(cfg, region, sec)
	}
	if err := send(ctx, req, res, sign); err != nil {
		return err
	}
	return o.answered(ctx, a, cfg, res, action)
}

// readKey reads the value of --api-key-name from API Gateway, and puts it
// in req's x-api-key, hidden from every output.
func (o invokeOptions) readKey(ctx context.Context, cfg aws.Config, rt *target, outputs map[string]string, req *gateway.Request, acc *access, sec *secrets) error {
	if o.creds.apiKeyName == "" {
		return nil
	}
	client := apigateway.NewFromConfig(cfg)
	value, err := apiKeyValue(ctx, client, rt.g.Template, outputs, o.creds.apiKeyName, o.stack)
	if err != nil {
		return explainAWS(err, cfg, o.debug)
	}
	sec.add(value)
	if err := checkHeaderValue("the value of API key "+o.creds.apiKeyName, value); err != nil {
		return err
	}
	return credentialFlags{}.apply(req, acc, value)
}

// hostOf is the host name of a URL, without its port.
func hostOf(u string) string {
	parsed, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return parsed.Hostname()
}

// answered prints the answer, after following the execution it started
// when --wait says so; it fails unless all went well.
func (o invokeOptions) answered(ctx context.Context, a *app, cfg aws.Config, res *invokeResult, action string) error {
	ok := res.Status >= 200 && res.Status < 300 && !res.Truncated
	res.Note = answerNote(res)
	if o.wait && ok {
		arn := gateway.ExecutionArn(res.Body)
		switch {
		case action != "" && action != integration.StartExecution.Name():
			res.Note = fmt.Sprintf("%s began no execution to follow", action)
		case strings.Contains(arn, ":express:"):
			res.Note = "an EXPRESS execution cannot be followed: Step Functions keeps no record of it to describe; its history is in CloudWatch Logs, where the state machine's logging configuration sends it"
		case arn == "":
			res.Note = "the answer names no execution (executionArn) to follow"
			ok = false
		case strings.Contains(arn, ":"+gateway.PlaceholderAccount+":") && cfg.BaseEndpoint == nil:
			// serve --mock's executions live in the placeholder account,
			// which only an emulator has: AWS would answer AccessDenied.
			res.Note = "the execution is in the placeholder account " + gateway.PlaceholderAccount + " (serve --mock?), which only an emulator has: serve with --endpoint-url URL --create, and invoke with the same --endpoint-url, to follow runs"
		default:
			if err := o.followExecution(ctx, a, cfg, arn, res); err != nil {
				return err
			}
			ok = res.Execution.Status == "SUCCEEDED"
		}
	}
	printInvoke(a, res, o.output)
	if !ok {
		return errReported
	}
	return nil
}

// check refuses the flags that contradict each other.
func (o invokeOptions) check() error {
	switch {
	case o.output != "text" && o.output != "json":
		return usagef("--output must be text or json, not %q", o.output)
	case o.stack != "" && o.url != "" && o.creds.apiKeyName == "":
		return usagef("say where the API is once: --stack NAME (its invoke URL) or --url URL (with --url, --stack only names the stack whose key --api-key-name reads)")
	case o.history && !o.wait:
		return usagef("--history shows why an execution failed: it needs --wait")
	}
	stack := o.stack
	if stack == "" && o.url == "" {
		stack = "api.name" // the stack will be the spec's api.name
	}
	return o.creds.check(stack)
}

// where is the API's base URL, --url or the stack's invoke URL, the
// stack's outputs, and the AWS configuration when the stack, --wait or a
// signature (signs) needs one.
func (o invokeOptions) where(ctx context.Context, signs bool) (aws.Config, map[string]string, string, error) {
	var cfg aws.Config
	var outputs map[string]string
	var err error
	switch {
	case o.stack != "":
		cfg, outputs, err = o.readStack(ctx)
	case o.wait || signs:
		cfg, err = o.config(ctx)
	}
	if err != nil || o.url != "" {
		return cfg, outputs, strings.TrimRight(o.url, "/"), err
	}
	base := strings.TrimRight(outputs[compile.OutputAPIURL], "/")
	if base == "" {
		return cfg, nil, "", missingOutput(o.stack, outputs, compile.OutputAPIURL+" output", "is it an sfnapic stack, and did its deploy finish?")
	}
	return cfg, outputs, base, nil
}

// answerNote says what invoke did not do with the answer: read all of
// it, or follow where it redirects.
func answerNote(res *invokeResult) string {
	switch {
	case res.Truncated:
		return fmt.Sprintf("the answer is longer than %d bytes (10 MB, API Gateway's limit on a payload): invoke read its first %d bytes only", gateway.MaxBody, gateway.MaxBody)
	case res.Status >= 300 && res.Status < 400:
		return fmt.Sprintf("a redirect (HTTP %d, Location: %s): invoke does not follow redirects, as curl without -L does not; it shows the answer as the API gave it, and sends no header of the request anywhere else", res.Status, res.Headers["Location"])
	}
	return ""
}

// maxAnswer bounds every answer of Step Functions that invoke reads, so
// that an endpoint that answers without end (a broken emulator, a proxy)
// cannot fill memory. No answer of Step Functions comes near it: an
// execution's input and output are at most 256 KiB each (262,144 bytes of
// UTF-8, the "Length Constraints" of DescribeExecution's input and
// output), its cause 32,768 characters and its error 256; JSON escaping
// at most sextuples them (a control character is \u00XX), 3.2 MiB in
// all. GetExecutionHistory is asked for historyPage events without their
// input and output, 10 causes of 192 KiB at most.
const maxAnswer = 4 << 20

// historyPage is how many events each GetExecutionHistory call asks for.
const historyPage = 10

// followExecution follows the execution arn to its end, into res; when
// it cannot, it prints what it has and says why.
func (o invokeOptions) followExecution(ctx context.Context, a *app, cfg aws.Config, arn string, res *invokeResult) error {
	// awsconfig.StepFunctions: --endpoint-url wins over AWS_ENDPOINT_URL_SFN.
	client := awsconfig.StepFunctions(cfg, o.aws, func(so *sfn.Options) { so.APIOptions = append(so.APIOptions, boundAnswers) })
	began := time.Now()
	var err error
	res.Execution, err = follow(ctx, client, arn, o.history)
	if err == nil {
		return nil
	}
	printInvoke(a, res, o.output)
	return o.waitError(ctx, err, cfg, res.Execution, began)
}

// waitError says why following f stopped: the answer was too long, the
// wait outlasted --timeout, or Step Functions did not answer; and what is
// known of the execution's status then.
func (o invokeOptions) waitError(ctx context.Context, err error, cfg aws.Config, f *followed, began time.Time) error {
	where, op := awsconfig.Endpoint(cfg, "states"), "DescribeExecution"
	var opErr *smithy.OperationError
	if errors.As(err, &opErr) {
		op = opErr.OperationName
	}
	arn := escapeText(f.Arn)
	status := fmt.Sprintf("the status of %s is unknown (it was never read)", arn)
	if !f.read.IsZero() {
		status = fmt.Sprintf("%s was %s when its status was last read, %s ago", arn, f.Status, roughly(time.Since(f.read)))
		began = f.read
	}
	see := "see it with aws stepfunctions describe-execution --execution-arn " + arn
	var tooLong *answerTooLongError
	switch {
	case errors.As(err, &tooLong):
		return fmt.Errorf("the Step Functions endpoint %s answered %s with more than %d bytes, more than any answer of Step Functions holds: invoke stopped reading it; %s; %s", where, op, tooLong.limit, status, see)
	case errors.Is(ctx.Err(), context.DeadlineExceeded) && f.read.IsZero():
		return fmt.Errorf("gave up waiting after %s: Step Functions at %s did not answer %s in that time; %s; %s", o.timeout, where, op, status, see)
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return fmt.Errorf("gave up waiting after %s: %s is still %s; %s", o.timeout, arn, f.Status, see)
	case errors.Is(err, context.DeadlineExceeded):
		// The SDK gave up before --timeout: each attempt waits
		// awsconfig.HeaderTimeout for an answer, up to MaxAttempts times.
		tries := ""
		var maxErr *retry.MaxAttemptsError
		if errors.As(err, &maxErr) {
			tries = fmt.Sprintf(" in %d attempts", maxErr.Attempt)
		}
		return fmt.Errorf("the Step Functions endpoint %s did not answer %s%s for %s: %s; %s", where, op, tries, roughly(time.Since(began)), status, see)
	}
	return explainAWS(err, cfg, o.debug)
}

// roughly is d rounded for a message: to the second from 10 s on.
func roughly(d time.Duration) time.Duration {
	if d >= 10*time.Second {
		return d.Round(time.Second)
	}
	return d.Round(100 * time.Millisecond)
}

// answerTooLongError is an answer of more than limit bytes.
type answerTooLongError struct{ limit int64 }

func (e *answerTooLongError) Error() string {
	return fmt.Sprintf("the answer is longer than %d bytes", e.limit)
}

// RetryableError tells the SDK not to ask again: the next answer would
// be as long.
func (e *answerTooLongError) RetryableError() bool { return false }

// boundAnswers wraps the body of every answer in a reader that fails
// after maxAnswer bytes, before the SDK's deserializer reads it (the inner
// middleware runs innermost in the deserialize step, right after the HTTP
// round trip). Whatever error the reading then ends with (the bound's, or
// the connection's once the SDK has closed it, which arrives first now
// and then), the outer one reports an answer that reached the bound as
// too long, which the SDK does not ask for again.
func boundAnswers(stack *middleware.Stack) error {
	err := stack.Deserialize.Add(middleware.DeserializeMiddlewareFunc("sfnapicAnswerTooLong", func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
		var body *boundedBody
		out, md, err := next.HandleDeserialize(middleware.WithStackValue(ctx, boundedKey{}, &body), in)
		if err != nil && body != nil && body.left == 0 {
			err = &answerTooLongError{limit: maxAnswer}
		}
		return out, md, err
	}), middleware.Before)
	if err != nil {
		return err
	}
	return stack.Deserialize.Add(middleware.DeserializeMiddlewareFunc("sfnapicBoundAnswers", func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
		out, md, err := next.HandleDeserialize(ctx, in)
		if resp, ok := out.RawResponse.(*smithyhttp.Response); ok && resp.Body != nil {
			b := &boundedBody{ReadCloser: resp.Body, left: maxAnswer}
			resp.Body = b
			if held, ok := middleware.GetStackValue(ctx, boundedKey{}).(**boundedBody); ok {
				*held = b
			}
		}
		return out, md, err
	}), middleware.After)
}

// boundedKey holds, for one attempt, the body boundAnswers wrapped.
type boundedKey struct{}

// boundedBody reads at most left bytes more, and fails if there are more.
type boundedBody struct {
	io.ReadCloser
	left int64
}

func (b *boundedBody) Read(p []byte) (int, error) {
	if b.left == 0 {
		var one [1]byte
		n, err := io.ReadFull(b.ReadCloser, one[:])
		if n > 0 {
			return 0, &answerTooLongError{limit: maxAnswer}
		}
		if err == io.ErrUnexpectedEOF {
			err = io.EOF
		}
		return 0, err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	return n, err
}

// localRoute asks the local gateway which route and action the request
// takes (a request it would refuse has neither: the API's answer says
// why).
func localRoute(rt *target, req *gateway.Request) (route, action string) {
	call, _ := rt.g.Start(req)
	if call == nil {
		return "", ""
	}
	if _, mocked := call.Mocked(); mocked {
		return call.Verb + " " + call.Path, "a MOCK integration"
	}
	return call.Verb + " " + call.Path, call.Action
}

// send makes the request and records the answer. sign, when set, signs
// the request last, once every header it signs is in place.
func send(ctx context.Context, req *gateway.Request, res *invokeResult, sign func(*http.Request, []byte) error) error {
	hreq, err := http.NewRequestWithContext(ctx, req.Method, res.URL, strings.NewReader(req.Body))
	if err != nil {
		return usagef("%s: %v", res.URL, err)
	}
	for name, values := range req.Header {
		for _, v := range values {
			hreq.Header.Add(name, v)
		}
	}
	if req.Body != "" && hreq.Header.Get("Content-Type") == "" {
		hreq.Header.Set("Content-Type", "application/json")
	}
	if sign != nil {
		if err := sign(hreq, []byte(req.Body)); err != nil {
			return err
		}
	}
	client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{
		Proxy: http.ProxyFromEnvironment, TLSHandshakeTimeout: 10 * time.Second, ResponseHeaderTimeout: 35 * time.Second,
		TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12},
	},
		// A redirect is the answer: following it would send the request's
		// Authorization and Cookie headers to wherever it points.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	began := time.Now()
	resp, err := client.Do(hreq)
	if err != nil {
		return fmt.Errorf("%s %s: %w", req.Method, res.URL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, gateway.MaxBody+1))
	if err != nil {
		return fmt.Errorf("%s %s: reading the answer: %w", req.Method, res.URL, err)
	}
	if len(body) > gateway.MaxBody {
		body, res.Truncated = body[:gateway.MaxBody], true
	}
	res.LatencyMs = time.Since(began).Milliseconds()
	res.Status = resp.StatusCode
	res.Headers = map[string]string{}
	for name := range resp.Header {
		res.Headers[name] = resp.Header.Get(name)
	}
	if json.Valid(body) {
		res.Body = body
	} else {
		res.Body, _ = json.Marshal(string(body))
	}
	return nil
}

// follow describes an execution, with backoff, until it ends or ctx does;
// with history, it finds the state that failed.
func follow(ctx context.Context, client *sfn.Client, arn string, history bool) (*followed, error) {
	f := &followed{Arn: arn, Status: statusUnknown}
	delay := 200 * time.Millisecond
	for {
		d, err := client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String(arn)})
		if err != nil {
			return f, err
		}
		f.Status, f.read = string(d.Status), time.Now()
		if d.Status != sfntypes.ExecutionStatusRunning && d.Status != sfntypes.ExecutionStatusPendingRedrive {
			if d.Output != nil {
				f.Output = json.RawMessage(aws.ToString(d.Output))
				if !json.Valid(f.Output) {
					f.Output, _ = json.Marshal(aws.ToString(d.Output))
				}
			}
			f.Error, f.Cause = aws.ToString(d.Error), aws.ToString(d.Cause)
			if d.StartDate != nil && d.StopDate != nil {
				f.DurationMs = d.StopDate.Sub(*d.StartDate).Milliseconds()
			}
			if history && d.Status != sfntypes.ExecutionStatusSucceeded {
				if err := failedState(ctx, client, f); err != nil {
					return f, err
				}
			}
			return f, nil
		}
		select {
		case <-ctx.Done():
			return f, ctx.Err()
		case <-time.After(delay):
		}
		delay = min(delay*2, 5*time.Second)
	}
}

// failedState reads the execution's history for the event that failed it
// and the state that was running. It asks for the newest events first and
// sorts them itself, since not every implementation honours the order.
func failedState(ctx context.Context, client *sfn.Client, f *followed) error {
	var events []sfntypes.HistoryEvent
	// The events' input and output are not needed (errors and causes come
	// with the events regardless), and would make each page up to 256 KiB
	// an event longer: see maxAnswer.
	p := sfn.NewGetExecutionHistoryPaginator(client, &sfn.GetExecutionHistoryInput{ExecutionArn: aws.String(f.Arn), ReverseOrder: true,
		IncludeExecutionData: aws.Bool(false), MaxResults: historyPage})
	for pages := 0; p.HasMorePages() && pages < 2000/historyPage; pages++ {
		page, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		events = append(events, page.Events...)
	}
	sort.SliceStable(events, func(i, j int) bool { return events[i].Id > events[j].Id })
	for _, e := range events {
		if f.FailedError == "" {
			if name, cause, ok := failure(e); ok {
				f.FailedError, f.FailedCause = name, cause
			}
		}
		if e.StateEnteredEventDetails != nil && f.FailedError != "" {
			f.FailedState = aws.ToString(e.StateEnteredEventDetails.Name)
			return nil
		}
	}
	return nil
}

// failure is the error and cause of a history event that failed a task,
// a state or the execution.
func failure(e sfntypes.HistoryEvent) (string, string, bool) {
	switch {
	case e.TaskFailedEventDetails != nil:
		return aws.ToString(e.TaskFailedEventDetails.Error), aws.ToString(e.TaskFailedEventDetails.Cause), true
	case e.LambdaFunctionFailedEventDetails != nil:
		return aws.ToString(e.LambdaFunctionFailedEventDetails.Error), aws.ToString(e.LambdaFunctionFailedEventDetails.Cause), true
	case e.TaskTimedOutEventDetails != nil:
		return aws.ToString(e.TaskTimedOutEventDetails.Error), aws.ToString(e.TaskTimedOutEventDetails.Cause), true
	case e.ExecutionFailedEventDetails != nil:
		return aws.ToString(e.ExecutionFailedEventDetails.Error), aws.ToString(e.ExecutionFailedEventDetails.Cause), true
	case e.ExecutionTimedOutEventDetails != nil:
		return aws.ToString(e.ExecutionTimedOutEventDetails.Error), aws.ToString(e.ExecutionTimedOutEventDetails.Cause), true
	case e.ExecutionAbortedEventDetails != nil:
		return aws.ToString(e.ExecutionAbortedEventDetails.Error), aws.ToString(e.ExecutionAbortedEventDetails.Cause), true
	}
	return "", "", false
}

// printInvoke prints the result: the answer on stdout (or one JSON
// document), notes on stderr.
//
// Every text that came from the API or from Step Functions is printed
// through escapeText (or escapeLines, escapeJSON), so that a terminal
// shows its control characters instead of running them.
func printInvoke(a *app, res *invokeResult, format string) {
	if format == "json" {
		b, _ := json.MarshalIndent(res, "", "  ")
		fmt.Fprintf(a.stdout, "%s\n", escapeJSON(b))
		return
	}
	fmt.Fprintf(a.stdout, "HTTP %d (%d ms)\n", res.Status, res.LatencyMs)
	printHeaders(a.stdout, escapeHeaders(res.Headers))
	fmt.Fprintf(a.stdout, "\n%s\n", escapeLines(indent(string(res.Body))))
	if res.Note != "" {
		fmt.Fprintf(a.stderr, "note: %s\n", escapeText(res.Note))
	}
	if e := res.Execution; e != nil {
		printExecution(a.stdout, e)
	}
}

// printExecution prints what --wait found of an execution.
func printExecution(w io.Writer, e *followed) {
	fmt.Fprintf(w, "\nExecution %s: %s", escapeText(e.Arn), escapeText(e.Status))
	if e.DurationMs > 0 || e.Status != "RUNNING" && e.Status != statusUnknown {
		fmt.Fprintf(w, " after %s", (time.Duration(e.DurationMs) * time.Millisecond).String())
	}
	fmt.Fprintln(w)
	if len(e.Output) > 0 {
		fmt.Fprintf(w, "Output:\n%s\n", escapeLines(indent(string(e.Output))))
	}
	if e.Error != "" || e.Cause != "" {
		fmt.Fprintf(w, "Error: %s\nCause: %s\n", escapeText(e.Error), escapeText(e.Cause))
	}
	if e.FailedState != "" {
		fmt.Fprintf(w, "Failed in state %s: %s: %s\n", escapeText(e.FailedState), escapeText(e.FailedError), escapeText(e.FailedCause))
	}
}
