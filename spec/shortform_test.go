package spec

import (
	"strings"
	"testing"
)

// TestShortFormsSayTheFullForm: a CloudFormation short form (!Sub, !Ref,
// !GetAtt) where a string is wanted is refused with the full form to
// write, not "quote it", which would give the text.
func TestShortFormsSayTheFullForm(t *testing.T) {
	src := `version: 1
api: {name: a}
parameters:
  Bucket: {type: String}
stateMachines:
  m:
    definition: {StartAt: A, States: {A: {Type: Succeed}}}
    policies:
      - {Effect: Allow, Action: s3:GetObject, Resource: !Sub "arn:aws:s3:::${Bucket}"}
      - {Effect: Allow, Action: s3:GetObject, Resource: !Ref Bucket}
      - {Effect: Allow, Action: s3:GetObject, Resource: !GetAtt StateMachineM.Arn}
routes:
  POST /a: {stateMachine: m}
`
	_, errs := Parse("s.yaml", []byte(src), nil)
	got := errs.String()
	for _, w := range []string{
		`short form !Sub: in a policy write {"Fn::Sub": "arn:aws:s3:::${Bucket}"}`,
		`short form !Ref: in a policy write {"Ref": "Bucket"}`,
		`short form !GetAtt: in a policy write {"Fn::GetAtt": ["StateMachineM", "Arn"]}`,
	} {
		if !strings.Contains(got, w) {
			t.Errorf("missing ...%s... in:\n%s", w, got)
		}
	}
	if strings.Contains(got, "quote it") {
		t.Errorf("a short form is told to quote it:\n%s", got)
	}
}
