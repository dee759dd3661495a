// Package deploy owns the CloudFormation side of sfnapic: it deploys a
// template through a reviewed change set and follows the stack to the end,
// and destroys stacks. It talks to AWS only through the narrow API and
// Uploader interfaces, which the SDK clients satisfy (and test fakes too);
// it takes template bytes, never a spec. It prints nothing: what happens
// goes to a Reporter as typed events (events.go), which the command line
// renders.
package deploy

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/sfnapic/sfnapic/cfn"
)

// API is the part of CloudFormation that deploy uses.
type API interface {
	DescribeStacks(context.Context, *cloudformation.DescribeStacksInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeStacksOutput, error)
	CreateChangeSet(context.Context, *cloudformation.CreateChangeSetInput, ...func(*cloudformation.Options)) (*cloudformation.CreateChangeSetOutput, error)
	DescribeChangeSet(context.Context, *cloudformation.DescribeChangeSetInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeChangeSetOutput, error)
	ExecuteChangeSet(context.Context, *cloudformation.ExecuteChangeSetInput, ...func(*cloudformation.Options)) (*cloudformation.ExecuteChangeSetOutput, error)
	DeleteChangeSet(context.Context, *cloudformation.DeleteChangeSetInput, ...func(*cloudformation.Options)) (*cloudformation.DeleteChangeSetOutput, error)
	DeleteStack(context.Context, *cloudformation.DeleteStackInput, ...func(*cloudformation.Options)) (*cloudformation.DeleteStackOutput, error)
	DescribeStackEvents(context.Context, *cloudformation.DescribeStackEventsInput, ...func(*cloudformation.Options)) (*cloudformation.DescribeStackEventsOutput, error)
	UpdateTerminationProtection(context.Context, *cloudformation.UpdateTerminationProtectionInput, ...func(*cloudformation.Options)) (*cloudformation.UpdateTerminationProtectionOutput, error)
}

// Uploader is the part of S3 that deploy uses, for templates too large to
// send inline.
type Uploader interface {
	PutObject(context.Context, *s3.PutObjectInput, ...func(*s3.Options)) (*s3.PutObjectOutput, error)
}

// Outcomes that the CLI maps to exit codes.
var (
	// ErrNoChanges: the change set was empty and FailOnEmpty was set.
	ErrNoChanges = errors.New("the change set has no changes")
	// ErrDeclined: the user said no at the prompt.
	ErrDeclined = errors.New("deployment declined")
	// ErrInterrupted: the user pressed Ctrl-C (or sent SIGTERM).
	ErrInterrupted = errors.New("interrupted")
	// ErrTimedOut: the time limit of the command passed (its context's
	// deadline); what exists was reported, as for an interrupt.
	ErrTimedOut = errors.New("timed out: the time limit passed")
	// ErrFailed: the stack operation failed (the root cause was printed).
	ErrFailed = errors.New("the stack operation failed")
)

// PreconditionError is a problem found before any AWS call: the command
// line cannot work as given.
type PreconditionError struct{ Msg string }

// Error returns the message.
func (e *PreconditionError) Error() string { return e.Msg }

// KV is a key and value from the command line (--param, --tags).
type KV struct{ Key, Value string }

// Options configures a deploy.
type Options struct {
	Stack                 string
	Template              []byte
	Region                string // for the S3 URL of an uploaded template
	Params                []KV
	Tags                  []KV
	Yes                   bool // no prompt: the change set is executed as it is
	NoExecute             bool // stop after showing the change set
	Diff                  bool // show the change set, then delete it (and an empty new stack)
	FailOnEmpty           bool
	DisableRollback       bool
	TerminationProtection bool
	RoleARN               string
	S3Bucket, S3Prefix    string
	Poll                  time.Duration // between polls
	// Confirm asks a yes/no question; nil means there is no one to ask.
	Confirm func(question string) (bool, error)
	// Reporter receives every event; nil discards them.
	Reporter Reporter
	Now      func() time.Time
	Sleep    func(context.Context, time.Duration) error
}

