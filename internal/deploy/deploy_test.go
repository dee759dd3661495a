package deploy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/sfnapic/sfnapic/cfn"
	"github.com/sfnapic/sfnapic/internal/cfnfake"
	"github.com/sfnapic/sfnapic/internal/golden"
)

// env is a fake CloudFormation with real SDK clients pointed at it.
type env struct {
	fake *cfnfake.Fake
	cf   *cloudformation.Client
	s3   *s3.Client
	log  recorder
}

// recorder keeps the events a deploy reports; String shows each as
// Type{Field:value ...}, one per line.
type recorder struct{ events []Event }

func (r *recorder) Report(e Event) { r.events = append(r.events, e) }
func (r *recorder) Reset()         { r.events = nil }
func (r *recorder) String() string {
	var b strings.Builder
	for _, e := range r.events {
		fmt.Fprintf(&b, "%T%+v\n", e, e)
	}
	return b.String()
}

func newEnv(t *testing.T) *env {
	t.Helper()
	f := cfnfake.New()
	t.Cleanup(f.Close)
	cfg := aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = 5
				o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return time.Millisecond, nil })
				o.RateLimiter = ratelimit.None
			})
		},
	}
	return &env{
		fake: f,
		cf:   cloudformation.NewFromConfig(cfg, func(o *cloudformation.Options) { o.BaseEndpoint = aws.String(f.URL()) }),
		s3:   s3.NewFromConfig(cfg, func(o *s3.Options) { o.BaseEndpoint = aws.String(f.URL()); o.UsePathStyle = true }),
	}
}

