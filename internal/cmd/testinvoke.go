package cmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/spf13/cobra"

	"github.com/sfnapic/sfnapic/compile"
	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/restapi"
)

type testInvokeOptions struct {
	request requestFlags
	creds   credentialFlags
	awsFlags
	timeout time.Duration
	values  paramFlags
}

const testInvokeDoc = `Test-invoke calls API Gateway's TestInvokeMethod for a route of a deployed
stack: the console's Test button. The real API Gateway engine runs the real
mapping template, without a stage deployment, authorization or throttling.
It prints the status, the headers, the body, the latency, and the "Endpoint
request body after transformations" from the invocation's log.

It also renders the same request locally (with the invocation's request id,
and the deployed ARNs) and says whether the body API Gateway sent is the
same JSON: every test on a real account checks sfnapic's renderer against
AWS. A difference is printed plainly and exits 1.

TestInvokeMethod runs no authorizer and checks no API key or signature (its
input has headers, a body and stage variables, nothing of who calls; API
Gateway tries an authorizer alone with TestInvokeAuthorizer). --api-key,
--api-key-name and --token are passed to it as the headers invoke would
send (x-api-key, the authorizer's identity header), for the mapping
template to read; test-invoke says so when the route asks who calls it,
and never prints them. sfnapic invoke calls the stage as a client does.

` + specHelp + ` ` + stackHelp + `

Examples:
  sfnapic test-invoke examples/item-api.yaml --stack item-api "POST /42" -d '{"note": "it'\''s"}'
  sfnapic test-invoke examples/orders-api.yaml --stack orders "GET /orders/o-1"
  sfnapic test-invoke examples/orders-api.yaml --stack orders "GET /partner/orders/o-1" --api-key-name acme --token @token.txt`

func newTestInvokeCmd(a *app) *cobra.Command {
	var o testInvokeOptions
	cmd := &cobra.Command{
		Use:   `test-invoke [SPEC | --template FILE] [--stack NAME] "VERB /path?query" [-H 'Name: value']... [-d BODY | -d @FILE] [--api-key VALUE | --api-key-name NAME] [--token TOKEN]`,
		Short: "run a route through API Gateway's TestInvokeMethod and compare it with the local render",
		Long:  testInvokeDoc,
		Args:  specAndRequest,
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			return runTestInvoke(cmd.Context(), a, args, o)
		}),
	}
	f := cmd.Flags()
	o.request.add(cmd)
	o.creds.add(cmd)
	o.awsFlags.add(cmd, awsHelp{stack: "the deployed stack `NAME`"})
	o.values.add(cmd, envStackUsage)
	f.DurationVar(&o.timeout, "timeout", 2*time.Minute, "give up after this `DURATION`")
	return cmd
}

// API Gateway's log of a test invocation: its first line names the
// request, and each line after it begins with a time.
var (
	logRequestID = regexp.MustCompile(`Execution log for request (\S+)`)
	logLine      = regexp.MustCompile(`(?m)^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4} : `)
)

const transformedMarker = "Endpoint request body after transformations: "

// transformed is the body API Gateway sent, from a test invocation's log,
// and whether the log cut it short.
func transformed(log string) (body string, truncated, found bool) {
	i := strings.Index(log, transformedMarker)
	if i < 0 {
		return "", false, false
	}
	rest := log[i+len(transformedMarker):]
	if loc := logLine.FindStringIndex(rest); loc != nil {
		rest = rest[:loc[0]]
	}
	rest = strings.TrimRight(rest, "\r\n")
	body, truncated = strings.CutSuffix(rest, " [TRUNCATED]")
	return body, truncated, true
}

func runTestInvoke(parent context.Context, a *app, args []string, o testInvokeOptions) (err error) {
	survivePipes()
	// Without --stack, the stack is the spec's api.name (set once the
	// spec is read), so --api-key-name has a stack to read.
	if err := o.creds.check("api.name"); err != nil {
		return err
	}
	// From here on, no output shows a key or a token.
	sec := &secrets{}
	a = sec.app(a)
	defer func() { err = sec.err(err) }()
	req, rt, acc, err := o.load(a, args, sec)
	if err != nil {
		return err
	}
	if err := o.defaultStack(a, rt.apiName, rt.apiNameField, rt.files[0]); err != nil {
		return err
	}
	route, _, rej := rt.g.Route(req)
	if rej != nil {
		return fmt.Errorf("no route of the spec takes %s %s (%s): test-invoke runs a method that exists", req.Method, req.Path, rej.Reason)
	}
	ctx, stop := interruptible(parent)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	cfg, outputs, err := rt.fromStack(ctx, &o.awsFlags)
	if err != nil {
		return err
	}
	apiID := outputs[compile.OutputAPIID]
	if apiID == "" {
		return fmt.Errorf("stack %s has no %s output: is it an sfnapic stack, and did its deploy finish?", o.stack, compile.OutputAPIID)
	}
	client := apigateway.NewFromConfig(cfg)
	if err := o.readKey(ctx, client, rt, outputs, req, acc, sec); err != nil {
		return explainAWS(err, cfg, o.debug)
	}
	if note := unchecked(acc, o.creds); note != "" {
		fmt.Fprintf(a.stderr, "note: %s\n", note)
	}
	out, err := testInvoke(ctx, client, apiID, route, req)
	if err != nil {
		return explainAWS(err, cfg, o.debug)
	}

	fmt.Fprintf(a.stdout, "HTTP %d (%d ms, API Gateway's TestInvokeMethod on %s)\n", out.Status, out.Latency, route)
	// What API Gateway answered is printed escaped, as invoke prints it.
	printHeaders(a.stdout, escapeHeaders(out.Headers))
	fmt.Fprintf(a.stdout, "\n%s\n", escapeLines(indent(aws.ToString(out.Body))))
	return compareRender(a, rt, req, out)
}

