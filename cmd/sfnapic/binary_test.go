package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/internal/cfnfake"
)

// TestBinaryDeploysAgainstFake builds sfnapic and runs it as a user would,
// pointed at the CloudFormation fake through AWS_ENDPOINT_URL.
func TestBinaryDeploysAgainstFake(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "sfnapic")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	fake := cfnfake.New()
	defer fake.Close()
	env := append(os.Environ(), "AWS_ENDPOINT_URL="+fake.URL(), "AWS_ACCESS_KEY_ID=AKIDEXAMPLE",
		"AWS_SECRET_ACCESS_KEY=secret", "AWS_REGION=us-east-1", "AWS_CONFIG_FILE="+os.DevNull, "AWS_SHARED_CREDENTIALS_FILE="+os.DevNull)
	runBin := func(args ...string) (int, string, string) {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode(), out.String(), errb.String()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0, out.String(), errb.String()
	}
	example := "../../examples/item-api.yaml"

	// Without --yes and with no terminal to ask on: exit 2, no AWS call.
	code, _, errs := runBin("deploy", example, "--stack", "demo")
	if code != 2 || !strings.Contains(errs, "pass --yes") || len(fake.Calls()) != 0 {
		t.Fatalf("no terminal: exit %d, %d calls\n%s", code, len(fake.Calls()), errs)
	}

	code, out, errs := runBin("deploy", example, "--stack", "demo", "--yes", "--poll", "1ms")
	if code != 0 || !strings.HasPrefix(out, "ApiUrl\thttps://") || !strings.Contains(errs, "Stack demo is CREATE_COMPLETE") {
		t.Fatalf("deploy: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	if strings.Contains(errs, "secret") || strings.Contains(out, "secret") {
		t.Fatal("a credential was printed")
	}
	code, out, _ = runBin("deploy", example, "--stack", "demo", "--yes", "--poll", "1ms", "--output", "json", "--fail-on-empty-changeset")
	if code != 3 || !strings.Contains(out, `"event":"NO_CHANGES"`) {
		t.Fatalf("no changes: exit %d\n%s", code, out)
	}
	code, _, errs = runBin("destroy", "--stack", "demo", "--yes", "--poll", "1ms")
	if code != 0 || !strings.Contains(errs, "Stack demo is deleted") {
		t.Fatalf("destroy: exit %d\n%s", code, errs)
	}
}
