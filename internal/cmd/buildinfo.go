package cmd

import "runtime/debug"

// version is the module version the running program was built from: a
// release tag for `go install ...@v1.2.3`, a pseudo-version stamped from
// git for a build in a checkout, or "(devel)". The version command prints
// it, and init pins the CI workflow's sfnapic to it.
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}