// load reads the request, with the key and the token as headers, and the
// API it goes to. TestInvokeMethod checks no signature, so the
// Authorization header of an AWS_IAM route is the caller's to set.
func (o testInvokeOptions) load(a *app, args []string, sec *secrets) (*gateway.Request, *target, *access, error) {
	if err := o.creds.read(sec); err != nil {
		return nil, nil, nil, err
	}
	req, rt, err := loadRequest(a, args, o.request)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := o.values.local(a, rt); err != nil {
		return nil, nil, nil, err
	}
	acc := accessOf(rt, req)
	if acc != nil && acc.authType == "AWS_IAM" {
		unsigned := *acc
		unsigned.authType = "NONE"
		return req, rt, acc, o.creds.apply(req, &unsigned, o.creds.apiKey)
	}
	return req, rt, acc, o.creds.apply(req, acc, o.creds.apiKey)
}

// readKey puts the value of --api-key-name, read from API Gateway, in
// req's x-api-key.
func (o testInvokeOptions) readKey(ctx context.Context, client apiKeyClient, rt *target, outputs map[string]string, req *gateway.Request, acc *access, sec *secrets) error {
	if o.creds.apiKeyName == "" {
		return nil
	}
	value, err := apiKeyValue(ctx, client, rt.g.Template, outputs, o.creds.apiKeyName, o.stack)
	if err != nil {
		return err
	}
	sec.add(value)
	if err := checkHeaderValue("the value of API key "+o.creds.apiKeyName, value); err != nil {
		return err
	}
	return credentialFlags{}.apply(req, nil, value)
}

// unchecked says what TestInvokeMethod does not check of who calls the
// route, when the route asks for it or the command line gives it: its
// request (the "TestInvokeMethod" API reference) holds headers, a body
// and stage variables, and nothing runs an authorizer or checks a key.
func unchecked(acc *access, c credentialFlags) string {
	var asks []string
	if acc != nil && acc.authType != "NONE" {
		asks = append(asks, "its "+acc.authType+" authorization")
	}
	if acc != nil && acc.keyRequired {
		asks = append(asks, "its API key")
	}
	given := c.token != "" || c.apiKey != "" || c.apiKeyName != ""
	if len(asks) == 0 && !given {
		return ""
	}
	note := "TestInvokeMethod runs no authorizer and checks no API key or signature"
	if len(asks) > 0 {
		note += fmt.Sprintf(": %s ran without %s", acc.route, strings.Join(asks, " or "))
	}
	if given {
		note += "; the key and token given went to it as headers, for the mapping template only"
	}
	return note + "; sfnapic invoke calls the stage as a client does"
}

// testInvoke runs req through TestInvokeMethod on the method of route.
// A body without a Content-Type gets application/json, as invoke sends
// it (and req gets it too, for the local render).
func testInvoke(ctx context.Context, client *apigateway.Client, apiID, route string, req *gateway.Request) (*apigateway.TestInvokeMethodOutput, error) {
	verb, path, _ := strings.Cut(route, " ")
	resourceID, err := resourceOf(ctx, client, apiID, path)
	if err != nil {
		return nil, err
	}
	if verb == "ANY" {
		verb = req.Method
	}
	in := &apigateway.TestInvokeMethodInput{RestApiId: aws.String(apiID), ResourceId: aws.String(resourceID), HttpMethod: aws.String(verb),
		PathWithQueryString: aws.String(req.Path), Body: aws.String(req.Body), Headers: map[string]string{}}
	if len(req.Query) > 0 {
		in.PathWithQueryString = aws.String(req.Path + "?" + req.Query.Encode())
	}
	for name := range req.Header {
		in.Headers[name] = req.Header.Get(name)
	}
	if req.Body != "" && req.Header.Get("Content-Type") == "" {
		in.Headers["Content-Type"] = "application/json"
		req.Header.Set("Content-Type", "application/json")
	}
	return client.TestInvokeMethod(ctx, in)
}

