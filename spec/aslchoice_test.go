package spec

import "testing"

// TestASLChoiceRules: a JSONPath choice rule needs exactly one operator
// and a Variable that is a path, at every depth of And, Or and Not; an
// unknown field is named with the operator it may misspell. A JSONata
// Choice (a Condition each) and a well-formed rule pass.
func TestASLChoiceRules(t *testing.T) {
	src := `version: 1
api: {name: a}
stateMachines:
  m:
    definition:
      StartAt: C
      States:
        C:
          Type: Choice
          Choices:
            - {Variable: $.a, "IsPresent'": true, Next: D}
            - {Variable: "", IsPresent: true, Next: D}
            - {Variable: $.a, IsPresent: true, IsString: true, Next: D}
            - {And: [{Variable: $.a, IsNull: true}, {Not: {Variable: $.b}}], Next: D}
            - {Or: [], Next: D}
            - {Not: {Variable: $.a, StringEquals: x}, Comment: fine, Next: D}
          Default: J
        J:
          Type: Choice
          QueryLanguage: JSONata
          Choices: [{Condition: "{% $states.input.a %}", Next: D}]
          Default: D
        D: {Type: Succeed}
routes:
  POST /a: {stateMachine: m}
`
	_, errs := Parse("s.yaml", []byte(src), nil)
	want := []string{
		`s.yaml:11:15: stateMachines.m.definition.States.C.Choices[0]: a choice rule needs one operator, such as StringEquals, IsPresent, And, Or or Not; it has none`,
		`s.yaml:11:31: stateMachines.m.definition.States.C.Choices[0]["IsPresent'"]: "IsPresent'" is not a field of a choice rule (did you mean "IsPresent"?); a rule holds Variable, one operator such as StringEquals or IsPresent (or And, Or, Not), and at the top Next, Comment and Assign`,
		`s.yaml:12:26: stateMachines.m.definition.States.C.Choices[1].Variable: Variable must be a path starting with $, such as $.order.total; got ""`,
		`s.yaml:13:15: stateMachines.m.definition.States.C.Choices[2]: a choice rule takes exactly one operator; this one has IsPresent and IsString: split it, or join them with And`,
		`s.yaml:14:59: stateMachines.m.definition.States.C.Choices[3].And[1].Not: a choice rule needs one operator, such as StringEquals, IsPresent, And, Or or Not; it has none`,
		`s.yaml:15:20: stateMachines.m.definition.States.C.Choices[4].Or: Or takes a non-empty list of choice rules, got an empty list`,
	}
	if len(errs) != len(want) {
		t.Fatalf("got %d diagnostics, want %d:\n%s", len(errs), len(want), errs.String())
	}
	for i, w := range want {
		if errs[i].Error() != w {
			t.Errorf("diagnostic %d:\n got %s\nwant %s", i, errs[i].Error(), w)
		}
	}
}
