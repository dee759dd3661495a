package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// BenchmarkProcess compares a whole `sfnapic build examples/item-api.yaml`
// process with a hello-world Go binary's start-up, both built here with the
// same toolchain, as a default build and as a static (CGO_ENABLED=0) one.
// The targets are within 4x for the static build and 5x for the default
// one; the program links the AWS SDK for deploy, whose package
// initialisation runs at every start.
//
//	go test ./cmd/sfnapic -run '^$' -bench Process
func BenchmarkProcess(b *testing.B) {
	dir := b.TempDir()
	gobuild := func(out, pkg, wd string, env ...string) {
		cmd := exec.Command("go", "build", "-o", out, pkg)
		cmd.Dir = wd
		cmd.Env = append(os.Environ(), env...)
		if msg, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("go build %s: %v\n%s", pkg, err, msg)
		}
	}
	sfnapic := filepath.Join(dir, "sfnapic")
	gobuild(sfnapic, ".", ".")
	// cobra's flag package imports net, so with cgo the binary links libc
	// dynamically; CGO_ENABLED=0 gives the static binary the README installs.
	static := filepath.Join(dir, "sfnapic-static")
	gobuild(static, ".", ".", "CGO_ENABLED=0")
	hello := filepath.Join(dir, "hello")
	src := filepath.Join(dir, "hellosrc")
	if err := os.MkdirAll(src, 0o755); err != nil {
		b.Fatal(err)
	}
	_ = os.WriteFile(filepath.Join(src, "go.mod"), []byte("module hello\n\ngo 1.21\n"), 0o644)
	_ = os.WriteFile(filepath.Join(src, "main.go"), []byte("package main\n\nimport \"os\"\n\nfunc main() { os.Stdout.WriteString(\"hello\\n\") }\n"), 0o644)
	gobuild(hello, ".", src)
	example, err := filepath.Abs("../../examples/item-api.yaml")
	if err != nil {
		b.Fatal(err)
	}
	run := func(b *testing.B, name string, args ...string) {
		for b.Loop() {
			if out, err := exec.Command(name, args...).Output(); err != nil || len(out) == 0 {
				b.Fatalf("%s: %v", name, err)
			}
		}
	}
	b.Run("hello", func(b *testing.B) { run(b, hello) })
	b.Run("build-item-api", func(b *testing.B) { run(b, sfnapic, "build", example) })
	b.Run("build-item-api-static", func(b *testing.B) { run(b, static, "build", example) })
}
