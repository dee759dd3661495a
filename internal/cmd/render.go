package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/spf13/cobra"

	"github.com/sfnapic/sfnapic/cfn"
	"github.com/sfnapic/sfnapic/compile"
	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/internal/awsconfig"
	"github.com/sfnapic/sfnapic/spec"
)

type renderOptions struct {
	template    string // --template FILE: render against a committed template instead of a spec
	headers     []string
	data        string
	reply       string
	allVariants bool
	// stack, with aws, endpoint and debug: the deployed stack whose ARNs
	// replace the placeholder account's.
	stack    string
	aws      awsconfig.Options
	endpoint string
	debug    bool
	output   string
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

With --reply FILE, it also shows which integration response applies to a
Step Functions reply, and the HTTP response the caller gets. FILE holds
{"status": 400, "body": {"__type": "ExecutionAlreadyExists", "message": "..."}}.

Undocumented API Gateway behaviours (Velocity 1.7 or 2, which characters
escapeJavaScript escapes, ...) use the first variant; --all-variants renders
under every one and reports any difference.

Examples:
  sfnapic render examples/item-api.yaml "POST /42"
  sfnapic render examples/reddit-api.yaml "POST /r/golang/submit" -H 'X-User-Id: u1' -d '{"title": "it'\''s \"here\""}'
  sfnapic render examples/item-api.yaml "POST /42" --reply reply.json
  sfnapic render --template golden/item-api/template.yaml "POST /42"
  sfnapic render examples/reddit-api.yaml "POST /api/vote" -d @vote.json`

func newRenderCmd(a *app) *cobra.Command {
	var o renderOptions
	cmd := &cobra.Command{
		Use:   `render {SPEC | --template FILE} "VERB /path?query" [-H 'Name: value']... [-d BODY | -d @FILE] [--reply FILE]`,
		Short: "show what API Gateway would send to Step Functions for a request",
		Long:  renderDoc,
		Args:  specAndRequest,
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			return runRender(a, args, o)
		}),
	}
	f := cmd.Flags()
	addRequestFlags(cmd, &o)
	f.StringVar(&o.reply, "reply", "", "a Step Functions reply `FILE` to run through the integration responses")
	f.BoolVar(&o.allVariants, "all-variants", false, "render under every variant of API Gateway's undocumented behaviour")
	f.StringVar(&o.stack, "stack", "", "show the ARNs of the deployed stack `NAME` instead of placeholders")
	addAWSFlags(cmd, &o, "with --stack: ")
	f.StringVar(&o.output, "output", "text", "`text`, or json for one JSON document (request, input, reply) on stdout")
	return cmd
}

// loadRequest reads the command line's request and the API it goes to:
// the spec (or --template) and the request, the last argument.
func loadRequest(a *app, args []string, o renderOptions) (*gateway.Request, *renderTarget, error) {
	specName, target := "", args[len(args)-1]
	if len(args) == 2 {
		specName = args[0]
	}
	req, err := readRequest(a, target, o)
	if err != nil {
		return nil, nil, err
	}
	rt, err := loadRenderTarget(a, specName, o.template)
	return req, rt, err
}

// loadAWS loads the AWS configuration, with --endpoint-url over any other.
func loadAWS(ctx context.Context, o awsconfig.Options, endpoint string) (aws.Config, error) {
	cfg, err := awsconfig.Load(ctx, o)
	if err != nil {
		return aws.Config{}, awsError(err)
	}
	if endpoint != "" {
		cfg.BaseEndpoint = aws.String(endpoint)
	}
	return cfg, nil
}

// printHeaders prints headers as HTTP does, sorted by name.
func printHeaders(w io.Writer, headers map[string]string) {
	names := make([]string, 0, len(headers))
	for name := range headers {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "%s: %s\n", name, headers[name])
	}
}

// specAndRequest are the arguments of the commands that take one request
// to a spec's API: SPEC and "VERB /path", or the request alone with
// --template.
func specAndRequest(cmd *cobra.Command, args []string) error {
	if cmd.Flags().Changed("template") {
		return exactArgs(1, `a request such as "POST /items/42" (the template replaces SPEC)`)(cmd, args)
	}
	return exactArgs(2, `SPEC and a request such as "POST /items/42"`)(cmd, args)
}

// addRequestFlags are the flags that make the request: where the routes
// come from, its headers and its body.
func addRequestFlags(cmd *cobra.Command, o *renderOptions) {
	f := cmd.Flags()
	f.StringVar(&o.template, "template", "", "read the routes from the template `FILE` (JSON or YAML) that build wrote, instead of a spec")
	f.StringArrayVarP(&o.headers, "header", "H", nil, "a request header, `'Name: value'` (repeatable)")
	f.StringVarP(&o.data, "data", "d", "", "the request `BODY`, or @FILE to read it from a file (@- for stdin)")
}

// addAWSFlags are the flags of the commands that read a stack: where,
// as whom, and how much of the SDK's errors to show. prefix says when
// they apply.
func addAWSFlags(cmd *cobra.Command, o *renderOptions, prefix string) {
	f := cmd.Flags()
	f.StringVar(&o.aws.Region, "region", "", prefix+"the AWS `REGION` (default: from the environment or profile)")
	f.StringVar(&o.aws.Profile, "profile", "", prefix+"the AWS shared-config `PROFILE`")
	f.StringVar(&o.endpoint, "endpoint-url", "", prefix+"the AWS endpoint `URL` (CloudFormation, Step Functions, API Gateway), such as an emulator")
	f.BoolVar(&o.debug, "debug", false, "show the AWS SDK's error under sfnapic's explanation")
}

// renderTarget is what render runs a request against: a gateway over the
// template, and, when there is a spec, the spec's names for its state
// machines (by the ARN the gateway shows for them).
type renderTarget struct {
	g     *gateway.Gateway
	names map[string]string
	// ids are the spec's machine names by logical ID; deployed is set
	// once the ARNs are a stack's, not placeholders.
	ids      map[string]string
	deployed bool
}

// readStack loads the AWS configuration and reads the outputs of the
// stack the command names.
func readStack(ctx context.Context, o renderOptions) (aws.Config, map[string]string, error) {
	cfg, err := loadAWS(ctx, o.aws, o.endpoint)
	if err != nil {
		return cfg, nil, err
	}
	outputs, err := stackOutputs(ctx, awsconfig.CloudFormation(cfg), o.stack)
	return cfg, outputs, explainAWS(err, cfg, o.debug)
}

// useStack replaces the placeholder ARNs with those of a deployed stack,
// from its outputs.
func (rt *renderTarget) useStack(outputs map[string]string, stack string) error {
	vars := map[string]string{}
	if err := stackMachines(outputs, stack, rt.g, vars); err != nil {
		return err
	}
	for k, v := range vars {
		rt.g.Vars[k] = v
	}
	for id, name := range rt.ids {
		rt.names[rt.g.Vars[id]] = name
	}
	rt.deployed = true
	return nil
}

// loadRenderTarget compiles the spec, or reads the template.
func loadRenderTarget(a *app, specName, templateName string) (*renderTarget, error) {
	g, sp, diags, err := loadGateway(specName, templateName)
	if errors.Is(err, errReported) {
		fmt.Fprint(a.stderr, diags.String())
	}
	if err != nil {
		return nil, err
	}
	rt := &renderTarget{g: g, names: map[string]string{}, ids: map[string]string{}}
	if sp == nil {
		return rt, nil
	}
	ids := compile.MachineIDs(sp)
	for _, m := range sp.StateMachines {
		if m.Existing() {
			rt.names[m.ARN] = m.Name
		} else {
			rt.ids[ids[m.Name]] = m.Name
			rt.names[g.Vars[ids[m.Name]]] = m.Name
		}
	}
	return rt, nil
}

// loadGateway compiles the spec, or reads the template, into a local
// gateway. With a spec, it returns the spec and its diagnostics too; a
// spec with errors is errReported, its diagnostics for the caller to print.
func loadGateway(specName, templateName string) (*gateway.Gateway, *spec.Spec, spec.ErrorList, error) {
	if templateName != "" {
		b, err := readInput(templateName, maxReadBytes)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("cannot read the template: %w", err)
		}
		t, err := cfn.Parse(b)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("%s: %w", templateName, err)
		}
		g, err := gateway.New(t)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("%s: %w", templateName, err)
		}
		return g, nil, nil, nil
	}
	sp, diags, err := loadSpec(specName)
	if err != nil {
		return nil, nil, nil, err
	}
	if diags.HasErrors() {
		return nil, nil, diags, errReported
	}
	g, err := gateway.New(compile.Compile(sp))
	return g, sp, diags, err
}

// readRequest builds the request from the command line.
func readRequest(a *app, target string, o renderOptions) (*gateway.Request, error) {
	req, err := gateway.ParseTarget(target)
	if err != nil {
		return nil, usageError{err}
	}
	for _, h := range o.headers {
		name, value, ok := strings.Cut(h, ":")
		// HTTP trims spaces and tabs around a field value (RFC 9110,
		// 5.5), not Unicode white space such as U+2028 or U+00A0.
		name, value = strings.Trim(name, " \t"), strings.Trim(value, " \t")
		if !ok || name == "" {
			return nil, usagef("-H %q: write 'Name: value'", h)
		}
		req.Header.Add(name, value)
	}
	if body, ok := strings.CutPrefix(o.data, "@"); ok {
		var b []byte
		if body == "-" {
			b, err = io.ReadAll(io.LimitReader(a.stdin, maxReadBytes+1))
			if err == nil && len(b) > maxReadBytes {
				err = fmt.Errorf("the body on stdin is over %d bytes", maxReadBytes)
			}
		} else {
			b, err = readInput(body, maxReadBytes)
		}
		if err != nil {
			return nil, fmt.Errorf("cannot read the body: %w", err)
		}
		req.Body = string(b)
	} else {
		req.Body = o.data
	}
	return req, nil
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
	Refused  *renderRefusal  `json:"refused,omitempty"`
	Reply    *renderReply    `json:"reply,omitempty"`
}

type renderRefusal struct {
	Status int             `json:"status"`
	Body   json.RawMessage `json:"body"`
	Reason string          `json:"reason"`
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
	var reply *gateway.Reply
	if o.reply != "" {
		b, err := readInput(o.reply, maxReadBytes)
		if err != nil {
			return fmt.Errorf("cannot read the reply: %w", err)
		}
		reply = &gateway.Reply{}
		if err := json.Unmarshal(b, reply); err != nil || reply.Status == 0 {
			return fmt.Errorf("%s: a reply is {\"status\": 400, \"body\": {...}}: %v", o.reply, err)
		}
	}
	req, rt, err := loadRequest(a, args, o)
	if err != nil {
		return err
	}
	if o.stack != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		_, outputs, err := readStack(ctx, o)
		if err != nil {
			return err
		}
		if err := rt.useStack(outputs, o.stack); err != nil {
			return err
		}
	}
	g := rt.g
	res := &renderResult{}
	printJSON := func() {
		if o.output == "json" {
			b, _ := json.MarshalIndent(res, "", "  ")
			fmt.Fprintf(a.stdout, "%s\n", b)
		}
	}

	call, err := g.Start(req)
	var rej *gateway.Rejection
	if errors.As(err, &rej) {
		res.Refused = &renderRefusal{Status: rej.Status, Body: rawJSON(rej.Body), Reason: rej.Reason}
		if o.output == "json" {
			printJSON()
		} else {
			fmt.Fprintf(a.stdout, "HTTP %d\n%s\n", rej.Status, rej.Body)
		}
		fmt.Fprintf(a.stderr, "API Gateway would refuse this request: %s\n", rej.Reason)
		return errReported
	}
	if err != nil {
		if call != nil {
			fmt.Fprintf(a.stdout, "%s request (broken):\n%s\n", call.Action, call.Body)
		}
		return err
	}
	arn := call.Request.StateMachineArn
	machine, created := g.MachineOf(arn)
	if name, ok := rt.names[arn]; ok {
		machine = name
	} else if !created {
		machine = arn
	}
	callee := "state machine " + machine
	if arn == "" {
		// A callback names no machine: the token names the task.
		callee = "the task its token names"
	}
	res.Route, res.MethodID, res.ContentType = call.Verb+" "+call.Path, call.MethodID, call.ContentType
	res.Target, res.Action, res.Request = callee, call.Action, rawJSON(call.Body)
	if o.output == "text" {
		fmt.Fprintf(a.stdout, "Route: %s %s -> %s (%s, %s)\n\n", call.Verb, call.Path, callee, call.MethodID, call.ContentType)
		fmt.Fprintf(a.stdout, "%s request:\n%s\n", call.Action, indent(call.Body))
	}
	if call.Request.HasInput {
		doc := call.Request.Document
		res.Document, res.Input = doc, rawJSON(call.Request.Input)
		if o.output == "text" {
			fmt.Fprintf(a.stdout, "\n%s%s:\n%s\n", strings.ToUpper(doc[:1]), doc[1:], indent(call.Request.Input))
		}
	}
	if created && !rt.deployed {
		fmt.Fprintf(a.stderr, "note: the stack creates %s; its ARN is shown for account %s in %s (--stack NAME shows the deployed one)\n", machine, gateway.PlaceholderAccount, gateway.PlaceholderRegion)
	}

	if o.allVariants {
		if err := compareVariants(a, g, req, call); err != nil {
			printJSON()
			return err
		}
	}

	if reply != nil {
		resp, which, err := call.Respond(*reply)
		if err != nil {
			printJSON()
			return err
		}
		res.Reply = &renderReply{Status: resp.Status, Selected: which, Headers: resp.Headers, Body: rawJSON(resp.Body)}
		if o.output == "text" {
			fmt.Fprintf(a.stdout, "\nStep Functions reply %d -> %s:\nHTTP %d\n", reply.Status, which, resp.Status)
			printHeaders(a.stdout, resp.Headers)
			fmt.Fprintf(a.stdout, "%s\n", indent(resp.Body))
		}
	}
	printJSON()
	return nil
}

// indent pretty-prints JSON text, keeping key order; text that is not JSON
// is shown as it is.
func indent(s string) string {
	var b bytes.Buffer
	if err := json.Indent(&b, []byte(strings.TrimSpace(s)), "", "  "); err != nil {
		return s
	}
	return b.String()
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
