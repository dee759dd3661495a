package spec

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// intrinsics are the CloudFormation functions that may give a policy
// statement's Action or Resource ("Intrinsic function reference").
var intrinsics = []string{"Ref", "Fn::Sub", "Fn::GetAtt", "Fn::Join", "Fn::ImportValue", "Fn::If", "Fn::Select", "Fn::FindInMap", "Fn::Split"}

// actionRe is an IAM action: a service prefix and an action name, which
// may hold wildcards ("IAM JSON policy elements: Action").
var actionRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[a-z0-9-]+:[A-Za-z0-9*?]+$`) })

// statementValues refuses an Action or Resource that IAM would reject when
// CloudFormation creates the role: a Resource that is neither "*" nor an
// ARN, an Action that is not service:Name, or a mapping that is not one
// intrinsic function. Each is reported at its position.
func (p *parser) statementValues(key string, v *yaml.Node, at string) {
	v = resolve(v)
	if v.Kind == yaml.SequenceNode {
		for i, c := range v.Content {
			p.statementValue(key, resolve(c), fmt.Sprintf("%s[%d]", at, i))
		}
		return
	}
	p.statementValue(key, v, at)
}

func (p *parser) statementValue(key string, n *yaml.Node, at string) {
	switch n.Kind {
	case yaml.MappingNode:
		if len(n.Content) != 2 {
			p.errs.Add(p.pos(n), at, "a mapping here must be one intrinsic function (%s), got %d keys", strings.Join(intrinsics, ", "), len(n.Content)/2)
			return
		}
		if k := resolve(n.Content[0]); !contains(intrinsics, k.Value) {
			p.errs.Add(p.pos(k), at, "%q is not an intrinsic function%s; a mapping here must be one of %s", k.Value, suggest(strings.TrimSpace(k.Value), intrinsics), strings.Join(intrinsics, ", "))
		} else {
			p.policyIntrinsic(k.Value, n.Content[1], at)
		}
	case yaml.ScalarNode:
		if n.ShortTag() != "!!str" {
			return // p.strings reported it
		}
		s := n.Value
		for _, name := range DeployRefs(s) {
			// Trimmed as an Fn::Sub would: "${ Bucket }" forgot it too.
			p.policyRefs = append(p.policyRefs, policyRef{name: strings.TrimSpace(name), pos: p.pos(n), at: at, plain: true, text: s})
		}
		switch {
		case key == "Resource" && s != "*" && !strings.HasPrefix(s, "arn:"):
			p.errs.Add(p.pos(n), at, "Resource %q is not an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE) or \"*\"; for a value CloudFormation computes, write an intrinsic such as {Fn::Sub: \"arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:orders\"}", s)
		case key == "Action" && s != "*" && !actionRe().MatchString(s):
			p.errs.Add(p.pos(n), at, "Action %q is not an IAM action such as sqs:SendMessage (a service prefix, a colon, an action name)", s)
		}
	}
}
