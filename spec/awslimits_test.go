package spec

import (
	"strings"
	"testing"
)

// TestAWSLimits: text past what AWS takes is refused where it is written:
// an empty tag value, a parameter's description, default and environment
// value past CloudFormation's lengths, and a key too long for a template.
func TestAWSLimits(t *testing.T) {
	long := strings.Repeat("v", maxParamValue+1)
	src := `version: 1
api: {name: a, tags: {team: ""}}
parameters:
  P: {description: "` + strings.Repeat("d", maxParamDescription+1) + `", default: "` + long + `"}
  Q: {type: String}
environments:
  prod: {Q: "` + long + `"}
stateMachines:
  m:
    definition:
      StartAt: A
      States:
        A:
          Type: Pass
          End: true
          Result:
            "${P}${Q}": 1
            # YAML itself reads a key this long only after "? ".
            ? ` + strings.Repeat("k", maxTemplateKey) + `
            : 1
routes:
  POST /a: {stateMachine: m}
`
	_, errs := Parse("s.yaml", []byte(src), nil)
	want := []string{
		`s.yaml:2:29: api.tags.team: a tag value must be 1 to 256 characters`,
		`s.yaml:4:3: parameters.P.default: the value is 4097 bytes; CloudFormation takes a parameter value of at most 4096`,
		`s.yaml:4:20: parameters.P.description: the description is 4001 characters; CloudFormation takes at most 4000`,
		`s.yaml:7:13: environments.prod.Q: the value is 4097 bytes`,
		`s.yaml:19:15: stateMachines.m.definition.States.A.Result["kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk..."]: this key is 1026 characters written as JSON; a template's keys may have at most 1024`,
	}
	got := errs.String()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("missing %q in\n%.3000s", w, got)
		}
	}
	if len(errs) != len(want) {
		t.Errorf("got %d diagnostics, want %d:\n%.3000s", len(errs), len(want), got)
	}
}

// TestJSONKeyChars counts a key as the template writes it: the quotes,
// two characters for a short escape, six for a \u one.
func TestJSONKeyChars(t *testing.T) {
	for s, want := range map[string]int{
		"":             2,
		"abc":          5,
		"é☃𝄞":          5,
		`a"b\c`:        9,
		"\n\t":         6,
		"\x01\x7f":     14,
		"\u0085\u0080": 9,
		"\u2028":       8,
		"\xff":         8,
		"\ufffd":       3,
	} {
		if got := jsonKeyChars(s); got != want {
			t.Errorf("jsonKeyChars(%q) = %d, want %d", s, got, want)
		}
	}
}

// TestTemplateKeysAtTheLimit: a key whose JSON form is exactly the limit
// passes; one with escapes that push it over does not.
func TestTemplateKeysAtTheLimit(t *testing.T) {
	doc := func(key string) string {
		return "version: 1\napi: {name: a}\nstateMachines:\n  m:\n    definition:\n      StartAt: A\n      States:\n        A:\n          Type: Pass\n          End: true\n          Result:\n            ? \"" + key + "\"\n            : 1\nroutes:\n  POST /a: {stateMachine: m}\n"
	}
	if _, errs := Parse("s.yaml", []byte(doc(strings.Repeat("k", maxTemplateKey-2))), nil); errs.HasErrors() {
		t.Errorf("a key at the limit: %s", errs)
	}
	if _, errs := Parse("s.yaml", []byte(doc(strings.Repeat("k", maxTemplateKey-3)+`\t`)), nil); !strings.Contains(errs.String(), "this key is 1025 characters") {
		t.Errorf("a key pushed over by an escape: %.500s", errs)
	}
}