func (o *Options) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

func (o *Options) sleep(ctx context.Context, d time.Duration) error {
	if o.Sleep != nil {
		return o.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (o *Options) report(e Event) {
	if o.Reporter != nil {
		o.Reporter.Report(e)
	}
}

// Check runs the checks that need no AWS call: template size and bucket,
// and someone to confirm unless Yes.
func Check(o *Options) error {
	switch n := len(o.Template); {
	case n > cfn.MaxURLBytes:
		return &PreconditionError{fmt.Sprintf("the template is %d bytes; CloudFormation accepts at most %d: split the routes over several specs", n, cfn.MaxURLBytes)}
	case n > cfn.MaxBodyBytes && o.S3Bucket == "":
		return &PreconditionError{fmt.Sprintf("the template is %d bytes, over the %d CloudFormation accepts inline: pass --s3-bucket BUCKET to upload it", n, cfn.MaxBodyBytes)}
	}
	if !o.Yes && !o.NoExecute && !o.Diff && o.Confirm == nil {
		return &PreconditionError{"stdin is not a terminal, so nobody can review the change set: pass --yes to deploy without a prompt, or --no-execute to only create it"}
	}
	if o.Stack == "" {
		return &PreconditionError{"name the stack with --stack NAME"}
	}
	return nil
}

// Capabilities derives what CreateChangeSet must acknowledge from the
// template: any IAM resource needs CAPABILITY_IAM, one with a custom name
// CAPABILITY_NAMED_IAM.
func Capabilities(template []byte) ([]types.Capability, error) {
	var t struct {
		Resources map[string]struct {
			Type       string
			Properties map[string]json.RawMessage
		}
	}
	if err := json.Unmarshal(template, &t); err != nil {
		return nil, fmt.Errorf("reading the template: %w", err)
	}
	iam, named := false, false
	for _, r := range t.Resources {
		if !strings.HasPrefix(r.Type, "AWS::IAM::") {
			continue
		}
		iam = true
		for _, p := range []string{"RoleName", "UserName", "GroupName", "ManagedPolicyName", "InstanceProfileName"} {
			if _, ok := r.Properties[p]; ok {
				named = true
			}
		}
	}
	switch {
	case named:
		return []types.Capability{types.CapabilityCapabilityNamedIam}, nil
	case iam:
		return []types.Capability{types.CapabilityCapabilityIam}, nil
	}
	return nil, nil
}

// isNotFound reports whether DescribeStacks said the stack does not exist.
func isNotFound(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && ae.ErrorCode() == "ValidationError" && strings.Contains(ae.ErrorMessage(), "does not exist")
}

func describeStack(ctx context.Context, api API, name string) (*types.Stack, error) {
	out, err := api.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(name)})
	if isNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("describing stack %s: %w", name, err)
	}
	if len(out.Stacks) == 0 {
		return nil, nil
	}
	return &out.Stacks[0], nil
}

func changeSetName(now time.Time) string {
	b := make([]byte, 2)
	_, _ = rand.Read(b)
	return "sfnapic-" + now.UTC().Format("20060102T150405") + "-" + hex.EncodeToString(b)
}

func isEmptyReason(reason string) bool {
	return strings.Contains(reason, "didn't contain changes") || strings.Contains(reason, "No updates are to be performed")
}

func inProgress(s types.StackStatus) bool { return strings.HasSuffix(string(s), "_IN_PROGRESS") }

// Result is what a deploy did.
type Result struct {
	StackID   string
	ChangeSet string
	Status    types.StackStatus
	Outputs   []Output // the invoke URL first
	NoChanges bool
	Executed  bool
}

