package cmd

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation/stepfunctions"

	"github.com/sfnapic/sfnapic/cfn"
	"github.com/sfnapic/sfnapic/gateway"
)

// This file gives render, serve and test-invoke the values of the spec's
// parameters that deploy would send: the local gateway evaluates each
// Fn::Sub and each definition substitution with them.

// local checks the values as deploy does (every problem at once, a usage
// error) and puts them in the target gateway's Vars, where Fn::Sub texts
// find them. A parameter with no value and no default, or whose value
// only AWS knows (an SSM parameter's), gets the placeholder <Name>, with a
// note. With --env, the stack the target defaults to is <api.name>-NAME,
// as deploy names it.
func (o *paramFlags) local(a *app, t *target) error {
	given, err := keyValues("param", o.params)
	if err != nil {
		return err
	}
	if t.spec == nil {
		if o.env != "" || o.file != "" || len(given) > 0 {
			return usagef("--env, --params and --param give values to a spec's parameters: name the SPEC, not --template")
		}
		return nil
	}
	values, err := o.values(t.spec, given, false, a.stderr)
	if err != nil {
		return err
	}
	for _, par := range t.spec.Parameters {
		v, ok := values[par.Name]
		if !ok && par.Default != nil {
			v, ok = *par.Default, true
		}
		switch {
		case !ok:
			fmt.Fprintf(a.stderr, "note: parameter %s has no value and no default: shown as <%s> (give it with --env, --params or --param %s=VALUE)\n", par.Name, par.Name, par.Name)
			v = "<" + par.Name + ">"
		case strings.HasPrefix(par.Type, "AWS::SSM::Parameter::Value<"):
			// CloudFormation reads the value from Systems Manager at
			// deploy ("SSM parameter types", CloudFormation User Guide).
			fmt.Fprintf(a.stderr, "note: parameter %s is the value of SSM parameter %s, which only AWS knows: shown as <%s>\n", par.Name, v, par.Name)
			v = "<" + par.Name + ">"
		}
		t.g.Vars[par.Name] = v
	}
	if o.env != "" {
		t.apiName, t.apiNameField = o.stackBase(t.apiName), "api.name and --env"
	}
	t.nameExisting()
	return nil
}

// substituted is a state machine's definition as Step Functions runs it:
// each ${key} of its DefinitionSubstitutions replaced by the key's value
// ("AWS::StepFunctions::StateMachine", CloudFormation User Guide), a Ref
// or Fn::GetAtt evaluated with vars (the ARNs and names of the machines,
// the pseudo parameters', the parameters' values). A ${Name} that is not a
// key stays as written.
func substituted(t *cfn.Template, m *stepfunctions.StateMachine, vars func(string) (string, bool)) ([]byte, error) {
	def, err := json.Marshal(m.Definition)
	if err != nil {
		return nil, err
	}
	text := string(def)
	for key, raw := range m.DefinitionSubstitutions {
		v, err := substitution(t, raw, vars)
		if err != nil {
			return nil, fmt.Errorf("DefinitionSubstitutions %s: %w", key, err)
		}
		quoted, _ := json.Marshal(v)
		text = strings.ReplaceAll(text, "${"+key+"}", string(quoted[1:len(quoted)-1]))
	}
	return []byte(text), nil
}

// substitution evaluates one value of DefinitionSubstitutions: a string,
// a Ref, or an Fn::GetAtt.
func substitution(t *cfn.Template, raw any, vars func(string) (string, bool)) (string, error) {
	s, ok := raw.(string)
	if !ok {
		return fmt.Sprint(raw), nil
	}
	name := ""
	if id, ok := t.RefTarget(s); ok {
		name = id
	} else if id, attr, ok := t.GetAttTarget(s); ok {
		name = id + "." + attr
	} else if _, ok := t.Intrinsic(s); !ok {
		return s, nil
	} else {
		return "", fmt.Errorf("only a Ref or an Fn::GetAtt can be evaluated here")
	}
	if v, ok := vars(name); ok {
		return v, nil
	}
	return "", fmt.Errorf("%s has no value here", name)
}

// printSubstitutions shows the values the started machine's definition
// takes for its ${key}s, when the template creates it and it has any: what
// --env, --params and --param change in what the route starts.
func printSubstitutions(a *app, output string, rt *target, call *gateway.Call, res *renderResult) {
	id, created := rt.g.MachineOf(call.Request.StateMachineArn)
	if !created || call.Request.StateMachineArn == "" {
		return
	}
	m, _ := rt.g.Template.CFN.Resources[id].(*stepfunctions.StateMachine)
	if m == nil || len(m.DefinitionSubstitutions) == 0 {
		return
	}
	res.Substitutions = map[string]string{}
	keys := make([]string, 0, len(m.DefinitionSubstitutions))
	for key, raw := range m.DefinitionSubstitutions {
		v, err := substitution(rt.g.Template, raw, func(name string) (string, bool) {
			if rt.spec != nil && rt.spec.Param(name) != nil && rt.spec.Param(name).NoEcho {
				return "****", true // as CloudFormation shows a NoEcho value
			}
			v, ok := rt.g.Vars[name]
			return v, ok
		})
		if err != nil {
			v = "(" + err.Error() + ")"
		}
		res.Substitutions[key] = v
		keys = append(keys, key)
	}
	if output != "text" {
		return
	}
	sort.Strings(keys)
	fmt.Fprintf(a.stdout, "\nDefinition substitutions (the machine runs its definition with these):\n")
	for _, k := range keys {
		fmt.Fprintf(a.stdout, "  ${%s} = %s\n", k, res.Substitutions[k])
	}
}
