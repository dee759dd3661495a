//go:build unix

package cmd

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

const aslFlow = `{"StartAt": "A", "States": {"A": {"Type": "Pass", "Comment": "SECRET-OUTSIDE", "End": true}}}`

func specWithFile(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "api.yaml")
	src := "version: 1\napi: {name: a}\nstateMachines:\n  m: {definitionFile: flow.asl.json}\nroutes:\n  POST /a: {stateMachine: m}\n"
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func runMain(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := Main(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// TestDefinitionFileStaysInside: a definition file is read only if it is
// a regular file inside the spec's directory. A symbolic link out of it, to
// a device or to a FIFO is an error, at once, and prints nothing of the
// file it points to.
func TestDefinitionFileStaysInside(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "flow.asl.json")
	if err := os.WriteFile(outside, []byte(aslFlow), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, setup := range map[string]func(dir string) error{
		"link outside": func(dir string) error { return os.Symlink(outside, filepath.Join(dir, "flow.asl.json")) },
		"link to /dev/zero": func(dir string) error {
			return os.Symlink("/dev/zero", filepath.Join(dir, "flow.asl.json"))
		},
		"fifo":      func(dir string) error { return syscall.Mkfifo(filepath.Join(dir, "flow.asl.json"), 0o644) },
		"directory": func(dir string) error { return os.Mkdir(filepath.Join(dir, "flow.asl.json"), 0o755) },
	} {
		dir := t.TempDir()
		spec := specWithFile(t, dir)
		if err := setup(dir); err != nil {
			t.Fatal(err)
		}
		code, out, errs := runMain("build", spec)
		if code != 1 || out != "" || !strings.Contains(errs, "definition file \"flow.asl.json\"") || strings.Contains(errs+out, "SECRET-OUTSIDE") {
			t.Errorf("%s: exit %d\nstdout:\n%s\nstderr:\n%s", name, code, out, errs)
		}
	}
	// A link that stays inside is followed.
	dir := t.TempDir()
	spec := specWithFile(t, dir)
	if err := os.WriteFile(filepath.Join(dir, "real.asl.json"), []byte(aslFlow), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real.asl.json", filepath.Join(dir, "flow.asl.json")); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := runMain("build", spec); code != 0 || !strings.Contains(out, "SECRET-OUTSIDE") {
		t.Errorf("a link inside: exit %d\n%s", code, errs)
	}
}

// TestInputsMustBeRegularFiles: the spec, a --check file, a template and a
// body are read only from regular files, and only so much of them.
func TestInputsMustBeRegularFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	spec := specWithFile(t, dir)
	if err := os.WriteFile(filepath.Join(dir, "flow.asl.json"), []byte(aslFlow), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"build", fifo},
		{"build", "/dev/zero"},
		{"build", spec, "--check", "/dev/zero"},
		{"build", spec, "--check", fifo},
		{"render", "--template", "/dev/zero", "POST /a"},
		{"render", spec, "POST /a", "-d", "@/dev/zero"},
		{"validate", dir},
	} {
		code, _, errs := runMain(args...)
		if code != 1 || !strings.Contains(errs, "not a regular file") {
			t.Errorf("%v: exit %d\n%s", args, code, errs)
		}
	}
}
