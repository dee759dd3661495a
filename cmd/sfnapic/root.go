package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/sfnapic/sfnapic/internal/cli"
)

// app carries what every command shares: the standard streams.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// Main runs sfnapic with args (without the program name) and returns the
// exit code: 0 ok, 1 failure, 2 usage error (deploy adds its own, through
// the sfnapic-aws helper).
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	return cli.Run(newRootCmd(a), args, stdin, stdout, stderr)
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
	}
	root.AddCommand(newBuildCmd(a), newValidateCmd(a), newRenderCmd(a))
	for _, c := range cli.AWSCommands {
		root.AddCommand(newHandoffCmd(a, c))
	}
	root.AddCommand(newSchemaCmd(a), newVersionCmd(a))
	return root
}
