package cmd

import (
	"github.com/spf13/cobra"

	"github.com/sfnapic/sfnapic/internal/schema"
)

func newSchemaCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "print the JSON Schema of the spec",
		Long: `Schema prints the JSON Schema (draft 2020-12) of the sfnapic spec, for
editor completion and validation. Save it and point your editor at it:

  sfnapic schema > sfnapic.schema.json

and put this first line in a spec:

  # yaml-language-server: $schema=./sfnapic.schema.json`,
		Args: exactArgs(0, "no arguments"),
		RunE: runE(func(*cobra.Command, []string) error {
			_, err := a.stdout.Write(schema.JSON)
			return err
		}),
	}
}
