// Package cli holds what the two sfnapic programs share: the exit codes
// and the one place that maps errors to them, spec loading, atomic writes,
// the version, and the table of AWS commands that sfnapic hands to its
// sfnapic-aws helper.
//
// There are two programs so that the compiler (build, validate, render,
// schema) links no AWS SDK: it starts in about a third of the time, and
// it cannot talk to the network at all.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/sfnapic/sfnapic/compile"
	"github.com/sfnapic/sfnapic/spec"
)

// Exit codes. Only Run turns errors into them. deploy adds 3 (no changes,
// with --fail-on-empty-changeset), 4 (declined) and 130 (interrupted),
// carried by ExitCode.
const (
	ExitOK      = 0
	ExitFailure = 1 // a spec, compile, I/O or AWS error
	ExitUsage   = 2 // a bad command line, or a precondition deploy checks
)

// ErrReported means the diagnostics were already printed; Run only sets
// the exit code.
var ErrReported = errors.New("errors reported")

// UsageError marks a bad command line: exit code 2.
type UsageError struct{ Err error }

func (e UsageError) Error() string { return e.Err.Error() }
func (e UsageError) Unwrap() error { return e.Err }

// Usagef is a UsageError with a formatted message.
func Usagef(format string, args ...any) error {
	return UsageError{fmt.Errorf(format, args...)}
}

// ExitCode carries a specific exit status to Run.
type ExitCode struct {
	Code int
	Err  error
}

func (e ExitCode) Error() string { return e.Err.Error() }
func (e ExitCode) Unwrap() error { return e.Err }

// Run executes root with args and returns the exit code: 0 ok, 1 failure,
// 2 usage error, or an ExitCode's own. Errors are printed once, on stderr.
func Run(root *cobra.Command, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SilenceErrors = true // printed here, once
	root.SilenceUsage = true
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return UsageError{err} })
	ran := false
	root.PersistentPreRun = func(*cobra.Command, []string) { ran = true }
	err := root.Execute()
	var ec ExitCode
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ec):
		if !errors.Is(ec.Err, ErrReported) {
			fmt.Fprintf(stderr, "sfnapic: %v\n", ec.Err)
		}
		return ec.Code
	case errors.Is(err, ErrReported):
		return ExitFailure
	}
	var ue UsageError
	if errors.As(err, &ue) || !ran {
		// Errors that cobra raises before a command runs (unknown command or
		// flag, wrong number of arguments) are usage errors too.
		fmt.Fprintf(stderr, "sfnapic: %v\nRun 'sfnapic --help' for usage.\n", err)
		return ExitUsage
	}
	fmt.Fprintf(stderr, "sfnapic: %v\n", err)
	return ExitFailure
}

// ExactArgs is cobra.ExactArgs with a usage error.
func ExactArgs(n int, what string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != n {
			return Usagef("expected %s, got %d arguments", what, len(args))
		}
		return nil
	}
}

// Compiled is a spec compiled and serialized, with every diagnostic.
type Compiled struct {
	Spec  *spec.Spec
	Out   []byte
	Diags spec.ErrorList
}

// CompileFile reads, parses, compiles and serializes one spec. Definition
// files are read relative to the spec's directory. It returns an error only
// for problems that are not diagnostics (the spec cannot be read).
func CompileFile(name, format string) (*Compiled, error) {
	s, diags, err := LoadSpec(name)
	if err != nil {
		return nil, err
	}
	c := &Compiled{Spec: s, Diags: diags}
	if s == nil {
		return c, nil
	}
	out, limits, err := compile.Build(s, format)
	if err != nil {
		return nil, err
	}
	c.Out = out
	c.Diags = append(c.Diags, limits...)
	c.Diags.Sort()
	return c, nil
}

// LoadSpec reads and parses one spec, with definition files read relative
// to its directory and diagnostics naming it as given.
func LoadSpec(name string) (*spec.Spec, spec.ErrorList, error) {
	src, err := os.ReadFile(name)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read spec: %w", err)
	}
	s, diags := spec.Parse(filepath.ToSlash(name), src, os.DirFS(filepath.Dir(name)))
	return s, diags, nil
}

// WriteFile replaces name atomically, so an interrupted write never leaves
// a half-written file behind.
func WriteFile(name string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}

// Version is the module version the running program was built from:
// a release tag for `go install ...@v1.2.3`, a pseudo-version stamped
// from git for a build in a checkout, or "(devel)".
func Version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}
