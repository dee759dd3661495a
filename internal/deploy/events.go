package deploy

import (
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// Reporter receives what deploy and destroy do, as typed events, in
// order. The engine prints nothing itself: the command line renders the
// events as text for people (with a progress line on a terminal) or as
// JSON lines for machines.
type Reporter interface {
	Report(Event)
}

// Event is one thing that happened. Its concrete types follow.
type Event interface{ event() }

// Operation is what is happening to a stack.
type Operation string

// The stack operations.
const (
	Create Operation = "create"
	Update Operation = "update"
	Delete Operation = "delete"
)

// ReplacingFailedStack: the stack is in ROLLBACK_COMPLETE (its first create
// failed), so it must be deleted and created again.
type ReplacingFailedStack struct{ Stack string }

// TemplateUploaded: the template went to S3, being too large to send
// inline.
type TemplateUploaded struct {
	Bucket, Key string
	Bytes       int
}

// ChangeSetCreated: CloudFormation accepted the change set and is
// computing it.
type ChangeSetCreated struct {
	Stack, Name, ID string
	Operation       Operation // Create or Update
}

// Change is one resource change of a change set.
type Change struct {
	Action       types.ChangeAction // Add, Modify, Remove, ...
	LogicalID    string
	ResourceType string
	Replacement  types.Replacement // for Modify: True, False or Conditional
	// Properties are what a Modify changes, sorted by path. Their values
	// are there when the service gives them (DescribeChangeSet with
	// IncludePropertyValues); moto gives none.
	Properties []PropertyChange
	// BeforeContext and AfterContext are the resource before and after
	// the change as CloudFormation gives them ("" when it gives none):
	// JSON text such as {"Properties":{...}}, in which a PropertyChange's
	// Path points.
	BeforeContext, AfterContext string
}

// PropertyChange is one changed attribute or property of a resource: a
// ResourceChangeDetail of CloudFormation's DescribeChangeSet.
type PropertyChange struct {
	// Path is where the change is, such as /Properties/Definition/States
	// (a JSON pointer into the resource's context); "" from services that
	// give only Name.
	Path      string
	Attribute types.ResourceAttribute // Properties, Metadata, Tags, ...
	Name      string                  // the top-level property, for Properties
	// ChangeType is Add, Remove or Modify (or "" when not given).
	ChangeType types.AttributeChangeType
	// Before and After are the values as CloudFormation gives them:
	// strings as they are, other values as JSON text, NoEcho parameters
	// masked, large values possibly truncated. HasBefore and HasAfter say
	// whether they were given at all.
	Before, After       string
	HasBefore, HasAfter bool
	// Recreation says whether this change replaces the resource: Never,
	// Conditionally or Always.
	Recreation types.RequiresRecreation
	// Source is what caused the change (DirectModification,
	// ResourceReference, ParameterReference, ...), CausingEntity its
	// name (the resource or parameter), Evaluation Static or Dynamic.
	Source        types.ChangeSource
	CausingEntity string
	Evaluation    types.EvaluationType
}

// ChangeSetReady: the change set is computed; these are its changes.
type ChangeSetReady struct {
	Stack, Name, ID string
	Operation       Operation
	Changes         []Change
	// Counts of the changes; Replace counts the Modify changes that
	// replace their resource.
	Add, Modify, Replace, Remove int
}

// NoChanges: the stack already matches the template; the empty change set
// was deleted.
type NoChanges struct{ Stack string }

// ChangeSetFailed: CloudFormation could not make the change set.
type ChangeSetFailed struct{ Stack, Reason string }

// NotExecuted: the change set was kept for review (--no-execute).
type NotExecuted struct{ Stack, ChangeSetID string }

// CleaningUp: deploy deletes what it created and will not execute: the
// change set, and the empty stack of a CREATE change set when EmptyStack.
type CleaningUp struct {
	ChangeSet  string
	Stack      string
	EmptyStack bool
}

// CleanupFailed: something deploy meant to delete is still there.
type CleanupFailed struct {
	What string // such as "change set NAME"
	Err  error
}

// OperationStarted: CloudFormation is now changing the stack.
type OperationStarted struct {
	Stack     string
	Operation Operation
}

// StackEvent is one stack event of the running operation.
type StackEvent struct {
	Time         time.Time
	Status       string
	ResourceType string
	LogicalID    string
	Reason       string
}

// Waiting: the stack is still in progress; nothing new happened.
type Waiting struct {
	Status  string
	Elapsed time.Duration
}

// StoppedWatching: interrupted after CloudFormation took the operation;
// it carries on without deploy.
type StoppedWatching struct {
	StackID   string
	Operation Operation
}

// ChangeSetNotCreated: stopped while CreateChangeSet was in flight, and
// CloudFormation has no change set of that name: nothing was made.
type ChangeSetNotCreated struct{ Stack, Name string }

// ExecutionInDoubt: stopped while ExecuteChangeSet was in flight. Nothing
// was deleted; Status is what CloudFormation says of the execution
// (AVAILABLE: it did not start; EXECUTE_IN_PROGRESS and after: it did),
// or "" when it could not be asked.
type ExecutionInDoubt struct {
	StackID, ChangeSetID string
	Operation            Operation
	Status               string
}

// OperationFailed: the stack operation ended in failure. RootCause is the
// first resource that failed (not "cancelled", not the stack's summary),
// or the stack's own reason.
type OperationFailed struct {
	Stack, Status, RootCause string
	Operation                Operation
}

// Succeeded: the stack settled in CREATE_COMPLETE or UPDATE_COMPLETE.
type Succeeded struct {
	Stack, Status string
	Outputs       []Output // the invoke URL first
}

// TerminationProtection: it was turned on or off.
type TerminationProtection struct{ On bool }

// StackFound: destroy shows the stack it is about to delete.
type StackFound struct {
	Stack, Status, ID string
	Outputs           []Output
}

// NothingToDestroy: the stack does not exist.
type NothingToDestroy struct{ Stack string }

// StackDeleted: the stack is gone.
type StackDeleted struct{ Stack string }

func (ReplacingFailedStack) event()  {}
func (TemplateUploaded) event()      {}
func (ChangeSetCreated) event()      {}
func (ChangeSetReady) event()        {}
func (NoChanges) event()             {}
func (ChangeSetFailed) event()       {}
func (NotExecuted) event()           {}
func (CleaningUp) event()            {}
func (CleanupFailed) event()         {}
func (OperationStarted) event()      {}
func (StackEvent) event()            {}
func (Waiting) event()               {}
func (StoppedWatching) event()       {}
func (ChangeSetNotCreated) event()   {}
func (ExecutionInDoubt) event()      {}
func (OperationFailed) event()       {}
func (Succeeded) event()             {}
func (TerminationProtection) event() {}
func (StackFound) event()            {}
func (NothingToDestroy) event()      {}
func (StackDeleted) event()          {}

// Output is a stack output.
type Output struct{ Key, Value string }

// outputs sorts stack outputs, the invoke URL (ApiUrl) first.
func outputs(in []types.Output) []Output {
	out := make([]Output, 0, len(in))
	for _, o := range in {
		out = append(out, Output{aws.ToString(o.OutputKey), aws.ToString(o.OutputValue)})
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Key, out[j].Key
		if (a == "ApiUrl") != (b == "ApiUrl") {
			return a == "ApiUrl"
		}
		return a < b
	})
	return out
}
