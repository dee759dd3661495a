package spec

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// This file owns the spec's parameters (values given at deployment, which
// become the template's CloudFormation Parameters), its environments
// (named sets of those values) and the ${Name} references of definitions
// that CloudFormation fills in through DefinitionSubstitutions.

// Parameter is one value given when the template is deployed.
type Parameter struct {
	Name        string
	Pos         Pos
	Type        string // a CloudFormation parameter type; String by default
	Description string
	Default     *string
	Allowed     []string
	NoEcho      bool
	Used        bool // referenced by a definition or a policy
}

// Environment is a named set of parameter values (dev, staging, prod).
type Environment struct {
	Name   string
	Pos    Pos
	Values []Value // sorted by name
}

// Value is one parameter's value, with where it was written.
type Value struct {
	Name, Value string
	Pos         Pos
}

// Substitution is one ${Name} a definition uses: a parameter, a pseudo
// parameter (AWS::Region) or a state machine of the same spec (its ARN,
// or with .Name its name).
type Substitution struct {
	Key       string // the text between ${ and }
	Parameter *Parameter
	Pseudo    string        // AWS::Region and the like
	Machine   *StateMachine // ${orders} or ${orders.Name}
	NameOf    bool          // ${orders.Name}: the machine's name, not its ARN
}

// Pseudo parameters a definition may name: "Pseudo parameters reference"
// in the CloudFormation User Guide.
var pseudoParams = []string{"AWS::AccountId", "AWS::Partition", "AWS::Region", "AWS::StackName", "AWS::URLSuffix"}

// parameterTypes are CloudFormation's parameter types besides the
// AWS-specific ones ("Parameters" in the CloudFormation User Guide).
var parameterTypes = []string{"String", "Number", "List<Number>", "CommaDelimitedList"}

