package spec

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// policyRef is a name a policy statement's Ref or Fn::Sub gives, checked
// once the parameters are all known.
type policyRef struct {
	name string
	pos  Pos
	at   string
	sub  bool // ${name} in an Fn::Sub, rather than a Ref
	// plain: ${name} in a plain string, which CloudFormation leaves as it
	// is and IAM reads as a policy variable (${aws:username}); an error
	// only when it names a parameter or pseudo parameter, the Fn::Sub
	// forgotten.
	plain bool
	text  string // the plain string
}

// allPseudoParams are every pseudo parameter a template may name
// ("Pseudo parameters reference", CloudFormation User Guide).
var allPseudoParams = []string{"AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition",
	"AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix"}

// policyIntrinsic records the names a statement's Ref or Fn::Sub gives.
// An Fn::Sub's own variables (its list form's second item) are names of
// it too.
func (p *parser) policyIntrinsic(fn string, v *yaml.Node, at string) {
	v = resolve(v)
	switch fn {
	case "Ref":
		if v.Kind == yaml.ScalarNode {
			p.policyRefs = append(p.policyRefs, policyRef{name: v.Value, pos: p.pos(v), at: at})
		}
	case "Fn::Sub":
		var vars []string
		if v.Kind == yaml.SequenceNode && len(v.Content) == 2 {
			if m := resolve(v.Content[1]); m.Kind == yaml.MappingNode {
				for i := 0; i < len(m.Content); i += 2 {
					vars = append(vars, strings.TrimSpace(resolve(m.Content[i]).Value))
				}
			}
			v = resolve(v.Content[0])
		}
		if v.Kind != yaml.ScalarNode {
			return
		}
		for _, name := range DeployRefs(v.Value) {
			// CloudFormation trims the name of a ${ Name } (cfn-lint's
			// Sub rule does too), so it names Name.
			if name = strings.TrimSpace(name); !contains(vars, name) {
				p.policyRefs = append(p.policyRefs, policyRef{name: name, pos: p.pos(v), at: at, sub: true})
			}
		}
	}
}

// checkPolicyRefs refuses a Ref or ${...} in a policy statement that
// names no parameter of the spec, no pseudo parameter and no resource
// sfnapic makes (their logical IDs start with ReservedIDPrefixes; an
// Fn::Sub may add .Attribute): CloudFormation refuses the template
// ("Unresolved resource dependencies").
func (p *parser) checkPolicyRefs(s *Spec) {
	known := append(s.ParamNames(), allPseudoParams...)
	plainSaid := map[Pos]bool{} // one error for a string, however many names
	for _, r := range p.policyRefs {
		name := r.name
		if r.plain {
			if contains(known, name) && !plainSaid[r.pos] {
				plainSaid[r.pos] = true
				p.errs.Add(r.pos, r.at, "%q is a plain string: CloudFormation puts no value in its ${%s}, and IAM would read it as a policy variable; write {\"Fn::Sub\": %q}", r.text, name, r.text)
			}
			continue
		}
		if r.sub {
			name, _, _ = strings.Cut(name, ".")
		}
		if contains(known, name) || resourceID(name) {
			continue
		}
		what, literal := "Ref "+strconv.Quote(r.name), ""
		if r.sub {
			what, literal = "${"+r.name+"}", "; write ${!"+r.name+"} for the text ${"+r.name+"}"
		}
		params := "this spec declares no parameters"
		if len(s.Parameters) > 0 {
			params = "parameters: " + strings.Join(s.ParamNames(), ", ")
		}
		p.errs.Add(r.pos, r.at, "%s names no parameter, pseudo parameter (such as AWS::Region) or resource of the template%s; %s%s", what, suggest(name, known), params, literal)
	}
}

// resourceID reports whether name may be the logical ID of a resource
// sfnapic makes: a reserved prefix and letters and digits after it.
func resourceID(name string) bool {
	for _, pre := range ReservedIDPrefixes {
		if strings.HasPrefix(name, pre) && logicalIDText(name) {
			return true
		}
	}
	return false
}

func logicalIDText(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return s != ""
}
