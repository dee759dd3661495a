package cmd

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sfnapic/sfnapic/compile"
	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/vtl"
)

type renderOptions struct {
	headers     []string
	data        string
	reply       string
	allVariants bool
}

const renderDoc = `Render shows, without deploying, what API Gateway would do with one request
to the API that SPEC compiles to: which route takes it, the exact
StartExecution request it would send to Step Functions, and the execution
input that request carries. It runs the request template the compiler wrote,
on a local renderer of API Gateway's mapping-template language.

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
  sfnapic render examples/reddit-api.yaml "POST /api/vote" -d @vote.json`

func newRenderCmd(a *app) *cobra.Command {
	var o renderOptions
	cmd := &cobra.Command{
		Use:   `render SPEC "VERB /path?query" [-H 'Name: value']... [-d BODY | -d @FILE] [--reply FILE]`,
		Short: "show what API Gateway would send to Step Functions for a request",
		Long:  renderDoc,
		Args:  exactArgs(2, `SPEC and a request such as "POST /items/42"`),
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			return runRender(a, args[0], args[1], o)
		}),
	}
	f := cmd.Flags()
	f.StringArrayVarP(&o.headers, "header", "H", nil, "a request header, `'Name: value'` (repeatable)")
	f.StringVarP(&o.data, "data", "d", "", "the request `BODY`, or @FILE to read it from a file (@- for stdin)")
	f.StringVar(&o.reply, "reply", "", "a Step Functions reply `FILE` to run through the integration responses")
	f.BoolVar(&o.allVariants, "all-variants", false, "render under every variant of API Gateway's undocumented behaviour")
	return cmd
}

func runRender(a *app, specName, target string, o renderOptions) error {
	req, err := gateway.ParseTarget(target)
	if err != nil {
		return usageError{err}
	}
	for _, h := range o.headers {
		name, value, ok := strings.Cut(h, ":")
		if !ok || strings.TrimSpace(name) == "" {
			return usagef("-H %q: write 'Name: value'", h)
		}
		req.Header.Add(strings.TrimSpace(name), strings.TrimSpace(value))
	}
	if body, ok := strings.CutPrefix(o.data, "@"); ok {
		var b []byte
		if body == "-" {
			b, err = io.ReadAll(a.stdin)
		} else {
			b, err = os.ReadFile(body)
		}
		if err != nil {
			return fmt.Errorf("cannot read the body: %w", err)
		}
		req.Body = string(b)
	} else {
		req.Body = o.data
	}
	var reply *gateway.Reply
	if o.reply != "" {
		b, err := os.ReadFile(o.reply)
		if err != nil {
			return fmt.Errorf("cannot read the reply: %w", err)
		}
		reply = &gateway.Reply{}
		if err := json.Unmarshal(b, reply); err != nil || reply.Status == 0 {
			return fmt.Errorf("%s: a reply is {\"status\": 400, \"body\": {...}}: %v", o.reply, err)
		}
	}

	s, diags, err := loadSpec(specName)
	if err != nil {
		return err
	}
	if diags.HasErrors() {
		fmt.Fprint(a.stderr, diags.String())
		return errReported
	}
	g := gateway.New(s, compile.Compile(s))

	call, err := g.Start(req, vtl.Variant{})
	var rej *gateway.Rejection
	if errors.As(err, &rej) {
		fmt.Fprintf(a.stdout, "HTTP %d\n%s\n", rej.Status, rej.Body)
		fmt.Fprintf(a.stderr, "API Gateway would refuse this request: %s\n", rej.Reason)
		return errReported
	}
	if err != nil {
		if call != nil {
			fmt.Fprintf(a.stdout, "StartExecution request (broken):\n%s\n", call.StartExecution)
		}
		return err
	}
	r := call.Route
	fmt.Fprintf(a.stdout, "Route: %s %s -> state machine %s (%s, %s)\n\n", r.Method, r.Path, r.StateMachine.Name, call.MethodID, call.ContentType)
	fmt.Fprintf(a.stdout, "StartExecution request:\n%s\n\n", indent(call.StartExecution))
	fmt.Fprintf(a.stdout, "Execution input:\n%s\n", indent(call.InputText))
	if !r.StateMachine.Existing() {
		fmt.Fprintf(a.stderr, "note: the stack creates %s; its ARN is shown for account 123456789012 in us-east-1\n", r.StateMachine.Name)
	}

	if o.allVariants {
		differ := 0
		for _, v := range vtl.Variants() {
			other, err := g.Start(req, v)
			if err != nil || other.InputText != call.InputText {
				differ++
				fmt.Fprintf(a.stderr, "variant %+v: ", v)
				if err != nil {
					fmt.Fprintf(a.stderr, "%v\n", err)
				} else {
					fmt.Fprintf(a.stderr, "input %s\n", other.InputText)
				}
			}
		}
		if differ > 0 {
			return fmt.Errorf("the input differs under %d of %d variants", differ, len(vtl.Variants()))
		}
		fmt.Fprintf(a.stderr, "the input is the same under all %d variants\n", len(vtl.Variants()))
	}

	if reply != nil {
		resp, which, err := call.Respond(*reply)
		if err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "\nStep Functions reply %d -> %s:\nHTTP %d\n%s\n", reply.Status, which, resp.Status, indent(resp.Body))
	}
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
