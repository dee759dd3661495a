package cmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/integration"
	"github.com/sfnapic/sfnapic/restapi"
)

type renderOptions struct {
	request     requestFlags
	authorizer  authorizerFlags
	reply       string
	allVariants bool
	// awsFlags name the deployed stack whose ARNs replace the placeholder
	// account's.
	awsFlags
	output string
	values paramFlags
}

const renderDoc = `Render shows, without deploying, what API Gateway would do with one request
to the API that SPEC compiles to: which route takes it, the exact request it
would send to Step Functions (the route's action: StartExecution,
StartSyncExecution, DescribeExecution, StopExecution or SendTask*), and the
execution input (or task output) that request carries. It runs the request
template the compiler wrote, on a local renderer of API Gateway's
mapping-template language.

With --template FILE instead of SPEC, it renders against a template that
sfnapic build wrote (JSON or YAML), such as one committed to a repository:
the routes, templates and responses all come from that file.

A request API Gateway would refuse is shown as API Gateway would answer it,
through the template's gateway responses (404 for an unknown path or verb,
400 for a missing required parameter or a body that is not JSON, 415 for a
content type with no template), and render exits 1.

--claims NAME=VALUE (repeatable) stands in for a Cognito authorizer: the
claims reach the template as $context.authorizer.claims.NAME.
--authorizer-context KEY=VALUE and --principal-id ID stand in for a Lambda
authorizer: $context.authorizer.KEY and $context.authorizer.principalId.
Render says when the route's authorizer would not pass them on.

With --reply FILE, it also shows which integration response applies to a
Step Functions reply, and the HTTP response the caller gets. FILE holds
{"status": 400, "body": {"__type": "ExecutionAlreadyExists", "message": "..."}}.

Undocumented API Gateway behaviours (Velocity 1.7 or 2, which characters
escapeJavaScript escapes, ...) use the first variant; --all-variants renders
under every one and reports any difference.

` + specHelp + `

Examples:
  sfnapic render examples/item-api.yaml "POST /42"
  sfnapic render examples/reddit-api.yaml "POST /r/golang/submit" -H 'X-User-Id: u1' -d '{"title": "it'\''s \"here\""}'
  sfnapic render examples/item-api.yaml "POST /42" --reply reply.json
  sfnapic render --template golden/item-api/template.yaml "POST /42"
  sfnapic render examples/reddit-api.yaml "POST /api/vote" -d @vote.json
  sfnapic render examples/orders-api.yaml "POST /orders" -d '{}' --claims sub=u-1 --claims email=ann@example.com`

func newRenderCmd(a *app) *cobra.Command {
	var o renderOptions
	cmd := &cobra.Command{
		Use:   `render [SPEC | --template FILE] "VERB /path?query" [-H 'Name: value']... [-d BODY | -d @FILE] [--claims NAME=VALUE]... [--reply FILE]`,
		Short: "show what API Gateway would send to Step Functions for a request",
		Long:  renderDoc,
		Args:  specAndRequest,
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			return runRender(a, args, o)
		}),
	}
	f := cmd.Flags()
	o.request.add(cmd)
	o.authorizer.add(cmd)
	f.StringVar(&o.reply, "reply", "", "a Step Functions reply `FILE` to run through the integration responses")
	f.BoolVar(&o.allVariants, "all-variants", false, "render under every variant of API Gateway's undocumented behaviour")
	o.values.add(cmd, envRenderUsage)
	o.awsFlags.add(cmd, awsHelp{stack: "show the ARNs of the deployed stack `NAME` instead of placeholders", when: "with --stack: "})
	f.StringVar(&o.output, "output", "text", "`text`, or json for one JSON document (request, input, reply) on stdout")
	return cmd
}

// renderResult is what render found, as --output json prints it.
type renderResult struct {
	Route       string          `json:"route,omitempty"`
	MethodID    string          `json:"methodId,omitempty"`
	ContentType string          `json:"contentType,omitempty"`
	Target      string          `json:"target,omitempty"` // the state machine, or the task a token names
	Action      string          `json:"action,omitempty"`
	Request     json.RawMessage `json:"request,omitempty"`
	// Document names Input: "execution input" or "task output".
	Document string          `json:"document,omitempty"`
	Input    json.RawMessage `json:"input,omitempty"`
	// Substitutions are the values of the started machine's
	// DefinitionSubstitutions, with the parameters' values.
	Substitutions map[string]string `json:"substitutions,omitempty"`
	Refused       *renderRefusal    `json:"refused,omitempty"`
	Reply         *renderReply      `json:"reply,omitempty"`
}

