package cmd

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const paramsSpec = "../../golden/params-environments/spec.yaml"

// TestDeployEnvSendsItsValues: --env prod deploys to orders-prod with
// prod's values, --params's over them and --param's over both, sorted by
// name, and nothing more.
func TestDeployEnvSendsItsValues(t *testing.T) {
	f := fakeAWS(t)
	file := filepath.Join(t.TempDir(), "values.yaml")
	if err := os.WriteFile(file, []byte("Secret: from-file\nLogLevel: ERROR\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := mainWithin(t, "deploy", paramsSpec, "--env", "prod", "--params", file, "--param", "Secret=from-flag", "--yes", "--poll", "1ms")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	if _, ok := f.Stacks["orders-prod"]; !ok {
		t.Fatalf("no stack orders-prod: %v\n%s", f.Calls(), errs)
	}
	cs := form(t, f, "CreateChangeSet")
	want := [][2]string{{"ApprovalQueue", "order-approvals"}, {"LogLevel", "ERROR"}, {"Secret", "from-flag"}}
	for i, kv := range want {
		n := string(rune('1' + i))
		if k, v := cs.Get("Parameters.member."+n+".ParameterKey"), cs.Get("Parameters.member."+n+".ParameterValue"); k != kv[0] || v != kv[1] {
			t.Errorf("parameter %s = %s=%s, want %s=%s", n, k, v, kv[0], kv[1])
		}
	}
	if cs.Has("Parameters.member.4.ParameterKey") {
		t.Errorf("a fourth parameter was sent: %s", cs.Get("Parameters.member.4.ParameterKey"))
	}
}

// TestDeployRefusesBadValuesAtOnce: an unknown environment, an unknown
// parameter and a value outside allowed are all reported, with the fix,
// before any call to CloudFormation; so is a parameter left without value.
func TestDeployRefusesBadValuesAtOnce(t *testing.T) {
	f := fakeAWS(t)
	code, _, errs := mainWithin(t, "deploy", paramsSpec, "--env", "prd", "--param", "LogLevel=DEBUG", "--param", "ApprovalQueu=q", "--yes", "--poll", "1ms")
	if code != 2 {
		t.Fatalf("exit %d, want 2\n%s", code, errs)
	}
	for _, want := range []string{`no environment "prd" (did you mean "prod"?)`, `"DEBUG" is not one of the values allowed for LogLevel: ERROR, ALL`,
		`no parameter "ApprovalQueu" (did you mean "ApprovalQueue"?)`, "parameter ApprovalQueue has no value and no default"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if len(f.Requests) != 0 {
		t.Errorf("CloudFormation was called: %v", f.Calls())
	}
}

// TestDeployRedeploysForANewValue: the template deploy sends names its
// Deployment after the values the API reads, so deploying prod's values
// over staging's makes a new Deployment (API Gateway serves a method's
// new ARN only from a new one); the same values deployed again do not.
func TestDeployRedeploysForANewValue(t *testing.T) {
	const arnParams = "../../golden/arn-params/spec.yaml"
	sent := func(env string) string {
		t.Helper()
		f := fakeAWS(t)
		code, _, errs := mainWithin(t, "deploy", arnParams, "--env", env, "--yes", "--poll", "1ms")
		if code != 0 {
			t.Fatalf("deploy --env %s: exit %d\n%s", env, code, errs)
		}
		id := regexp.MustCompile(`"StageDeployment[0-9A-F]+"`).FindString(form(t, f, "CreateChangeSet").Get("TemplateBody"))
		if id == "" {
			t.Fatalf("deploy --env %s sent no Deployment", env)
		}
		return id
	}
	staging, prod := sent("staging"), sent("prod")
	if staging == prod {
		t.Errorf("staging and prod values give the same Deployment %s", staging)
	}
	if again := sent("staging"); again != staging {
		t.Errorf("the same values give Deployments %s and %s", staging, again)
	}
}

// TestParamValueKeepsItsEquals: --param K=V splits at the first '=', so a
// value may hold more of them, and reaches CloudFormation as given.
func TestParamValueKeepsItsEquals(t *testing.T) {
	f := fakeAWS(t)
	code, _, errs := mainWithin(t, "deploy", paramsSpec, "--env", "prod", "--param", "Secret=a=b", "--yes", "--poll", "1ms")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	cs := form(t, f, "CreateChangeSet")
	if k, v := cs.Get("Parameters.member.3.ParameterKey"), cs.Get("Parameters.member.3.ParameterValue"); k != "Secret" || v != "a=b" {
		t.Errorf("parameter 3 = %s=%s, want Secret=a=b", k, v)
	}
}

// TestParamOnASpecWithoutParameters: a --param or --params value for a
// spec that declares no parameters is refused, saying so, by deploy before
// any call to CloudFormation and by render; it used to reach
// CreateChangeSet, which refuses an unknown parameter.
func TestParamOnASpecWithoutParameters(t *testing.T) {
	f := fakeAWS(t)
	file := filepath.Join(t.TempDir(), "values.yaml")
	if err := os.WriteFile(file, []byte("Note: x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const item = "../../examples/item-api.yaml"
	for _, args := range [][]string{
		{"deploy", item, "--stack", "demo", "--param", "Stage=blue", "--params", file, "--yes", "--poll", "1ms"},
		{"render", item, "GET /items/1", "--param", "Stage=blue", "--params", file},
	} {
		code, _, errs := mainWithin(t, args...)
		if code != 2 {
			t.Fatalf("%s: exit %d, want 2\n%s", args[0], code, errs)
		}
		for _, want := range []string{
			"--param Stage=blue: this spec declares no parameters: add Stage under parameters, or leave the value out",
			file + ":1:7: this spec declares no parameters: add Note under parameters",
		} {
			if !strings.Contains(errs, want) {
				t.Errorf("%s: stderr lacks %q:\n%s", args[0], want, errs)
			}
		}
	}
	if len(f.Requests) != 0 {
		t.Errorf("CloudFormation was called: %v", f.Calls())
	}
}

// TestEnvHelpSaysWhatItNames: --env's help tells of the stack it names
// only in the commands that act on a stack by default.
func TestEnvHelpSaysWhatItNames(t *testing.T) {
	for cmd, stack := range map[string]bool{"deploy": true, "diff": true, "test-invoke": true, "render": false, "serve": false} {
		code, out, errs := mainWithin(t, cmd, "--help")
		if code != 0 {
			t.Fatalf("%s --help: exit %d\n%s", cmd, code, errs)
		}
		line := ""
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, "--env NAME") {
				line = l
			}
		}
		if line == "" {
			t.Fatalf("%s --help has no --env:\n%s", cmd, out)
		}
		if got := strings.Contains(line, "<api.name>-NAME"); got != stack {
			t.Errorf("%s --env help names the stack: %t, want %t: %s", cmd, got, stack, line)
		}
	}
}

// TestDeployChecksValuesAgainstTheFields: a --param value that would make
// an ARN field wrong (here the existing machine's ARN, which request
// templates carry) is refused before any AWS call, by deploy and render.
func TestDeployChecksValuesAgainstTheFields(t *testing.T) {
	const arnParams = "../../golden/arn-params/spec.yaml"
	f := fakeAWS(t)
	bad := `Machine=x", "y": "$context.requestId`
	code, _, errs := mainWithin(t, "deploy", arnParams, "--env", "staging", "--param", bad, "--yes", "--poll", "1ms")
	if code != 2 || !strings.Contains(errs, "stateMachines.legacy.arn:") || !strings.Contains(errs, "is not a state machine ARN") {
		t.Errorf("deploy: exit %d\n%s", code, errs)
	}
	if len(f.Requests) != 0 {
		t.Errorf("CloudFormation was called: %v", f.Calls())
	}
	code, out, errs := mainWithin(t, "render", arnParams, "POST /orders", "-d", "{}", "--env", "staging", "--param", bad)
	if code != 2 || strings.Contains(out, "requestId") || !strings.Contains(errs, "is not a state machine ARN") {
		t.Errorf("render: exit %d\n%s\n%s", code, out, errs)
	}
}

// TestDeployWarnsOfWideningValues: a --param value holding * or ? for a
// parameter a derived statement reads (Table: dynamodb on table/${Table})
// is a warning on stderr naming the statement it would widen and IAM's
// escapes, not a refusal (an S3 key may hold * and ?): the deploy goes on.
// An exact value gets no warning; render warns too.
func TestDeployWarnsOfWideningValues(t *testing.T) {
	const spec = "../../golden/derived-parameter-values/spec.yaml"
	f := fakeAWS(t)
	code, _, errs := mainWithin(t, "deploy", spec, "--env", "staging", "--param", "Table=orders-*", "--param", "Child=arn:aws:states:us-east-1:123456789012:stateMachine:c", "--param", "Step=arn:aws:states:us-east-1:123456789012:activity:a", "--yes", "--poll", "1ms")
	if code != 0 || !strings.Contains(errs, `warning: parameter Table's value "orders-*" holds * or ?`) || !strings.Contains(errs, "IAM's escapes ${*} and ${?}") {
		t.Errorf("deploy: exit %d\n%s", code, errs)
	}
	if len(f.Requests) == 0 {
		t.Errorf("the deploy stopped before CloudFormation")
	}
	code, _, errs = mainWithin(t, "deploy", spec, "--env", "staging", "--param", "Table=orders-2", "--param", "Child=arn:aws:states:us-east-1:123456789012:stateMachine:c", "--param", "Step=arn:aws:states:us-east-1:123456789012:activity:a", "--yes", "--poll", "1ms")
	if code != 0 || strings.Contains(errs, "warning: parameter Table's value \"") {
		t.Errorf("deploy with an exact table: exit %d\n%s", code, errs)
	}
	code, _, errs = mainWithin(t, "render", spec, "POST /orders", "-d", "{}", "--env", "staging", "--param", "Table=orders-?")
	if !strings.Contains(errs, `warning: parameter Table's value "orders-?" holds * or ?`) {
		t.Errorf("render: exit %d\n%s", code, errs)
	}
}
