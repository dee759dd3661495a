package cmd

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/spf13/cobra"

	"github.com/sfnapic/sfnapic/compile"
	"github.com/sfnapic/sfnapic/internal/awsconfig"
	"github.com/sfnapic/sfnapic/internal/deploy"
	"github.com/sfnapic/sfnapic/spec"
)

type deployOptions struct {
	awsFlags
	paramFlags
	tags                  []string
	yes                   bool
	noExecute             bool
	failOnEmpty           bool
	disableRollback       bool
	terminationProtection bool
	roleARN               string
	s3Bucket, s3Prefix    string
	timeout, poll         time.Duration
	output                string
	outputsFile           string
}

const deployDoc = `Deploy compiles SPEC and deploys it to the CloudFormation stack NAME through
a change set: it shows what will change (replacements and removals stand
out), asks, executes it and follows the stack events until the stack
settles, then prints the outputs, the invoke URL first. On failure it prints
the root cause: the first resource that failed, not "rollback requested".

Without --yes, stdin must be a terminal so that someone reviews the change
set. Templates over 51,200 bytes are uploaded to --s3-bucket first.
Ctrl-C (or SIGTERM, SIGHUP, or the --timeout) before execution deletes the change
set (and an empty new stack). Once execution may have been accepted, deploy
deletes nothing: it says what CloudFormation is doing and how to follow or
stop it.

Exit codes: 0 deployed (or no changes), 1 failed, 2 usage or precondition,
3 no changes with --fail-on-empty-changeset, 4 declined, 130 interrupted.

` + specHelp + ` ` + stackHelp + `

Examples:
  sfnapic deploy
  sfnapic deploy examples/item-api.yaml --stack item-api
  sfnapic deploy examples/item-api.yaml --stack item-api --yes --output json
  sfnapic deploy big.yaml --stack big --s3-bucket my-artifacts --no-execute`

func newDeployCmd(a *app) *cobra.Command {
	return newChangeSetCmd(a, "deploy [SPEC] [--stack NAME]", "deploy a spec through a reviewed CloudFormation change set", deployDoc, false)
}

// newChangeSetCmd is deploy, or with diff the command that shows the
// change set and deletes it: one flow, diff with fewer flags.
func newChangeSetCmd(a *app, use, short, doc string, diff bool) *cobra.Command {
	var o deployOptions
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Long:  doc,
		Args:  optionalSpec,
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			name, err := specOrDefault(firstArg(args))
			if err != nil {
				return err
			}
			return runDeploy(cmd, a, name, o, diff)
		}),
	}
	addDeployFlags(cmd, &o, !diff)
	return cmd
}

const diffDoc = `Diff shows what deploying SPEC to stack NAME would change, as the change-set
table deploy shows, and changes nothing: the change set (and an empty new
stack) is deleted afterwards.

` + specHelp + ` ` + stackHelp + `

Examples:
  sfnapic diff
  sfnapic diff examples/item-api.yaml --stack item-api`

func newDiffCmd(a *app) *cobra.Command {
	return newChangeSetCmd(a, "diff [SPEC] [--stack NAME]", "show what a deploy would change, without changing anything", diffDoc, true)
}

// deployEndpointHelp is --endpoint-url's help for deploy, diff and
// destroy, which call CloudFormation (and S3, for a large template).
const deployEndpointHelp = "the AWS endpoint `URL` (CloudFormation, S3), such as an emulator"

