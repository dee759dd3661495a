package cmd

import (
	"fmt"
	"runtime"
	"runtime/debug"

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

// version is the module version the running program was built from: a
// release tag for `go install ...@v1.2.3`, a pseudo-version stamped from
// git for a build in a checkout, or "(devel)".
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}