func template(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(golden.Root(), name, "template.json"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (e *env) opts(tpl []byte) *Options {
	return &Options{
		Stack: "demo", Template: tpl, Region: "us-east-1", Yes: true, Poll: time.Millisecond,
		Reporter: &e.log, Sleep: func(ctx context.Context, d time.Duration) error { return ctx.Err() },
	}
}

func (e *env) deploy(t *testing.T, o *Options) (*Result, error) {
	t.Helper()
	return Deploy(context.Background(), e.cf, e.s3, o)
}

func mustContain(t *testing.T, s string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(s, w) {
			t.Errorf("output lacks %q:\n%s", w, s)
		}
	}
}

func TestCreate(t *testing.T) {
	e := newEnv(t)
	o := e.opts(template(t, "item-api"))
	res, err := e.deploy(t, o)
	if err != nil {
		t.Fatalf("%v\n%s", err, e.log.String())
	}
	if res.Status != "CREATE_COMPLETE" {
		t.Fatalf("status %s", res.Status)
	}
	mustContain(t, e.log.String(), "deploy.ChangeSetCreated{Stack:demo", "deploy.ChangeSetReady{Stack:demo", "Operation:create",
		"{Action:Add LogicalID:RouteItemIdPost ResourceType:AWS::ApiGateway::Method", "Modify:0 Replace:0 Remove:0}",
		"deploy.OperationStarted{Stack:demo Operation:create}", "Status:CREATE_COMPLETE",
		// The invoke URL comes first.
		"deploy.Succeeded{Stack:demo Status:CREATE_COMPLETE Outputs:[{Key:ApiUrl Value:https://")
	if len(res.Outputs) == 0 || res.Outputs[0].Key != "ApiUrl" {
		t.Errorf("outputs: %v", res.Outputs)
	}
	// The change set acknowledged CAPABILITY_IAM, and was named and tokened.
	for _, r := range e.fake.Requests {
		if r.Action == "CreateChangeSet" {
			if r.Form.Get("Capabilities.member.1") != "CAPABILITY_IAM" || r.Form.Get("ChangeSetType") != "CREATE" ||
				!strings.HasPrefix(r.Form.Get("ClientToken"), "sfnapic-") || r.Form.Get("TemplateBody") == "" {
				t.Errorf("CreateChangeSet form: %v", r.Form)
			}
		}
	}
}

func TestUpdateWithReplacement(t *testing.T) {
	e := newEnv(t)
	old := template(t, "item-api")
	if _, err := e.deploy(t, e.opts(old)); err != nil {
		t.Fatal(err)
	}
	e.log.Reset()
	e.fake.Scripts["demo"] = &cfnfake.Script{Replace: []string{"StateMachineItems"}}
	updated := bytes.Replace(old, []byte(`"Type": "Pass"`), []byte(`"Type": "Succeed"`), 1)
	updated = bytes.Replace(updated, []byte(`"End": true`), []byte(`"Comment": "x"`), 1)
	res, err := e.deploy(t, e.opts(updated))
	if err != nil {
		t.Fatalf("%v\n%s", err, e.log.String())
	}
	if res.Status != "UPDATE_COMPLETE" {
		t.Fatalf("status %s", res.Status)
	}
	mustContain(t, e.log.String(), "Operation:update", "{Action:Modify LogicalID:StateMachineItems ResourceType:AWS::StepFunctions::StateMachine Replacement:True ",
		"Add:0 Modify:1 Replace:1 Remove:0}")
	// Events of the first deploy are not shown again.
	if strings.Count(e.log.String(), "CREATE_COMPLETE") > 0 {
		t.Errorf("old events shown:\n%s", e.log.String())
	}
}

func TestNoChanges(t *testing.T) {
	for _, wording := range []string{"", "No updates are to be performed."} {
		for _, failOnEmpty := range []bool{false, true} {
			e := newEnv(t)
			tpl := template(t, "item-api")
			if _, err := e.deploy(t, e.opts(tpl)); err != nil {
				t.Fatal(err)
			}
			e.fake.Scripts["demo"] = &cfnfake.Script{EmptyWording: wording}
			o := e.opts(tpl)
			o.FailOnEmpty = failOnEmpty
			res, err := e.deploy(t, o)
			if failOnEmpty != errors.Is(err, ErrNoChanges) || (!failOnEmpty && err != nil) {
				t.Fatalf("wording %q, fail-on-empty %v: %v", wording, failOnEmpty, err)
			}
			if !res.NoChanges || e.fake.Count("ExecuteChangeSet") != 1 || e.fake.Count("DeleteChangeSet") != 1 {
				t.Fatalf("no changes not handled: %+v %v", res, e.fake.Calls())
			}
			mustContain(t, e.log.String(), "deploy.NoChanges{Stack:demo}")
		}
	}
}

func TestFailedChangeSetCleansUp(t *testing.T) {
	e := newEnv(t)
	e.fake.Scripts["demo"] = &cfnfake.Script{ChangeSetFailure: "Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template"}
	_, err := e.deploy(t, e.opts(template(t, "item-api")))
	if !errors.Is(err, ErrFailed) {
		t.Fatalf("err %v", err)
	}
	mustContain(t, e.log.String(), "deploy.ChangeSetFailed{Stack:demo Reason:Template format error", "deploy.CleaningUp{ChangeSet:sfnapic-")
	if e.fake.Count("DeleteChangeSet") != 1 || e.fake.Count("DeleteStack") != 1 {
		t.Fatalf("calls %v", e.fake.Calls())
	}
	if s := e.fake.Stacks["demo"]; s.Status != "DELETE_COMPLETE" {
		t.Fatalf("the empty stack was left: %s", s.Status)
	}
}

func TestFailedExecutionRootCause(t *testing.T) {
	e := newEnv(t)
	tpl := template(t, "reddit-api")
	// An earlier operation left a failure in the event history: it must be
	// ignored.
	prev := e.fake.AddStack("demo", "UPDATE_ROLLBACK_COMPLETE", nil)
	prev.Events = append(prev.Events, cfnfake.Event{ID: "old-fail", Logical: "Old", Type: "AWS::IAM::Role", Status: "UPDATE_FAILED", Reason: "an old failure", Token: "old-token", Time: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	e.fake.Scripts["demo"] = &cfnfake.Script{FailResource: "ApiRole", FailReason: "Resource handler returned message: \"User is not authorized to perform: iam:CreateRole\"", ExecPolls: 2}
	_, err := e.deploy(t, e.opts(tpl))
	if !errors.Is(err, ErrFailed) {
		t.Fatalf("err %v\n%s", err, e.log.String())
	}
	log := e.log.String()
	mustContain(t, log, "RootCause:ApiRole (AWS::IAM::Role): Resource handler returned message", "UPDATE_ROLLBACK_COMPLETE")
	if strings.Contains(log, "an old failure") {
		t.Errorf("an older operation's event was shown:\n%s", log)
	}
	// The many events of this run span several pages (3 per page).
	if e.fake.Count("DescribeStackEvents") < 3 {
		t.Errorf("events were not paged: %v", e.fake.Calls())
	}
}

func TestRollbackCompleteIsDeletedThenCreated(t *testing.T) {
	e := newEnv(t)
	e.fake.AddStack("demo", "ROLLBACK_COMPLETE", nil)
	res, err := e.deploy(t, e.opts(template(t, "item-api")))
	if err != nil || res.Status != "CREATE_COMPLETE" {
		t.Fatalf("%v %v\n%s", res, err, e.log.String())
	}
	mustContain(t, e.log.String(), "deploy.ReplacingFailedStack{Stack:demo}", "deploy.OperationStarted{Stack:demo Operation:delete}")
	calls := strings.Join(e.fake.Calls(), " ")
	if !strings.Contains(calls, "DeleteStack") || strings.Index(calls, "DeleteStack") > strings.Index(calls, "CreateChangeSet") {
		t.Fatalf("calls %s", calls)
	}
	// A diff never deletes it.
	e3 := newEnv(t)
	e3.fake.AddStack("demo", "ROLLBACK_COMPLETE", nil)
	o := e3.opts(template(t, "item-api"))
	o.Yes, o.Diff = false, true
	if _, err := e3.deploy(t, o); err == nil || !strings.Contains(err.Error(), "a deploy would delete it") || e3.fake.Count("DeleteStack") != 0 {
		t.Fatalf("diff on ROLLBACK_COMPLETE: %v, calls %v", err, e3.fake.Calls())
	}
	// Without --yes and no one to ask, it is refused before any change.
	e2 := newEnv(t)
	e2.fake.AddStack("demo", "ROLLBACK_COMPLETE", nil)
	o = e2.opts(template(t, "item-api"))
	o.Yes, o.NoExecute = false, true
	var pe *PreconditionError
	if _, err := e2.deploy(t, o); !errors.As(err, &pe) {
		t.Fatalf("err %v", err)
	}
}

func TestReviewInProgressIsACreate(t *testing.T) {
	e := newEnv(t)
	e.fake.AddStack("demo", "REVIEW_IN_PROGRESS", nil)
	if _, err := e.deploy(t, e.opts(template(t, "item-api"))); err != nil {
		t.Fatal(err)
	}
	if e.fake.Requests[1].Form.Get("ChangeSetType") != "CREATE" {
		t.Fatalf("calls %v", e.fake.Requests[1])
	}
}

func TestBusyAndBrokenStacksAreRefused(t *testing.T) {
	for status, fix := range map[string]string{
		"UPDATE_IN_PROGRESS":     "busy",
		"CREATE_IN_PROGRESS":     "busy",
		"UPDATE_ROLLBACK_FAILED": "continue-update-rollback",
		"DELETE_FAILED":          "sfnapic destroy",
	} {
		e := newEnv(t)
		e.fake.AddStack("demo", status, nil)
		_, err := e.deploy(t, e.opts(template(t, "item-api")))
		if err == nil || !strings.Contains(err.Error(), fix) {
			t.Errorf("%s: %v", status, err)
		}
		if e.fake.Count("CreateChangeSet") != 0 {
			t.Errorf("%s: a change set was created", status)
		}
	}
}

func TestThrottlingIsRetriedWithOneChangeSet(t *testing.T) {
	e := newEnv(t)
	e.fake.Throttle["CreateChangeSet"] = 2
	e.fake.Throttle["DescribeStacks"] = 2
	e.fake.Throttle["DescribeStackEvents"] = 1
	res, err := e.deploy(t, e.opts(template(t, "item-api")))
	if err != nil || res.Status != "CREATE_COMPLETE" {
		t.Fatalf("%v %v", res, err)
	}
	tokens := map[string]bool{}
	for _, r := range e.fake.Requests {
		if r.Action == "CreateChangeSet" {
			tokens[r.Form.Get("ClientToken")] = true
		}
	}
	if e.fake.Count("CreateChangeSet") != 3 || len(tokens) != 1 || len(e.fake.Stacks["demo"].Events) == 0 {
		t.Fatalf("retries: %d CreateChangeSet calls, %d tokens", e.fake.Count("CreateChangeSet"), len(tokens))
	}
}

func TestLargeTemplateGoesThroughS3(t *testing.T) {
	e := newEnv(t)
	tpl := template(t, "reddit-api")
	big := bytes.Replace(tpl, []byte(`"Description": "Posts`), []byte(`"Description": "`+strings.Repeat("x", cfn.MaxBodyBytes)+` Posts`), 1)
	o := e.opts(big)
	o.S3Bucket, o.S3Prefix = "artifacts", "sfnapic/"
	res, err := e.deploy(t, o)
	if err != nil || res.Status != "CREATE_COMPLETE" {
		t.Fatalf("%v %v\n%s", res, err, e.log.String())
	}
	for _, r := range e.fake.Requests {
		if r.Action == "CreateChangeSet" {
			u := r.Form.Get("TemplateURL")
			if r.Form.Get("TemplateBody") != "" || !strings.HasPrefix(u, "https://artifacts.s3.us-east-1.amazonaws.com/sfnapic/") {
				t.Fatalf("TemplateURL %q", u)
			}
		}
	}
	if e.fake.Count("PutObject") != 1 {
		t.Fatalf("calls %v", e.fake.Calls())
	}
}

func TestLargeTemplateWithoutBucketMakesNoCalls(t *testing.T) {
	e := newEnv(t)
	o := e.opts(bytes.Repeat([]byte("x"), cfn.MaxBodyBytes+1))
	var pe *PreconditionError
	if _, err := e.deploy(t, o); !errors.As(err, &pe) || !strings.Contains(err.Error(), "--s3-bucket") {
		t.Fatalf("err %v", err)
	}
	o = e.opts(bytes.Repeat([]byte("x"), cfn.MaxURLBytes+1))
	o.S3Bucket = "b"
	if _, err := e.deploy(t, o); !errors.As(err, &pe) {
		t.Fatalf("err %v", err)
	}
	if len(e.fake.Requests) != 0 {
		t.Fatalf("calls %v", e.fake.Calls())
	}
}

func TestDeclineAndNoTerminal(t *testing.T) {
	e := newEnv(t)
	o := e.opts(template(t, "item-api"))
	o.Yes = false
	asked := ""
	o.Confirm = func(q string) (bool, error) { asked = q; return false, nil }
	if _, err := e.deploy(t, o); !errors.Is(err, ErrDeclined) {
		t.Fatalf("err %v", err)
	}
	if asked != "Deploy this change set?" || e.fake.Count("ExecuteChangeSet") != 0 || e.fake.Count("DeleteChangeSet") != 1 || e.fake.Count("DeleteStack") != 1 {
		t.Fatalf("asked %q, calls %v", asked, e.fake.Calls())
	}
	// No terminal and no --yes: refused before any call.
	e2 := newEnv(t)
	o = e2.opts(template(t, "item-api"))
	o.Yes = false
	var pe *PreconditionError
	if _, err := e2.deploy(t, o); !errors.As(err, &pe) || len(e2.fake.Requests) != 0 {
		t.Fatalf("err %v, calls %v", err, e2.fake.Calls())
	}
}

func TestNoExecuteAndDiff(t *testing.T) {
	e := newEnv(t)
	o := e.opts(template(t, "item-api"))
	o.Yes, o.NoExecute = false, true
	if _, err := e.deploy(t, o); err != nil {
		t.Fatal(err)
	}
	mustContain(t, e.log.String(), "deploy.NotExecuted{Stack:demo ChangeSetID:arn:")
	if e.fake.Count("ExecuteChangeSet") != 0 || e.fake.Count("DeleteChangeSet") != 0 {
		t.Fatalf("calls %v", e.fake.Calls())
	}
	e2 := newEnv(t)
	o = e2.opts(template(t, "item-api"))
	o.Yes, o.Diff = false, true
	if _, err := e2.deploy(t, o); err != nil {
		t.Fatal(err)
	}
	if e2.fake.Count("ExecuteChangeSet") != 0 || e2.fake.Count("DeleteChangeSet") != 1 || e2.fake.Stacks["demo"].Status != "DELETE_COMPLETE" {
		t.Fatalf("diff left things behind: %v", e2.fake.Calls())
	}
}

func TestInterruptBeforeExecuteCleansUp(t *testing.T) {
	e := newEnv(t)
	e.fake.Scripts["demo"] = &cfnfake.Script{PendingPolls: 3}
	ctx, cancel := context.WithCancel(context.Background())
	o := e.opts(template(t, "item-api"))
	polls := 0
	o.Sleep = func(c context.Context, d time.Duration) error {
		polls++
		if polls == 1 {
			cancel() // Ctrl-C while the change set is being created
		}
		return c.Err()
	}
	_, err := Deploy(ctx, e.cf, e.s3, o)
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("err %v", err)
	}
	// The cleanup waited for the change set to settle, then deleted it and
	// the empty stack; nothing was executed.
	if e.fake.Count("ExecuteChangeSet") != 0 || e.fake.Count("DeleteChangeSet") != 1 || e.fake.Stacks["demo"].Status != "DELETE_COMPLETE" {
		t.Fatalf("calls %v", e.fake.Calls())
	}
	mustContain(t, e.log.String(), "deploy.CleaningUp{ChangeSet:sfnapic-", "Stack:demo EmptyStack:true}")
}

func TestInterruptAfterExecuteDetaches(t *testing.T) {
	e := newEnv(t)
	e.fake.Scripts["demo"] = &cfnfake.Script{ExecPolls: 5}
	ctx, cancel := context.WithCancel(context.Background())
	o := e.opts(template(t, "item-api"))
	o.Sleep = func(c context.Context, d time.Duration) error {
		if e.fake.Count("ExecuteChangeSet") > 0 {
			cancel()
		}
		return c.Err()
	}
	_, err := Deploy(ctx, e.cf, e.s3, o)
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("err %v", err)
	}
	mustContain(t, e.log.String(), "deploy.StoppedWatching{StackID:arn:", "Operation:create}")
	if e.fake.Count("DeleteStack") != 0 || e.fake.Count("DeleteChangeSet") != 0 {
		t.Fatalf("it must not clean up after execution: %v", e.fake.Calls())
	}
}

func TestTerminationProtection(t *testing.T) {
	e := newEnv(t)
	o := e.opts(template(t, "item-api"))
	o.TerminationProtection = true
	if _, err := e.deploy(t, o); err != nil {
		t.Fatal(err)
	}
	if !e.fake.Stacks["demo"].Protected {
		t.Fatal("not protected")
	}
	mustContain(t, e.log.String(), "deploy.TerminationProtection{On:true}")
}

func TestCapabilities(t *testing.T) {
	caps, _ := Capabilities([]byte(`{"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "x"}}}}`))
	if len(caps) != 1 || caps[0] != "CAPABILITY_NAMED_IAM" {
		t.Fatalf("%v", caps)
	}
	caps, _ = Capabilities([]byte(`{"Resources": {"R": {"Type": "AWS::SNS::Topic"}}}`))
	if len(caps) != 0 {
		t.Fatalf("%v", caps)
	}
}

func TestDestroy(t *testing.T) {
	// Happy: shown, confirmed, followed to the end.
	e := newEnv(t)
	if _, err := e.deploy(t, e.opts(template(t, "item-api"))); err != nil {
		t.Fatal(err)
	}
	asked := ""
	d := &DestroyOptions{Stack: "demo", Poll: time.Millisecond, Reporter: &e.log, Confirm: func(q string) (bool, error) { asked = q; return true, nil },
		Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }}
	if err := Destroy(context.Background(), e.cf, d); err != nil {
		t.Fatalf("%v\n%s", err, e.log.String())
	}
	if !strings.Contains(asked, "Delete stack demo") || e.fake.Stacks["demo"].Status != "DELETE_COMPLETE" {
		t.Fatalf("asked %q, status %s", asked, e.fake.Stacks["demo"].Status)
	}
	mustContain(t, e.log.String(), "deploy.StackFound{Stack:demo Status:CREATE_COMPLETE", "Status:DELETE_COMPLETE", "deploy.StackDeleted{Stack:demo}")

	// Missing: nothing to do.
	e.log.Reset()
	if err := Destroy(context.Background(), e.cf, d); err != nil {
		t.Fatal(err)
	}
	mustContain(t, e.log.String(), "deploy.NothingToDestroy{Stack:demo}")

	// Protected: refused, unless asked to lift the protection.
	e2 := newEnv(t)
	e2.fake.AddStack("demo", "CREATE_COMPLETE", nil).Protected = true
	d.Reporter = &e2.log
	if err := Destroy(context.Background(), e2.cf, d); err == nil || !strings.Contains(err.Error(), "--disable-termination-protection") {
		t.Fatalf("err %v", err)
	}
	d.DisableTerminationProtection = true
	if err := Destroy(context.Background(), e2.cf, d); err != nil || e2.fake.Stacks["demo"].Status != "DELETE_COMPLETE" {
		t.Fatalf("err %v", err)
	}

	// DELETE_FAILED: the root cause.
	e3 := newEnv(t)
	e3.fake.AddStack("demo", "CREATE_COMPLETE", nil)
	e3.fake.Scripts["demo"] = &cfnfake.Script{DeleteFailure: "The bucket you tried to delete is not empty", DeleteBlocker: "Uploads"}
	d = &DestroyOptions{Stack: "demo", Yes: true, Poll: time.Millisecond, Reporter: &e3.log, Sleep: d.Sleep}
	if err := Destroy(context.Background(), e3.cf, d); !errors.Is(err, ErrFailed) {
		t.Fatalf("err %v", err)
	}
	mustContain(t, e3.log.String(), "RootCause:Uploads (AWS::S3::Bucket): The bucket you tried to delete is not empty", "Operation:delete}")
}

