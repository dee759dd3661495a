package cmd

import (
	"os"
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/internal/cfnfake"
)

// inProject makes a temporary folder holding spec as ./sfnapic.yaml the
// current directory for the rest of the test.
func inProject(t *testing.T, spec string) {
	t.Helper()
	src, err := os.ReadFile(spec)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	t.Chdir(dir)
	writeTestFile(t, defaultSpec, string(src))
}

// stackNames are the StackName of every call of action the fake got.
func stackNames(f *cfnfake.Fake, action string) []string {
	var out []string
	for _, r := range f.Requests {
		if r.Action == action {
			out = append(out, r.Form.Get("StackName"))
		}
	}
	return out
}

// TestDefaultSpecAndStack: with no SPEC and no --stack, deploy, diff,
// invoke, test-invoke and destroy read ./sfnapic.yaml and use its
// api.name as the stack: every call CloudFormation gets names it, and the
// first line on stderr, before anything is asked, read or changed, says
// so.
func TestDefaultSpecAndStack(t *testing.T) {
	inProject(t, "../../examples/item-api.yaml")
	const said = "stack item-api (api.name of sfnapic.yaml; --stack NAME names another)\n"
	for _, args := range [][]string{
		{"deploy", "--yes", "--poll", "1ms"},
		{"diff", "--poll", "1ms"},
		{"invoke", "POST /42"},
		{"test-invoke", "POST /42"},
		{"destroy", "--yes", "--poll", "1ms"},
	} {
		f := fakeAWS(t)
		_, _, errs := mainWithin(t, args...)
		if !strings.HasPrefix(errs, said) {
			t.Errorf("%v: stderr does not begin with %q:\n%s", args, said, errs)
		}
		names := append(stackNames(f, "DescribeStacks"), stackNames(f, "CreateChangeSet")...)
		names = append(names, stackNames(f, "DeleteStack")...)
		if len(names) == 0 {
			t.Errorf("%v: CloudFormation got no call naming a stack: %v\n%s", args, f.Calls(), errs)
		}
		for _, n := range names {
			if n != "item-api" && !strings.Contains(n, ":stack/item-api/") { // a later call may name the stack by its id
				t.Errorf("%v: a call names stack %q, want item-api: %v", args, n, f.Calls())
			}
		}
	}
}

// TestDefaultStackGivenWins: --stack names the stack, and then nothing
// is said about api.name.
func TestDefaultStackGivenWins(t *testing.T) {
	inProject(t, "../../examples/item-api.yaml")
	f := fakeAWS(t)
	_, _, errs := mainWithin(t, "destroy", "--stack", "other", "--yes", "--poll", "1ms")
	if strings.Contains(errs, "api.name") {
		t.Errorf("--stack given, yet stderr speaks of api.name:\n%s", errs)
	}
	if got := stackNames(f, "DescribeStacks"); len(got) == 0 || got[0] != "other" {
		t.Errorf("DescribeStacks named %v, want other", got)
	}
}

// TestDefaultSpecOffline: build, validate, render and serve read
// ./sfnapic.yaml when no SPEC is given, and produce what they do when it
// is named.
func TestDefaultSpecOffline(t *testing.T) {
	inProject(t, "../../examples/item-api.yaml")
	for _, c := range [][2][]string{
		{{"build"}, {"build", defaultSpec}},
		{{"validate"}, {"validate", defaultSpec}},
		{{"render", "POST /42"}, {"render", defaultSpec, "POST /42"}},
	} {
		code, out, errs := runMain(c[0]...)
		wantCode, wantOut, wantErrs := runMain(c[1]...)
		if code != 0 || code != wantCode || out != wantOut || errs != wantErrs {
			t.Errorf("%v: exit %d, want %d as %v; stdout equal: %v\nstderr:\n%s\nwant:\n%s", c[0], code, wantCode, c[1], out == wantOut, errs, wantErrs)
		}
	}
	s := startServe(t)
	if status, _, body := s.do(t, "POST", "/42", "application/json", `{}`); status != 200 {
		t.Errorf("serve with no SPEC: POST /42 answered %d %s", status, body)
	}
}

// TestDefaultSpecMissing: with no SPEC and no ./sfnapic.yaml, every
// command that takes a spec says so, as a usage error, and how to get one.
func TestDefaultSpecMissing(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, args := range [][]string{
		{"build"}, {"validate"}, {"render", "POST /42"}, {"serve"},
		{"invoke", "POST /42", "--url", "http://127.0.0.1:1"}, {"test-invoke", "POST /42", "--stack", "s"},
		{"deploy", "--stack", "s"}, {"diff"}, {"destroy", "--yes"},
	} {
		code, _, errs := runMain(args...)
		if code != exitUsage || !strings.Contains(errs, "no spec given and no sfnapic.yaml here") || !strings.Contains(errs, "sfnapic init") {
			t.Errorf("%v: exit %d, want 2 and the missing spec said:\n%s", args, code, errs)
		}
	}
}

// TestDefaultStackNotAStackName: an api.name that CloudFormation would
// refuse as a stack name is not used: the command asks for --stack.
func TestDefaultStackNotAStackName(t *testing.T) {
	t.Chdir(t.TempDir())
	writeTestFile(t, defaultSpec, "version: 1\napi: {name: my api}\nstateMachines:\n  m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}}\nroutes:\n  POST /a: {stateMachine: m}\n")
	code, _, errs := runMain("destroy", "--yes")
	if code != exitUsage || !strings.Contains(errs, `api.name "my api" of sfnapic.yaml is not a CloudFormation stack name`) {
		t.Errorf("exit %d:\n%s", code, errs)
	}
}

// TestDefaultStackFromTemplate: with --template and no --stack, invoke
// and test-invoke take the stack from the template's RestApi Name, and
// the line that says so names that, not an api.name the template lacks.
func TestDefaultStackFromTemplate(t *testing.T) {
	inProject(t, "../../examples/item-api.yaml")
	if code, _, errs := runMain("build", "-o", "template.json"); code != 0 {
		t.Fatalf("build: exit %d\n%s", code, errs)
	}
	const said = "stack item-api (the RestApi's Name of template.json; --stack NAME names another)\n"
	for _, cmd := range []string{"invoke", "test-invoke"} {
		fakeAWS(t)
		if _, _, errs := mainWithin(t, cmd, "--template", "template.json", "POST /42"); !strings.HasPrefix(errs, said) {
			t.Errorf("%s --template: stderr does not begin with %q:\n%s", cmd, said, errs)
		}
	}
}
