package compile

import (
	"strconv"
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/spec"
)

// deriveOne parses a spec whose machine m has the one Task state given
// (YAML, indented for its place) and derives its grants.
func deriveOne(t *testing.T, task string, extra ...string) ([]Grant, spec.ErrorList) {
	t.Helper()
	src := `version: 1
api: {name: a}
stateMachines:
  m:
    definition:
      StartAt: T
      States:
        T:
` + task + `
routes:
  POST /a: {stateMachine: m}
` + strings.Join(extra, "")
	s, errs := spec.Parse("s.yaml", []byte(src), nil)
	if errs.HasErrors() {
		t.Fatalf("parse: %s", errs.String())
	}
	return Derive(s, s.StateMachines[0])
}

func render(grants []Grant) string {
	var b strings.Builder
	for _, g := range grants {
		b.WriteString(strings.Join(g.Actions, ",") + " on " + strings.Join(g.Resources, " ") + "\n")
	}
	return b.String()
}

// TestDeriveGrants pins the statement each form of each integration
// derives.
func TestDeriveGrants(t *testing.T) {
	fn := "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:"
	cases := []struct{ name, task, want string }{
		{"lambda by name", `          {Type: Task, Resource: "arn:aws:states:::lambda:invoke", Parameters: {FunctionName: f}, End: true}`,
			"lambda:InvokeFunction on " + fn + "f " + fn + "f:*\n"},
		{"lambda qualified name", `          {Type: Task, Resource: "arn:aws:states:::lambda:invoke", Parameters: {FunctionName: "f:live"}, End: true}`,
			"lambda:InvokeFunction on " + fn + "f " + fn + "f:*\n"},
		{"lambda partial ARN", `          {Type: Task, Resource: "arn:aws:states:::lambda:invoke.waitForTaskToken", Parameters: {FunctionName: "123456789012:function:f"}, End: true}`,
			"lambda:InvokeFunction on arn:${AWS::Partition}:lambda:${AWS::Region}:123456789012:function:f arn:${AWS::Partition}:lambda:${AWS::Region}:123456789012:function:f:*\n"},
		{"lambda ARN resource", `          {Type: Task, Resource: "arn:aws:lambda:eu-west-1:123456789012:function:f:3", End: true}`,
			"lambda:InvokeFunction on arn:aws:lambda:eu-west-1:123456789012:function:f arn:aws:lambda:eu-west-1:123456789012:function:f:*\n"},
		{"dynamodb by ARN", `          {Type: Task, Resource: "arn:aws:states:::dynamodb:deleteItem", Parameters: {TableName: "arn:aws:dynamodb:eu-west-1:123456789012:table/t"}, End: true}`,
			"dynamodb:DeleteItem on arn:aws:dynamodb:eu-west-1:123456789012:table/t\n"},
		{"sqs legacy URL", `          {Type: Task, Resource: "arn:aws:states:::sqs:sendMessage", Parameters: {QueueUrl: "https://eu-west-1.queue.amazonaws.com/123456789012/q"}, End: true}`,
			"sqs:SendMessage on arn:${AWS::Partition}:sqs:eu-west-1:123456789012:q\n"},
		{"startExecution", `          {Type: Task, Resource: "arn:aws:states:::states:startExecution", Parameters: {StateMachineArn: "arn:aws:states:eu-west-1:123456789012:stateMachine:c"}, End: true}`,
			"states:StartExecution on arn:aws:states:eu-west-1:123456789012:stateMachine:c\n"},
		{"startExecution.sync", `          {Type: Task, Resource: "arn:aws:states:::states:startExecution.sync", Parameters: {StateMachineArn: "arn:aws:states:eu-west-1:123456789012:stateMachine:c"}, End: true}`,
			"states:StartExecution on arn:aws:states:eu-west-1:123456789012:stateMachine:c\n" +
				"states:DescribeExecution,states:StopExecution on arn:aws:states:eu-west-1:123456789012:execution:c:*\n" +
				"events:PutTargets,events:PutRule,events:DescribeRule on arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule\n"},
		{"ecs runTask with revision and both roles", `          {Type: Task, Resource: "arn:aws:states:::ecs:runTask", Parameters: {TaskDefinition: "ship:4", Overrides: {TaskRoleArn: "arn:aws:iam::1:role/t", ExecutionRoleArn: "arn:aws:iam::1:role/e"}}, End: true}`,
			"ecs:RunTask on arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task-definition/ship:4\n" +
				"iam:PassRole on arn:aws:iam::1:role/t arn:aws:iam::1:role/e\n"},
		{"sdk sfn", `          {Type: Task, Resource: "arn:aws:states:::aws-sdk:sfn:describeExecution", Parameters: {ExecutionArn: "arn:aws:states:eu-west-1:1:execution:c:x"}, End: true}`,
			"states:DescribeExecution on arn:aws:states:eu-west-1:1:execution:c:x\n"},
		{"sdk s3 list", `          {Type: Task, Resource: "arn:aws:states:::aws-sdk:s3:listObjectsV2", Parameters: {Bucket: b}, End: true}`,
			"s3:ListBucket on arn:${AWS::Partition}:s3:::b\n"},
		{"activity", `          {Type: Task, Resource: "arn:aws:states:eu-west-1:1:activity:a", End: true}`, ""},
	}
	for _, c := range cases {
		grants, warns := deriveOne(t, c.task)
		if got := render(grants); got != c.want || len(warns) != 0 {
			t.Errorf("%s: got\n%s%s\nwant\n%s", c.name, got, warns.String(), c.want)
		}
	}
}

