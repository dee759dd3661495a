package spec

import (
	"fmt"
	"strings"
	"testing"
)

// deploySpec is a spec with parameters Machine (no default; prod and
// staging give it), Region (a default), Ids (a list) and Unset (no value
// anywhere), whose api holds api and whose machines are machines.
func deploySpec(api, machines string) string {
	return "version: 1\napi:\n  name: a\n" + api +
		"parameters:\n  Machine: {type: String}\n  Region: {type: String, default: eu-west-1}\n  Ids: {type: CommaDelimitedList}\n  Unset: {type: String}\n" +
		"environments:\n  prod: {Machine: orders}\n  staging: {Machine: \"orders staging\"}\n" +
		"stateMachines:\n" + machines +
		"  m: {definition: {StartAt: A, States: {A: {Type: Pass, Result: \"${Unset}\", End: true}}}}\n" +
		"routes:\n  POST /a: {stateMachine: m}\n  POST /b: {stateMachine: e}\n"
}

func deployDiags(t *testing.T, api, machines string) []string {
	t.Helper()
	_, diags := Parse("s.yaml", []byte(deploySpec(api, machines)), nil)
	out := strings.Split(strings.TrimSuffix(diags.String(), "\n"), "\n")
	if len(out) == 1 && out[0] == "" {
		return nil
	}
	return out
}