func addDeployFlags(cmd *cobra.Command, o *deployOptions, all bool) {
	f := cmd.Flags()
	o.awsFlags.add(cmd, awsHelp{stack: "the CloudFormation stack `NAME`", endpoint: deployEndpointHelp})
	o.paramFlags.add(cmd, envStackUsage)
	f.StringArrayVar(&o.tags, "tags", nil, "a stack tag `K=V` (repeatable)")
	f.StringVar(&o.roleARN, "role-arn", "", "an IAM role `ARN` for CloudFormation to act as")
	f.StringVar(&o.s3Bucket, "s3-bucket", "", "the S3 `BUCKET` for templates over 51,200 bytes")
	f.StringVar(&o.s3Prefix, "s3-prefix", "", "a key `PREFIX` in --s3-bucket")
	f.DurationVar(&o.poll, "poll", 5*time.Second, "how often to poll CloudFormation")
	_ = f.MarkHidden("poll")
	f.DurationVar(&o.timeout, "timeout", time.Hour, "give up after this `DURATION`: every AWS call, wait and the following of the stack")
	if !all {
		return
	}
	f.BoolVarP(&o.yes, "yes", "y", false, "execute the change set without asking")
	f.BoolVar(&o.noExecute, "no-execute", false, "create and show the change set, then stop")
	f.BoolVar(&o.failOnEmpty, "fail-on-empty-changeset", false, "exit 3 when there is nothing to change")
	f.BoolVar(&o.disableRollback, "disable-rollback", false, "keep what was created when the deploy fails")
	f.BoolVar(&o.terminationProtection, "termination-protection", false, "turn termination protection on after a successful deploy")
	f.StringVar(&o.output, "output", "text", "`text`, or json for machine-readable result lines on stdout")
	f.StringVar(&o.outputsFile, "outputs-file", "", "also write the stack outputs to `FILE` as JSON")
}

func keyValues(flag string, in []string) ([]deploy.KV, error) {
	var out []deploy.KV
	for _, s := range in {
		k, v, ok := strings.Cut(s, "=")
		if !ok || k == "" {
			return nil, usagef("--%s %q: write KEY=VALUE", flag, s)
		}
		out = append(out, deploy.KV{Key: k, Value: v})
	}
	return out, nil
}

// stackAndParams checks the parameters' values (the environment's, the
// file's, the flags') and names the stack when --stack does not: api.name,
// with the environment's name after it.
func (o *deployOptions) stackAndParams(a *app, s *spec.Spec, specName string, params []deploy.KV) ([]deploy.KV, error) {
	params, err := o.resolve(s, params, a.stderr)
	if err != nil {
		return nil, err
	}
	field := "api.name"
	if o.env != "" {
		field = "api.name and --env"
	}
	return params, o.defaultStack(a, o.stackBase(s.API.Name), field, specName)
}

func runDeploy(cmd *cobra.Command, a *app, specName string, o deployOptions, diff bool) error {
	survivePipes()
	if o.output == "" {
		o.output = "text" // diff has no --output
	}
	if o.output != "text" && o.output != "json" {
		return usagef("--output must be text or json, not %q", o.output)
	}
	params, err := keyValues("param", o.params)
	if err != nil {
		return err
	}
	tags, err := keyValues("tags", o.tags)
	if err != nil {
		return err
	}
	c, err := compileFile(specName, "json")
	if err != nil {
		return err
	}
	fmt.Fprint(a.stderr, c.diags.String())
	if c.diags.HasErrors() {
		return errReported
	}
	if params, err = o.stackAndParams(a, c.spec, specName, params); err != nil {
		return err
	}
	if c.out, err = withValues(c, params); err != nil {
		return err
	}
	fmt.Fprint(a.stderr, compile.Exposure(c.spec).String())
	opts := &deploy.Options{
		Stack: o.stack, Template: c.out, Params: params, Tags: tags,
		Yes: o.yes, NoExecute: o.noExecute, Diff: diff, FailOnEmpty: o.failOnEmpty,
		DisableRollback: o.disableRollback, TerminationProtection: o.terminationProtection,
		RoleARN: o.roleARN, S3Bucket: o.s3Bucket, S3Prefix: o.s3Prefix,
		Poll: o.poll, Confirm: a.prompter(),
	}
	// Preconditions first: no AWS call (not even loading credentials)
	// when the command line cannot work.
	if err := deploy.Check(opts); err != nil {
		return deployExit(err)
	}
	ctx, cfg, done, err := startAWS(cmd.Context(), o.aws, o.timeout)
	if err != nil {
		return err
	}
	defer done()
	opts.Confirm = untimed(ctx, opts.Confirm)
	opts.Region = cfg.Region
	opts.Reporter = a.reporter(o.stack, o.output == "json", nil)
	res, err := deploy.Deploy(ctx, awsconfig.CloudFormation(cfg), awsconfig.S3(cfg), opts)
	err = explainAWS(timedOut(err, cfg, o.timeout), cfg, o.debug)
	if err == nil && o.outputsFile != "" && res.Status != "" {
		if err := writeFile(o.outputsFile, outputsJSON(res.Outputs)); err != nil {
			return fmt.Errorf("writing the outputs file: %w", err)
		}
	}
	return deployExit(err)
}

