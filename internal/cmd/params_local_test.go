package cmd

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/internal/sfnfake"
)

// TestRenderEnvShowsItsValues: render --env prod shows the values prod
// gives the started machine's definition, --param's over them, a NoEcho
// value masked; without them the parameter left without value is the
// placeholder <ApprovalQueue>, with a note.
func TestRenderEnvShowsItsValues(t *testing.T) {
	code, out, errs := mainWithin(t, "render", paramsSpec, "POST /orders", "-d", "{}", "--env", "prod", "--param", "LogLevel=ERROR", "--param", "Secret=hidden")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	for _, want := range []string{"${ApprovalQueue} = order-approvals\n", "${LogLevel} = ERROR\n", "${Secret} = ****\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "hidden") {
		t.Errorf("the NoEcho value is shown:\n%s", out)
	}
	code, out, errs = mainWithin(t, "render", paramsSpec, "POST /orders", "-d", "{}", "--output", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	var res renderResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if got := res.Substitutions["ApprovalQueue"]; got != "<ApprovalQueue>" {
		t.Errorf("ApprovalQueue = %q without --env, want the placeholder", got)
	}
	if !strings.Contains(errs, "note: parameter ApprovalQueue has no value and no default") {
		t.Errorf("no note of the placeholder:\n%s", errs)
	}
}

// TestLocalParamsRefuseBadValues: render, serve and test-invoke check the
// values as deploy does, every problem at once, as a usage error; --env on
// a template is one too.
func TestLocalParamsRefuseBadValues(t *testing.T) {
	for _, args := range [][]string{
		{"render", paramsSpec, "POST /orders", "-d", "{}"},
		{"test-invoke", paramsSpec, "POST /orders", "-d", "{}", "--stack", "s", "--region", "us-east-1"},
		{"serve", paramsSpec, "--addr", "127.0.0.1:0"},
	} {
		code, _, errs := mainWithin(t, append(args, "--env", "prd", "--param", "LogLevel=DEBUG")...)
		if code != 2 {
			t.Errorf("%s: exit %d, want 2\n%s", args[0], code, errs)
		}
		for _, want := range []string{`no environment "prd" (did you mean "prod"?)`, `"DEBUG" is not one of the values allowed for LogLevel`} {
			if !strings.Contains(errs, want) {
				t.Errorf("%s: stderr lacks %q:\n%s", args[0], want, errs)
			}
		}
	}
	code, _, errs := mainWithin(t, "render", "--template", "../../golden/params-environments/template.json", "POST /orders", "--env", "prod")
	if code != 2 || !strings.Contains(errs, "name the SPEC, not --template") {
		t.Errorf("--env with --template: exit %d\n%s", code, errs)
	}
}

// TestServeCreateSubstitutes: serve --create --env prod creates each
// machine with its definition substituted: prod's queue, the created
// machine's ARN for ${shipping}, and ${Literal} left as written.
func TestServeCreateSubstitutes(t *testing.T) {
	fake := sfnfake.Start()
	defer fake.Close()
	fake.Creates("arn:aws:states:us-east-1:123456789012:stateMachine:created")
	for _, k := range []string{"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SFN", "AWS_PROFILE"} {
		t.Setenv(k, "")
	}
	kv := awsSettings(filepath.Join(t.TempDir(), "config"), nil)
	for i := 0; i+1 < len(kv); i += 2 {
		t.Setenv(kv[i], kv[i+1])
	}
	s := startServe(t, paramsSpec, "--create", "--endpoint-url", fake.URL, "--region", "us-east-1", "--env", "prod")
	defer s.stop()
	var defs []string
	for _, r := range fake.Requests() {
		if r.Action != "CreateStateMachine" {
			continue
		}
		var in struct{ Name, Definition string }
		if err := json.Unmarshal(r.Body, &in); err != nil {
			t.Fatal(err)
		}
		defs = append(defs, in.Name+": "+in.Definition)
	}
	if len(defs) != 2 {
		t.Fatalf("%d machines created, want 2:\n%s", len(defs), strings.Join(defs, "\n"))
	}
	orders := defs[0]
	if !strings.HasPrefix(orders, "StateMachineOrders:") {
		orders = defs[1]
	}
	for _, want := range []string{`/order-approvals"`, `"level":"ALL"`, `"secret":"s3cr3t"`, `${Literal}`, `"StateMachineArn":"arn:aws:states:`} {
		if !strings.Contains(orders, want) {
			t.Errorf("the created definition lacks %s:\n%s", want, orders)
		}
	}
	if strings.Contains(orders, "${ApprovalQueue}") || strings.Contains(orders, "${shipping}") {
		t.Errorf("a substitution is left in the definition:\n%s", orders)
	}
}