// Deploy creates a change set for the template, shows it, asks, executes
// it and follows the stack until it settles. ctx is cancelled on Ctrl-C:
// before execution that cleans up what was created; after it, deploy
// stops watching and says CloudFormation carries on.
func Deploy(ctx context.Context, api API, up Uploader, o *Options) (*Result, error) {
	if err := Check(o); err != nil {
		return nil, err
	}
	caps, err := Capabilities(o.Template)
	if err != nil {
		return nil, err
	}
	csType, err := changeSetType(ctx, api, o)
	if err != nil && ctx.Err() != nil {
		return nil, stoppedDuring(ctx, err) // nothing exists yet
	}
	if err != nil {
		return nil, err
	}
	r := &run{ctx: ctx, bg: context.WithoutCancel(ctx), api: api, o: o, name: changeSetName(o.now()),
		op: map[types.ChangeSetType]Operation{types.ChangeSetTypeCreate: Create, types.ChangeSetTypeUpdate: Update}[csType]}
	in, err := r.changeSetInput(up, csType, caps)
	if err != nil && ctx.Err() != nil {
		return nil, stoppedDuring(ctx, err) // an uploaded template is all that exists
	}
	if err != nil {
		return nil, err
	}
	created, err := api.CreateChangeSet(ctx, in)
	if err != nil && ctx.Err() != nil {
		// Stopped while the request was in flight: CloudFormation may have
		// made the change set. Its name is known; find it and remove it.
		err := r.createInDoubt()
		return r.res, err
	}
	if err != nil {
		return nil, fmt.Errorf("creating the change set: %w", err)
	}
	r.res = &Result{StackID: aws.ToString(created.StackId), ChangeSet: aws.ToString(created.Id)}
	o.report(ChangeSetCreated{Stack: o.Stack, Name: r.name, ID: r.res.ChangeSet, Operation: r.op})
	execute, err := r.review()
	if err != nil || !execute {
		return r.res, err
	}
	return r.res, r.execute()
}

// changeSetType looks at the stack and decides how to change it: CREATE
// for a missing stack (or one that has only a change set under review),
// UPDATE otherwise. A stack whose first create failed is deleted first,
// after confirmation; stacks that cannot be updated are refused.
func changeSetType(ctx context.Context, api API, o *Options) (types.ChangeSetType, error) {
	stack, err := describeStack(ctx, api, o.Stack)
	if err != nil {
		return "", err
	}
	switch {
	case stack == nil || stack.StackStatus == types.StackStatusReviewInProgress:
		return types.ChangeSetTypeCreate, nil
	case stack.StackStatus == types.StackStatusRollbackComplete && o.Diff:
		// A diff changes nothing, so it cannot delete the failed stack to
		// compare against an empty one.
		return "", fmt.Errorf("stack %s is in ROLLBACK_COMPLETE: its first create failed, so a deploy would delete it and create every resource anew", o.Stack)
	case stack.StackStatus == types.StackStatusRollbackComplete:
		o.report(ReplacingFailedStack{Stack: o.Stack})
		if !o.Yes {
			if o.Confirm == nil {
				return "", &PreconditionError{"stack " + o.Stack + " is in ROLLBACK_COMPLETE: pass --yes to delete and create it again"}
			}
			ok, err := o.Confirm("Delete the failed stack " + o.Stack + " and create it again?")
			if err != nil {
				return "", err
			}
			if !ok {
				return "", ErrDeclined
			}
		}
		if err := deleteAndWait(ctx, api, o, aws.ToString(stack.StackId)); err != nil {
			return "", err
		}
		return types.ChangeSetTypeCreate, nil
	case inProgress(stack.StackStatus):
		return "", fmt.Errorf("stack %s is busy (%s): wait for it to finish, e.g. `aws cloudformation describe-stack-events --stack-name %s`, then deploy again", o.Stack, stack.StackStatus, o.Stack)
	case stack.StackStatus == types.StackStatusUpdateRollbackFailed:
		return "", fmt.Errorf("stack %s is in UPDATE_ROLLBACK_FAILED: fix what blocked the rollback, then run `aws cloudformation continue-update-rollback --stack-name %s` and deploy again", o.Stack, o.Stack)
	case stack.StackStatus == types.StackStatusRollbackFailed || stack.StackStatus == types.StackStatusDeleteFailed:
		return "", fmt.Errorf("stack %s is in %s and cannot be updated: run `sfnapic destroy --stack %s`, then deploy again", o.Stack, stack.StackStatus, o.Stack)
	}
	return types.ChangeSetTypeUpdate, nil
}

