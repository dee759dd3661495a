package compile

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/sfnapic/sfnapic/spec"
)

// A Task's field may be one ${P}, P a parameter: its value is given at
// deployment. Where the field takes only an ARN, the statement names ${P}
// itself (Fn::Sub). Where it takes a name or an ARN, the values the spec
// gives P (its default and each environment's) tell which it holds: the
// ARN is built around ${P} when they are all names, and ${P} is the ARN
// when they are all ARNs; mixed or unknown values get a warning that says
// what to write.

// param returns the parameter that s, a whole ${Name}, stands for, or nil.
func (d *deriver) param(s string) *spec.Parameter {
	name, ok := wholeSub(s)
	if !ok {
		return nil
	}
	return d.subs[name].Parameter
}

// wholeSub returns Name when s is exactly one ${Name}.
func wholeSub(s string) (string, bool) {
	if !strings.HasPrefix(s, "${") || !strings.HasSuffix(s, "}") || strings.Count(s, "${") != 1 {
		return "", false
	}
	return s[2 : len(s)-1], true
}

// paramValues are the values the spec gives par: its default, then each
// environment's, each once. None means only the deployment knows, as for
// an SSM-typed parameter: what the spec gives it are SSM parameter names
// (/cfg/fn), and CloudFormation reads the values at deploy time.
func (d *deriver) paramValues(par *spec.Parameter) []string {
	if par.FromSSM() {
		return nil
	}
	var out []string
	if par.Default != nil {
		out = append(out, *par.Default)
	}
	for _, e := range d.envs {
		for _, v := range e.Values {
			if v.Name == par.Name && !containsString(out, v.Value) {
				out = append(out, v.Value)
			}
		}
	}
	return out
}

// holds says what a parameter's known values are: "names", "ARNs", or ""
// when they are mixed or there are none.
func (d *deriver) holds(par *spec.Parameter) string {
	vals := d.paramValues(par)
	arns := 0
	for _, v := range vals {
		if strings.HasPrefix(v, "arn:") {
			arns++
		}
	}
	switch {
	case len(vals) == 0:
		return ""
	case arns == 0:
		return "names"
	case arns == len(vals):
		return "ARNs"
	}
	return ""
}

// isARN reports whether a field's value is an ARN: written as one, or a
// ${P} whose known values are all ARNs.
func (d *deriver) isARN(s string) bool {
	if strings.HasPrefix(s, "arn:") {
		return true
	}
	par := d.param(s)
	return par != nil && d.holds(par) == "ARNs"
}

// nameOrARN reads a ${P} in a field that takes a name or an ARN: the
// caller builds the ARN around it when P holds names (d.isARN tells it
// apart), and the warning says what to write when sfnapic cannot tell.
func (d *deriver) nameOrARN(t *spec.Task, pos spec.Pos, key, s string, par *spec.Parameter, actions []string, resource string) (string, bool) {
	if d.holds(par) != "" && key != "QueueUrl" {
		return s, true
	}
	why := unknownValue(par)
	if len(d.paramValues(par)) > 0 {
		why = "is given both names and ARNs (" + strings.Join(d.paramValues(par), ", ") + ")"
	}
	if key == "QueueUrl" {
		why = "may hold a queue's name or its URL"
	}
	d.warn(t, pos, actions, resource, fmt.Sprintf("%s is %s, and parameter %s %s, so sfnapic cannot tell whether it holds a name or an ARN: %s, or if it holds the name write %s: %q",
		key, s, par.Name, why, giveValues(par, "give "+par.Name+" only names or only ARNs (a default or each environment's value)"), key, fmt.Sprintf(eitherFields[key], s)))
	return "", false
}

// unknownValue says why paramValues knows no value of par.
func unknownValue(par *spec.Parameter) string {
	if par.FromSSM() {
		return "is read from Systems Manager at deploy time (the spec gives it SSM parameter names, not values)"
	}
	return "has no default and no environment sets it"
}

