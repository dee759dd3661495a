package compile

import (
	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"strings"
)

// apiRole creates the role API Gateway assumes to call Step Functions. It
// gets one policy per action the routes use, each allowing exactly that
// action on exactly the resources the routes target.
func (b *builder) apiRole() {
	type policy struct {
		name      string
		action    string
		resources []string
		seen      map[string]bool
	}
	var policies []*policy
	byAction := map[string]*policy{}
	for _, r := range b.s.Routes {
		a := action(r)
		for _, p := range a.Permissions(b.machines[r.StateMachine]) {
			pol := byAction[p.Action]
			if pol == nil {
				pol = &policy{name: a.Name(), action: p.Action, seen: map[string]bool{}}
				byAction[p.Action] = pol
				policies = append(policies, pol)
			}
			if !pol.seen[p.Resource] {
				pol.seen[p.Resource] = true
				pol.resources = append(pol.resources, p.Resource)
			}
		}
	}
	role := &iam.Role{
		Description:              ptr(iamDescription("Lets API Gateway call Step Functions for the routes of " + b.s.API.Name)),
		AssumeRolePolicyDocument: trust("apigateway.amazonaws.com"),
		Tags:                     b.tags(),
	}
	role.AWSCloudFormationDependsOn = b.aliases()
	for _, p := range policies {
		role.Policies = append(role.Policies, iam.Role_Policy{
			PolicyName: p.name,
			PolicyDocument: policyDocument([]any{map[string]any{
				"Effect":   "Allow",
				"Action":   p.action,
				"Resource": p.resources,
			}}),
		})
	}
	// Routes to a machine encrypted with a customer managed key use the
	// key too (encryption.go).
	if keys := b.apiKeyStatements(); len(keys) > 0 {
		role.Policies = append(role.Policies, iam.Role_Policy{PolicyName: "Encryption", PolicyDocument: policyDocument(keys)})
	}
	b.t.CFN.Resources[idAPIRole] = role
}

// trust lets a service assume a role.
func trust(service string) map[string]any {
	return policyDocument([]any{map[string]any{
		"Effect":    "Allow",
		"Principal": map[string]any{"Service": service},
		"Action":    "sts:AssumeRole",
	}})
}

func policyDocument(statements []any) map[string]any {
	return map[string]any{"Version": "2012-10-17", "Statement": statements}
}

// iamDescription fits text to what IAM takes as a role description: at
// most 1,000 characters of tab, newline, carriage return, printable ASCII
// and Latin-1. Anything else (an API named in Japanese, say) becomes '?'.
func iamDescription(text string) string {
	var b strings.Builder
	n := 0
	for _, r := range text {
		if n == 1000 {
			break
		}
		if !(r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0x7e) || (r >= 0xa1 && r <= 0xff)) {
			r = '?'
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}