// TestDeployTextErrors: a ${Name} in an ARN field must name a parameter
// holding one value or a pseudo parameter (did-you-mean, and how to write
// the text), and the field's pattern holds for the value it takes with
// the defaults and in each environment, which the error names.
func TestDeployTextErrors(t *testing.T) {
	for name, c := range map[string]struct {
		api, machines string
		want          []string
	}{
		"unknown name": {machines: "  e: {arn: \"arn:aws:states:${AWS::Regoin}:123456789012:stateMachine:${Machine}\"}\n", want: []string{
			`s.yaml:13:12: stateMachines.e.arn: ${AWS::Regoin} names no parameter or pseudo parameter of this spec (did you mean "AWS::Region"?); known: Machine, Region, Ids, Unset, AWS::AccountId, AWS::Partition, AWS::Region, AWS::StackName, AWS::URLSuffix. For the text ${AWS::Regoin} itself write ${!AWS::Regoin}`,
		}},
		"list parameter": {machines: "  e: {arn: \"arn:aws:states:us-east-1:123456789012:stateMachine:${Ids}\"}\n", want: []string{
			`s.yaml:13:12: stateMachines.e.arn: ${Ids}: parameter Ids is a list (CommaDelimitedList), and this field takes one value: make it a String`,
		}},
		"environment value": {machines: "  e: {arn: \"arn:aws:states:${Region}:123456789012:stateMachine:${Machine}\"}\n", want: []string{
			`s.yaml:13:12: stateMachines.e.arn: "arn:aws:states:${Region}:123456789012:stateMachine:${Machine}" is not a state machine ARN such as arn:aws:states:us-east-1:123456789012:stateMachine:orders: in environment staging it reads "arn:aws:states:eu-west-1:123456789012:stateMachine:orders staging"`,
		}},
		"default value": {machines: "  e: {arn: \"arn:aws:states:${Region}_x:123456789012:stateMachine:orders\"}\n", want: []string{
			`s.yaml:13:12: stateMachines.e.arn: "arn:aws:states:${Region}_x:123456789012:stateMachine:orders" is not a state machine ARN such as arn:aws:states:us-east-1:123456789012:stateMachine:orders: with the parameters' defaults it reads "arn:aws:states:eu-west-1_x:123456789012:stateMachine:orders"`,
		}},
		"literal parts": {machines: "  e: {arn: \"arn:aws:states:${AWS::Region}:12345:stateMachine:orders\"}\n", want: []string{
			`s.yaml:13:12: stateMachines.e.arn: "arn:aws:states:${AWS::Region}:12345:stateMachine:orders" is not a state machine ARN such as arn:aws:states:us-east-1:123456789012:stateMachine:orders (deployed, it reads like "arn:aws:states:us-east-1:12345:stateMachine:orders")`,
		}},
		"other fields": {
			api: "  tags: {team: \"${Tem}\"}\n  endpoint: PRIVATE\n  vpcEndpoints: [\"vpce-${Machine}\"]\n  auth: u\n  authorizers:\n    u: {type: cognito, userPools: [\"arn:aws:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/${AWS::Region}_${Machines}\"]}\n",
			machines: "  e: {arn: \"arn:aws:states:${AWS::Region}:${AWS::AccountId}:stateMachine:x\"}\n" +
				"  f: {definition: {StartAt: A, States: {A: {Type: Succeed}}}, roleArn: \"arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${Machine}\", publish: true, alias: {name: live, deployment: {type: ALL_AT_ONCE, alarms: [\"${Unset}-${Regon}\"]}}, logs: {logGroupArn: \"${Machine}\"}}\n",
			want: []string{
				`s.yaml:4:16: api.tags.team: ${Tem} names no parameter or pseudo parameter of this spec; known: Machine, Region, Ids, Unset, AWS::AccountId, AWS::Partition, AWS::Region, AWS::StackName, AWS::URLSuffix. For the text ${Tem} itself write ${!Tem}`,
				`s.yaml:6:18: api.vpcEndpoints[0]: "vpce-${Machine}" is not a VPC endpoint ID such as vpce-0123456789abcdef0: in environment prod it reads "vpce-orders"`,
				`s.yaml:6:18: api.vpcEndpoints[0]: "vpce-${Machine}" is not a VPC endpoint ID such as vpce-0123456789abcdef0: in environment staging it reads "vpce-orders staging"`,
				`s.yaml:9:36: api.authorizers.u.userPools[0]: ${Machines} names no parameter or pseudo parameter of this spec (did you mean "Machine"?); known: Machine, Region, Ids, Unset, AWS::AccountId, AWS::Partition, AWS::Region, AWS::StackName, AWS::URLSuffix. For the text ${Machines} itself write ${!Machines}`,
				`s.yaml:20:72: stateMachines.f.roleArn: "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${Machine}" is not an IAM role ARN such as arn:aws:iam::123456789012:role/orders-workflow: in environment staging it reads "arn:aws:iam::123456789012:role/orders staging"`,
				`s.yaml:20:212: stateMachines.f.alias.deployment.alarms[0]: ${Regon} names no parameter or pseudo parameter of this spec (did you mean "Region"?); known: Machine, Region, Ids, Unset, AWS::AccountId, AWS::Partition, AWS::Region, AWS::StackName, AWS::URLSuffix. For the text ${Regon} itself write ${!Regon}`,
				`s.yaml:20:256: stateMachines.f.logs.logGroupArn: "${Machine}" is not a log group ARN such as arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/states/orders:* (ending in :*, as Step Functions wants it): in environment prod it reads "orders"`,
				`s.yaml:20:256: stateMachines.f.logs.logGroupArn: "${Machine}" is not a log group ARN such as arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/states/orders:* (ending in :*, as Step Functions wants it): in environment staging it reads "orders staging"`,
			}},
		"pool regions compared only when written": {
			api:      "  auth: u\n  authorizers:\n    u: {type: cognito, userPools: [\"arn:aws:cognito-idp:${AWS::Region}:123456789012:userpool/eu-west-1_Ab\", \"arn:aws:cognito-idp:us-east-1:${AWS::AccountId}:userpool/eu-west-1_Ab\"]}\n",
			machines: "  e: {arn: \"arn:aws:states:${AWS::Region}:${AWS::AccountId}:stateMachine:orders\"}\n",
			want: []string{
				`s.yaml:6:109: api.authorizers.u.userPools[1]: user pool "arn:aws:cognito-idp:us-east-1:${AWS::AccountId}:userpool/eu-west-1_Ab" is in region eu-west-1 but the ARN says us-east-1: a pool ID starts with its region`,
			}},
	} {
		t.Run(name, func(t *testing.T) {
			got := deployDiags(t, c.api, c.machines)
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

// TestDeployTextUses: a parameter an ARN field uses is used (no warning),
// a value the pattern cannot be checked with (no known value) is taken,
// and the text is kept as written, for compile's Fn::Sub.
func TestDeployTextUses(t *testing.T) {
	src := "version: 1\napi:\n  name: a\n  tags: {env: \"${Env}\"}\n" +
		"parameters:\n  Env: {type: String}\n  Orders: {type: String}\n" +
		"stateMachines:\n  e: {arn: \"${Orders}\"}\n" +
		"routes:\n  POST /a: {stateMachine: e}\n"
	s, diags := Parse("s.yaml", []byte(src), nil)
	if s == nil || len(diags) != 0 {
		t.Fatalf("want no diagnostics, got:\n%s", diags)
	}
	if s.StateMachines[0].ARN != "${Orders}" || s.API.Tags[0].Value != "${Env}" {
		t.Errorf("texts changed: arn %q, tag %q", s.StateMachines[0].ARN, s.API.Tags[0].Value)
	}
	if got := DeployRefs("a${X}b${!Y}${AWS::Region}"); strings.Join(got, ",") != "X,AWS::Region" {
		t.Errorf("DeployRefs = %q", got)
	}
}

// TestDeployTextBounded: a field broken in many environments names three
// of them, and a spec of many fields and many environments checks the
// fields' patterns within a fixed budget instead of once per pair.
func TestDeployTextBounded(t *testing.T) {
	var envs strings.Builder
	for i := 0; i < 10; i++ {
		fmt.Fprintf(&envs, "  e%d: {A: \"bad#%d\"}\n", i, i)
	}
	src := "version: 1\napi:\n  name: a\n  tags: {t: \"x${A}\"}\nparameters:\n  A: {type: String}\nenvironments:\n" + envs.String() +
		"stateMachines:\n  m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}}\nroutes:\n  POST /a: {stateMachine: m}\n"
	_, diags := Parse("s.yaml", []byte(src), nil)
	if n := strings.Count(diags.String(), "api.tags.t:"); n != maxDeployErrors {
		t.Errorf("%d errors for the tag, want %d:\n%s", n, maxDeployErrors, diags)
	}

	var b strings.Builder
	b.WriteString("version: 1\napi:\n  name: a\n  tags:\n")
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&b, "    t%d: \"${A}\"\n", i)
	}
	b.WriteString("parameters:\n  A: {type: String}\nenvironments:\n")
	const n = 100_000
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "  e%d: {A: v%d}\n", i, i)
	}
	b.WriteString("stateMachines:\n  m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}}\nroutes:\n  POST /a: {stateMachine: m}\n")
	p := &parser{file: "s.yaml"}
	p.parse([]byte(b.String()))
	if p.errs.HasErrors() {
		t.Fatalf("unexpected errors: %.300s", p.errs.String())
	}
	if max := deployCheckBudget/16 + 1; p.deployChecks > max || p.deployChecks < n {
		t.Errorf("%d checks for 40 fields in %d environments, want at least %d and at most %d", p.deployChecks, n, n, max)
	}
}

