package spec

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// This file owns the fields outside definitions whose values may come
// from the deployment (issue 20): an existing machine's arn, roleArn,
// logs.logGroupArn, an alias deployment's alarms, api.tags values,
// api.vpcEndpoints and the authorizers' userPools and function. Each may
// hold ${Name} of a parameter or of a pseudo parameter anywhere in its
// text; compile writes it as a Ref or an Fn::Sub. Other ${...} have no
// meaning there, and a literal ${x} is written ${!x}, as in Fn::Sub.

// deployText is one such field's value, checked once the parameters and
// environments are read.
type deployText struct {
	raw  string
	pos  Pos
	at   string
	ok   func(string) bool // the field's rule for the value as deployed
	what string            // "a state machine ARN such as ...": what ok wants
}

// Representatives of the pseudo parameters that fit every ARN pattern: the
// literal parts of a field are checked with these in place.
var pseudoExamples = map[string]string{
	"AWS::AccountId": "123456789012", "AWS::Partition": "aws", "AWS::Region": "us-east-1",
	"AWS::StackName": "stack", "AWS::URLSuffix": "amazonaws.com",
}

// refRe matches one ${...} of a text, literal or not.
var refRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\$\{[^}]*\}`) })

// deployed checks the value s of a field at n: at once when it is literal
// (ok tells whether it fits; the error says it is not what), and when it
// holds ${...}, once every parameter is known (deployTexts).
func (p *parser) deployed(n *yaml.Node, at, s string, ok func(string) bool, what string) {
	if p.deferDeployed(n, at, s, ok, what) {
		return
	}
	if !ok(s) {
		p.errs.Add(p.pos(resolve(n)), at, "%q is not %s", s, what)
	}
}

// deferDeployed keeps s for deployTexts when it holds ${, and says so.
func (p *parser) deferDeployed(n *yaml.Node, at, s string, ok func(string) bool, what string) bool {
	if !strings.Contains(s, "${") {
		return false
	}
	p.deployTexts = append(p.deployTexts, deployText{raw: s, pos: p.pos(resolve(n)), at: at, ok: ok, what: what})
	return true
}

// deployCheckBudget bounds the work of checking fields with each
// environment's values (values looked up and bytes expanded): a hostile
// spec (thousands of long fields, thousands of environments) must not make
// it quadratic. Past it the ${Name}s are still checked, and the patterns
// are left to AWS.
const deployCheckBudget = 8 << 20

// maxDeployErrors bounds the environments named for one field: past them
// the field's text is the problem, not an environment's value.
const maxDeployErrors = 3

// resolveDeployTexts checks each field kept by deployed: its ${Name}s,
// then its literal parts with the values the parameters are known to take.
func (p *parser) resolveDeployTexts(s *Spec) {
	if len(p.deployTexts) == 0 {
		return
	}
	known := append(s.ParamNames(), pseudoParams...)
	params := map[string]*Parameter{}
	for _, par := range s.Parameters {
		params[par.Name] = par
	}
	budget := deployCheckBudget
	for _, d := range p.deployTexts {
		refs, good := p.deployRefs(params, d, known)
		if good {
			p.checkDeployed(s, params, d, refs, &budget)
		}
	}
}

// deployRefs checks that each ${Name} of d names a parameter holding one
// value, or a pseudo parameter, and marks the parameters used. It returns
// the parameters named, each once, and whether all names are good.
func (p *parser) deployRefs(params map[string]*Parameter, d deployText, known []string) ([]string, bool) {
	var refs []string
	named := map[string]bool{}
	good := true
	for _, key := range DeployRefs(d.raw) {
		par := params[key]
		switch {
		case contains(pseudoParams, key):
		case par == nil:
			p.errs.Add(d.pos, d.at, "${%s} names no parameter or pseudo parameter of this spec%s; known: %s. For the text ${%s} itself write ${!%s}",
				key, suggest(key, known), strings.Join(known, ", "), key, key)
			good = false
		case listType(par.Type):
			p.errs.Add(d.pos, d.at, "${%s}: parameter %s is a list (%s), and this field takes one value: make it a String", key, key, par.Type)
			good = false
		default:
			par.Used = true
			if !named[key] {
				named[key] = true
				refs = append(refs, key)
			}
		}
	}
	return refs, good
}

// existingExecutions refuses an existing machine's arn that takes
// parameters' values without writing ":stateMachine:" when a route reads
// or stops its executions: their ARN is the machine's with ":execution:"
// in its place, which a template can only build from the text.
func (p *parser) existingExecutions(s *Spec) {
	for _, d := range p.deployTexts {
		for _, r := range s.Routes {
			m := r.StateMachine
			if m == nil || d.at != child("stateMachines", m.Name)+".arn" || strings.Contains(m.ARN, ":stateMachine:") ||
				(r.Action != ActionStatus && r.Action != ActionStop) {
				continue
			}
			p.errs.Add(d.pos, d.at, "route %s %s (%s) needs the ARNs of this machine's executions, which sfnapic builds from its ARN by putting \":execution:\" in place of \":stateMachine:\": write the ARN by its parts, such as arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:${Name}",
				r.Method, r.Path, r.Action)
			break
		}
	}
}

// DeployRefs lists the names of the ${Name}s of a text (a field that
// takes them, an Fn::Sub of a policy), in order,
// without the literal ${!x}.
func DeployRefs(text string) []string {
	var out []string
	for _, ref := range refRe().FindAllString(text, -1) {
		if key := ref[2 : len(ref)-1]; !strings.HasPrefix(key, "!") {
			out = append(out, key)
		}
	}
	return out
}

// checkDeployed checks d's text as it is deployed with the parameters'
// defaults, and with each environment's values over them: each ${Name}
// takes that value, a pseudo parameter a representative one. A set of
// values in which a parameter of refs has none is not checked, so a
// parameter with no known value leaves the field unchecked. Each check
// spends budget.
func (p *parser) checkDeployed(s *Spec, params map[string]*Parameter, d deployText, refs []string, budget *int) {
	if len(refs) == 0 {
		// Only pseudo parameters: the same text everywhere.
		if text := expand(d.raw, nil); !d.ok(text) {
			p.errs.Add(d.pos, d.at, "%q is not %s (deployed, it reads like %q)", d.raw, d.what, text)
		}
		return
	}
	seen, failed := map[string]bool{}, 0
	check := func(env string, own []Value) {
		if *budget <= 0 || failed == maxDeployErrors {
			return
		}
		*budget -= 16 + len(refs) // a map and a key per check
		p.deployChecks++
		values := map[string]string{}
		var key strings.Builder
		for _, name := range refs {
			v, ok := valueIn(own, name)
			if !ok && params[name].Default != nil {
				v, ok = *params[name].Default, true
			}
			if !ok || params[name].FromSSM() {
				return
			}
			values[name] = v
			key.WriteString(v + "\x00")
		}
		if seen[key.String()] {
			return
		}
		seen[key.String()] = true
		*budget -= len(d.raw)
		if text := expand(d.raw, values); !d.ok(text) {
			failed++
			if env == "" {
				p.errs.Add(d.pos, d.at, "%q is not %s: with the parameters' defaults it reads %q", d.raw, d.what, text)
			} else {
				p.errs.Add(d.pos, d.at, "%q is not %s: in environment %s it reads %q", d.raw, d.what, env, text)
			}
		}
	}
	check("", nil)
	for _, e := range s.Environments {
		check(e.Name, e.Values)
	}
}

// FromSSM reports whether a parameter's values name SSM parameters, whose
// values CloudFormation reads at deploy time: its default and its
// environments' values are names, not what a field receives, so whatever
// reads them (these checks, compile's deriver) knows no value of it.
func (par *Parameter) FromSSM() bool {
	return strings.HasPrefix(par.Type, "AWS::SSM::Parameter::Value<")
}

// CheckFields checks each field that takes ${Name} (deployed) with the
// values a deployment gives: the parse checked the values the spec knows
// (defaults, environments); these may come from --param or --params,
// and would otherwise reach the template, and the request templates that
// carry an existing machine's ARN, unchecked. A field with a parameter
// that has no value here, or whose value SSM holds, is left to AWS.
func (s *Spec) CheckFields(values map[string]string) []string {
	var problems []string
	for _, d := range s.deployTexts {
		vals, known := map[string]string{}, true
		for _, name := range DeployRefs(d.raw) {
			par := s.Param(name)
			if par == nil {
				continue // a pseudo parameter
			}
			v, ok := values[name]
			if !ok && par.Default != nil {
				v, ok = *par.Default, true
			}
			if !ok || par.FromSSM() {
				known = false
				break
			}
			vals[name] = v
		}
		if !known || len(vals) == 0 {
			continue
		}
		if text := expand(d.raw, vals); !d.ok(text) {
			problems = append(problems, fmt.Sprintf("%s: %s: %q is not %s: with these values it reads %q", d.pos, d.at, d.raw, d.what, text))
		}
	}
	return problems
}

// valueIn finds a parameter's value among an environment's, which are
// sorted by name.
func valueIn(values []Value, name string) (string, bool) {
	i := sort.Search(len(values), func(i int) bool { return values[i].Name >= name })
	if i < len(values) && values[i].Name == name {
		return values[i].Value, true
	}
	return "", false
}

// expand replaces each ${Name} of text by its value in values (a pseudo
// parameter by its representative) and each ${!x} by the text ${x}.
func expand(text string, values map[string]string) string {
	return refRe().ReplaceAllStringFunc(text, func(ref string) string {
		key := ref[2 : len(ref)-1]
		if lit, ok := strings.CutPrefix(key, "!"); ok {
			return "${" + lit + "}"
		}
		if v, ok := pseudoExamples[key]; ok {
			return v
		}
		return values[key]
	})
}

// literalParts masks each ${...} of text with NUL, so that a pattern can
// tell the parts written literally from those the deployment fills in.
func literalParts(text string) string {
	return refRe().ReplaceAllString(text, "\x00")
}
