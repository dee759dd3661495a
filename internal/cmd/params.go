package cmd

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"

	"github.com/sfnapic/sfnapic/compile"
	"github.com/sfnapic/sfnapic/internal/deploy"
	"github.com/sfnapic/sfnapic/spec"
)

// paramFlags are --env, --params and --param: where the values of the
// spec's parameters come from, in that order, each over the last. deploy,
// diff, render, serve and test-invoke declare them through add.
type paramFlags struct {
	env    string
	file   string
	params []string
}

// What --env does besides giving the values, by command: deploy, diff
// and test-invoke act on a stack named after it, render and serve have no
// stack unless --stack names one.
const (
	envStackUsage  = "the spec's environment `NAME` for the parameter values (the stack defaults to <api.name>-NAME)"
	envRenderUsage = "the spec's environment `NAME` for the parameter values the rendered request shows"
	envServeUsage  = "the spec's environment `NAME` for the parameter values the local API uses (and --create's state machines)"
)

// add declares the flags; envUsage is --env's help for this command (one
// of the env*Usage above).
func (o *paramFlags) add(cmd *cobra.Command, envUsage string) {
	f := cmd.Flags()
	f.StringArrayVar(&o.params, "param", nil, "a template parameter `K=V` (repeatable), over --env's and --params's")
	f.StringVar(&o.env, "env", "", envUsage)
	f.StringVar(&o.file, "params", "", "a YAML or JSON `FILE` of parameter values, NAME: VALUE, over --env's")
}

// stackBase is the stack name the spec's api.name gives with --env.
func (o *paramFlags) stackBase(apiName string) string {
	if o.env == "" || apiName == "" {
		return apiName
	}
	return apiName + "-" + o.env
}

// resolve checks every value for the spec's parameters (--env's, then
// --params's, then each --param) and returns them sorted by name, or a
// usage error listing every problem at once. A --param that names no
// parameter of the spec is one of them, whether or not the spec declares
// any: CloudFormation would refuse it at CreateChangeSet.
func (o *paramFlags) resolve(s *spec.Spec, params []deploy.KV, stderr io.Writer) ([]deploy.KV, error) {
	values, err := o.values(s, params, true, stderr)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(values))
	for k := range values {
		names = append(names, k)
	}
	sort.Strings(names)
	out := make([]deploy.KV, len(names))
	for i, k := range names {
		out[i] = deploy.KV{Key: k, Value: values[k]}
	}
	return out, nil
}

// values checks the values of --env, --params and --param, each over the
// last: a usage error lists every problem at once. complete asks for a
// value for every parameter without a default, as CreateChangeSet does.
// A value that widens a derived statement is a warning on stderr.
func (o *paramFlags) values(s *spec.Spec, params []deploy.KV, complete bool, stderr io.Writer) (map[string]string, error) {
	given, problems := o.readFile()
	for _, kv := range params {
		given = append(given, spec.Value{Name: kv.Key, Value: kv.Value, Pos: spec.Pos{File: "--param " + kv.Key + "=" + kv.Value}})
	}
	values, more := s.Values(o.env, given, complete)
	problems = append(problems, more...)
	// A wildcard in a value the spec holds is a warning at its position;
	// one given here is said here, or it would reach IAM unseen. Not
	// refused: an S3 key may hold * and ? (see compile.WideValues).
	fromFlags := map[string]string{}
	for _, v := range given {
		fromFlags[v.Name] = v.Value
	}
	for _, w := range compile.WideValues(s, fromFlags) {
		fmt.Fprintf(stderr, "warning: %s\n", w)
	}
	if len(problems) > 0 {
		return nil, usagef("the parameter values are not all right:\n  %s", strings.Join(problems, "\n  "))
	}
	return values, nil
}

// readFile reads --params: a mapping of names to scalar values, each with
// its position in the file.
func (o *paramFlags) readFile() ([]spec.Value, []string) {
	if o.file == "" {
		return nil, nil
	}
	src, err := os.ReadFile(o.file)
	if err != nil {
		return nil, []string{fmt.Sprintf("--params: %v", err)}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, []string{fmt.Sprintf("%s: %v", o.file, err)}
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, []string{fmt.Sprintf("%s: expected a mapping of parameter names to values, such as {ApprovalQueue: order-approvals}", o.file)}
	}
	var out []spec.Value
	var problems []string
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		pos := spec.Pos{File: o.file, Line: v.Line, Col: v.Column}
		if v.Kind != yaml.ScalarNode || v.ShortTag() == "!!null" {
			problems = append(problems, fmt.Sprintf("%s: %s: expected a value (a string or a number)", pos, k.Value))
			continue
		}
		out = append(out, spec.Value{Name: k.Value, Value: v.Value, Pos: pos})
	}
	return out, problems
}
