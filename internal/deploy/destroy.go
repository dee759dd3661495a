package deploy

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// DestroyOptions configures a destroy.
type DestroyOptions struct {
	Stack                        string
	Yes                          bool
	DisableTerminationProtection bool
	RoleARN                      string
	Poll                         time.Duration
	Confirm                      func(question string) (bool, error)
	Reporter                     Reporter // nil discards the events
	Now                          func() time.Time
	Sleep                        func(context.Context, time.Duration) error
}

func (d *DestroyOptions) opts() *Options {
	return &Options{Stack: d.Stack, Reporter: d.Reporter, Poll: d.Poll, Now: d.Now, Sleep: d.Sleep}
}

// Destroy deletes a stack after showing it and asking (unless Yes), and
// follows it until DELETE_COMPLETE. A missing stack is nothing to do.
func Destroy(ctx context.Context, api API, d *DestroyOptions) error {
	o := d.opts()
	if d.Stack == "" {
		return &PreconditionError{"name the stack with --stack NAME"}
	}
	if !d.Yes && d.Confirm == nil {
		return &PreconditionError{"stdin is not a terminal, so nobody can confirm: pass --yes to destroy without a prompt"}
	}
	stack, err := describeStack(ctx, api, d.Stack)
	if err != nil && ctx.Err() != nil {
		return stoppedDuring(ctx, err)
	}
	if err != nil {
		return err
	}
	if stack == nil {
		o.report(NothingToDestroy{Stack: d.Stack})
		return nil
	}
	if inProgress(stack.StackStatus) && stack.StackStatus != types.StackStatusReviewInProgress {
		return fmt.Errorf("stack %s is busy (%s): wait for it to finish, then destroy it", d.Stack, stack.StackStatus)
	}
	protected := aws.ToBool(stack.EnableTerminationProtection)
	if protected && !d.DisableTerminationProtection {
		return fmt.Errorf("stack %s has termination protection: pass --disable-termination-protection to turn it off and destroy it", d.Stack)
	}
	o.report(StackFound{Stack: d.Stack, Status: string(stack.StackStatus), ID: aws.ToString(stack.StackId), Outputs: outputs(stack.Outputs)})
	if !d.Yes {
		ok, err := d.Confirm(fmt.Sprintf("Delete stack %s and every resource it created?", d.Stack))
		if err != nil {
			return err
		}
		if !ok {
			return ErrDeclined
		}
	}
	if protected {
		if _, err := api.UpdateTerminationProtection(ctx, &cloudformation.UpdateTerminationProtectionInput{
			StackName: stack.StackId, EnableTerminationProtection: aws.Bool(false),
		}); err != nil {
			return fmt.Errorf("turning termination protection off: %w", err)
		}
		o.report(TerminationProtection{On: false})
	}
	return deleteAndWaitAs(ctx, api, o, aws.ToString(stack.StackId), d.RoleARN)
}

func deleteAndWait(ctx context.Context, api API, o *Options, stackID string) error {
	return deleteAndWaitAs(ctx, api, o, stackID, o.RoleARN)
}

// deleteAndWaitAs deletes a stack by its ID (a deleted stack can only be
// described by ID) and follows it until DELETE_COMPLETE.
func deleteAndWaitAs(ctx context.Context, api API, o *Options, stackID, role string) error {
	start := o.now()
	token := changeSetName(start) + "-d"
	in := &cloudformation.DeleteStackInput{StackName: aws.String(stackID), ClientRequestToken: aws.String(token)}
	if role != "" {
		in.RoleARN = aws.String(role)
	}
	if _, err := api.DeleteStack(ctx, in); err != nil {
		return fmt.Errorf("deleting stack %s: %w", o.Stack, err)
	}
	o.report(OperationStarted{Stack: o.Stack, Operation: Delete})
	final, events, err := follow(ctx, api, o, stackID, token, start)
	if err == context.Canceled {
		o.report(StoppedWatching{StackID: stackID, Operation: Delete})
		return stopped(ctx)
	}
	if isNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if final.StackStatus != types.StackStatusDeleteComplete {
		cause := rootCause(events)
		if cause == "" {
			cause = aws.ToString(final.StackStatusReason)
		}
		o.report(OperationFailed{Stack: o.Stack, Status: string(final.StackStatus), RootCause: cause, Operation: Delete})
		return ErrFailed
	}
	o.report(StackDeleted{Stack: o.Stack})
	return nil
}
