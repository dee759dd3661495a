package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sfnapic/sfnapic/internal/cli"
)

// newHandoffCmd is an AWS command as sfnapic shows it. Its arguments,
// flags and help belong to the sfnapic-aws helper and go to it unparsed;
// keeping the AWS SDK out of this program keeps `sfnapic build` fast and
// free of network code.
func newHandoffCmd(a *app, c cli.AWSCommand) *cobra.Command {
	cmd := &cobra.Command{
		Use:                c.Use,
		Short:              c.Short,
		DisableFlagParsing: true, // the helper parses them, --help included
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.handoff(append([]string{cmd.Name()}, args...))
		},
		// Shell completion of the helper's flags comes from the helper.
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return completeInHelper(cmd.Name(), args, toComplete)
		},
	}
	defaultHelp := cmd.HelpFunc()
	cmd.SetHelpFunc(func(cmd *cobra.Command, args []string) {
		// `sfnapic help deploy`: the helper has the full help. Without it,
		// show the short one and say how to get the helper.
		if err := a.handoff([]string{cmd.Name(), "--help"}); err != nil {
			defaultHelp(cmd, args)
			fmt.Fprintf(a.stderr, "\nsfnapic: %v\n", err)
		}
	})
	return cmd
}

// errNoExec means this platform cannot replace the running program.
var errNoExec = errors.New("exec is not supported here")

// handoff runs the helper with args and passes on its exit code. On Unix,
// with the real standard streams, sfnapic becomes the helper (exec), so
// that the terminal, Ctrl-C and the exit status are exactly as if the
// user had started it.
func (a *app) handoff(args []string) error {
	path, err := findHelper(args[0])
	if err != nil {
		return err
	}
	env := helperEnv()
	if a.stdin == os.Stdin && a.stdout == os.Stdout && a.stderr == os.Stderr {
		err := execHelper(path, append([]string{cli.HelperName}, args...), env)
		if !errors.Is(err, errNoExec) {
			return fmt.Errorf("running %s: %w", path, err)
		}
	}
	cmd := exec.Command(path, args...)
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = a.stdin, a.stdout, a.stderr
	// A terminal's Ctrl-C reaches the helper too (it is in the same process
	// group); sfnapic waits while the helper cleans up, then exits as it did.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	defer signal.Stop(sig)
	err = cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code := ee.ExitCode()
		if code < 0 { // killed by a signal
			code = cli.ExitFailure
		}
		return cli.ExitCode{Code: code, Err: cli.ErrReported}
	}
	if err != nil {
		return fmt.Errorf("running %s: %w", path, err)
	}
	return nil
}

// helperEnv is the helper's environment: ours, with our version, which
// the helper checks, in place of any inherited one (after exec, the first
// of two entries would win).
func helperEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, cli.CallerVersionEnv+"=") {
			env = append(env, kv)
		}
	}
	return append(env, cli.CallerVersionEnv+"="+cli.Version())
}

// completeInHelper asks the helper's cobra for the completions of command
// args... toComplete, and returns them with its directive. Without the
// helper there is nothing to offer.
func completeInHelper(command string, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	path, err := findHelper(command)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	cmd := exec.Command(path, append(append([]string{cobra.ShellCompRequestCmd, command}, args...), toComplete)...)
	cmd.Env = helperEnv()
	out, err := cmd.Output()
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	// One completion per line, then ":DIRECTIVE".
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	last := lines[len(lines)-1]
	directive, err := strconv.Atoi(strings.TrimPrefix(last, ":"))
	if !strings.HasPrefix(last, ":") || err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	return lines[:len(lines)-1], cobra.ShellCompDirective(directive)
}

// findHelper looks for sfnapic-aws next to this executable (where
// `go install ./cmd/...` puts it), then on PATH.
func findHelper(command string) (string, error) {
	name := cli.HelperName
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	if self, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(self), name)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p, nil
		}
	}
	if p, err := exec.LookPath(cli.HelperName); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("%s talks to AWS through the %s program, which is neither next to sfnapic nor on PATH; install it: %s",
		command, cli.HelperName, cli.InstallHint(cli.Version()))
}
