package cmd

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/awslabs/goformation/v7/cloudformation/apigateway"
	"github.com/awslabs/goformation/v7/cloudformation/stepfunctions"

	"github.com/sfnapic/sfnapic/cfn"
	"github.com/sfnapic/sfnapic/compile"
	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/spec"
)

// This file loads what a command runs against, once for every command: a
// spec (compiled), a template file that build wrote, and the ARNs of a
// deployed stack.

// compiled is a spec compiled and serialized, with every diagnostic.
type compiled struct {
	spec  *spec.Spec
	out   []byte
	diags spec.ErrorList
}

// compileFile reads, parses, compiles and serializes one spec. Definition
// files are read relative to the spec's directory. It returns an error only
// for problems that are not diagnostics (the spec cannot be read).
func compileFile(name, format string) (*compiled, error) {
	s, diags, err := loadSpec(name)
	if err != nil {
		return nil, err
	}
	c := &compiled{spec: s, diags: diags}
	if s == nil {
		return c, nil
	}
	out, limits, err := compile.Build(s, format)
	if err != nil {
		return nil, err
	}
	c.out = out
	c.diags = append(c.diags, limits...)
	c.diags.Sort()
	return c, nil
}

// loadSpec reads and parses one spec, with definition files read relative
// to its directory and diagnostics naming it as given.
//
// Definition files are read through an os.Root of the spec's directory, so
// no path and no symbolic link can reach a file outside it.
func loadSpec(name string) (*spec.Spec, spec.ErrorList, error) {
	src, err := readInput(name, spec.MaxFileBytes)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read spec: %w", err)
	}
	root, err := os.OpenRoot(filepath.Dir(name))
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read the spec's directory: %w", err)
	}
	defer root.Close()
	s, diags := spec.Parse(filepath.ToSlash(name), src, root.FS())
	return s, diags, nil
}

// target is what render, serve, invoke and test-invoke run requests
// against: a local gateway over the template, and what the spec, when
// there is one, says of it.
type target struct {
	g *gateway.Gateway
	// names are the spec's names of its state machines, by the ARN the
	// gateway shows for them.
	names map[string]string
	// ids are the spec's names of the machines the stack creates, by
	// logical ID; deployed is set once their ARNs are a stack's, not
	// placeholders.
	ids      map[string]string
	deployed bool
	// files are those it was read from, which serve --watch watches.
	files []string
	// apiName is the API's name (the spec's api.name, or the template's
	// RestApi Name), the stack's when --stack is not given; apiNameField
	// says which, for the line that names the stack.
	apiName, apiNameField string
	// spec is the spec compiled, nil for a template: its parameters
	// and environments (paramFlags.local).
	spec *spec.Spec
}

// loadTarget compiles the spec, or reads the template (when templateName
// is set), into a target. A spec with errors is errReported, with its
// diagnostics for the caller to print; a spec without comes back with its
// warnings.
func loadTarget(specName, templateName string) (*target, spec.ErrorList, error) {
	g, sp, diags, err := loadGateway(specName, templateName)
	if err != nil {
		return nil, diags, err
	}
	t := &target{g: g, names: map[string]string{}, ids: map[string]string{}}
	if sp == nil {
		t.files = []string{templateName}
		t.apiName, t.apiNameField = restAPIName(g.Template), "the RestApi's Name"
		return t, nil, nil
	}
	t.files, t.spec = []string{specName}, sp
	t.apiName, t.apiNameField = sp.API.Name, "api.name"
	dir := specName[:strings.LastIndexAny(specName, `/\`)+1]
	ids := compile.MachineIDs(sp)
	for _, m := range sp.StateMachines {
		if m.DefinitionFile != "" {
			t.files = append(t.files, dir+m.DefinitionFile)
		}
		if m.Existing() {
			t.names[m.ARN] = m.Name
		} else {
			t.ids[ids[m.Name]] = m.Name
			t.names[g.Vars[ids[m.Name]]] = m.Name
		}
	}
	return t, diags, nil
}

// loadGateway compiles the spec, or reads the template, into a local
// gateway. With a spec, it returns the spec and its diagnostics too.
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

// fromStack reads the outputs of the stack the flags name, and replaces
// the target's placeholder ARNs with the stack's.
func (t *target) fromStack(ctx context.Context, o *awsFlags) (aws.Config, map[string]string, error) {
	cfg, outputs, id, err := o.readStackID(ctx)
	if err != nil {
		return cfg, nil, err
	}
	return cfg, outputs, t.useStack(outputs, id, o.stack)
}

// useStack replaces the placeholder ARNs with those of a deployed stack,
// from its outputs, and the placeholder partition, region and account
// with the stack's, from its ID.
func (t *target) useStack(outputs map[string]string, id, stack string) error {
	vars := map[string]string{}
	stackPlace(vars, id)
	if err := stackMachines(outputs, stack, t.g, vars); err != nil {
		return err
	}
	for k, v := range vars {
		t.g.Vars[k] = v
	}
	for id, name := range t.ids {
		t.names[t.g.Vars[id]] = name
	}
	t.deployed = true
	return nil
}

// stackMachines reads the ARNs of the template's state machines from a
// deployed stack's outputs (sfnapic writes one, compile.MachineOutput, for
// each).
func stackMachines(outputs map[string]string, stack string, g *gateway.Gateway, vars map[string]string) error {
	var missing []string
	for _, id := range machineIDs(g.Template) {
		arn := outputs[compile.MachineOutput(id)]
		if !strings.Contains(arn, ":stateMachine:") {
			missing = append(missing, id)
			continue
		}
		setMachine(vars, id, arn)
	}
	if len(missing) > 0 {
		return missingOutput(stack, outputs, "output for state machine "+strings.Join(missing, ", "), fmt.Sprintf("deploy this spec to it first (sfnapic deploy SPEC --stack %s)", stack))
	}
	return nil
}

// setMachine gives the gateway's variables a machine's real ARN, and the
// account and region it lives in.
func setMachine(vars map[string]string, id, arn string) {
	vars[id] = arn
	parts := strings.Split(arn, ":")
	if len(parts) >= 7 {
		vars[id+".Name"] = parts[6]
		vars["AWS::Partition"], vars["AWS::Region"], vars["AWS::AccountId"] = parts[1], parts[3], parts[4]
	}
}

// restAPIName is the Name of the template's RestApi (build writes
// api.name there), or "" when it has none or several.
func restAPIName(t *cfn.Template) string {
	name := ""
	for _, r := range t.CFN.Resources {
		if api, ok := r.(*apigateway.RestApi); ok {
			if name != "" || api.Name == nil {
				return ""
			}
			name = *api.Name
		}
	}
	return name
}

// machineIDs are the logical IDs of the template's state machines, sorted.
func machineIDs(t *cfn.Template) []string {
	var ids []string
	for id, r := range t.CFN.Resources {
		if _, ok := r.(*stepfunctions.StateMachine); ok {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}