// giveValues is what to do so that sfnapic knows par's values: fix,
// unless par is SSM-typed, whose values the spec can never give.
func giveValues(par *spec.Parameter, fix string) string {
	if par.FromSSM() {
		return "make " + par.Name + " a String parameter whose values (default, environments') are the value itself, not an SSM name"
	}
	return fix
}

// resourceParam derives the grant of a Task whose Resource is ${P}: a
// Lambda function's ARN (lambda:InvokeFunction on it and its versions and
// aliases), unless P's known values are activities', which workers poll
// (nothing to grant). Values of any other kind, or none known, get a
// warning.
func (d *deriver) resourceParam(t *spec.Task, par *spec.Parameter) {
	fns, activities := 0, 0
	vals := d.paramValues(par)
	for _, v := range vals {
		parts := strings.Split(v, ":")
		switch {
		case len(parts) >= 7 && parts[0] == "arn" && parts[2] == "lambda" && parts[5] == "function":
			fns++
		case len(parts) >= 7 && parts[0] == "arn" && parts[2] == "states" && parts[5] == "activity":
			activities++
		}
	}
	switch {
	case len(vals) == 0:
		// Nothing tells a function from an activity (or anything else).
		d.warns.Warn(t.Pos, t.Path+".Resource", "Resource is %s, and parameter %s %s, so sfnapic cannot tell whether it is a Lambda function's ARN or an activity's, and no statement is derived for it: %s, or, for a function, add under policies: {Effect: Allow, Action: [lambda:InvokeFunction], Resource: [{\"Fn::Sub\": \"%s\"}, {\"Fn::Sub\": \"%s:*\"}]} (an activity needs none)",
			t.Resource, par.Name, unknownValue(par), giveValues(par, "give "+par.Name+" a default or an environment value"), t.Resource, t.Resource)
	case activities > 0 && activities == len(vals):
	case activities == 0 && fns == len(vals):
		d.grant(t, []string{"lambda:InvokeFunction"}, t.Resource, t.Resource+":*")
	default:
		d.warns.Warn(t.Pos, t.Path+".Resource", "Resource is %s, and parameter %s's values (%s) are not all Lambda function ARNs or all activity ARNs, so no statement is derived for it; add the statement it needs under policies",
			t.Resource, par.Name, strings.Join(vals, ", "))
	}
}

// wildcards warns at each known value, holding * or ?, of a parameter
// that a derived statement reads: IAM reads them as wildcards in a
// Resource, so the statement would reach every resource they match (a
// table's default "*": every table). The spec cannot tell which values a
// statement reads; the warning names the statements each value widens.
func (d *deriver) wildcards() {
	pars, reads := d.paramReaders()
	for _, par := range pars {
		if par.FromSSM() {
			continue // its values are SSM names, not what the statement reads
		}
		widens := func(pos spec.Pos, path, whose, v string) {
			if wild(v) {
				d.warns.Warn(pos, path, "%s", widenMessage(par, whose, v, reads[par]))
			}
		}
		if par.Default != nil {
			widens(par.Pos, "parameters."+par.Name+".default", "default", *par.Default)
		}
		for _, e := range d.envs {
			for _, v := range e.Values {
				if v.Name == par.Name {
					widens(v.Pos, "environments."+e.Name+"."+par.Name, "value in environment "+e.Name, v.Value)
				}
			}
		}
	}
}

// paramReaders are the parameters the derived statements read, in the
// order they are first read, each with the statements that read it.
func (d *deriver) paramReaders() ([]*spec.Parameter, map[*spec.Parameter][]string) {
	var pars []*spec.Parameter
	reads := map[*spec.Parameter][]string{}
	for _, g := range d.grants {
		for _, r := range g.Resources {
			for _, name := range subNames(r) {
				par := d.subs[name].Parameter
				if par == nil {
					continue
				}
				if reads[par] == nil {
					pars = append(pars, par)
				}
				st := g.Task.Path + " (" + strings.Join(g.Actions, ",") + " on " + r + ")"
				if !containsString(reads[par], st) {
					reads[par] = append(reads[par], st)
				}
			}
		}
	}
	return pars, reads
}

