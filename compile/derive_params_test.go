package compile

import (
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/spec"
)

// TestDeriveFromParameters pins what a field that is one ${P}, P a
// parameter, derives: fields that take only an ARN name ${P}; fields that
// take a name or an ARN follow P's known values (default and
// environments), and warn, saying what to write, when those are mixed or
// there are none.
func TestDeriveFromParameters(t *testing.T) {
	fn := "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:"
	cases := []struct{ name, task, p, q, want, warn string }{
		{"child machine", `          {Type: Task, Resource: "arn:aws:states:::states:startExecution", Parameters: {StateMachineArn: "${Q}"}, End: true}`,
			"x", "arn:aws:states:eu-west-1:1:stateMachine:c", "states:StartExecution on ${Q}\n", ""},
		{"child machine unknown: taken as the ARN the field takes", `          {Type: Task, Resource: "arn:aws:states:::states:startExecution", Parameters: {StateMachineArn: "${Q}"}, End: true}`,
			"x", "", "states:StartExecution on ${Q}\n", ""},
		{"child machine .sync: executions from the ARN's parts", `          {Type: Task, Resource: "arn:aws:states:::states:startExecution.sync", Parameters: {StateMachineArn: "${P}"}, End: true}`,
			"arn:aws:states:eu-west-1:1:stateMachine:c", "", "states:StartExecution on ${P}\n" +
				"states:DescribeExecution,states:StopExecution on arn:${P#1}:states:${P#3}:${P#4}:execution:${P#6}:*\n" +
				"events:PutTargets,events:PutRule,events:DescribeRule on arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule\n", ""},
		{"child machine: a value that is no machine ARN", `          {Type: Task, Resource: "arn:aws:states:::states:startExecution.sync", Parameters: {StateMachineArn: "${P}"}, End: true}`,
			"ship", "", "", "parameter P holds \"ship\", which is not a state machine ARN"},
		{"topic", `          {Type: Task, Resource: "arn:aws:states:::sns:publish", Parameters: {TopicArn: "${Q}", Message: m}, End: true}`,
			"x", "y", "sns:Publish on ${Q}\n", ""},
		{"function names", `          {Type: Task, Resource: "arn:aws:states:::lambda:invoke", Parameters: {FunctionName: "${P}"}, End: true}`,
			"f", "g", "lambda:InvokeFunction on " + fn + "${P} " + fn + "${P}:*\n", ""},
		{"function ARNs", `          {Type: Task, Resource: "arn:aws:states:::lambda:invoke", Parameters: {FunctionName: "${P}"}, End: true}`,
			"arn:aws:lambda:eu-west-1:1:function:f", "y", "lambda:InvokeFunction on ${P} ${P}:*\n", ""},
		{"function names and ARNs", `          {Type: Task, Resource: "arn:aws:states:::lambda:invoke", Parameters: {FunctionName: "${P}"}, End: true}`,
			"f", "P=arn:aws:lambda:eu-west-1:1:function:f", "", "parameter P is given both names and ARNs (f, arn:aws:lambda:eu-west-1:1:function:f)"},
		{"function unknown", `          {Type: Task, Resource: "arn:aws:states:::lambda:invoke", Parameters: {FunctionName: "${Q}"}, End: true}`,
			"f", "", "", "parameter Q has no default and no environment sets it"},
		{"function name ending in function, with a qualifier", `          {Type: Task, Resource: "arn:aws:states:::lambda:invoke", Parameters: {FunctionName: "${P}"}, End: true}`,
			"myfunction:live", "", "lambda:InvokeFunction on " + fn + "${P} " + fn + "${P}:*\n", ""},
		{"function partial ARN", `          {Type: Task, Resource: "arn:aws:states:::lambda:invoke", Parameters: {FunctionName: "${P}"}, End: true}`,
			"123456789012:function:f", "", "", "parameter P holds the partial ARN \"123456789012:function:f\""},
		{"table ARNs", `          {Type: Task, Resource: "arn:aws:states:::dynamodb:getItem", Parameters: {TableName: "${Q}"}, End: true}`,
			"x", "arn:aws:dynamodb:eu-west-1:1:table/t", "dynamodb:GetItem on ${Q}\n", ""},
		{"Lambda ARN as Resource", `          {Type: Task, Resource: "${P}", End: true}`,
			"arn:aws:lambda:eu-west-1:1:function:f", "y", "lambda:InvokeFunction on ${P} ${P}:*\n", ""},
		{"activity ARN as Resource", `          {Type: Task, Resource: "${P}", End: true}`,
			"arn:aws:states:eu-west-1:1:activity:a", "y", "", ""},
		{"other ARN as Resource", `          {Type: Task, Resource: "${P}", End: true}`,
			"arn:aws:lambda:eu-west-1:1:function:f", "P=arn:aws:states:eu-west-1:1:activity:a", "", "are not all Lambda function ARNs or all activity ARNs"},
		{"ECS roles", `          {Type: Task, Resource: "arn:aws:states:::ecs:runTask", Parameters: {TaskDefinition: "${P}", Overrides: {TaskRoleArn: "${Q}", ExecutionRoleArn: "arn:aws:iam::1:role/e"}}, End: true}`,
			"ship:3", "y", "ecs:RunTask on arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task-definition/${P}\n" +
				"iam:PassRole on ${Q} arn:aws:iam::1:role/e\n", ""},
		{"ECS family without revision", `          {Type: Task, Resource: "arn:aws:states:::ecs:runTask", Parameters: {TaskDefinition: "${P}", Overrides: {TaskRoleArn: "arn:aws:iam::1:role/t", ExecutionRoleArn: "arn:aws:iam::1:role/e"}}, End: true}`,
			"ship", "y", "ecs:RunTask on arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task-definition/${P}:*\n" +
				"iam:PassRole on arn:aws:iam::1:role/t arn:aws:iam::1:role/e\n", ""},
		{"bus name and bus ARN", `          {Type: Task, Resource: "arn:aws:states:::events:putEvents", Parameters: {Entries: [{EventBusName: "${P}"}, {EventBusName: "${Q}"}, {EventBusName: "arn:aws:events:eu-west-1:1:event-bus/c"}]}, End: true}`,
			"b", "arn:aws:events:eu-west-1:1:event-bus/q", "events:PutEvents on arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/${P} ${Q} arn:aws:events:eu-west-1:1:event-bus/c\n", ""},
		{"ECS family ARN without revision: every revision, ${P} kept whole", `          {Type: Task, Resource: "arn:aws:states:::ecs:runTask", Parameters: {TaskDefinition: "${P}", Overrides: {TaskRoleArn: "arn:aws:iam::1:role/t", ExecutionRoleArn: "arn:aws:iam::1:role/e"}}, End: true}`,
			"arn:aws:ecs:eu-west-1:1:task-definition/worker", "y", "ecs:RunTask on ${P}:*\n" +
				"iam:PassRole on arn:aws:iam::1:role/t arn:aws:iam::1:role/e\n", ""},
		{"ECS family and family:revision mixed", `          {Type: Task, Resource: "arn:aws:states:::ecs:runTask", Parameters: {TaskDefinition: "${P}", Overrides: {TaskRoleArn: "arn:aws:iam::1:role/t", ExecutionRoleArn: "arn:aws:iam::1:role/e"}}, End: true}`,
			"worker", "P=worker:3", "iam:PassRole on arn:aws:iam::1:role/t arn:aws:iam::1:role/e\n",
			"parameter P is given task definitions both with and without a revision (worker, worker:3)"},
		{"child machine .sync unknown: no parts selected from a value never seen", `          {Type: Task, Resource: "arn:aws:states:::states:startExecution.sync:2", Parameters: {StateMachineArn: "${Q}"}, End: true}`,
			"x", "", "states:StartExecution on ${Q}\n" +
				"events:PutTargets,events:PutRule,events:DescribeRule on arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule\n",
			"parameter Q has no default and no environment sets it, so sfnapic cannot read the child machine's name from it"},
		{"Resource unknown", `          {Type: Task, Resource: "${Q}", End: true}`,
			"x", "", "", "parameter Q has no default and no environment sets it, so sfnapic cannot tell whether it is a Lambda function's ARN or an activity's"},
		{"bus unknown", `          {Type: Task, Resource: "arn:aws:states:::events:putEvents", Parameters: {Entries: [{EventBusName: "${Q}"}]}, End: true}`,
			"b", "", "", "parameter Q has no default and no environment sets it"},
	}
	for _, c := range cases {
		// P has the default c.p; environment prod gives Q c.q, or P
		// another value when c.q is "P=value".
		extra := "parameters:\n  P: {default: \"" + c.p + "\"}\n  Q: {}\n"
		if name, v, ok := strings.Cut(c.q, "="); ok {
			extra += "environments:\n  prod: {" + name + ": \"" + v + "\"}\n"
		} else if c.q != "" {
			extra += "environments:\n  prod: {Q: \"" + c.q + "\"}\n"
		}
		grants, warns := deriveOne(t, c.task, extra)
		got := render(grants)
		switch {
		case c.warn == "" && (got != c.want || len(warns) != 0):
			t.Errorf("%s: got\n%s%s\nwant\n%s", c.name, got, warns.String(), c.want)
		case c.warn != "" && (got != c.want || len(warns) != 1 || !strings.Contains(warns[0].Msg, c.warn)):
			t.Errorf("%s: got\n%s%s\nwant one warning: ...%s...", c.name, got, warns.String(), c.warn)
		}
	}
}