// TestDeriveWarns: a resource chosen at run time (JSONPath or JSONata), a
// whole ${Name} substitution, an unknown service and an unreadable queue
// URL derive nothing, and the warning points at the field and names the
// action to grant.
func TestDeriveWarns(t *testing.T) {
	cases := []struct{ name, task, at, want string }{
		{"jsonpath", `          {Type: Task, Resource: "arn:aws:states:::sns:publish", Parameters: {TopicArn.$: $.topic}, End: true}`,
			"s.yaml:9:79", "TopicArn is chosen at run time"},
		{"jsonata", `          {Type: Task, QueryLanguage: JSONata, Resource: "arn:aws:states:::lambda:invoke", Arguments: {FunctionName: "{% $f %}"}, End: true}`,
			"s.yaml:9:104", "FunctionName is chosen at run time"},
		{"substitution", `          {Type: Task, Resource: "arn:aws:states:::dynamodb:getItem", Parameters: {TableName: "${Table}"}, End: true}`,
			"s.yaml:9:84", `TableName is ${Table}, and parameter Table has no default and no environment sets it, so sfnapic cannot tell whether it holds a name or an ARN: give Table only names or only ARNs (a default or each environment's value), or if it holds the name write TableName: "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Table}"`},
		{"unknown optimized", `          {Type: Task, Resource: "arn:aws:states:::glue:startJobRun", End: true}`,
			"s.yaml:9:24", "does not yet derive the statements of glue:startJobRun"},
		{"bad queue URL", `          {Type: Task, Resource: "arn:aws:states:::sqs:sendMessage", Parameters: {QueueUrl: "sqs/q"}, End: true}`,
			"s.yaml:9:83", `QueueUrl "sqs/q" is not a queue URL`},
	}
	for _, c := range cases {
		var extra []string
		if c.name == "substitution" {
			extra = append(extra, "parameters:\n  Table: {type: String}\n")
		}
		grants, warns := deriveOne(t, c.task, extra...)
		if len(grants) != 0 || len(warns) != 1 || warns[0].Pos.String() != c.at || !strings.Contains(warns[0].Msg, c.want) ||
			warns[0].Path != "stateMachines.m.definition.States.T" && !strings.HasSuffix(warns[0].Path, ".Resource") {
			t.Errorf("%s: got %s%s\nwant one warning at %s: ...%s...", c.name, render(grants), warns.String(), c.at, c.want)
		}
	}
}