// interruptWhen cancels ctx as soon as the fake has received an action.
func interruptWhen(t *testing.T, fake *cfnfake.Fake, action string, cancel func()) {
	t.Helper()
	go func() {
		for i := 0; i < 2000 && fake.Count(action) == 0; i++ {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
}

// TestInterruptDuringCreateChangeSet: Ctrl-C while CreateChangeSet is in
// flight, after CloudFormation made the change set: deploy finds it by its
// name, deletes it and the empty new stack, and reports an interrupt.
func TestInterruptDuringCreateChangeSet(t *testing.T) {
	e := newEnv(t)
	e.fake.StallAfter["CreateChangeSet"] = 1
	ctx, cancel := context.WithCancel(context.Background())
	interruptWhen(t, e.fake, "CreateChangeSet", cancel)
	_, err := Deploy(ctx, e.cf, e.s3, e.opts(template(t, "item-api")))
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("err %v\n%s", err, e.log.String())
	}
	if e.fake.Count("DeleteChangeSet") != 1 || e.fake.Stacks["demo"].Status != "DELETE_COMPLETE" {
		t.Fatalf("left behind: calls %v, stack %s", e.fake.Calls(), e.fake.Stacks["demo"].Status)
	}
	mustContain(t, e.log.String(), "deploy.CleaningUp{", "EmptyStack:true}")

	// Stopped before CloudFormation acted: nothing to clean, and it says so.
	e2 := newEnv(t)
	e2.fake.StallBefore["CreateChangeSet"] = 1
	ctx, cancel = context.WithCancel(context.Background())
	interruptWhen(t, e2.fake, "CreateChangeSet", cancel)
	o := e2.opts(template(t, "item-api"))
	o.Sleep = func(context.Context, time.Duration) error { return nil }
	if _, err := Deploy(ctx, e2.cf, e2.s3, o); !errors.Is(err, ErrInterrupted) {
		t.Fatalf("err %v", err)
	}
	mustContain(t, e2.log.String(), "deploy.ChangeSetNotCreated{Stack:demo Name:sfnapic-")
	if e2.fake.Count("DeleteChangeSet")+e2.fake.Count("DeleteStack") != 0 {
		t.Fatalf("deleted something: %v", e2.fake.Calls())
	}
}

// TestInterruptDuringExecute: Ctrl-C while ExecuteChangeSet is in flight
// never deletes anything; deploy asks what happened and says it.
func TestInterruptDuringExecute(t *testing.T) {
	for _, c := range []struct {
		stall  func(*cfnfake.Fake)
		status string
	}{
		{func(f *cfnfake.Fake) { f.StallAfter["ExecuteChangeSet"] = 1 }, "EXECUTE_IN_PROGRESS"},
		{func(f *cfnfake.Fake) { f.StallBefore["ExecuteChangeSet"] = 1 }, "AVAILABLE"},
	} {
		e := newEnv(t)
		c.stall(e.fake)
		ctx, cancel := context.WithCancel(context.Background())
		interruptWhen(t, e.fake, "ExecuteChangeSet", cancel)
		if _, err := Deploy(ctx, e.cf, e.s3, e.opts(template(t, "item-api"))); !errors.Is(err, ErrInterrupted) {
			t.Fatalf("%s: err %v", c.status, err)
		}
		if n := e.fake.Count("DeleteChangeSet") + e.fake.Count("DeleteStack"); n != 0 {
			t.Fatalf("%s: deleted something after execution may have started: %v", c.status, e.fake.Calls())
		}
		mustContain(t, e.log.String(), "deploy.ExecutionInDoubt{StackID:arn:", "Operation:create Status:"+c.status+"}")
	}
}

// TestDeadline: the command's time limit stops a deploy against an
// endpoint that never answers, with ErrTimedOut; before any change set
// exists nothing is left.
func TestDeadline(t *testing.T) {
	e := newEnv(t)
	e.fake.StallBefore["DescribeStacks"] = 100
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := Deploy(ctx, e.cf, e.s3, e.opts(template(t, "item-api"))); !errors.Is(err, ErrTimedOut) {
		t.Fatalf("err %v", err)
	}
	// Interrupted at the same point: 130, not a failure.
	e2 := newEnv(t)
	e2.fake.StallBefore["DescribeStacks"] = 100
	ctx, cancel2 := context.WithCancel(context.Background())
	interruptWhen(t, e2.fake, "DescribeStacks", cancel2)
	if _, err := Deploy(ctx, e2.cf, e2.s3, e2.opts(template(t, "item-api"))); !errors.Is(err, ErrInterrupted) {
		t.Fatalf("err %v", err)
	}
}

// TestDeadlineWhileFollowing: the time limit passing while the stack is
// being created stops the watch, deletes nothing, and says CloudFormation
// carries on.
func TestDeadlineWhileFollowing(t *testing.T) {
	e := newEnv(t)
	e.fake.Scripts["demo"] = &cfnfake.Script{ExecPolls: 1_000_000}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	o := e.opts(template(t, "item-api"))
	o.Sleep = func(c context.Context, d time.Duration) error {
		select {
		case <-c.Done():
			return c.Err()
		case <-time.After(time.Millisecond):
			return nil
		}
	}
	if _, err := Deploy(ctx, e.cf, e.s3, o); !errors.Is(err, ErrTimedOut) {
		t.Fatalf("err %v", err)
	}
	mustContain(t, e.log.String(), "deploy.StoppedWatching{StackID:arn:", "Operation:create}")
	if e.fake.Count("DeleteStack")+e.fake.Count("DeleteChangeSet") != 0 {
		t.Fatalf("deleted after execution: %v", e.fake.Calls())
	}
}