func wild(v string) bool { return strings.ContainsAny(v, "*?") }

func widenMessage(par *spec.Parameter, whose, v string, reads []string) string {
	return fmt.Sprintf("parameter %s's %s %s holds * or ?, which IAM reads as wildcards in a statement's Resource: the statement derived from %s would reach every resource it matches; give %s the exact name or ARN, or write the statement you mean under policies",
		par.Name, whose, quote(v), strings.Join(reads, " and from "), par.Name)
}

// WideValues lists warnings for the values a deployment gives (--param,
// --params, an environment's) that would widen a statement derived from
// the workflow: a * or ? in a parameter a derived Resource reads. The
// spec's own values are warnings at their positions (Derive); these have
// none, so the commands print them. They are not refused: an S3 object
// key may hold * and ?, and IAM has no way to write them literally in a
// derived statement, only ${*} and ${?} in one written under policies.
func WideValues(s *spec.Spec, values map[string]string) []string {
	var problems []string
	for _, m := range s.StateMachines {
		if m.Existing() || m.RoleARN != "" {
			continue
		}
		pars, reads := derive(s, m).paramReaders()
		for _, par := range pars {
			if v, ok := values[par.Name]; ok && wild(v) && !par.FromSSM() {
				problems = append(problems, widenMessage(par, "value", v, reads[par])+
					"; if the value means * or ? literally, write that statement with IAM's escapes ${*} and ${?} (in an Fn::Sub, ${!*} and ${!?})")
			}
		}
	}
	return problems
}

// subNames are the names of the ${Name}s in a derived resource, a
// ${P#i} (a part of P) as P.
func subNames(r string) []string {
	var names []string
	for {
		i := strings.Index(r, "${")
		j := strings.IndexByte(r[max(i, 0):], '}')
		if i < 0 || j < 0 {
			return names
		}
		name, _, _ := strings.Cut(r[i+2:i+j], "#")
		names = append(names, name)
		r = r[i+j+1:]
	}
}

// partOf writes part i of the ARN that parameter P holds (its parts
// separated by ':'), as ${P#i}: derivedStatements makes it an Fn::Sub
// variable that selects the part. A .sync child's executions are named
// from its machine's ARN this way.
func partOf(par *spec.Parameter, i int) string {
	return "${" + par.Name + "#" + strconv.Itoa(i) + "}"
}

// resourceValue is a derived resource as the template writes it: the
// ARN itself, or an Fn::Sub of it, with a variable for each ${P#i}.
func (b *builder) resourceValue(r string) any {
	if !strings.Contains(r, "${") {
		return r
	}
	if !strings.Contains(r, "#") {
		return b.t.Sub(r)
	}
	vars := map[string]any{}
	var text strings.Builder
	for {
		i := strings.Index(r, "${")
		j := strings.IndexByte(r[max(i, 0):], '}')
		if i < 0 || j < 0 {
			text.WriteString(r)
			break
		}
		key := r[i+2 : i+j]
		text.WriteString(r[:i])
		r = r[i+j+1:]
		name, part, isPart := strings.Cut(key, "#")
		if !isPart {
			text.WriteString("${" + key + "}")
			continue
		}
		n, _ := strconv.Atoi(part)
		v := name + "Part" + part
		vars[v] = map[string]any{"Fn::Select": []any{n, map[string]any{"Fn::Split": []any{":", map[string]any{"Ref": name}}}}}
		text.WriteString("${" + v + "}")
	}
	if len(vars) == 0 {
		return b.t.Sub(text.String())
	}
	return map[string]any{"Fn::Sub": []any{text.String(), vars}}
}
