package cli

import (
	"fmt"
	"os"
	"strings"
)

// HelperName is the program that runs sfnapic's AWS commands. sfnapic
// looks for it next to its own executable, then on PATH.
const HelperName = "sfnapic-aws"

// CallerVersionEnv carries sfnapic's version to the helper, which refuses
// to run for another version: the helper compiles the spec itself, and
// must deploy exactly the template that `sfnapic build` shows.
const CallerVersionEnv = "SFNAPIC_CALLER_VERSION"

// AWSCommand is a command that sfnapic hands to the helper: its cobra Use
// line (the first word is its name) and its one-line help.
type AWSCommand struct{ Use, Short string }

// The commands that talk to AWS. Both programs take their help from here.
var (
	Deploy  = AWSCommand{"deploy SPEC --stack NAME", "deploy a spec through a reviewed CloudFormation change set"}
	Diff    = AWSCommand{"diff SPEC --stack NAME", "show what a deploy would change, without changing anything"}
	Destroy = AWSCommand{"destroy --stack NAME", "delete a stack and everything it created"}
)

// AWSCommands lists them in help order.
var AWSCommands = []AWSCommand{Deploy, Diff, Destroy}

// InstallHint is the command that installs the helper of version v.
func InstallHint(v string) string {
	if v == "(devel)" || v == "" || strings.Contains(v, "+") {
		// A build from a checkout (maybe with local changes): build the
		// helper from the same checkout.
		return "go install ./cmd/... (in the sfnapic checkout sfnapic was built from)"
	}
	return "go install github.com/sfnapic/sfnapic/cmd/" + HelperName + "@" + v
}

// CheckCaller returns an error when the helper was started by an sfnapic
// of another version.
func CheckCaller() error {
	caller := os.Getenv(CallerVersionEnv)
	if caller == "" || caller == Version() {
		return nil
	}
	return fmt.Errorf("%s is version %s but sfnapic is %s, so deploy could differ from what build shows; install the matching helper: %s",
		HelperName, Version(), caller, InstallHint(caller))
}
