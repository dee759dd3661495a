package compile

import (
	"maps"
	"slices"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation/iam"

	"github.com/sfnapic/sfnapic/spec"
)

// apiRole creates the role API Gateway assumes to call Step Functions. It
// gets one policy per action the routes use, each allowing exactly that
// action on exactly the resources the routes target; a start through an
// alias only through that alias.
func (b *builder) apiRole() {
	type policy struct {
		name      string
		action    string
		resources map[string][]string // by the alias a start must name ("": none)
		seen      map[string]bool
	}
	var policies []*policy
	byAction := map[string]*policy{}
	for _, r := range b.s.Routes {
		a := action(r)
		qualifier := startQualifier(r.StateMachine)
		for _, p := range a.Permissions(b.machines[r.StateMachine]) {
			pol := byAction[p.Action]
			if pol == nil {
				pol = &policy{name: a.Name(), action: p.Action, resources: map[string][]string{}, seen: map[string]bool{}}
				byAction[p.Action] = pol
				policies = append(policies, pol)
			}
			q := ""
			if p.Action == "states:StartExecution" || p.Action == "states:StartSyncExecution" {
				q = qualifier
			}
			if key := q + "\x00" + p.Resource; !pol.seen[key] {
				pol.seen[key] = true
				pol.resources[q] = append(pol.resources[q], p.Resource)
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
		var statements []any
		for _, q := range slices.Sorted(maps.Keys(p.resources)) {
			st := map[string]any{"Effect": "Allow", "Action": p.action, "Resource": p.resources[q]}
			if q != "" {
				st["Condition"] = qualifierCondition(q)
			}
			statements = append(statements, st)
		}
		role.Policies = append(role.Policies, iam.Role_Policy{PolicyName: p.name, PolicyDocument: policyDocument(statements)})
	}
	// Routes to a machine encrypted with a customer managed key use the
	// key too (encryption.go).
	if keys := b.apiKeyStatements(); len(keys) > 0 {
		role.Policies = append(role.Policies, iam.Role_Policy{PolicyName: "Encryption", PolicyDocument: policyDocument(keys)})
	}
	b.t.CFN.Resources[idAPIRole] = role
}

// startQualifier is the alias a route's start must go through: the
// machine's alias, for a machine sfnapic makes with one ("" otherwise).
func startQualifier(m *spec.StateMachine) string {
	if m.Alias == nil || m.Existing() {
		return ""
	}
	return m.Alias.Name
}

// qualifierCondition allows a start only through the alias named: Step
// Functions authorizes a call through an alias on the machine's ARN, and
// gives the alias in states:StateMachineQualifier, a condition key of
// StartExecution and StartSyncExecution ("Authorization for versions and
// aliases in Step Functions workflows"; the Service Authorization
// Reference lists the key for both). It holds a list (ArrayOfString):
// ForAnyValue is false when a call names no qualifier, where ForAllValues
// would be true, so a start through the machine's own ARN is refused.
func qualifierCondition(alias string) map[string]any {
	return map[string]any{"ForAnyValue:StringEquals": map[string]any{"states:StateMachineQualifier": []string{alias}}}
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
