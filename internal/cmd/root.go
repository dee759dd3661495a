// Package cmd is the sfnapic command line: the cobra tree, one file per
// command, and the one place that turns errors into exit codes. It owns
// files, flags, the standard streams, terminals, signals and the AWS
// configuration; the packages it calls are pure or talk through
// interfaces.
package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

// Exit codes. Only Main returns them, from the errors that each command's
// RunE wrapper (runE) classified. deploy adds 3 (no changes, with
// --fail-on-empty-changeset), 4 (declined) and 130 (interrupted).
const (
	exitOK      = 0
	exitFailure = 1 // a spec, compile, I/O or AWS error
	exitUsage   = 2 // a bad command line, or a precondition deploy checks
)

// errReported means the diagnostics were already printed: only the exit
// code is left to set.
var errReported = errors.New("errors reported")

// usageError marks a bad command line: exit code 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// usagef is a usageError with a formatted message.
func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// exitCode carries a specific exit status from a command.
type exitCode struct {
	code int
	err  error
}

func (e exitCode) Error() string { return e.err.Error() }
func (e exitCode) Unwrap() error { return e.err }

// commandError is an error that came out of a command's own logic,
// classified by runE. Any other error that cobra returns was raised while
// parsing the command line (an unknown command or flag, a wrong number of
// arguments), so it is a usage error whatever hooks a command sets.
type commandError struct {
	code int
	err  error
}

func (e *commandError) Error() string { return e.err.Error() }
func (e *commandError) Unwrap() error { return e.err }

// runE wraps the logic of a command into its RunE (cue's mkRunE): the one
// place where a command's error gets its exit code.
func runE(f func(cmd *cobra.Command, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		err := f(cmd, args)
		if err == nil {
			return nil
		}
		var ec exitCode
		var ue usageError
		switch {
		case errors.As(err, &ec):
			return &commandError{code: ec.code, err: ec.err}
		case errors.As(err, &ue):
			return &commandError{code: exitUsage, err: err}
		}
		return &commandError{code: exitFailure, err: err}
	}
}

// app carries what every command shares: the standard streams.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// Main runs sfnapic with args (without the program name) and returns the
// exit code: 0 ok, 1 failure, 2 usage error, and deploy's own 3, 4 and 130.
// Errors are printed here, once, on stderr.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return mainContext(context.Background(), args, stdin, stdout, stderr)
}

// mainContext is Main under a context, which tests cancel to stop a
// command that runs until interrupted (serve).
func mainContext(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	return execute(ctx, newRootCmd(a), args, stdin, stdout, stderr)
}

// execute runs a command tree and turns its outcome into an exit code.
func execute(ctx context.Context, root *cobra.Command, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SilenceErrors = true // printed once, below
	root.SilenceUsage = true
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	var ce *commandError
	if !errors.As(err, &ce) {
		ce = &commandError{code: exitUsage, err: err}
	}
	if !errors.Is(ce.err, errReported) {
		fmt.Fprintf(stderr, "sfnapic: %v\n", ce.err)
		if ce.code == exitUsage {
			fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", helpPath(cmd, root))
		}
	}
	return ce.code
}

// helpPath is the command whose help a usage error points at: the
// subcommand that refused the command line ("sfnapic build"), since its
// help has the flags and examples that the error is about; the root for an
// unknown command, and for the help command itself.
func helpPath(cmd, root *cobra.Command) string {
	if cmd == nil || cmd.Name() == "help" {
		return root.CommandPath()
	}
	return cmd.CommandPath()
}

// CommandTree returns sfnapic's commands, not run, for the command reference
// that internal/docgen generates from them (docs/commands).
func CommandTree() *cobra.Command {
	return newRootCmd(&app{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard})
}

func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "sfnapic",
		Short: "compile a YAML spec into an API Gateway + Step Functions CloudFormation template",
		Long: `sfnapic compiles a short YAML spec into a CloudFormation template that puts
Step Functions state machines behind API Gateway REST routes: least-privilege
roles, request templates that are safe for any value, honest HTTP errors, and
a Deployment that changes whenever the API does. It shows what a request
would send before anything is deployed, and deploys through reviewed change
sets.

Examples:
  sfnapic init my-api && cd my-api && sfnapic serve
  sfnapic build examples/item-api.yaml
  sfnapic build examples/item-api.yaml -o template.yaml
  sfnapic build examples/item-api.yaml --check template.json
  sfnapic validate specs/*.yaml
  sfnapic render examples/item-api.yaml "POST /42"
  sfnapic serve examples/item-api.yaml
  sfnapic deploy examples/item-api.yaml --stack item-api
  sfnapic invoke examples/item-api.yaml --stack item-api "POST /42" --wait`,
		// --version prints "sfnapic version " and this, as the version
		// command does. (A custom version template would link
		// text/template, whose reflection keeps every method of every AWS
		// client in the binary: five times its size, twice its start-up.)
		Version: versionDetail(),
	}
	root.AddCommand(newInitCmd(a), newBuildCmd(a), newValidateCmd(a), newRenderCmd(a),
		newServeCmd(a), newInvokeCmd(a), newTestInvokeCmd(a),
		newDeployCmd(a), newDiffCmd(a), newDestroyCmd(a),
		newSchemaCmd(a), newVersionCmd(a))
	root.SetHelpCommand(newHelpCmd(root))
	return root
}

// newHelpCmd is cobra's help command, except that an unknown topic is a
// usage error (exit 2), not a usage text and exit 0.
func newHelpCmd(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "help about any command",
		Long:  "Help shows the help of a command: sfnapic help build.",
		RunE: runE(func(c *cobra.Command, args []string) error {
			cmd, rest, err := root.Find(args)
			if err != nil || cmd == nil || len(rest) > 0 || (cmd == root && len(args) > 0) {
				var names []string
				for _, sub := range root.Commands() {
					if sub.IsAvailableCommand() {
						names = append(names, sub.Name())
					}
				}
				return usagef("unknown help topic %q; the commands are %s", strings.Join(args, " "), strings.Join(names, ", "))
			}
			cmd.InitDefaultHelpFlag()
			cmd.InitDefaultVersionFlag()
			return cmd.Help()
		}),
	}
}

// exactArgs is cobra.ExactArgs with a usage error that says what is
// expected.
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != n {
			return usagef("expected %s, got %d arguments", what, len(args))
		}
		return nil
	}
}