// awsParamTypeRe matches the AWS-specific and Systems Manager types, such
// as AWS::EC2::VPC::Id, List<AWS::EC2::Subnet::Id> and
// AWS::SSM::Parameter::Value<String>.
var awsParamTypeRe = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(List<AWS::[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+>|AWS::[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+|AWS::SSM::Parameter::(Value<[A-Za-z0-9:<>]+>|Name))$`)
})

// parameterName: a CloudFormation logical ID is alphanumeric, at most 255.
var parameterName = nameRule{letters, alnum, 255}

// envName: an environment name ends the stack name <api.name>-<env>.
var envName = nameRule{letters, alnum + "-", 64}

// ReservedIDPrefixes start the logical IDs compile gives resources; a
// parameter, which shares their name space in a template, may not start
// with one (compile's TestParameterNamesCannotCollide checks the list).
var ReservedIDPrefixes = []string{"Alias", "Api", "Authorizer", "ExecutionRole", "GatewayResponse", "KeyPolicy", "LambdaPermission", "LogGroup", "Model",
	"PlanKey", "RequestValidator", "Resource", "Route", "Stage", "StateMachine", "UsagePlan", "Version"}

// listType reports whether a parameter's Ref is a list, which cannot be
// put into a definition's string.
func listType(t string) bool { return strings.HasPrefix(t, "List<") || t == "CommaDelimitedList" }

func (p *parser) parameters(n *yaml.Node) []*Parameter {
	var out []*Parameter
	p.mapping(n, "parameters", nil, nil, func(name string, k, v *yaml.Node) {
		at := child("parameters", name)
		if !parameterName.ok(name) {
			p.errs.Add(p.pos(k), at, "parameter name %q must start with a letter and hold only letters and digits (at most 255): it is the template's parameter name", name)
			return
		}
		for _, pre := range ReservedIDPrefixes {
			if strings.HasPrefix(name, pre) {
				p.errs.Add(p.pos(k), at, "parameter name %q starts with %q, which starts the names sfnapic gives the template's resources: rename it", name, pre)
				return
			}
		}
		par := &Parameter{Name: name, Pos: p.pos(k), Type: "String"}
		p.mapping(v, at, ParameterFields.Keys(), nil, func(key string, k, v *yaml.Node) {
			p.parameterField(par, key, v, at+"."+key)
		})
		p.checkDefault(par, at)
		out = append(out, par)
	})
	return out
}

func (p *parser) parameterField(par *Parameter, key string, v *yaml.Node, at string) {
	switch key {
	case "type":
		if s, ok := p.str(v, at); ok {
			if !contains(parameterTypes, s) && !awsParamTypeRe().MatchString(s) {
				p.errs.Add(p.pos(resolve(v)), at, "%q is not a CloudFormation parameter type: String, Number, List<Number>, CommaDelimitedList, an AWS-specific type such as AWS::EC2::VPC::Id, or AWS::SSM::Parameter::Value<String>%s", s, suggest(s, parameterTypes))
			}
			par.Type = s
		}
	case "description":
		par.Description, _ = p.str(v, at)
		p.paramDescription(v, at, par.Description)
	case "default":
		if s, ok := p.scalar(v, at); ok {
			par.Default = &s
		}
	case "allowed":
		n := resolve(v)
		if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
			p.errs.Add(p.pos(n), at, "expected a list of the values allowed, got %s", describe(n))
			return
		}
		for i, c := range n.Content {
			if s, ok := p.scalar(c, fmt.Sprintf("%s[%d]", at, i)); ok {
				par.Allowed = append(par.Allowed, s)
			}
		}
	case "noEcho":
		n := resolve(v)
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
			p.errs.Add(p.pos(n), at, "expected true or false, got %s", describe(n))
			return
		}
		par.NoEcho = n.Value == "true"
	}
}

// scalar reads a parameter value: a string, number or boolean, as its
// text (CloudFormation takes every parameter value as a string).
func (p *parser) scalar(n *yaml.Node, at string) (string, bool) {
	n = resolve(n)
	if n.Kind != yaml.ScalarNode || n.ShortTag() == "!!null" {
		p.errs.Add(p.pos(n), at, "expected a value (a string or a number), got %s", describe(n))
		return "", false
	}
	return n.Value, true
}

// checkDefault checks a parameter's default against its own rules.
func (p *parser) checkDefault(par *Parameter, at string) {
	if par.Default == nil {
		return
	}
	if msg := par.Check(*par.Default); msg != "" {
		p.errs.Add(par.Pos, at+".default", "%s", msg)
	}
}

// Check says what is wrong with v as the parameter's value, or "".
func (par *Parameter) Check(v string) string {
	if msg := paramValueLength(v); msg != "" {
		return msg
	}
	if len(par.Allowed) > 0 && !contains(par.Allowed, v) {
		return fmt.Sprintf("%q is not one of the values allowed for %s: %s%s", v, par.Name, strings.Join(par.Allowed, ", "), suggest(v, par.Allowed))
	}
	if par.Type == "Number" {
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return fmt.Sprintf("%q is not a number, and %s is of type Number", v, par.Name)
		}
	}
	return ""
}

// Param returns the spec's parameter called name, or nil.
func (s *Spec) Param(name string) *Parameter {
	for _, par := range s.Parameters {
		if par.Name == name {
			return par
		}
	}
	return nil
}

// ParamNames lists the spec's parameter names, in spec order.
func (s *Spec) ParamNames() []string {
	out := make([]string, len(s.Parameters))
	for i, par := range s.Parameters {
		out[i] = par.Name
	}
	return out
}

// Env returns the spec's environment called name, or nil.
func (s *Spec) Env(name string) *Environment {
	for _, e := range s.Environments {
		if e.Name == name {
			return e
		}
	}
	return nil
}

// EnvNames lists the spec's environment names, in spec order.
func (s *Spec) EnvNames() []string {
	out := make([]string, len(s.Environments))
	for i, e := range s.Environments {
		out[i] = e.Name
	}
	return out
}

// environments reads the named sets of parameter values; params are the
// spec's parameters, read first.
func (p *parser) environments(n *yaml.Node, params []*Parameter) []*Environment {
	s := &Spec{Parameters: params}
	var out []*Environment
	p.mapping(n, "environments", nil, nil, func(name string, k, v *yaml.Node) {
		at := child("environments", name)
		if !envName.ok(name) {
			p.errs.Add(p.pos(k), at, "environment name %q must start with a letter and hold only letters, digits and '-' (at most 64): it ends the stack name <api.name>-%s", name, name)
			return
		}
		e := &Environment{Name: name, Pos: p.pos(k)}
		p.mapping(v, at, nil, nil, func(key string, k, v *yaml.Node) {
			vat := child(at, key)
			par := s.Param(key)
			if par == nil {
				p.errs.Add(p.pos(k), vat, "no parameter %q is declared under parameters%s", key, suggest(key, s.ParamNames()))
				return
			}
			val, ok := p.scalar(v, vat)
			if !ok {
				return
			}
			if msg := par.Check(val); msg != "" {
				p.errs.Add(p.pos(resolve(v)), vat, "%s", msg)
			}
			e.Values = append(e.Values, Value{Name: key, Value: val, Pos: p.pos(resolve(v))})
		})
		sort.Slice(e.Values, func(i, j int) bool { return e.Values[i].Name < e.Values[j].Name })
		out = append(out, e)
	})
	return out
}

// subRef is one ${...} of a definition, resolved once every machine is
// known.
type subRef struct {
	m   *StateMachine
	key string
	// literal: written ${!key}, the text ${key}.
	literal bool
	pos     Pos
	at      string
}

// scanSubstitutions records the ${...} in the strings of a definition's
// YAML, keys included, with their positions in file.
func (p *parser) scanSubstitutions(n *yaml.Node, file, at string, m *StateMachine, depth int) {
	n = resolve(n)
	if n == nil || depth > maxDepth {
		return
	}
	if n.Kind == yaml.ScalarNode {
		rest := n.Value
		for {
			i := strings.Index(rest, "${")
			if i < 0 {
				return
			}
			j := strings.IndexByte(rest[i:], '}')
			if j < 0 {
				return // no closing brace: no substitution, the text stays
			}
			key := rest[i+2 : i+j]
			rest = rest[i+j+1:]
			lit, literal := strings.CutPrefix(key, "!")
			if literal {
				// ${!Name}: the text ${Name}, which compile writes back.
				m.Literals = true
			}
			p.subRefs = append(p.subRefs, subRef{m: m, key: lit, literal: literal, pos: p.posIn(file, n), at: at})
		}
	}
	for _, c := range n.Content {
		p.scanSubstitutions(c, file, at, m, depth+1)
	}
}

// resolveSubstitutions checks every ${...} of the definitions against the
// spec's parameters, the pseudo parameters and its state machines.
func (p *parser) resolveSubstitutions(s *Spec) {
	p.spec = s
	var names []string
	names = append(names, s.ParamNames()...)
	names = append(names, pseudoParams...)
	for _, m := range s.StateMachines {
		if !m.Existing() {
			names = append(names, m.Name, m.Name+".Name")
		}
	}
	for _, r := range p.subRefs {
		if r.literal {
			continue
		}
		sub := Substitution{Key: r.key}
		switch {
		case contains(pseudoParams, r.key):
			sub.Pseudo = r.key
		case s.Param(r.key) != nil:
			sub.Parameter = s.Param(r.key)
			if listType(sub.Parameter.Type) {
				p.errs.Add(r.pos, r.at, "${%s}: parameter %s is a list (%s), and a definition's string takes one value: make it a String", r.key, r.key, sub.Parameter.Type)
				continue
			}
			sub.Parameter.Used = true
		default:
			mname, attr, _ := strings.Cut(r.key, ".")
			m := machineNamed(s, mname)
			if m == nil || m.Existing() || (attr != "" && attr != "Name") {
				p.errs.Add(r.pos, r.at, "${%s} names no parameter, pseudo parameter or state machine of this spec%s; known: %s. For the text ${%s} itself write ${!%s}",
					r.key, suggest(r.key, names), strings.Join(names, ", "), r.key, r.key)
				continue
			}
			sub.Machine, sub.NameOf = m, attr == "Name"
		}
		r.m.Substitutions = addSubstitution(r.m.Substitutions, sub)
	}
	p.literalConflicts()
	p.machineCycles()
}

// machineCycles refuses a definition that names its own machine, or one
// that names it back: CloudFormation creates a machine only after those
// its DefinitionSubstitutions name, so a cycle cannot be created.
func (p *parser) machineCycles() {
	for _, r := range p.subRefs {
		if r.literal {
			continue
		}
		mname, attr, _ := strings.Cut(r.key, ".")
		m := machineNamed(p.spec, mname)
		if m == nil || m.Existing() || (attr != "" && attr != "Name") || !reaches(m, r.m, map[*StateMachine]bool{}) {
			continue
		}
		p.errs.Add(r.pos, r.at, "${%s} makes a cycle: state machine %s needs %s created first, which needs %s (a machine can read its own ARN at run time from $$.StateMachine.Id)", r.key, r.m.Name, m.Name, r.m.Name)
	}
}

// reaches reports whether from's definition names to, directly or through
// other machines (from == to counts).
func reaches(from, to *StateMachine, seen map[*StateMachine]bool) bool {
	if from == to {
		return true
	}
	if seen[from] {
		return false
	}
	seen[from] = true
	for _, sub := range from.Substitutions {
		if sub.Machine != nil && reaches(sub.Machine, to, seen) {
			return true
		}
	}
	return false
}

// literalConflicts refuses the text ${Name} (written ${!Name}) in a
// definition that also substitutes ${Name}: CloudFormation would replace
// both.
func (p *parser) literalConflicts() {
	for _, r := range p.subRefs {
		if !r.literal {
			continue
		}
		for _, sub := range r.m.Substitutions {
			if sub.Key == r.key {
				p.errs.Add(r.pos, r.at, "${!%s} would be the text ${%s}, but this definition also substitutes ${%s}, and CloudFormation replaces every ${%s}: rename the text", r.key, r.key, r.key, r.key)
			}
		}
	}
}

func machineNamed(s *Spec, name string) *StateMachine {
	for _, m := range s.StateMachines {
		if m.Name == name {
			return m
		}
	}
	return nil
}

// addSubstitution adds sub once, keeping the list sorted by key.
func addSubstitution(list []Substitution, sub Substitution) []Substitution {
	i := sort.Search(len(list), func(i int) bool { return list[i].Key >= sub.Key })
	if i < len(list) && list[i].Key == sub.Key {
		return list
	}
	list = append(list, Substitution{})
	copy(list[i+1:], list[i:])
	list[i] = sub
	return list
}

// markPolicyUses marks the parameters a machine's policies name, in a Ref
// or in an Fn::Sub's ${Name}, as used.
func markPolicyUses(s *Spec, v any) {
	switch v := v.(type) {
	case Object:
		for _, mem := range v {
			if mem.Key == "Ref" {
				if name, ok := mem.Value.(string); ok && s.Param(name) != nil {
					s.Param(name).Used = true
				}
			}
			markPolicyUses(s, mem.Value)
		}
	case []any:
		for _, x := range v {
			markPolicyUses(s, x)
		}
	case string:
		for _, name := range DeployRefs(v) {
			if par := s.Param(strings.TrimSpace(name)); par != nil { // ${ Name } as Fn::Sub reads it
				par.Used = true
			}
		}
	}
}

// deployValues reads parameters, then the environments that set them.
func (p *parser) deployValues(s *Spec, params, envs *yaml.Node) {
	if params != nil {
		s.Parameters = p.parameters(params)
	}
	if envs != nil {
		s.Environments = p.environments(envs, s.Parameters)
	}
}

// unusedParameters warns of a parameter nothing uses: the template would
// ask for a value that changes nothing.
func (p *parser) unusedParameters(s *Spec) {
	for _, m := range s.StateMachines {
		for _, st := range m.Policies {
			markPolicyUses(s, st)
		}
	}
	for _, par := range s.Parameters {
		if !par.Used && !p.errs.HasErrors() {
			p.errs.Warn(par.Pos, child("parameters", par.Name), "nothing uses this parameter: write ${%s} in a definition or in a field that takes an ARN (arn, roleArn, logGroupArn, a key, userPools, function, vpcEndpoints, tags), or {Ref: %s} or ${%s} in an Fn::Sub of a policy", par.Name, par.Name, par.Name)
		}
	}
}

// Values resolves the values a deployment gives the parameters: those of
// environment env (none when ""), then given in order, each overriding
// what came before. Problems lists, all at once, an unknown environment
// or parameter (with did-you-mean), a value its parameter does not allow,
// and, when complete, each parameter left with neither value nor default.
func (s *Spec) Values(env string, given []Value, complete bool) (map[string]string, []string) {
	var problems []string
	out := map[string]string{}
	if env != "" {
		e := s.Env(env)
		if e == nil {
			problems = append(problems, fmt.Sprintf("--env %s: the spec has no environment %q%s; environments: %s", env, env, suggest(env, s.EnvNames()), strings.Join(s.EnvNames(), ", ")))
		} else {
			for _, v := range e.Values {
				out[v.Name] = v.Value
			}
		}
	}
	for _, v := range given {
		par := s.Param(v.Name)
		switch {
		case par == nil && len(s.Parameters) == 0:
			problems = append(problems, fmt.Sprintf("%s: this spec declares no parameters: add %s under parameters, or leave the value out", v.Pos, v.Name))
			continue
		case par == nil:
			problems = append(problems, fmt.Sprintf("%s: the spec declares no parameter %q%s; parameters: %s", v.Pos, v.Name, suggest(v.Name, s.ParamNames()), strings.Join(s.ParamNames(), ", ")))
			continue
		}
		if msg := par.Check(v.Value); msg != "" {
			problems = append(problems, fmt.Sprintf("%s: %s", v.Pos, msg))
			continue
		}
		out[v.Name] = v.Value
	}
	for _, par := range s.Parameters {
		if _, ok := out[par.Name]; !ok && par.Default == nil && complete {
			problems = append(problems, fmt.Sprintf("parameter %s has no value and no default: give it with --param %s=VALUE, in a --params file, or in an environment", par.Name, par.Name))
		}
	}
	return out, append(problems, s.CheckFields(out)...)
}
