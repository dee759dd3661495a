package main

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompilerLinksNoAWSSDK keeps the AWS SDK (and all network code but
// the net package cobra's flags need) out of sfnapic: its start-up cost
// would more than double every build, and the compiler has no reason to
// reach the network. The AWS commands live in sfnapic-aws.
func TestCompilerLinksNoAWSSDK(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.HasPrefix(pkg, "github.com/aws/") || pkg == "net/http" || pkg == "crypto/tls" {
			t.Errorf("sfnapic links %s; AWS code belongs in internal/awscli (sfnapic-aws)", pkg)
		}
	}
}

func runMain(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Main(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// TestHandoffWithoutHelper: with no sfnapic-aws next to sfnapic or on
// PATH, the AWS commands fail with how to install it, and their help
// still shows what they do.
func TestHandoffWithoutHelper(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	code, _, errs := runMain("deploy", "../../examples/item-api.yaml", "--stack", "demo", "--yes")
	if code != 1 || !strings.Contains(errs, "sfnapic: deploy talks to AWS through the sfnapic-aws program") || !strings.Contains(errs, "install it: go install") {
		t.Fatalf("exit %d:\n%s", code, errs)
	}
	code, out, errs := runMain("help", "destroy")
	if code != 0 || !strings.Contains(out, "delete a stack and everything it created") || !strings.Contains(errs, "install it") {
		t.Fatalf("help: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
}

// TestHandoffAsChild runs the helper as a child process, as sfnapic does
// when its streams are not the process's own (and on Windows): arguments
// and flags pass through unparsed, and the helper's exit code comes back.
func TestHandoffAsChild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the helper")
	}
	dir := t.TempDir()
	// Without VCS stamping the helper's version is (devel), as this test
	// binary's is, so the helper accepts its caller.
	build := exec.Command("go", "build", "-buildvcs=false", "-o", filepath.Join(dir, "sfnapic-aws"), "../sfnapic-aws")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	t.Setenv("PATH", dir)
	code, _, errs := runMain("deploy", "../../examples/item-api.yaml", "--stack", "demo")
	if code != 2 || !strings.Contains(errs, "pass --yes") {
		t.Fatalf("deploy without a terminal: exit %d, want 2\n%s", code, errs)
	}
	code, out, _ := runMain("deploy", "--help")
	if code != 0 || !strings.Contains(out, "--fail-on-empty-changeset") || !strings.Contains(out, "sfnapic deploy SPEC --stack NAME") {
		t.Fatalf("deploy --help: exit %d\n%s", code, out)
	}
	// Shell completion of the helper's flags, once each.
	code, out, _ = runMain("__complete", "deploy", "examples/item-api.yaml", "--")
	if code != 0 || !strings.Contains(out, "--fail-on-empty-changeset\t") || strings.Count(out, "--help\t") != 1 || !strings.HasSuffix(out, ":4\n") {
		t.Fatalf("completion: exit %d\n%s", code, out)
	}
	code, _, errs = runMain("destroy", "--stack", "demo", "--no-such-flag")
	if code != 2 || !strings.Contains(errs, "unknown flag: --no-such-flag") {
		t.Fatalf("a bad flag: exit %d, want 2\n%s", code, errs)
	}
}