// run is one deploy from its change set on.
type run struct {
	ctx context.Context
	bg  context.Context // for cleanup, which must run even after Ctrl-C
	api API
	o   *Options
	// name is the change set's name, also its client token.
	name string
	op   Operation
	res  *Result
}

// changeSetInput is the CreateChangeSet request; a large template is
// uploaded to S3 first.
func (r *run) changeSetInput(up Uploader, csType types.ChangeSetType, caps []types.Capability) (*cloudformation.CreateChangeSetInput, error) {
	o := r.o
	in := &cloudformation.CreateChangeSetInput{
		StackName:     aws.String(o.Stack),
		ChangeSetName: aws.String(r.name),
		ChangeSetType: csType,
		ClientToken:   aws.String(r.name),
		Description:   aws.String("sfnapic deploy"),
		Capabilities:  caps,
	}
	for _, p := range o.Params {
		in.Parameters = append(in.Parameters, types.Parameter{ParameterKey: aws.String(p.Key), ParameterValue: aws.String(p.Value)})
	}
	for _, t := range o.Tags {
		in.Tags = append(in.Tags, types.Tag{Key: aws.String(t.Key), Value: aws.String(t.Value)})
	}
	if o.RoleARN != "" {
		in.RoleARN = aws.String(o.RoleARN)
	}
	if len(o.Template) <= cfn.MaxBodyBytes {
		in.TemplateBody = aws.String(string(o.Template))
		return in, nil
	}
	url, err := upload(r.ctx, up, o)
	if err != nil {
		return nil, err
	}
	in.TemplateURL = aws.String(url)
	return in, nil
}

// cleanup deletes the change set, and the empty stack of a CREATE one.
func (r *run) cleanup() {
	r.o.report(CleaningUp{ChangeSet: r.name, Stack: r.o.Stack, EmptyStack: r.op == Create})
	if err := removeChangeSet(r.bg, r.api, r.o, r.res, r.op == Create); err != nil {
		r.o.report(CleanupFailed{What: "change set " + r.name, Err: err})
	}
}

// interrupted cleans up after Ctrl-C (or the deadline) before execution.
func (r *run) interrupted() error {
	r.cleanup()
	return r.stopped()
}

// stopped is the error for a run whose context ended: an interrupt, or
// the command's time limit.
func (r *run) stopped() error { return stopped(r.ctx) }

// stoppedDuring is stopped, saying what was being done when the time
// limit passed (the error names the call and the endpoint).
func stoppedDuring(ctx context.Context, err error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%w, while %v", ErrTimedOut, err)
	}
	return ErrInterrupted
}

func stopped(ctx context.Context) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return ErrTimedOut
	}
	return ErrInterrupted
}

// inDoubtTimeout bounds the calls that find out what exists after an
// interrupt.
const inDoubtTimeout = 30 * time.Second

// createInDoubt runs when CreateChangeSet was stopped in flight. The
// change set's name is known: if CloudFormation made it (it may take a
// moment to show), it is removed with the empty stack of a CREATE.
func (r *run) createInDoubt() error {
	ctx, cancel := context.WithTimeout(r.bg, inDoubtTimeout)
	defer cancel()
	for try := 0; try < 3; try++ {
		out, err := r.api.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{
			StackName: aws.String(r.o.Stack), ChangeSetName: aws.String(r.name)})
		if err == nil {
			r.res = &Result{StackID: aws.ToString(out.StackId), ChangeSet: aws.ToString(out.ChangeSetId)}
			r.cleanup()
			return r.stopped()
		}
		if !isNotFound(err) && !isChangeSetNotFound(err) {
			r.o.report(CleanupFailed{What: "change set " + r.name + " (it may exist: check aws cloudformation list-change-sets --stack-name " + r.o.Stack + ")", Err: err})
			return r.stopped()
		}
		if r.o.sleep(ctx, time.Second) != nil {
			break
		}
	}
	r.o.report(ChangeSetNotCreated{Stack: r.o.Stack, Name: r.name})
	return r.stopped()
}