// compareRender renders req locally, as the test invocation whose log
// this is ran it, and compares the body with the one API Gateway sent (or,
// for a MOCK method, which sends nothing, the answer).
func compareRender(a *app, rt *target, req *gateway.Request, out *apigateway.TestInvokeMethodOutput) error {
	log := aws.ToString(out.Log)
	sent, truncated, found := transformed(log)
	// The local render runs with what the test invocation ran with.
	local := *req
	if m := logRequestID.FindStringSubmatch(log); m != nil {
		local.RequestID = m[1]
	}
	local.SourceIP, local.Stage = "test-invoke-source-ip", "test-invoke-stage"
	call, lerr := rt.g.Start(&local)
	if lerr == nil && call.Kind == restapi.Mock {
		return compareMock(a, call, int(out.Status), out.Headers)
	}
	var lrej *gateway.Rejection
	switch {
	case !found && errors.As(lerr, &lrej):
		fmt.Fprintf(a.stdout, "\nAPI Gateway sent nothing to Step Functions; the local render refuses the request too (HTTP %d: %s)\n", lrej.Status, lrej.Reason)
		return nil
	case !found:
		fmt.Fprintf(a.stdout, "\nThe log shows no endpoint request body.\n")
		if lerr == nil {
			return fmt.Errorf("API Gateway sent nothing to Step Functions, but the local render sends:\n%s", escapeLines(indent(call.Body)))
		}
		return fmt.Errorf("API Gateway sent nothing to Step Functions, and the local render fails: %v", lerr)
	}
	fmt.Fprintf(a.stdout, "\nEndpoint request body after transformations:\n%s\n", escapeLines(indent(sent)))
	if lerr != nil {
		return fmt.Errorf("API Gateway sent a body, but the local render fails: %v", lerr)
	}
	if truncated {
		if strings.HasPrefix(strings.TrimSpace(call.Body), sent) {
			fmt.Fprintf(a.stdout, "\nThe log cut the body short; its first %d characters agree with the local render.\n", len(sent))
			return nil
		}
		return fmt.Errorf("the body API Gateway sent (cut short by the log) differs from the local render:\n  AWS:   %s\n  local: %s", escapeLines(sent), escapeLines(strings.TrimSpace(call.Body)))
	}
	if sameJSON(sent, call.Body) {
		fmt.Fprintf(a.stdout, "\nThe local render (sfnapic render) sends the same JSON.\n")
		return nil
	}
	return fmt.Errorf("the body API Gateway sent differs from the local render:\n  AWS:   %s\n  local: %s\nplease report it: sfnapic's renderer should agree with API Gateway", escapeLines(strings.TrimSpace(sent)), escapeLines(strings.TrimSpace(call.Body)))
}

// compareMock compares a MOCK method's answer from API Gateway with the
// local one: nothing is sent anywhere, so the status and the static
// headers are what may differ.
func compareMock(a *app, call *gateway.Call, status int, headers map[string]string) error {
	reply, _ := call.Mocked()
	resp, _, err := call.Respond(reply)
	if err != nil {
		return fmt.Errorf("API Gateway answered the MOCK method, but the local answer fails: %v", err)
	}
	var differ []string
	if resp.Status != status {
		differ = append(differ, fmt.Sprintf("status: AWS %d, local %d", status, resp.Status))
	}
	names := make([]string, 0, len(resp.Headers))
	for name := range resp.Headers {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if got := headerValue(headers, name); got != resp.Headers[name] {
			differ = append(differ, fmt.Sprintf("%s: AWS %q, local %q", name, got, resp.Headers[name]))
		}
	}
	if len(differ) > 0 {
		return fmt.Errorf("API Gateway's answer to the MOCK method differs from the local one:\n  %s", strings.Join(differ, "\n  "))
	}
	fmt.Fprintf(a.stdout, "\nA MOCK method sends nothing; the local answer (sfnapic render) has the same status and headers.\n")
	return nil
}

// headerValue is a header's value, its name matched without regard to
// case.
func headerValue(headers map[string]string, name string) string {
	for k, v := range headers {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// resourceOf finds the id of the API's resource with this path.
func resourceOf(ctx context.Context, client *apigateway.Client, apiID, path string) (string, error) {
	p := apigateway.NewGetResourcesPaginator(client, &apigateway.GetResourcesInput{RestApiId: aws.String(apiID), Limit: aws.Int32(500)})
	for pages := 0; p.HasMorePages() && pages < 100; pages++ {
		page, err := p.NextPage(ctx)
		if err != nil {
			return "", err
		}
		for _, r := range page.Items {
			if aws.ToString(r.Path) == path {
				return aws.ToString(r.Id), nil
			}
		}
	}
	return "", fmt.Errorf("the deployed API %s has no resource %s: deploy this spec first", apiID, path)
}

// sameJSON compares two bodies as JSON values, and the JSON documents that
// their input and output strings carry as values too: how JSON is spelled
// (é or \u00e9, an escaped / or not) is not documented.
func sameJSON(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return strings.TrimSpace(a) == strings.TrimSpace(b)
	}
	return reflect.DeepEqual(innerJSON(x), innerJSON(y))
}

func innerJSON(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	for _, k := range []string{"input", "output"} {
		if s, ok := m[k].(string); ok {
			var inner any
			if json.Unmarshal([]byte(s), &inner) == nil {
				m[k] = inner
			}
		}
	}
	return m
}
