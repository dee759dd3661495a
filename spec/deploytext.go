package spec

import (
	"regexp"
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

// resolveDeployTexts checks each field kept by deployed: its ${Name}s,
// then its literal parts with the values the parameters are known to take.
func (p *parser) resolveDeployTexts(s *Spec) {
	known := append(s.ParamNames(), pseudoParams...)
	for _, d := range p.deployTexts {
		if p.deployRefs(s, d, known) {
			p.checkDeployed(s, d)
		}
	}
}

// deployRefs checks that each ${Name} of d names a parameter holding one
// value, or a pseudo parameter, and marks the parameters used. It reports
// whether all do.
func (p *parser) deployRefs(s *Spec, d deployText, known []string) bool {
	good := true
	for _, key := range DeployRefs(d.raw) {
		par := s.Param(key)
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
		}
	}
	return good
}

// DeployRefs lists the names of the ${Name}s of a field's text in order,
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
// defaults, and with each environment's values: each ${Name} takes that
// value, a pseudo parameter a representative one. A combination in which
// a parameter has no value is not checked, so a parameter with no known
// value leaves the field unchecked.
func (p *parser) checkDeployed(s *Spec, d deployText) {
	seen := map[string]bool{}
	for _, sc := range scenarios(s) {
		text, complete := expand(d.raw, sc.values)
		if !complete || seen[text] {
			continue
		}
		seen[text] = true
		if d.ok(text) {
			continue
		}
		switch {
		case !usesParams(s, d.raw):
			// Only pseudo parameters: the same text everywhere.
			p.errs.Add(d.pos, d.at, "%q is not %s (deployed, it reads like %q)", d.raw, d.what, text)
			return
		case sc.env == "":
			p.errs.Add(d.pos, d.at, "%q is not %s: with the parameters' defaults it reads %q", d.raw, d.what, text)
		default:
			p.errs.Add(d.pos, d.at, "%q is not %s: in environment %s it reads %q", d.raw, d.what, sc.env, text)
		}
	}
}

func usesParams(s *Spec, text string) bool {
	for _, key := range DeployRefs(text) {
		if s.Param(key) != nil {
			return true
		}
	}
	return false
}

// scenario is one set of values a deployment gives the parameters: their
// defaults (env "") or an environment's values over them.
type scenario struct {
	env    string
	values map[string]string
}

func scenarios(s *Spec) []scenario {
	defaults := map[string]string{}
	for _, par := range s.Parameters {
		if par.Default != nil {
			defaults[par.Name] = *par.Default
		}
	}
	out := []scenario{{values: defaults}}
	for _, e := range s.Environments {
		vals := make(map[string]string, len(defaults)+len(e.Values))
		for k, v := range defaults {
			vals[k] = v
		}
		for _, v := range e.Values {
			vals[v.Name] = v.Value
		}
		out = append(out, scenario{env: e.Name, values: vals})
	}
	return out
}

// expand replaces each ${Name} of text by its value (a pseudo parameter
// by its representative) and each ${!x} by the text ${x}. complete is
// false when a parameter has no value in values.
func expand(text string, values map[string]string) (string, bool) {
	complete := true
	out := refRe().ReplaceAllStringFunc(text, func(ref string) string {
		key := ref[2 : len(ref)-1]
		if lit, ok := strings.CutPrefix(key, "!"); ok {
			return "${" + lit + "}"
		}
		if v, ok := pseudoExamples[key]; ok {
			return v
		}
		v, ok := values[key]
		complete = complete && ok
		return v
	})
	return out, complete
}

// literalParts masks each ${...} of text with NUL, so that a pattern can
// tell the parts written literally from those the deployment fills in.
func literalParts(text string) string {
	return refRe().ReplaceAllString(text, "\x00")
}
