// Package awscli is the sfnapic-aws program: the commands that talk to
// AWS (deploy, diff, destroy). sfnapic hands these commands to it, so
// that the compiler itself links no AWS SDK; the SDK's start-up work (its
// endpoint tables and credential providers) would otherwise more than
// double the time of every `sfnapic build`.
//
// Users run `sfnapic deploy ...`; the help and messages therefore say
// sfnapic too.
package awscli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/sfnapic/sfnapic/internal/cli"
)

// app carries what every command shares: the standard streams.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// Main runs sfnapic-aws with args (without the program name) and returns
// the exit code: 0 ok, 1 failure, 2 usage error, and deploy's own 3, 4
// and 130.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if err := cli.CheckCaller(); err != nil {
		fmt.Fprintf(stderr, "sfnapic: %v\n", err)
		return cli.ExitFailure
	}
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	root := &cobra.Command{
		Use:   "sfnapic",
		Short: "the AWS commands of sfnapic",
		Long: `sfnapic-aws runs the sfnapic commands that talk to AWS. sfnapic hands
deploy, diff and destroy to it; run them as "sfnapic deploy" and so on.`,
	}
	root.AddCommand(newDeployCmd(a), newDiffCmd(a), newDestroyCmd(a))
	return cli.Run(root, args, stdin, stdout, stderr)
}