// withValues is the template that deploy sends: built with the values, so
// that a new value of a parameter the API reads redeploys it (see
// compile.CompileFor). A spec without parameters is as built.
func withValues(c *compiled, params []deploy.KV) ([]byte, error) {
	if len(c.spec.Parameters) == 0 {
		return c.out, nil
	}
	values := make(map[string]string, len(params))
	for _, kv := range params {
		values[kv.Key] = kv.Value
	}
	return compile.CompileFor(c.spec, values).JSON()
}

const destroyDoc = `Destroy deletes the CloudFormation stack NAME and every resource it created,
after showing it and asking (unless --yes), and follows it until it is gone.
A stack that does not exist is nothing to destroy. A stack with termination
protection is refused unless --disable-termination-protection.

Without --stack, the stack is the api.name of SPEC (./` + defaultSpec + `
when none is given), printed on stderr before anything is asked or deleted.

Examples:
  sfnapic destroy
  sfnapic destroy --stack item-api`

type destroyOptions struct {
	awsFlags
	yes       bool
	disableTP bool
	roleARN   string
	timeout   time.Duration
	poll      time.Duration
}

func newDestroyCmd(a *app) *cobra.Command {
	var o destroyOptions
	cmd := &cobra.Command{
		Use:   "destroy [SPEC] [--stack NAME]",
		Short: "delete a stack and everything it created",
		Long:  destroyDoc,
		Args:  optionalSpec,
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			survivePipes()
			if err := o.specStack(a, firstArg(args)); err != nil {
				return err
			}
			d := &deploy.DestroyOptions{Stack: o.stack, Yes: o.yes, DisableTerminationProtection: o.disableTP,
				RoleARN: o.roleARN, Poll: o.poll, Confirm: a.prompter()}
			if !d.Yes && d.Confirm == nil {
				return usagef("stdin is not a terminal, so nobody can confirm: pass --yes to destroy without a prompt")
			}
			ctx, cfg, done, err := startAWS(cmd.Context(), o.aws, o.timeout)
			if err != nil {
				return err
			}
			defer done()
			d.Confirm = untimed(ctx, d.Confirm)
			d.Reporter = a.reporter(o.stack, false, func() string { return accountOf(ctx, cfg) })
			err = deploy.Destroy(ctx, awsconfig.CloudFormation(cfg), d)
			return deployExit(explainAWS(timedOut(err, cfg, o.timeout), cfg, o.debug))
		}),
	}
	f := cmd.Flags()
	o.awsFlags.add(cmd, awsHelp{stack: "the CloudFormation stack `NAME`", region: "the AWS `REGION`", endpoint: "the AWS endpoint `URL` (CloudFormation), such as an emulator"})
	f.BoolVarP(&o.yes, "yes", "y", false, "delete without asking")
	f.BoolVar(&o.disableTP, "disable-termination-protection", false, "turn termination protection off first")
	f.StringVar(&o.roleARN, "role-arn", "", "an IAM role `ARN` for CloudFormation to act as")
	f.DurationVar(&o.timeout, "timeout", time.Hour, "give up after this `DURATION`: every AWS call, wait and the following of the stack")
	f.DurationVar(&o.poll, "poll", 5*time.Second, "how often to poll CloudFormation")
	_ = f.MarkHidden("poll")
	return cmd
}

// timedOut adds the endpoint and the limit to a time-out.
func timedOut(err error, cfg aws.Config, limit time.Duration) error {
	if !errors.Is(err, deploy.ErrTimedOut) {
		return err
	}
	return fmt.Errorf("%w (--timeout %s; CloudFormation endpoint %s)", err, limit, awsconfig.Endpoint(cfg, "cloudformation"))
}
