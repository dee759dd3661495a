package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// Exit codes. Only Main turns errors into them. deploy adds 3 (no
// changes, with --fail-on-empty-changeset), 4 (declined) and 130
// (interrupted), carried by exitCode.
const (
	exitOK      = 0
	exitFailure = 1 // a spec, compile, I/O or AWS error
	exitUsage   = 2 // a bad command line, or a precondition deploy checks
)

// errReported means the diagnostics were already printed; Main only sets
// the exit code.
var errReported = errors.New("errors reported")

// usageError marks a bad command line: exit code 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// app carries what every command shares: the standard streams.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// Main runs sfnapic with args (without the program name) and returns the
// exit code: 0 ok, 1 failure, 2 usage error.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	root := newRootCmd(a)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	ran := false
	root.PersistentPreRun = func(*cobra.Command, []string) { ran = true }
	err := root.Execute()
	var ec exitCode
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ec):
		if !errors.Is(ec.err, errReported) {
			fmt.Fprintf(stderr, "sfnapic: %v\n", ec.err)
		}
		return ec.code
	case errors.Is(err, errReported):
		return exitFailure
	}
	var ue usageError
	if errors.As(err, &ue) || !ran {
		// Errors that cobra raises before a command runs (unknown command or
		// flag, wrong number of arguments) are usage errors too.
		fmt.Fprintf(stderr, "sfnapic: %v\nRun 'sfnapic --help' for usage.\n", err)
		return exitUsage
	}
	fmt.Fprintf(stderr, "sfnapic: %v\n", err)
	return exitFailure
}

func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "sfnapic",
		Short: "compile a YAML spec into an API Gateway + Step Functions CloudFormation template",
		Long: `sfnapic compiles a short YAML spec into a CloudFormation template that puts
Step Functions state machines behind API Gateway REST routes: least-privilege
roles, request templates that are safe for any value, honest HTTP errors, and
a Deployment that changes whenever the API does.

Examples:
  sfnapic build examples/item-api.yaml
  sfnapic build examples/item-api.yaml --format yaml -o template.yaml
  sfnapic build examples/item-api.yaml --check template.json
  sfnapic validate specs/*.yaml`,
		SilenceErrors: true, // Main prints errors, once
		SilenceUsage:  true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(newBuildCmd(a), newValidateCmd(a), newRenderCmd(a), newDeployCmd(a), newDiffCmd(a), newDestroyCmd(a), newSchemaCmd(a), newVersionCmd(a))
	return root
}

// exactArgs is cobra.ExactArgs with a usage error.
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != n {
			return usagef("expected %s, got %d arguments", what, len(args))
		}
		return nil
	}
}
