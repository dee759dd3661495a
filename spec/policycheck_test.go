package spec

import (
	"strings"
	"testing"
)

// TestPolicyStatementValues: a statement's Resource that is neither an
// ARN, "*" nor one intrinsic function, and an Action that is not
// service:Name, are errors at their positions; ARNs, intrinsics and
// wildcards (which warn) pass.
func TestPolicyStatementValues(t *testing.T) {
	src := `version: 1
api: {name: a}
stateMachines:
  m:
    definition: {StartAt: P, States: {P: {Type: Pass, End: true}}}
    policies:
      - {Effect: Allow, Action: sqs:SendMessage, Resource: {" Fn::Sub": "arn:aws:sqs:::q"}}
      - {Effect: Allow, Action: sqs:SendMessage, Resource: {a: 1}}
      - {Effect: Allow, Action: sqs:SendMessage, Resource: ""}
      - {Effect: Allow, Action: [send message], Resource: [arn:aws:sqs:eu-west-1:1:q, {Fn::Sub: "arn:${AWS::Partition}:sqs:::q"}, {Ref: Q, Fn::Sub: x}]}
      - {Effect: Allow, Action: "sqs:*", Resource: "*"}
routes:
  POST /a: {stateMachine: m}
`
	_, errs := Parse("s.yaml", []byte(src), nil)
	want := []string{
		`s.yaml:7:61: stateMachines.m.policies[0].Resource: " Fn::Sub" is not an intrinsic function (did you mean "Fn::Sub"?)`,
		`s.yaml:8:61: stateMachines.m.policies[1].Resource: "a" is not an intrinsic function;`,
		`s.yaml:9:60: stateMachines.m.policies[2].Resource: Resource "" is not an ARN`,
		`s.yaml:10:34: stateMachines.m.policies[3].Action[0]: Action "send message" is not an IAM action`,
		`s.yaml:10:131: stateMachines.m.policies[3].Resource[2]: a mapping here must be one intrinsic function`,
		`s.yaml:11:33: stateMachines.m.policies[4].Action: warning: "sqs:*" is a wildcard`,
		`s.yaml:11:52: stateMachines.m.policies[4].Resource: warning: "*" is a wildcard`,
	}
	diagnosticsStart(t, errs, want)
}

// diagnosticsStart fails unless errs are as many as want and each starts
// with its want, in order.
func diagnosticsStart(t *testing.T, errs ErrorList, want []string) {
	t.Helper()
	if len(errs) != len(want) {
		t.Fatalf("got %d diagnostics, want %d:\n%s", len(errs), len(want), errs.String())
	}
	for i, w := range want {
		if !strings.HasPrefix(errs[i].Error(), w) {
			t.Errorf("diagnostic %d:\n got %s\nwant %s...", i, errs[i].Error(), w)
		}
	}
}