// TestDeployTextExecutions: an existing machine whose arn is one
// parameter can be started, but a route that reads its executions needs
// ":stateMachine:" written, to build their ARN from.
func TestDeployTextExecutions(t *testing.T) {
	src := "version: 1\napi:\n  name: a\nparameters:\n  Orders: {type: String}\nstateMachines:\n  e: {arn: \"${Orders}\"}\nroutes:\n  POST /a: {stateMachine: e}\n"
	if _, diags := Parse("s.yaml", []byte(src), nil); diags.HasErrors() {
		t.Errorf("starting it: %s", diags)
	}
	src += "  GET /a/{id}: {stateMachine: e, action: status, execution: path.id}\n"
	_, diags := Parse("s.yaml", []byte(src), nil)
	want := `s.yaml:7:12: stateMachines.e.arn: route GET /a/{id} (status) needs the ARNs of this machine's executions, which sfnapic builds from its ARN by putting ":execution:" in place of ":stateMachine:": write the ARN by its parts, such as arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:${Name}` + "\n"
	if diags.String() != want {
		t.Errorf("got\n%swant\n%s", diags, want)
	}
}

// TestUnusedParameterWarns: a parameter nothing reads is a warning at its
// name that says where one may be written; one read only by an ARN field
// is used.
func TestUnusedParameterWarns(t *testing.T) {
	src := "version: 1\napi:\n  name: a\n" +
		"parameters:\n  Spare: {type: String}\n  Orders: {type: String}\n" +
		"stateMachines:\n  e: {arn: \"arn:aws:states:us-east-1:123456789012:stateMachine:${Orders}\"}\n" +
		"routes:\n  POST /a: {stateMachine: e}\n"
	_, diags := Parse("s.yaml", []byte(src), nil)
	want := "s.yaml:5:3: parameters.Spare: warning: nothing uses this parameter: write ${Spare} in a definition or in a field that takes an ARN"
	if got := diags.String(); !strings.HasPrefix(got, want) || strings.Count(got, "\n") != 1 {
		t.Errorf("want one warning starting\n%s\ngot\n%s", want, got)
	}
}