// TestDeriveWarningsOnlyForCreatedRoles: with a roleArn the role is the
// author's, so its Tasks raise no warning, and Build reports the warnings
// of a role sfnapic creates.
func TestDeriveWarningsOnlyForCreatedRoles(t *testing.T) {
	task := `          {Type: Task, Resource: "arn:aws:states:::sns:publish", Parameters: {TopicArn.$: $.topic}, End: true}`
	for _, role := range []string{"", "    roleArn: arn:aws:iam::123456789012:role/r\n"} {
		src := "version: 1\napi: {name: a}\nstateMachines:\n  m:\n" + role + "    definition:\n      StartAt: T\n      States:\n        T:\n" + task + "\nroutes:\n  POST /a: {stateMachine: m}\n"
		s, errs := spec.Parse("s.yaml", []byte(src), nil)
		if errs.HasErrors() {
			t.Fatal(errs.String())
		}
		_, diags, err := Build(s, "json")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := strings.Contains(diags.String(), "TopicArn is chosen at run time"), role == ""; got != want {
			t.Errorf("roleArn %q: warned %v, want %v:\n%s", role, got, want, diags.String())
		}
	}
}

// TestDerivedPolicyOverIAMQuotaWarns: a workflow calling so many
// functions that the role's policies pass IAM's 10,240 characters warns
// on the machine; a few do not.
func TestDerivedPolicyOverIAMQuotaWarns(t *testing.T) {
	for _, n := range []int{3, 80} {
		var b strings.Builder
		b.WriteString("version: 1\napi: {name: a}\nstateMachines:\n  m:\n    definition:\n      StartAt: T0\n      States:\n")
		for i := range n {
			next := ", Next: T" + itoa(i+1)
			if i == n-1 {
				next = ", End: true"
			}
			b.WriteString("        T" + itoa(i) + `: {Type: Task, Resource: "arn:aws:states:::lambda:invoke", Parameters: {FunctionName: function-number-` + itoa(i) + "}" + next + "}\n")
		}
		b.WriteString("routes:\n  POST /a: {stateMachine: m}\n")
		s, errs := spec.Parse("s.yaml", []byte(b.String()), nil)
		if errs.HasErrors() {
			t.Fatal(errs.String())
		}
		warned := strings.Contains(DeriveWarnings(s).String(), "over the 10240 IAM takes")
		if warned != (n == 80) {
			t.Errorf("%d functions: warned %v", n, warned)
		}
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestDeriveSubstitutions: a whole ${Name} is derived from what the spec
// says it is: another machine's ${c} is its ARN (and its executions', for
// .sync), a parameter in a field that takes only an ARN or only a name is
// that, and a queue URL or topic ARN built from parameters and pseudo
// parameters gives the ARN with them in it.
func TestDeriveSubstitutions(t *testing.T) {
	sm := "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:"
	cases := []struct{ name, task, want string }{
		{"machine ARN, sync", `          {Type: Task, Resource: "arn:aws:states:::states:startExecution.sync:2", Parameters: {StateMachineArn: "${c}"}, End: true}`,
			"states:StartExecution on " + sm + "stateMachine:${c.Name}\n" +
				"states:DescribeExecution,states:StopExecution on " + sm + "execution:${c.Name}:*\n" +
				"events:PutTargets,events:PutRule,events:DescribeRule on arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule\n"},
		{"parameter ARN", `          {Type: Task, Resource: "arn:aws:states:::sns:publish", Parameters: {TopicArn: "${P}", Message: m}, End: true}`,
			"sns:Publish on ${P}\n"},
		{"topic ARN from pieces", `          {Type: Task, Resource: "arn:aws:states:::sns:publish", Parameters: {TopicArn: "arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${P}", Message: m}, End: true}`,
			"sns:Publish on arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${P}\n"},
		{"parameter name", `          {Type: Task, Resource: "arn:aws:states:::aws-sdk:s3:getObject", Parameters: {Bucket: "${P}", Key: k}, End: true}`,
			"s3:GetObject on arn:${AWS::Partition}:s3:::${P}/k\n"},
		{"machine name as a table", `          {Type: Task, Resource: "arn:aws:states:::dynamodb:getItem", Parameters: {TableName: "${c.Name}"}, End: true}`,
			"dynamodb:GetItem on arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${c.Name}\n"},
		{"queue URL from pieces", `          {Type: Task, Resource: "arn:aws:states:::sqs:sendMessage", Parameters: {QueueUrl: "https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/${P}", MessageBody: m}, End: true}`,
			"sqs:SendMessage on arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${P}\n"},
	}
	for _, c := range cases {
		src := "version: 1\napi: {name: a}\nparameters:\n  P: {type: String}\nstateMachines:\n  m:\n    definition:\n      StartAt: T\n      States:\n        T:\n" + c.task +
			"\n  c:\n    definition: {StartAt: A, States: {A: {Type: Succeed}}}\nroutes:\n  POST /a: {stateMachine: m}\n"
		s, errs := spec.Parse("s.yaml", []byte(src), nil)
		if errs.HasErrors() {
			t.Fatalf("%s: %s", c.name, errs.String())
		}
		grants, warns := Derive(s, s.StateMachines[0])
		if got := render(grants); got != c.want || len(warns) != 0 {
			t.Errorf("%s: got\n%s%s\nwant\n%s", c.name, got, warns.String(), c.want)
		}
	}
}

// TestDeriveMachineRefsAsLogicalIDs: in the template, a machine's ${c} and
// ${c.Name} in a derived resource are its logical ID's in the Fn::Sub (a
// ${c} there would name nothing CloudFormation knows).
func TestDeriveMachineRefsAsLogicalIDs(t *testing.T) {
	out := buildTask(t, `{Type: Task, Resource: "arn:aws:states:::dynamodb:getItem", Parameters: {TableName: "t-${c.Name}"}, End: true}`)
	if want := `table/t-${StateMachineC.Name}`; !strings.Contains(string(out), want) || strings.Contains(string(out), "table/t-${c.Name}") {
		t.Errorf("want %s in the derived statement, and no table/t-${c.Name}:\n%s", want, out)
	}
}

// TestDeriveChildNameFromItsARN: a .sync child named only by its ARN
// (${c}) derives its executions from its Name, which the template writes
// as ${StateMachineC.Name}, though the definition never wrote ${c.Name}
// (found by TestHostileSpecsDeploy: cfn-lint's E1019 on ${c.Name}).
func TestDeriveChildNameFromItsARN(t *testing.T) {
	out := buildTask(t, `{Type: Task, Resource: "arn:aws:states:::states:startExecution.sync:2", Parameters: {StateMachineArn: "${c}"}, End: true}`)
	if want := `execution:${StateMachineC.Name}:*`; !strings.Contains(string(out), want) || strings.Contains(string(out), "${c.Name}") {
		t.Errorf("want %s in the derived statement, and no ${c.Name}:\n%s", want, out)
	}
}

// buildTask builds the template of a spec whose machine m runs one Task
// state T (written in flow YAML) beside a machine c it may name.
func buildTask(t *testing.T, task string) []byte {
	t.Helper()
	src := "version: 1\napi: {name: a}\nstateMachines:\n  m:\n    definition:\n      StartAt: T\n      States:\n        T: " + task + "\n" +
		"  c:\n    definition: {StartAt: A, States: {A: {Type: Succeed}}}\nroutes:\n  POST /a: {stateMachine: m}\n"
	s, errs := spec.Parse("s.yaml", []byte(src), nil)
	if errs.HasErrors() {
		t.Fatal(errs.String())
	}
	out, _, err := Build(s, "json")
	if err != nil {
		t.Fatal(err)
	}
	return out
}
