package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/sfnapic/sfnapic/spec"
	"github.com/spf13/cobra"
)

func newVersionCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "print the sfnapic version",
		Args:  exactArgs(0, "no arguments"),
		RunE: func(*cobra.Command, []string) error {
			v := "(devel)"
			if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
				v = bi.Main.Version
			}
			fmt.Fprintf(a.stdout, "sfnapic %s (spec version %d, %s)\n", v, spec.Version, runtime.Version())
			return nil
		},
	}
}
