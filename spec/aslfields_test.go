package spec

import (
	"testing"
	"testing/fstest"
)

// TestASLRefusesUnknownFields: a field Step Functions does not take in a
// state of that type, or in the definition, is an error at its position
// with the closest field (a trailing space included), and a field of the
// other query language is refused with what to do instead.
func TestASLRefusesUnknownFields(t *testing.T) {
	src := `version: 1
api: {name: a}
stateMachines:
  m:
    definition:
      StartAt: P
      Versoin: "1.0"
      States:
        P: {Type: Pass, "Result ": 1, Next: W}
        W: {Type: Wait, Seconds: 1, X: 2, Next: S}
        S: {Type: Pass, Output: {}, Next: J}
        J: {Type: Pass, QueryLanguage: JSONata, Parameters: {}, End: true}
routes:
  POST /a: {stateMachine: m}
`
	_, errs := Parse("s.yaml", []byte(src), nil)
	want := []string{
		`s.yaml:7:7: stateMachines.m.definition.Versoin: "Versoin" is not a field of a definition (did you mean "Version"?); the fields are Comment, QueryLanguage, StartAt, States, TimeoutSeconds, Version, ProcessorConfig`,
		`s.yaml:9:25: stateMachines.m.definition.States.P["Result "]: "Result " is not a field of a Pass state (did you mean "Result"?); the fields are Parameters, Result, ResultPath, Comment, Type, QueryLanguage, Next, End, InputPath, OutputPath, Arguments, Output, Assign`,
		`s.yaml:10:37: stateMachines.m.definition.States.W.X: "X" is not a field of a Wait state; the fields are Seconds, SecondsPath, Timestamp, TimestampPath, Comment, Type, QueryLanguage, Next, End, InputPath, OutputPath, Arguments, Output, Assign`,
		`s.yaml:11:25: stateMachines.m.definition.States.S.Output: Output is a JSONata field; set QueryLanguage: JSONata on the state or the definition, or use the JSONPath fields`,
		`s.yaml:12:49: stateMachines.m.definition.States.J.Parameters: Parameters is a JSONPath field; this state's QueryLanguage is JSONata, which uses Arguments, Output and Assign instead`,
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

// TestASLDefinitionLanguageIsInherited: a definition's QueryLanguage holds
// for the states of its Parallel branches, so their JSONata fields are
// accepted.
func TestASLDefinitionLanguageIsInherited(t *testing.T) {
	src := `version: 1
api: {name: a}
stateMachines:
  m:
    definition:
      QueryLanguage: JSONata
      StartAt: B
      States:
        B:
          Type: Parallel
          End: true
          Branches:
            - {StartAt: P, States: {P: {Type: Pass, Output: "{% $states.input %}", End: true}}}
routes:
  POST /a: {stateMachine: m}
`
	if _, errs := Parse("s.yaml", []byte(src), nil); len(errs) != 0 {
		t.Errorf("got\n%s\nwant none", errs.String())
	}
}

// TestASLTaskResourceInDefinitionFile: a Task without a Resource, or with
// one that is not an ARN, is an error positioned in the definition file
// it is written in.
func TestASLTaskResourceInDefinitionFile(t *testing.T) {
	files := fstest.MapFS{"w.asl.json": {Data: []byte(`{
  "StartAt": "A",
  "States": {
    "A": {"Type": "Task", "Resource": "lambda:invoke", "Next": "B"},
    "B": {"Type": "Task", "End": true},
    "C": {"Type": "Task", "Resource": "${Checker}", "End": true}
  }
}`)}}
	src := "version: 1\napi: {name: a}\nstateMachines:\n  m: {definitionFile: w.asl.json}\nroutes:\n  POST /a: {stateMachine: m}\nparameters:\n  Checker: {type: String}\n"
	_, errs := Parse("s.yaml", []byte(src), files)
	want := []string{
		`w.asl.json:4:39: States.A.Resource: Resource "lambda:invoke" is not an ARN such as arn:aws:states:::lambda:invoke or arn:aws:lambda:eu-west-1:123456789012:function:name`,
		`w.asl.json:5:10: States.B: a Task state needs a Resource: the ARN of what it calls, such as arn:aws:states:::lambda:invoke`,
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

// TestASLParallelTakesParameters: a Parallel state's Parameters (JSONPath
// only, on the Developer Guide's Parallel page) is accepted, and refused
// under JSONata like every JSONPath field.
func TestASLParallelTakesParameters(t *testing.T) {
	src := `version: 1
api: {name: a}
stateMachines:
  m:
    definition:
      StartAt: P
      States:
        P:
          Type: Parallel
          Parameters: {"id.$": "$.id"}
          Branches:
            - {StartAt: A, States: {A: {Type: Pass, End: true}}}
          Next: J
        J:
          Type: Parallel
          QueryLanguage: JSONata
          Parameters: {}
          Branches:
            - {StartAt: A, States: {A: {Type: Pass, End: true}}}
          End: true
routes:
  POST /a: {stateMachine: m}
`
	_, errs := Parse("s.yaml", []byte(src), nil)
	want := `s.yaml:17:11: stateMachines.m.definition.States.J.Parameters: Parameters is a JSONPath field; this state's QueryLanguage is JSONata, which uses Arguments, Output and Assign instead`
	if len(errs) != 1 || errs[0].Error() != want {
		t.Fatalf("got:\n%s\nwant only:\n%s", errs.String(), want)
	}
}

// TestASLTaskResourceNames: an activity's name may hold any character
// CreateActivity allows (not only the function name's letters), and a
// ${Name} holding a function ARN may carry a qualifier; a forbidden
// character in an activity name, or a qualifier that is not one, is still
// refused.
func TestASLTaskResourceNames(t *testing.T) {
	src := `version: 1
api: {name: a}
parameters:
  Fn: {type: String}
stateMachines:
  m:
    definition:
      StartAt: A
      States:
        A: {Type: Task, Resource: "arn:aws:states:us-east-1:123456789012:activity:orders+v2@eu", Next: B}
        B: {Type: Task, Resource: "arn:aws:states:us-east-1:123456789012:activity:übersetzung", Next: C}
        C: {Type: Task, Resource: "${Fn}:live", Next: D}
        D: {Type: Task, Resource: "arn:aws:states:us-east-1:123456789012:activity:a b", Next: E}
        E: {Type: Task, Resource: "${Fn}:live:x", End: true}
routes:
  POST /a: {stateMachine: m}
`
	_, errs := Parse("s.yaml", []byte(src), nil)
	want := []string{
		`s.yaml:13:35: stateMachines.m.definition.States.D.Resource: Resource "arn:aws:states:us-east-1:123456789012:activity:a b" is not an ARN such as arn:aws:states:::lambda:invoke or arn:aws:lambda:eu-west-1:123456789012:function:name`,
		`s.yaml:14:35: stateMachines.m.definition.States.E.Resource: Resource "${Fn}:live:x" is not an ARN such as arn:aws:states:::lambda:invoke or arn:aws:lambda:eu-west-1:123456789012:function:name`,
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