// executeInDoubt runs when ExecuteChangeSet was stopped in flight. The
// execution may have been accepted, so nothing is deleted: deploy asks
// CloudFormation what happened and reports it.
func (r *run) executeInDoubt() error {
	ctx, cancel := context.WithTimeout(r.bg, inDoubtTimeout)
	defer cancel()
	e := ExecutionInDoubt{StackID: r.res.StackID, ChangeSetID: r.res.ChangeSet, Operation: r.op}
	if out, err := r.api.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{ChangeSetName: aws.String(r.res.ChangeSet)}); err == nil {
		e.Status = string(out.ExecutionStatus)
	}
	r.o.report(e)
	return r.stopped()
}

func isChangeSetNotFound(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && ae.ErrorCode() == "ChangeSetNotFound"
}

// review waits for the change set, reports it, and decides whether to
// execute it: not when it is empty or failed, for a diff or --no-execute,
// or when the user says no.
func (r *run) review() (bool, error) {
	o, res := r.o, r.res
	cs, err := waitChangeSet(r.ctx, r.api, o, res.ChangeSet)
	if errors.Is(err, context.Canceled) {
		return false, r.interrupted()
	}
	if err != nil {
		return false, err
	}
	if cs.Status == types.ChangeSetStatusFailed {
		return false, r.failedChangeSet(aws.ToString(cs.StatusReason))
	}
	changes, err := allChanges(r.ctx, r.api, res.ChangeSet, cs)
	if errors.Is(err, context.Canceled) {
		return false, r.interrupted()
	}
	if err != nil {
		return false, err
	}
	o.report(changeSetReady(o.Stack, r.name, res.ChangeSet, r.op, changes))
	switch {
	case o.Diff:
		removeChangeSetQuiet(r.bg, r.api, o, res, r.op == Create)
		return false, nil
	case o.NoExecute:
		o.report(NotExecuted{Stack: o.Stack, ChangeSetID: res.ChangeSet})
		return false, nil
	case !o.Yes:
		ok, err := o.Confirm("Deploy this change set?")
		switch {
		case r.ctx.Err() != nil:
			return false, r.interrupted()
		case err != nil:
			r.cleanup()
			return false, err
		case !ok:
			r.cleanup()
			return false, ErrDeclined
		}
	}
	if r.ctx.Err() != nil {
		return false, r.interrupted()
	}
	return true, nil
}

// failedChangeSet handles a change set CloudFormation could not make:
// one with no changes is success (or ErrNoChanges with FailOnEmpty).
func (r *run) failedChangeSet(reason string) error {
	o, res := r.o, r.res
	if !isEmptyReason(reason) {
		o.report(ChangeSetFailed{Stack: o.Stack, Reason: reason})
		r.cleanup()
		return fmt.Errorf("%w: the change set failed: %s", ErrFailed, reason)
	}
	if err := removeChangeSet(r.bg, r.api, o, res, false); err != nil {
		o.report(CleanupFailed{What: "the empty change set " + r.name, Err: err})
	}
	res.NoChanges = true
	o.report(NoChanges{Stack: o.Stack})
	if o.FailOnEmpty {
		return ErrNoChanges
	}
	return nil
}

