package cmd

import (
	"fmt"
	"os"
	"regexp"

	"github.com/spf13/cobra"
)

// This file holds the defaults that spare a flag: the spec is
// ./sfnapic.yaml (what sfnapic init writes) when the command line names
// none, and the stack is the spec's api.name when --stack is not given.

// defaultSpec is the spec a command reads when none is given.
const defaultSpec = "sfnapic.yaml"

// specHelp says, in each command's help, where the spec comes from.
const specHelp = "SPEC is ./" + defaultSpec + " when none is given."

// stackHelp says, in the help of each command that deploys or calls a
// stack, what --stack is when it is not given.
const stackHelp = "--stack is the spec's api.name when not given (printed on stderr first)."

// specOrDefault is the spec the command line names, or ./sfnapic.yaml
// when it names none: an error (usage, exit 2) when there is none here.
func specOrDefault(name string) (string, error) {
	if name != "" {
		return name, nil
	}
	if _, err := os.Stat(defaultSpec); err != nil {
		return "", usagef("no spec given and no %s here: name a SPEC file, or write a project with sfnapic init", defaultSpec)
	}
	return defaultSpec, nil
}

// optionalSpec is the Args of a command that takes at most one SPEC:
// none reads ./sfnapic.yaml.
func optionalSpec(cmd *cobra.Command, args []string) error {
	if len(args) > 1 {
		return usagef("expected one SPEC file (or none, for ./%s), got %d arguments", defaultSpec, len(args))
	}
	return nil
}

// firstArg is args[0], or "" when there is none.
func firstArg(args []string) string {
	if len(args) == 0 {
		return ""
	}
	return args[0]
}

// stackName is what CloudFormation takes as a stack name ("A stack name
// can contain only alphanumeric characters (case sensitive) and hyphens.
// It must start with an alphabetical character and can't be longer than
// 128 characters", CreateStack in the CloudFormation API reference).
var stackName = regexp.MustCompile(`^[A-Za-z][-A-Za-z0-9]{0,127}$`)

// defaultStack sets --stack, when it was not given, to apiName (the
// spec's api.name, or the RestApi's Name in a template: field names
// which), and says so on stderr before anything is read or changed, so
// that nobody deploys to or destroys a stack they did not mean. from
// names the file the name came from, for that line.
func (o *awsFlags) defaultStack(a *app, apiName, field, from string) error {
	if o.stack != "" {
		return nil
	}
	switch {
	case apiName == "":
		return usagef("name the stack with --stack NAME (%s has no %s to take it from)", from, field)
	case !stackName.MatchString(apiName):
		return usagef("%s %q of %s is not a CloudFormation stack name (letters, digits and hyphens, starting with a letter, at most 128): name the stack with --stack NAME", field, apiName, from)
	}
	o.stack = apiName
	fmt.Fprintf(a.stderr, "stack %s (%s of %s; --stack NAME names another)\n", o.stack, field, from)
	return nil
}

// specStack is destroy's stack: --stack, else the api.name of the spec
// named (or ./sfnapic.yaml). Only the spec's name is needed, so a spec
// that no longer compiles still names its stack.
func (o *awsFlags) specStack(a *app, specName string) error {
	if o.stack != "" {
		return nil
	}
	specName, err := specOrDefault(specName)
	if err != nil {
		return usagef("name the stack with --stack NAME, or give the SPEC whose api.name it is (%v)", err)
	}
	s, _, err := loadSpec(specName)
	if err != nil {
		return err
	}
	name := ""
	if s != nil {
		name = s.API.Name
	}
	return o.defaultStack(a, name, "api.name", specName)
}
