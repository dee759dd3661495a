package cmd

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"golang.org/x/term"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/sfnapic/sfnapic/internal/awsconfig"
	"github.com/sfnapic/sfnapic/internal/deploy"
)

// stopSignals are the signals that ask a command to stop: Ctrl-C,
// SIGTERM, and SIGHUP (a closed terminal, a dropped SSH session), so that
// each of them cleans up what the command made (serve --create's state
// machines, deploy's change set) instead of ending the process where it
// stands. SIGHUP is left alone when the process started with it ignored
// (nohup): catching it would undo what nohup asked for.
func stopSignals() []os.Signal {
	if signal.Ignored(syscall.SIGHUP) {
		return []os.Signal{os.Interrupt, syscall.SIGTERM}
	}
	return []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}
}

// interruptible returns a context cancelled by the first Ctrl-C (or
// SIGTERM, or SIGHUP: stopSignals). The first signal also restores the
// default handling, so a second Ctrl-C ends the process at once.
func interruptible(parent context.Context) (context.Context, func()) {
	ctx, stop := signal.NotifyContext(parent, stopSignals()...)
	go func() {
		<-ctx.Done()
		stop()
	}()
	return ctx, stop
}

// isTerminal reports whether r is a terminal. (A character-device check
// is not enough: /dev/null is one.)
func isTerminal(r any) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// prompter asks yes/no questions on stderr and reads answers from stdin,
// or returns nil when stdin is not a terminal: then nobody can answer.
func (a *app) prompter() func(string) (bool, error) {
	if !isTerminal(a.stdin) {
		return nil
	}
	in := bufio.NewReader(a.stdin)
	return func(q string) (bool, error) {
		fmt.Fprintf(a.stderr, "%s [y/N] ", q)
		line, err := in.ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return false, err
		}
		answer := strings.ToLower(strings.TrimSpace(line))
		return answer == "y" || answer == "yes", nil
	}
}

// survivePipes keeps a closed stdout or stderr (diff ... | head -1) from
// ending an AWS command before it has cleaned up: writes fail instead.
func survivePipes() { signal.Ignore(syscall.SIGPIPE) }

// startAWS starts an AWS command once its command line is known to work:
// a context that the first Ctrl-C, SIGTERM or SIGHUP cancels and the
// --timeout bounds (zero is no bound), and the AWS configuration. done
// releases the context.
func startAWS(parent context.Context, o awsconfig.Options, timeout time.Duration) (context.Context, aws.Config, func(), error) {
	ctx, stop := interruptible(parent)
	cancel := context.CancelFunc(func() {})
	if timeout > 0 {
		// A budget, not a deadline: the time a prompt waits for the user
		// does not count (untimed).
		ctx, cancel = newBudget(ctx, timeout)
	}
	done := func() { cancel(); stop() }
	cfg, err := awsconfig.Load(ctx, o)
	if err != nil {
		done()
		return nil, aws.Config{}, nil, awsError(err)
	}
	return ctx, cfg, done, nil
}

// awsError makes a missing region a usage error: the command line (or the
// environment) must name one.
func awsError(err error) error {
	if errors.Is(err, awsconfig.ErrNoRegion) {
		return usageError{err}
	}
	return err
}

// deployExit maps deploy's outcomes to exit codes: 2 for a precondition,
// 3 no changes with --fail-on-empty-changeset, 4 declined, 130
// interrupted, 1 otherwise. The details were printed already.
func deployExit(err error) error {
	var pe *deploy.PreconditionError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &pe):
		return usageError{err}
	case errors.Is(err, deploy.ErrNoChanges):
		return exitCode{3, errReported}
	case errors.Is(err, deploy.ErrDeclined):
		return exitCode{4, errReported}
	case errors.Is(err, deploy.ErrInterrupted):
		return exitCode{130, errReported}
	case errors.Is(err, deploy.ErrTimedOut):
		return err // says what was being done; what exists was reported
	case errors.Is(err, deploy.ErrFailed):
		return errReported
	}
	return err
}