// execute runs the change set and follows the stack to its end.
func (r *run) execute() error {
	o, res := r.o, r.res
	start := o.now()
	token := r.name + "-x"
	if _, err := r.api.ExecuteChangeSet(r.ctx, &cloudformation.ExecuteChangeSetInput{
		ChangeSetName:      aws.String(res.ChangeSet),
		ClientRequestToken: aws.String(token),
		DisableRollback:    aws.Bool(o.DisableRollback),
	}); err != nil {
		if r.ctx.Err() != nil {
			return r.executeInDoubt()
		}
		return fmt.Errorf("executing the change set: %w", err)
	}
	res.Executed = true
	o.report(OperationStarted{Stack: o.Stack, Operation: r.op})
	final, events, err := follow(r.ctx, r.api, o, res.StackID, token, start)
	if errors.Is(err, context.Canceled) {
		o.report(StoppedWatching{StackID: res.StackID, Operation: r.op})
		return r.stopped()
	}
	if err != nil {
		return err
	}
	res.Status = final.StackStatus
	if final.StackStatus != types.StackStatusCreateComplete && final.StackStatus != types.StackStatusUpdateComplete {
		cause := rootCause(events)
		if cause == "" {
			cause = fmt.Sprintf("%s: %s", final.StackStatus, aws.ToString(final.StackStatusReason))
		}
		o.report(OperationFailed{Stack: o.Stack, Status: string(final.StackStatus), RootCause: cause, Operation: r.op})
		return ErrFailed
	}
	res.Outputs = outputs(final.Outputs)
	if o.TerminationProtection && !aws.ToBool(final.EnableTerminationProtection) {
		if _, err := r.api.UpdateTerminationProtection(r.bg, &cloudformation.UpdateTerminationProtectionInput{
			StackName: aws.String(res.StackID), EnableTerminationProtection: aws.Bool(true),
		}); err != nil {
			return fmt.Errorf("enabling termination protection: %w", err)
		}
		o.report(TerminationProtection{On: true})
	}
	o.report(Succeeded{Stack: o.Stack, Status: string(final.StackStatus), Outputs: res.Outputs})
	return nil
}

func upload(ctx context.Context, up Uploader, o *Options) (string, error) {
	sum := sha256.Sum256(o.Template)
	key := hex.EncodeToString(sum[:]) + ".json"
	if p := strings.Trim(o.S3Prefix, "/"); p != "" {
		key = p + "/" + key
	}
	if _, err := up.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(o.S3Bucket), Key: aws.String(key),
		Body: strings.NewReader(string(o.Template)), ContentType: aws.String("application/json"),
	}); err != nil {
		return "", fmt.Errorf("uploading the template to s3://%s/%s: %w", o.S3Bucket, key, err)
	}
	region := o.Region
	if region == "" {
		region = "us-east-1"
	}
	suffix := "amazonaws.com"
	if strings.HasPrefix(region, "cn-") {
		suffix = "amazonaws.com.cn"
	}
	o.report(TemplateUploaded{Bucket: o.S3Bucket, Key: key, Bytes: len(o.Template)})
	return fmt.Sprintf("https://%s.s3.%s.%s/%s", o.S3Bucket, region, suffix, key), nil
}

// waitChangeSet polls until the change set is no longer being created.
func waitChangeSet(ctx context.Context, api API, o *Options, id string) (*cloudformation.DescribeChangeSetOutput, error) {
	for {
		cs, err := api.DescribeChangeSet(ctx, describeInput(id, nil))
		if err != nil {
			if ctx.Err() != nil {
				return nil, context.Canceled
			}
			return nil, fmt.Errorf("describing the change set: %w", err)
		}
		switch cs.Status {
		case types.ChangeSetStatusCreatePending, types.ChangeSetStatusCreateInProgress:
		default:
			return cs, nil
		}
		if err := o.sleep(ctx, o.Poll); err != nil {
			return nil, context.Canceled
		}
	}
}

// describeInput asks for a page of the change set with its property
// values: IncludePropertyValues (DescribeChangeSet, CloudFormation API
// Reference) adds each changed property's BeforeValue and AfterValue and
// the resource's BeforeContext and AfterContext. Services that do not know
// the parameter (moto) ignore it and answer as before.
func describeInput(id string, next *string) *cloudformation.DescribeChangeSetInput {
	return &cloudformation.DescribeChangeSetInput{ChangeSetName: aws.String(id), NextToken: next, IncludePropertyValues: aws.Bool(true)}
}