type renderRefusal struct {
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    json.RawMessage   `json:"body"`
	Reason  string            `json:"reason"`
}

type renderReply struct {
	Status   int               `json:"status"`
	Selected string            `json:"selected"`
	Headers  map[string]string `json:"headers,omitempty"`
	Body     json.RawMessage   `json:"body"`
}

// rawJSON keeps JSON text as it is, and anything else as a JSON string.
func rawJSON(s string) json.RawMessage {
	if s = strings.TrimSpace(s); json.Valid([]byte(s)) {
		return json.RawMessage(s)
	}
	b, _ := json.Marshal(s)
	return b
}

func runRender(a *app, args []string, o renderOptions) error {
	if o.output != "text" && o.output != "json" {
		return usagef("--output must be text or json, not %q", o.output)
	}
	reply, err := readReply(o.reply)
	if err != nil {
		return err
	}
	req, rt, err := o.load(a, args)
	if err != nil {
		return err
	}
	if o.stack != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if _, _, err := rt.fromStack(ctx, &o.awsFlags); err != nil {
			return err
		}
	}
	g := rt.g
	res := &renderResult{}

	if rej := gateway.CheckHeaders(req); rej != nil {
		return printRefusal(a, o.output, res, rej)
	}
	call, err := g.Start(req)
	var rej *gateway.Rejection
	if errors.As(err, &rej) {
		return printRefusal(a, o.output, res, rej)
	}
	if err != nil {
		if call != nil {
			fmt.Fprintf(a.stdout, "%s request (broken):\n%s\n", requestLabel(call), call.Body)
		}
		return err
	}
	printCall(a, o.output, rt, call, res)
	printSubstitutions(a, o.output, rt, call, res)

	if mocked, ok := call.Mocked(); ok && reply == nil {
		// Nothing is called: the answer is the integration response's.
		reply = &mocked
	}
	if o.allVariants {
		if err := compareVariants(a, g, req, call); err != nil {
			res.print(a, o.output)
			return err
		}
	}
	if reply != nil {
		if err := printReply(a, o.output, call, *reply, res); err != nil {
			res.print(a, o.output)
			return err
		}
	}
	res.print(a, o.output)
	return nil
}

// load reads the request, with what --claims and the other authorizer
// flags say the authorizer answered, and the API it goes to.
func (o renderOptions) load(a *app, args []string) (*gateway.Request, *target, error) {
	authorizer, err := o.authorizer.result()
	if err != nil {
		return nil, nil, err
	}
	req, rt, err := loadRequest(a, args, o.request)
	if err != nil {
		return nil, nil, err
	}
	if err := o.values.local(a, rt); err != nil {
		return nil, nil, err
	}
	req.Authorizer = authorizer
	for _, note := range authorizerNotes(rt.g, req) {
		fmt.Fprintf(a.stderr, "note: %s\n", note)
	}
	return req, rt, nil
}

// readReply reads the --reply FILE, if any.
func readReply(name string) (*gateway.Reply, error) {
	if name == "" {
		return nil, nil
	}
	b, err := readInput(name, maxReadBytes)
	if err != nil {
		return nil, fmt.Errorf("cannot read the reply: %w", err)
	}
	reply := &gateway.Reply{}
	if err := json.Unmarshal(b, reply); err != nil || reply.Status == 0 {
		return nil, fmt.Errorf("%s: a reply is {\"status\": 400, \"body\": {...}}: %v", name, err)
	}
	return reply, nil
}

// print prints the result as one JSON document, with --output json.
func (res *renderResult) print(a *app, output string) {
	if output == "json" {
		b, _ := json.MarshalIndent(res, "", "  ")
		fmt.Fprintf(a.stdout, "%s\n", b)
	}
}

// printRefusal shows the answer of a request API Gateway would refuse.
func printRefusal(a *app, output string, res *renderResult, rej *gateway.Rejection) error {
	res.Refused = &renderRefusal{Status: rej.Status, Headers: rej.Headers, Body: rawJSON(rej.Body), Reason: rej.Reason}
	if output == "json" {
		res.print(a, output)
	} else {
		fmt.Fprintf(a.stdout, "HTTP %d\n", rej.Status)
		printHeaders(a.stdout, rej.Headers)
		fmt.Fprintf(a.stdout, "%s\n", rej.Body)
	}
	fmt.Fprintf(a.stderr, "API Gateway would refuse this request: %s\n", rej.Reason)
	return errReported
}