// TestTaskResourceShape: a Task's Resource that starts arn: yet has a
// character Step Functions refuses (a quote, a backslash, a letter outside
// ASCII, a control) is an error at its position; the integrations' and
// functions' ARNs, with ${...} anywhere in them, pass.
func TestTaskResourceShape(t *testing.T) {
	task := func(res string) string {
		return "version: 1\napi: {name: a}\nparameters:\n  Fn: {type: String}\nstateMachines:\n  m:\n    definition: {StartAt: T, States: {T: {Type: Task, Resource: \"" + res + "\", End: true}}}\nroutes:\n  POST /a: {stateMachine: m}\n"
	}
	for _, res := range []string{
		"arn:aws:states:::lambda:invoke", "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "arn:aws:states:::states:startExecution.sync:2",
		"arn:aws:states:::aws-sdk:dynamodb:query", "arn:aws-cn:lambda:cn-north-1:123456789012:function:f:$LATEST",
		"arn:aws:states:eu-west-1:123456789012:activity:packing", "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${Fn}",
		"${Fn}",
	} {
		if _, errs := Parse("s.yaml", []byte(task(res)), nil); errs.HasErrors() {
			t.Errorf("%s: %s", res, errs)
		}
	}
	for _, res := range []string{"arn:aws:states:::lambda:invoke'", `arn:aws:states:::lambda:invoke\\`, "arn:aws:states:::lambda:invokeé", `arn:aws:states:::lambda:invoke\x01`, "arn:aws:states:::lambda", "${Fn}x${Fn}"} {
		_, errs := Parse("s.yaml", []byte(task(res)), nil)
		if !strings.Contains(errs.String(), "s.yaml:7:65: stateMachines.m.definition.States.T.Resource: Resource ") || !strings.Contains(errs.String(), "is not an ARN") {
			t.Errorf("%s: %s", res, errs)
		}
	}
}

// TestRequestParamNameFitsTheTemplate: a query or header name too long
// for the template key it becomes is refused; one at the limit passes.
func TestRequestParamNameFitsTheTemplate(t *testing.T) {
	spec := func(from string) string {
		return "version: 1\napi: {name: a}\nstateMachines:\n  m: {definition: {StartAt: P, States: {P: {Type: Pass, End: true}}}}\nroutes:\n  POST /a:\n    stateMachine: m\n    input: {x: " + from + "}\n"
	}
	if _, errs := Parse("s.yaml", []byte(spec("query."+strings.Repeat("q", maxRequestParamName))), nil); errs.HasErrors() {
		t.Errorf("a name at the limit: %.300s", errs)
	}
	for _, loc := range []string{"query", "header"} {
		_, errs := Parse("s.yaml", []byte(spec(loc+"."+strings.Repeat("q", maxRequestParamName+1))), nil)
		if want := "s.yaml:8:16: routes[\"POST /a\"].input.x: the " + loc + " name \"qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq...\" is 996 characters"; !strings.HasPrefix(errs.String(), want) {
			t.Errorf("%s: got %.300s\nwant %s", loc, errs, want)
		}
	}
}

// TestMachineARNLengths: a roleArn or logGroupArn longer than the 256
// characters Step Functions takes is refused (the log group's with the
// :* the template adds); 256 passes.
func TestMachineARNLengths(t *testing.T) {
	doc := func(role, group string) string {
		return "version: 1\napi: {name: a}\nstateMachines:\n  m:\n    roleArn: " + role + "\n    logs: {logGroupArn: \"" + group + "\"}\n    definition: {StartAt: P, States: {P: {Type: Pass, End: true}}}\nroutes:\n  POST /a: {stateMachine: m}\n"
	}
	role := "arn:aws:iam::123456789012:role/"
	group := "arn:aws:logs:us-east-1:123456789012:log-group:"
	if _, errs := Parse("s.yaml", []byte(doc(role+strings.Repeat("r", 256-len(role)), group+strings.Repeat("g", 254-len(group)))), nil); errs.HasErrors() {
		t.Errorf("ARNs of 256 characters: %s", errs)
	}
	_, errs := Parse("s.yaml", []byte(doc(role+strings.Repeat("r", 257-len(role)), group+strings.Repeat("g", 255-len(group)))), nil)
	want := []string{
		"s.yaml:5:14: stateMachines.m.roleArn: the ARN is 257 characters; Step Functions takes at most 256 here",
		"s.yaml:6:25: stateMachines.m.logs.logGroupArn: the ARN is 257 characters; Step Functions takes at most 256 here",
	}
	if len(errs) != len(want) {
		t.Fatalf("got %d diagnostics, want %d:\n%s", len(errs), len(want), errs)
	}
	for i, w := range want {
		if errs[i].Error() != w {
			t.Errorf("got  %s\nwant %s", errs[i], w)
		}
	}
}
