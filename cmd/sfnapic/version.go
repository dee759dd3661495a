package main

import (
	"fmt"
	"runtime"

	"github.com/sfnapic/sfnapic/internal/cli"
	"github.com/sfnapic/sfnapic/spec"
	"github.com/spf13/cobra"
)

func newVersionCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "print the sfnapic version",
		Args:  cli.ExactArgs(0, "no arguments"),
		RunE: func(*cobra.Command, []string) error {
			fmt.Fprintf(a.stdout, "sfnapic %s (spec version %d, %s)\n", cli.Version(), spec.Version, runtime.Version())
			return nil
		},
	}
}