func allChanges(ctx context.Context, api API, id string, first *cloudformation.DescribeChangeSetOutput) ([]types.Change, error) {
	changes := append([]types.Change(nil), first.Changes...)
	next := first.NextToken
	for next != nil {
		page, err := api.DescribeChangeSet(ctx, describeInput(id, next))
		if err != nil {
			if ctx.Err() != nil {
				return nil, context.Canceled
			}
			return nil, fmt.Errorf("describing the change set: %w", err)
		}
		changes = append(changes, page.Changes...)
		next = page.NextToken
	}
	return changes, nil
}

// removeChangeSet deletes a change set once it has settled (deleting one
// still being created is refused with InvalidChangeSetStatus), and the
// empty stack a CREATE change set made.
func removeChangeSet(ctx context.Context, api API, o *Options, res *Result, stack bool) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if _, err := waitChangeSet(ctx, api, o, res.ChangeSet); err != nil {
		return err
	}
	if _, err := api.DeleteChangeSet(ctx, &cloudformation.DeleteChangeSetInput{ChangeSetName: aws.String(res.ChangeSet)}); err != nil {
		return fmt.Errorf("deleting change set: %w", err)
	}
	if stack {
		if _, err := api.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(res.StackID)}); err != nil {
			return fmt.Errorf("deleting the empty stack: %w", err)
		}
	}
	return nil
}

func removeChangeSetQuiet(ctx context.Context, api API, o *Options, res *Result, stack bool) {
	if err := removeChangeSet(ctx, api, o, res, stack); err != nil {
		o.report(CleanupFailed{What: "change set " + res.ChangeSet, Err: err})
	}
}

// changeSetReady summarizes a computed change set.
func changeSetReady(stack, name, id string, op Operation, changes []types.Change) ChangeSetReady {
	e := ChangeSetReady{Stack: stack, Name: name, ID: id, Operation: op}
	for _, c := range changes {
		rc := c.ResourceChange
		if rc == nil {
			continue
		}
		switch rc.Action {
		case types.ChangeActionAdd:
			e.Add++
		case types.ChangeActionModify:
			e.Modify++
			if rc.Replacement == types.ReplacementTrue {
				e.Replace++
			}
		case types.ChangeActionRemove:
			e.Remove++
		}
		e.Changes = append(e.Changes, Change{Action: rc.Action, LogicalID: aws.ToString(rc.LogicalResourceId),
			ResourceType: aws.ToString(rc.ResourceType), Replacement: rc.Replacement, Properties: propertyChanges(rc.Details),
			BeforeContext: aws.ToString(rc.BeforeContext), AfterContext: aws.ToString(rc.AfterContext)})
	}
	return e
}

// propertyChanges are a resource change's details, sorted by path (then
// attribute, name, source and causing entity) so that the order does not
// depend on the service's, without exact repeats.
func propertyChanges(details []types.ResourceChangeDetail) []PropertyChange {
	var out []PropertyChange
	seen := map[PropertyChange]bool{}
	for _, d := range details {
		t := d.Target
		if t == nil {
			continue
		}
		p := PropertyChange{Path: aws.ToString(t.Path), Attribute: t.Attribute, Name: aws.ToString(t.Name), ChangeType: t.AttributeChangeType,
			Before: aws.ToString(t.BeforeValue), After: aws.ToString(t.AfterValue), HasBefore: t.BeforeValue != nil, HasAfter: t.AfterValue != nil,
			Recreation: t.RequiresRecreation, Source: d.ChangeSource, CausingEntity: aws.ToString(d.CausingEntity), Evaluation: d.Evaluation}
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		ka := []string{a.Path, string(a.Attribute), a.Name, string(a.Source), a.CausingEntity}
		kb := []string{b.Path, string(b.Attribute), b.Name, string(b.Source), b.CausingEntity}
		return slices.Compare(ka, kb) < 0
	})
	return out
}