// TestDeriveWildcardValues: a known value of a parameter that a derived
// statement reads, holding * or ?, would widen the statement to every
// resource it matches (a table default "*": every table). The warning is
// at the value (the parameter, for its default), names the statement, and
// a parameter no derived statement reads raises none.
func TestDeriveWildcardValues(t *testing.T) {
	task := `          {Type: Task, Resource: "arn:aws:states:::dynamodb:getItem", Parameters: {TableName: "${P}"}, Next: U}
        U: {Type: Task, Resource: "arn:aws:states:::sns:publish", Parameters: {TopicArn: "${Q}", Message: "${R}"}, End: true}`
	extra := "parameters:\n  P: {default: \"*\"}\n  Q: {default: \"arn:aws:sns:eu-west-1:1:t\"}\n  R: {default: \"*\"}\n" +
		"environments:\n  prod: {P: orders, Q: \"arn:aws:sns:eu-west-1:1:orders-?\"}\n"
	grants, warns := deriveOne(t, task, extra)
	want := []struct{ at, path, msg string }{
		{"s.yaml:14:3", "parameters.P.default", `parameter P's default "*" holds * or ?, which IAM reads as wildcards in a statement's Resource: the statement derived from stateMachines.m.definition.States.T (dynamodb:GetItem on arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${P}) would reach every resource it matches`},
		{"s.yaml:18:24", "environments.prod.Q", `parameter Q's value in environment prod "arn:aws:sns:eu-west-1:1:orders-?" holds * or ?`},
	}
	if len(grants) != 2 || len(warns) != len(want) {
		t.Fatalf("got\n%s%s\nwant %d warnings", render(grants), warns.String(), len(want))
	}
	for i, w := range want {
		if got := warns[i]; got.Pos.String() != w.at || got.Path != w.path || !strings.Contains(got.Msg, w.msg) {
			t.Errorf("warning %d: got %s\nwant at %s (%s): ...%s...", i, got, w.at, w.path, w.msg)
		}
	}
}

