package awscli

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

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"golang.org/x/term"

	"github.com/sfnapic/sfnapic/deploy"
	"github.com/sfnapic/sfnapic/internal/cli"
)

// awsOptions are the flags every AWS command shares.
type awsOptions struct {
	region, profile string
}

// clients loads the AWS configuration the way the AWS CLI does (env,
// profile, SSO, IMDS), honouring AWS_ENDPOINT_URL, and returns the clients
// deploy needs. Retries are generous: CloudFormation throttles polling.
func (o awsOptions) clients(ctx context.Context) (*cloudformation.Client, *s3.Client, string, error) {
	var opts []func(*config.LoadOptions) error
	if o.region != "" {
		opts = append(opts, config.WithRegion(o.region))
	}
	if o.profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(o.profile))
	}
	opts = append(opts, config.WithRetryer(func() aws.Retryer {
		return retry.NewStandard(func(s *retry.StandardOptions) { s.MaxAttempts = 8 })
	}))
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, nil, "", fmt.Errorf("loading AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return nil, nil, "", cli.Usagef("no AWS region: pass --region or set AWS_REGION")
	}
	cf := cloudformation.NewFromConfig(cfg)
	s3c := s3.NewFromConfig(cfg, func(s *s3.Options) {
		// An endpoint override (an emulator) serves buckets by path.
		s.UsePathStyle = os.Getenv("AWS_ENDPOINT_URL") != "" || os.Getenv("AWS_ENDPOINT_URL_S3") != ""
	})
	return cf, s3c, cfg.Region, nil
}

// interruptible returns a context cancelled by the first Ctrl-C (or
// SIGTERM). The first signal also restores the default handling, so a
// second Ctrl-C ends the process at once.
func interruptible(parent context.Context) (context.Context, func()) {
	ctx, stop := signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
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

// deployExit maps deploy's outcomes to exit codes: 2 for a precondition,
// 3 no changes with --fail-on-empty-changeset, 4 declined, 130
// interrupted, 1 otherwise. The details were printed already.
func deployExit(err error) error {
	var pe *deploy.PreconditionError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &pe):
		return cli.UsageError{Err: err}
	case errors.Is(err, deploy.ErrNoChanges):
		return cli.ExitCode{Code: 3, Err: cli.ErrReported}
	case errors.Is(err, deploy.ErrDeclined):
		return cli.ExitCode{Code: 4, Err: cli.ErrReported}
	case errors.Is(err, deploy.ErrInterrupted):
		return cli.ExitCode{Code: 130, Err: cli.ErrReported}
	case errors.Is(err, deploy.ErrFailed):
		return cli.ErrReported
	}
	return err
}