// TestCheckFieldsWithDeployValues: a value given at deploy time (not
// known to the spec) is checked against each field that reads it, as the
// spec's own values are at parse time, so no --param can put a quote or a
// template into an ARN that a request template carries; a parameter whose
// value SSM holds is left to AWS, at parse time and at deploy time.
func TestCheckFieldsWithDeployValues(t *testing.T) {
	src := "version: 1\napi:\n  name: a\n  auth: users\n  authorizers:\n    users: {type: cognito, userPools: [\"${Pool}\"]}\n" +
		"parameters:\n  Orders: {type: String}\n  Pool: {type: \"AWS::SSM::Parameter::Value<String>\", default: /shop/pool-arn}\n" +
		"stateMachines:\n  e: {arn: \"arn:aws:states:us-east-1:123456789012:stateMachine:${Orders}\"}\n" +
		"routes:\n  POST /a: {stateMachine: e}\n"
	s, diags := Parse("s.yaml", []byte(src), nil)
	if s == nil || diags.HasErrors() {
		t.Fatalf("an SSM parameter's default (a name in SSM) was checked as the field's value:\n%s", diags)
	}
	given := []Value{{Name: "Orders", Value: `x", "y": "$context.requestId`, Pos: Pos{File: "--param Orders"}}}
	_, problems := s.Values("", given, true)
	want := `s.yaml:11:12: stateMachines.e.arn: "arn:aws:states:us-east-1:123456789012:stateMachine:${Orders}" is not a state machine ARN`
	if len(problems) != 1 || !strings.HasPrefix(problems[0], want) {
		t.Errorf("want one problem starting\n%s\ngot %q", want, problems)
	}
	if _, problems := s.Values("", []Value{{Name: "Orders", Value: "orders-v2"}}, true); len(problems) != 0 {
		t.Errorf("a good value: %q", problems)
	}
}

// TestAlarmARNKeepsOnlyItsName: an alarm ARN is kept as its name, so a
// ${Name} other than a pseudo parameter in the rest of it (which would
// vanish unchecked) is refused with the name to write; the stack's own
// ${AWS::Region} and ${AWS::AccountId} there are fine.
func TestAlarmARNKeepsOnlyItsName(t *testing.T) {
	src := "version: 1\napi: {name: a}\nstateMachines:\n  m:\n    definition: {StartAt: A, States: {A: {Type: Succeed}}}\n    publish: true\n" +
		"    alias: {name: live, deployment: {type: CANARY, percentage: 10, interval: 5m, alarms: [\"arn:aws:cloudwatch:${Bogus}:123456789012:alarm:x\", \"arn:aws:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:y\"]}}\n" +
		"routes:\n  POST /a: {stateMachine: m}\n"
	s, diags := Parse("s.yaml", []byte(src), nil)
	want := `s.yaml:7:91: stateMachines.m.alias.deployment.alarms[0]: "arn:aws:cloudwatch:${Bogus}:123456789012:alarm:x": a deployment takes alarms by name, and only the name of an alarm ARN is kept, so its ${Bogus} would be dropped; write the alarm's name (x)`
	if len(diags) != 1 || !strings.HasPrefix(diags[0].Error(), want) {
		t.Errorf("want one diagnostic starting\n%s\ngot\n%s", want, diags)
	}
	if s != nil {
		t.Errorf("a spec with an error parsed")
	}
}
