package spec

import (
	"strings"
	"testing"
)

// TestPolicyRefsNameSomething: a policy's Ref and Fn::Sub names must be a
// parameter, a pseudo parameter or a resource sfnapic makes (an Fn::Sub's
// own variables and ${!...} aside); any other is an error at its value,
// with the closest name.
func TestPolicyRefsNameSomething(t *testing.T) {
	src := `version: 1
api: {name: a}
parameters:
  Queue: {type: String}
stateMachines:
  m:
    definition: {StartAt: P, States: {P: {Type: Pass, End: true}}}
    policies:
      - {Effect: Allow, Action: sqs:SendMessage, Resource: {Ref: Queu}}
      - {Effect: Allow, Action: sqs:SendMessage, Resource: {Fn::Sub: "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${x}"}}
      - {Effect: Allow, Action: sqs:SendMessage, Resource: [{Ref: ""}, {Ref: "StateMachineM'"}]}
      - {Effect: Allow, Action: sqs:SendMessage, Resource: [{Ref: Queue}, {Ref: StateMachineM}, {Fn::Sub: "${StateMachineM.Name}${!x}${Queue}"}, {Fn::Sub: ["${q}", {q: {Ref: Queue}}]}]}
routes:
  POST /a: {stateMachine: m}
`
	_, errs := Parse("s.yaml", []byte(src), nil)
	want := []string{
		`s.yaml:9:66: stateMachines.m.policies[0].Resource: Ref "Queu" names no parameter, pseudo parameter (such as AWS::Region) or resource of the template (did you mean "Queue"?); parameters: Queue`,
		`s.yaml:10:70: stateMachines.m.policies[1].Resource: ${x} names no parameter`,
		`s.yaml:11:67: stateMachines.m.policies[2].Resource[0]: Ref "" names no parameter`,
		`s.yaml:11:78: stateMachines.m.policies[2].Resource[1]: Ref "StateMachineM'" names no parameter`,
	}
	diagnosticsStart(t, errs, want)
}

// TestPlainStringPolicyNames: ${Name} of a parameter or pseudo parameter
// in a plain-string Resource is refused once, with the Fn::Sub to write
// (CloudFormation leaves a plain string alone, and IAM would read it as a
// policy variable); an IAM policy variable such as ${aws:username} is
// left as it is, as is the same text inside an Fn::Sub.
func TestPlainStringPolicyNames(t *testing.T) {
	src := `version: 1
api: {name: a}
parameters:
  Queue: {type: String}
stateMachines:
  m:
    definition: {StartAt: A, States: {A: {Type: Succeed}}}
    policies:
      - {Effect: Allow, Action: sqs:SendMessage, Resource: "arn:aws:sqs:${AWS::Region}:123456789012:${Queue}"}
      - {Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::bucket/${aws:username}/*"}
      - {Effect: Allow, Action: sqs:SendMessage, Resource: {"Fn::Sub": "arn:aws:sqs:${AWS::Region}:123456789012:${Queue}"}}
routes:
  POST /a: {stateMachine: m}
`
	_, errs := Parse("s.yaml", []byte(src), nil)
	want := `s.yaml:9:60: stateMachines.m.policies[0].Resource: "arn:aws:sqs:${AWS::Region}:123456789012:${Queue}" is a plain string: CloudFormation puts no value in its ${AWS::Region}, and IAM would read it as a policy variable; write {"Fn::Sub": "arn:aws:sqs:${AWS::Region}:123456789012:${Queue}"}`
	if len(errs) != 1 || errs[0].Error() != want {
		t.Errorf("want only\n%s\ngot\n%s", want, errs.String())
	}
}

// TestPolicySubNamesAreTrimmed: CloudFormation trims the name of a
// ${ Name } in an Fn::Sub (so does cfn-lint), so ${ Bucket } names the
// parameter Bucket (and uses it) in either form of Fn::Sub, and the same
// text in a plain string is refused as a forgotten Fn::Sub.
func TestPolicySubNamesAreTrimmed(t *testing.T) {
	src := `version: 1
api: {name: a}
parameters:
  Bucket: {type: String}
stateMachines:
  m:
    definition: {StartAt: A, States: {A: {Type: Succeed}}}
    policies:
      - {Effect: Allow, Action: s3:GetObject, Resource: {"Fn::Sub": "arn:aws:s3:::${ Bucket }/*"}}
      - {Effect: Allow, Action: s3:GetObject, Resource: {"Fn::Sub": ["arn:aws:s3:::${ B }/*", {B: {Ref: Bucket}}]}}
      - {Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::${ Bucket }/*"}
routes:
  POST /a: {stateMachine: m}
`
	_, errs := Parse("s.yaml", []byte(src), nil)
	want := `s.yaml:11:57: stateMachines.m.policies[2].Resource: "arn:aws:s3:::${ Bucket }/*" is a plain string: CloudFormation puts no value in its ${Bucket}, and IAM would read it as a policy variable; write {"Fn::Sub": "arn:aws:s3:::${ Bucket }/*"}`
	if len(errs) != 1 || errs[0].Error() != want {
		t.Errorf("want only\n%s\ngot\n%s", want, errs.String())
	}

	src = strings.Replace(src, "      - {Effect: Allow, Action: s3:GetObject, Resource: \"arn:aws:s3:::${ Bucket }/*\"}\n", "", 1)
	src = strings.Replace(src, "      - {Effect: Allow, Action: s3:GetObject, Resource: {\"Fn::Sub\": [\"arn:aws:s3:::${ B }/*\", {B: {Ref: Bucket}}]}}\n", "", 1)
	if _, errs := Parse("s.yaml", []byte(src), nil); len(errs) != 0 {
		t.Errorf("${ Bucket } in an Fn::Sub alone: want no diagnostics (no unused-parameter warning), got\n%s", errs.String())
	}
}
