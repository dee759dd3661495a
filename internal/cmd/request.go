package cmd

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"unsafe"

	"github.com/spf13/cobra"

	"github.com/sfnapic/sfnapic/gateway"
)

// requestFlags are the flags of the commands that send one request to a
// spec's API (render, invoke, test-invoke): where the routes come from,
// the request's headers and its body.
type requestFlags struct {
	template string // --template FILE: the routes of a template build wrote, instead of a spec
	headers  []string
	data     string
}

// add declares the request flags on cmd.
func (r *requestFlags) add(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&r.template, "template", "", "read the routes from the template `FILE` (JSON or YAML) that build wrote, instead of a spec")
	f.StringArrayVarP(&r.headers, "header", "H", nil, "a request header, `'Name: value'` (repeatable)")
	f.StringVarP(&r.data, "data", "d", "", "the request `BODY`, or @FILE to read it from a file (@- for stdin)")
}

// specAndRequest are the arguments of the commands that take one request
// to a spec's API: SPEC and "VERB /path", the request alone for
// ./sfnapic.yaml, or the request alone with --template.
func specAndRequest(cmd *cobra.Command, args []string) error {
	if cmd.Flags().Changed("template") {
		return exactArgs(1, `a request such as "POST /items/42" (the template replaces SPEC)`)(cmd, args)
	}
	if len(args) == 1 || len(args) == 2 {
		return nil // SPEC, or none for ./sfnapic.yaml, and the request
	}
	return usagef(`expected SPEC (or none, for ./%s) and a request such as "POST /items/42", got %d arguments`, defaultSpec, len(args))
}

// loadRequest reads the command line's request and the API it goes to:
// the spec (or --template) and the request, the last argument. A spec's
// errors are printed here; its warnings are not.
func loadRequest(a *app, args []string, r requestFlags) (*gateway.Request, *target, error) {
	specName, line := "", args[len(args)-1]
	if len(args) == 2 {
		specName = args[0]
	}
	req, err := r.read(a, line)
	if err != nil {
		return nil, nil, err
	}
	if r.template == "" {
		if specName, err = specOrDefault(specName); err != nil {
			return nil, nil, err
		}
	}
	t, diags, err := loadTarget(specName, r.template)
	if errors.Is(err, errReported) {
		fmt.Fprint(a.stderr, diags.String())
	}
	return req, t, err
}

// read builds the request from the command line: line ("VERB /path?query"),
// the headers and the body.
func (r requestFlags) read(a *app, line string) (*gateway.Request, error) {
	req, err := gateway.ParseTarget(line)
	if err != nil {
		return nil, usageError{err}
	}
	for _, h := range r.headers {
		name, value, ok := strings.Cut(h, ":")
		// HTTP trims spaces and tabs around a field value (RFC 9110,
		// 5.5), not Unicode white space such as U+2028 or U+00A0.
		name, value = strings.Trim(name, " \t"), strings.Trim(value, " \t")
		if !ok || name == "" {
			return nil, usagef("-H %q: write 'Name: value'", h)
		}
		req.Header.Add(name, value)
	}
	body, ok := strings.CutPrefix(r.data, "@")
	if !ok {
		req.Body = r.data
		return req, nil
	}
	b, err := readBody(a, body)
	if err != nil {
		return nil, fmt.Errorf("cannot read the body: %w", err)
	}
	// The body is the bytes read, not a copy of them: nothing writes
	// to b again (a 10 MB body cost 10 MB more).
	req.Body = unsafe.String(unsafe.SliceData(b), len(b))
	return req, nil
}

// readBody reads a request body from a file, or from stdin for "-".
func readBody(a *app, name string) ([]byte, error) {
	if name != "-" {
		return readInput(name, maxReadBytes)
	}
	b, err := io.ReadAll(io.LimitReader(a.stdin, maxReadBytes+1))
	if err == nil && len(b) > maxReadBytes {
		err = fmt.Errorf("the body on stdin is over %d bytes", maxReadBytes)
	}
	return b, err
}
