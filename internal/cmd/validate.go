package cmd

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sfnapic/sfnapic/compile"
	"github.com/sfnapic/sfnapic/spec"
)

const validateDoc = `Validate checks each SPEC (parse, checks, compile, CloudFormation limits)
and writes nothing. Every problem in every file is reported at once, as
file:line:col: field.path: message. It exits 1 if any spec has errors;
warnings alone do not fail. With no SPEC, it checks ./` + defaultSpec + `.

With --explain, it also prints, for each state machine whose execution role
sfnapic creates, every IAM statement derived from the workflow, under the
position of the Task state it came from, then what the machine's own
settings add (log delivery, X-Ray, its KMS key). Statements under the spec's
policies are added to these; a Task whose resource is chosen at run time
derives nothing and is a warning instead.

Examples:
  sfnapic validate
  sfnapic validate examples/*.yaml
  sfnapic validate --explain orders.yaml`

func newValidateCmd(a *app) *cobra.Command {
	var explain bool
	cmd := &cobra.Command{
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
				if explain {
					explainGrants(a.stdout, c.spec)
				}
				fmt.Fprintf(a.stderr, "%s: ok\n", name)
			}
			if failed {
				return errReported
			}
			return nil
		}),
	}
	cmd.Flags().BoolVar(&explain, "explain", false, "print each IAM statement derived from the workflows, with the Task it came from")
	return cmd
}

// explainGrants prints the statements derived for each machine whose
// role sfnapic creates: a heading per machine, then per statement the
// Task's position and path, its actions and its resources, then what the
// machine's own settings (logs, tracing, encryption) add.
func explainGrants(w io.Writer, s *spec.Spec) {
	for _, m := range s.StateMachines {
		switch {
		case m.Existing():
			continue
		case m.RoleARN != "":
			fmt.Fprintf(w, "%s: stateMachines.%s: its role is %s: nothing is derived into it\n", m.Pos, m.Name, m.RoleARN)
			continue
		}
		grants, _ := compile.Derive(s, m)
		fmt.Fprintf(w, "%s: stateMachines.%s: %d statement(s) derived from %d Task state(s), %d under policies\n",
			m.Pos, m.Name, len(grants), len(m.Tasks), len(m.Policies))
		for _, g := range grants {
			fmt.Fprintf(w, "  %s: %s (%s)\n    Allow %s\n", g.Task.Pos, g.Task.Path, g.Task.Resource, strings.Join(g.Actions, ", "))
			for _, r := range g.Resources {
				fmt.Fprintf(w, "      on %s\n", r)
			}
		}
		for _, g := range compile.SettingGrants(m) {
			fmt.Fprintf(w, "  stateMachines.%s.%s\n    Allow %s\n      on %s (%s)\n", m.Name, g.Setting, strings.Join(g.Actions, ", "), g.Resource, g.Why)
		}
	}
}