// TestDeriveSSMParametersHaveNoKnownValue: an SSM-typed parameter's
// default and environments' values are SSM parameter names (/cfg/fn),
// not what the field receives, so the deriver knows no value of it: a
// FunctionName of one is not taken for a function's name (which would
// grant arn:...:function:${F}, AccessDenied at run time), a Resource or a
// child machine's ARN is not judged by the name, and a * in the name
// widens nothing, at build or at deploy (WideValues).
func TestDeriveSSMParametersHaveNoKnownValue(t *testing.T) {
	const ssm = "{type: \"AWS::SSM::Parameter::Value<String>\", default: \"/cfg/*\"}"
	cases := []struct{ name, task, want, warn string }{
		{"function", `          {Type: Task, Resource: "arn:aws:states:::lambda:invoke", Parameters: {FunctionName: "${P}"}, End: true}`,
			"", "parameter P is read from Systems Manager at deploy time"},
		{"Resource", `          {Type: Task, Resource: "${P}", End: true}`,
			"", "parameter P is read from Systems Manager at deploy time (the spec gives it SSM parameter names, not values), so sfnapic cannot tell whether it is a Lambda function's ARN"},
		{"child machine .sync", `          {Type: Task, Resource: "arn:aws:states:::states:startExecution.sync:2", Parameters: {StateMachineArn: "${P}"}, End: true}`,
			"states:StartExecution on ${P}\n" +
				"events:PutTargets,events:PutRule,events:DescribeRule on arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule\n",
			"parameter P is read from Systems Manager at deploy time (the spec gives it SSM parameter names, not values), so sfnapic cannot read the child machine's name"},
		{"topic: an ARN-only field reads ${P}, and the name's * widens nothing", `          {Type: Task, Resource: "arn:aws:states:::sns:publish", Parameters: {TopicArn: "${P}", Message: m}, End: true}`,
			"sns:Publish on ${P}\n", ""},
	}
	for _, c := range cases {
		grants, warns := deriveOne(t, c.task, "parameters:\n  P: "+ssm+"\n")
		got := render(grants)
		switch {
		case c.warn == "" && (got != c.want || len(warns) != 0):
			t.Errorf("%s: got\n%s%s\nwant\n%s", c.name, got, warns.String(), c.want)
		case c.warn != "" && (got != c.want || len(warns) != 1 || !strings.Contains(warns[0].Msg, c.warn) || !strings.Contains(warns[0].Msg, "make P a String parameter")):
			t.Errorf("%s: got\n%s%s\nwant one warning: ...%s...", c.name, got, warns.String(), c.warn)
		}
	}
	src := "version: 1\napi: {name: a}\nparameters:\n  P: " + ssm + "\nstateMachines:\n  m:\n    definition: {StartAt: T, States: {T: {Type: Task, Resource: \"arn:aws:states:::sns:publish\", Parameters: {TopicArn: \"${P}\", Message: m}, End: true}}}\nroutes:\n  POST /a: {stateMachine: m}\n"
	s, errs := spec.Parse("s.yaml", []byte(src), nil)
	if errs.HasErrors() {
		t.Fatal(errs.String())
	}
	if wide := WideValues(s, map[string]string{"P": "/cfg/orders-*"}); len(wide) != 0 {
		t.Errorf("WideValues of an SSM name: %q", wide)
	}
}