// printCall shows the route a request takes, the request it sends to
// Step Functions and the input it carries.
func printCall(a *app, output string, rt *target, call *gateway.Call, res *renderResult) {
	arn := call.Request.StateMachineArn
	machine, created := rt.g.MachineOf(arn)
	if name, ok := rt.names[arn]; ok {
		machine = name
	} else if !created {
		machine = arn
	}
	callee := "state machine " + machine
	switch {
	case call.Kind == restapi.Mock:
		callee = "MOCK, answered by API Gateway itself"
	case arn == "":
		// A callback names no machine: the token names the task.
		callee = "the task its token names"
	}
	res.Route, res.MethodID, res.ContentType = call.Verb+" "+call.Path, call.MethodID, call.ContentType
	res.Target, res.Action = callee, call.Action
	if output == "json" {
		// Only the JSON document holds them: for a 10 MB body, each is
		// two copies of it.
		res.Request = rawJSON(call.Body)
	}
	if output == "text" {
		fmt.Fprintf(a.stdout, "Route: %s %s -> %s (%s, %s)\n\n", call.Verb, call.Path, callee, call.MethodID, call.ContentType)
		fmt.Fprintf(a.stdout, "%s request:\n", requestLabel(call))
		writeIndented(a.stdout, call.Body)
	}
	if call.Request.HasInput {
		doc := call.Request.Document
		res.Document = doc
		if output == "json" {
			res.Input = rawJSON(call.Request.Input())
		}
		if output == "text" {
			fmt.Fprintf(a.stdout, "\n%s%s:\n", strings.ToUpper(doc[:1]), doc[1:])
			writeIndented(a.stdout, call.Request.Input())
		}
		// API Gateway sends it; Step Functions refuses it for its size
		// before it reads it (so before it would say it is not JSON).
		if n := call.Request.InputSize(); n > integration.MaxDocument {
			fmt.Fprintf(a.stderr, "note: the %s is %d bytes in UTF-8; Step Functions refuses one over %d (ValidationException), so the route answers with its error response\n", doc, n, integration.MaxDocument)
		}
	}
	if created && !rt.deployed {
		fmt.Fprintf(a.stderr, "note: the stack creates %s; its ARN is shown for account %s in %s (--stack NAME shows the deployed one)\n", machine, gateway.PlaceholderAccount, gateway.PlaceholderRegion)
	}
}

// printReply shows which integration response applies to a Step
// Functions reply, and the HTTP response the caller gets.
func printReply(a *app, output string, call *gateway.Call, reply gateway.Reply, res *renderResult) error {
	resp, which, err := call.Respond(reply)
	if err != nil {
		return err
	}
	res.Reply = &renderReply{Status: resp.Status, Selected: which, Headers: resp.Headers, Body: rawJSON(resp.Body)}
	if output == "text" {
		from := "Step Functions reply"
		if call.Kind == restapi.Mock {
			from = "MOCK status"
		}
		fmt.Fprintf(a.stdout, "\n%s %d -> %s:\nHTTP %d\n", from, reply.Status, which, resp.Status)
		printHeaders(a.stdout, resp.Headers)
		fmt.Fprintf(a.stdout, "%s\n", indent(resp.Body))
	}
	return nil
}

// requestLabel names what the integration request is: the Step Functions
// action it calls, or MOCK.
func requestLabel(call *gateway.Call) string {
	if call.Kind == restapi.Mock {
		return "MOCK integration"
	}
	return call.Action
}

// compareVariants renders the request under every variant of API
// Gateway's undocumented behaviour and reports any input that differs.
func compareVariants(a *app, g *gateway.Gateway, req *gateway.Request, call *gateway.Call) error {
	diffs, n := g.VariantDiffs(req, call)
	for _, d := range diffs {
		if d.Err != nil {
			fmt.Fprintf(a.stderr, "variant %s: %v\n", d.Variant, d.Err)
		} else {
			fmt.Fprintf(a.stderr, "variant %s: input %s\n", d.Variant, d.Input)
		}
	}
	if len(diffs) > 0 {
		return fmt.Errorf("the input differs under %d of %d variants", len(diffs), n)
	}
	fmt.Fprintf(a.stderr, "the input is the same under all %d variants\n", n)
	return nil
}
