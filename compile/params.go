package compile

import (
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"

	"github.com/sfnapic/sfnapic/spec"
)

// parameters declares the spec's parameters as the template's
// CloudFormation Parameters ("Parameters" in the CloudFormation User
// Guide): every value there is a string, so defaults and allowed values
// are written as their text.
func (b *builder) parameters() {
	if len(b.s.Parameters) == 0 {
		return
	}
	b.t.CFN.Parameters = cloudformation.Parameters{}
	for _, par := range b.s.Parameters {
		p := cloudformation.Parameter{Type: par.Type}
		if par.Description != "" {
			p.Description = ptr(par.Description)
		}
		if par.Default != nil {
			p.Default = *par.Default
		}
		for _, v := range par.Allowed {
			p.AllowedValues = append(p.AllowedValues, v)
		}
		if par.NoEcho {
			p.NoEcho = ptr(true)
		}
		b.t.CFN.Parameters[par.Name] = p
	}
}

// substitutions is a machine's DefinitionSubstitutions ("AWS::
// StepFunctions::StateMachine" in the CloudFormation User Guide: each
// ${key} of the definition is replaced by the key's value, so the
// definition stays JSON as written); nil when it uses none. ids are the
// machines' logical IDs.
func (b *builder) substitutions(m *spec.StateMachine, ids map[string]string) map[string]any {
	if len(m.Substitutions) == 0 {
		return nil
	}
	out := map[string]any{}
	for _, sub := range m.Substitutions {
		switch {
		case sub.Parameter != nil:
			out[sub.Key] = b.t.Ref(sub.Parameter.Name)
		case sub.Pseudo != "":
			out[sub.Key] = b.t.Ref(sub.Pseudo)
		case sub.NameOf:
			out[sub.Key] = b.t.GetAtt(ids[sub.Machine.Name], "Name")
		default:
			out[sub.Key] = b.t.Ref(ids[sub.Machine.Name])
		}
	}
	return out
}

// deployed writes a spec field whose value may come from the deployment
// (${Name} of a parameter or pseudo parameter, spec.DeployRefs): the text
// itself when it names none, a Ref when it is exactly one, an Fn::Sub
// otherwise. A ${!x} is the text ${x}, in Fn::Sub and out of it.
func (b *builder) deployed(s string) string {
	refs := spec.DeployRefs(s)
	switch {
	case len(refs) == 0:
		return unescape(s)
	case s == "${"+refs[0]+"}":
		return b.t.Ref(refs[0])
	}
	return b.t.Sub(s)
}

// deployedList is deployed for each text of a list (nil for none).
func (b *builder) deployedList(list []string) []string {
	if len(list) == 0 {
		return nil
	}
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = b.deployed(s)
	}
	return out
}

// literals writes each ${!Name} of a definition as the text ${Name}, which
// DefinitionSubstitutions leaves alone when Name is not one of its keys
// (the spec refuses a definition that substitutes Name too).
func literals(v any) any {
	switch v := v.(type) {
	case spec.Object:
		out := make(spec.Object, len(v))
		for i, m := range v {
			out[i] = spec.Member{Key: unescape(m.Key), Value: literals(m.Value)}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = literals(x)
		}
		return out
	case string:
		return unescape(v)
	}
	return v
}

func unescape(s string) string { return strings.ReplaceAll(s, "${!", "${") }
