package cmd

import (
	"fmt"

	"github.com/spf13/cobra"
)

const validateDoc = `Validate checks each SPEC (parse, checks, compile, CloudFormation limits)
and writes nothing. Every problem in every file is reported at once, as
file:line:col: field.path: message. It exits 1 if any spec has errors;
warnings alone do not fail. With no SPEC, it checks ./` + defaultSpec + `.

Examples:
  sfnapic validate
  sfnapic validate examples/*.yaml`

func newValidateCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "validate [SPEC...]",
		Short: "check specs without writing anything",
		Long:  validateDoc,
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				name, err := specOrDefault("")
				if err != nil {
					return err
				}
				args = []string{name}
			}
			failed := false
			for _, name := range args {
				c, err := compileFile(name, "json")
				if err != nil {
					fmt.Fprintf(a.stderr, "%s: %v\n", name, err)
					failed = true
					continue
				}
				fmt.Fprint(a.stderr, c.diags.String())
				if c.diags.HasErrors() {
					failed = true
					continue
				}
				fmt.Fprintf(a.stderr, "%s: ok\n", name)
			}
			if failed {
				return errReported
			}
			return nil
		}),
	}
}
