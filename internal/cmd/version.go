package cmd

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/sfnapic/sfnapic/spec"
)

func newVersionCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "print the sfnapic version",
		Long: `Version prints the sfnapic version, the spec language version it reads, and
the Go version it was built with (the same as sfnapic --version).`,
		Args: exactArgs(0, "no arguments"),
		RunE: runE(func(*cobra.Command, []string) error {
			_, err := fmt.Fprintln(a.stdout, versionLine())
			return err
		}),
	}
}

func versionLine() string { return "sfnapic version " + versionDetail() }

// versionDetail is the version with the spec language version and the Go
// version it was built with.
func versionDetail() string {
	return fmt.Sprintf("%s (spec version %d, %s)", version(), spec.Version, runtime.Version())
}