// follow polls the stack and prints the events of this operation, oldest
// first, until the stack leaves *_IN_PROGRESS. It returns the final stack
// and this operation's events.
func follow(ctx context.Context, api API, o *Options, stackID, token string, start time.Time) (*types.Stack, []types.StackEvent, error) {
	seen := map[string]bool{}
	var mine []types.StackEvent
	for {
		fresh, err := newEvents(ctx, api, stackID, token, start, seen)
		if err != nil {
			if ctx.Err() != nil {
				return nil, mine, context.Canceled
			}
			return nil, mine, err
		}
		for _, e := range fresh {
			mine = append(mine, e)
			o.report(stackEvent(e))
		}
		out, err := api.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(stackID)})
		if err != nil {
			if ctx.Err() != nil {
				return nil, mine, context.Canceled
			}
			return nil, mine, fmt.Errorf("describing stack: %w", err)
		}
		if len(out.Stacks) == 0 {
			return nil, mine, fmt.Errorf("stack %s disappeared", stackID)
		}
		st := out.Stacks[0]
		if !inProgress(st.StackStatus) {
			// One last look, so that the final events are printed.
			fresh, err := newEvents(ctx, api, stackID, token, start, seen)
			if err == nil {
				for _, e := range fresh {
					mine = append(mine, e)
					o.report(stackEvent(e))
				}
			}
			return &st, mine, nil
		}
		o.report(Waiting{Status: string(st.StackStatus), Elapsed: o.now().Sub(start)})
		if err := o.sleep(ctx, o.Poll); err != nil {
			return nil, mine, context.Canceled
		}
	}
}

// newEvents reads events newest first, page by page, until it reaches one
// it has seen or one from an earlier operation, and returns the new ones
// oldest first. An event belongs to this operation when it carries this
// operation's client request token or, where the service sets none, when
// it is not older than the operation.
func newEvents(ctx context.Context, api API, stackID, token string, start time.Time, seen map[string]bool) ([]types.StackEvent, error) {
	var fresh []types.StackEvent
	var next *string
	for {
		page, err := api.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{StackName: aws.String(stackID), NextToken: next})
		if err != nil {
			return nil, fmt.Errorf("reading stack events: %w", err)
		}
		for _, e := range page.StackEvents {
			id := aws.ToString(e.EventId)
			if seen[id] || !ours(e, token, start) {
				return reverse(fresh), nil
			}
			seen[id] = true
			fresh = append(fresh, e)
		}
		if page.NextToken == nil {
			return reverse(fresh), nil
		}
		next = page.NextToken
	}
}

func stackEvent(e types.StackEvent) StackEvent {
	return StackEvent{Time: aws.ToTime(e.Timestamp), Status: string(e.ResourceStatus), ResourceType: aws.ToString(e.ResourceType),
		LogicalID: aws.ToString(e.LogicalResourceId), Reason: aws.ToString(e.ResourceStatusReason)}
}

func ours(e types.StackEvent, token string, start time.Time) bool {
	if t := aws.ToString(e.ClientRequestToken); t != "" {
		return t == token
	}
	return !aws.ToTime(e.Timestamp).Before(start)
}

func reverse(es []types.StackEvent) []types.StackEvent {
	for i, j := 0, len(es)-1; i < j; i, j = i+1, j-1 {
		es[i], es[j] = es[j], es[i]
	}
	return es
}

// rootCause is the earliest failure of this operation that is not a
// consequence of another one: not "cancelled", not the stack's summary.
func rootCause(events []types.StackEvent) string {
	for _, e := range events { // oldest first
		if !strings.HasSuffix(string(e.ResourceStatus), "_FAILED") {
			continue
		}
		reason := aws.ToString(e.ResourceStatusReason)
		if strings.Contains(reason, "cancelled") || aws.ToString(e.ResourceType) == "AWS::CloudFormation::Stack" {
			continue
		}
		return fmt.Sprintf("%s (%s): %s", aws.ToString(e.LogicalResourceId), aws.ToString(e.ResourceType), reason)
	}
	return ""
}
