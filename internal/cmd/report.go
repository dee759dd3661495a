package cmd

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/sfnapic/sfnapic/internal/deploy"
)

// textReporter renders deploy's events for people: progress, the
// change-set table and stack events on stderr (with a progress line that
// rewrites itself on a terminal), and the stack outputs, the product, on
// stdout unless JSON lines carry them.
type textReporter struct {
	stderr, stdout io.Writer
	tty            bool // stderr is a terminal: show the progress line
	outputs        bool // print the outputs on stdout
	progress       bool // a progress line is showing
	// where names the region and account, for "does not exist" messages.
	where func() string
}

func (r *textReporter) printf(format string, args ...any) {
	if r.progress {
		fmt.Fprint(r.stderr, "\r\033[K")
		r.progress = false
	}
	fmt.Fprintf(r.stderr, format, args...)
}

// Report renders one event: of the change set, or of the stack.
func (r *textReporter) Report(e deploy.Event) {
	if !r.changeSetEvent(e) {
		r.stackEvent(e)
	}
}

// changeSetEvent renders an event of the change set, up to its
// execution, and reports whether e was one.
func (r *textReporter) changeSetEvent(e deploy.Event) bool {
	switch e := e.(type) {
	case deploy.ReplacingFailedStack:
		r.printf("Stack %s is in ROLLBACK_COMPLETE: its first create failed, and it cannot be updated. It must be deleted and created again.\n", e.Stack)
	case deploy.TemplateUploaded:
		r.printf("Uploaded the template (%d bytes) to s3://%s/%s.\n", e.Bytes, e.Bucket, e.Key)
	case deploy.ChangeSetCreated:
	case deploy.ChangeSetReady:
		r.changeSet(e)
	case deploy.NoChanges:
		r.printf("No changes: stack %s already matches the template.\n", e.Stack)
	case deploy.ChangeSetFailed:
		r.printf("The change set failed: %s\n", e.Reason)
	case deploy.NotExecuted:
		r.printf("Not executed. To deploy it: aws cloudformation execute-change-set --change-set-name %s\n", e.ChangeSetID)
		r.printf("To discard it: aws cloudformation delete-change-set --change-set-name %s\n", e.ChangeSetID)
	case deploy.CleaningUp:
		if e.EmptyStack {
			r.printf("Cleaning up: deleting change set %s and the empty stack %s.\n", e.ChangeSet, e.Stack)
		} else {
			r.printf("Cleaning up: deleting change set %s.\n", e.ChangeSet)
		}
	case deploy.CleanupFailed:
		r.printf("Could not delete %s: %v\n", e.What, e.Err)
	case deploy.ChangeSetNotCreated:
		r.printf("Stopped before CloudFormation made change set %s: nothing was created for stack %s.\n", e.Name, e.Stack)
	case deploy.ExecutionInDoubt:
		r.executionInDoubt(e)
	default:
		return false
	}
	return true
}

// stackEvent renders an event of the stack: its operation, its events
// and its outcome.
func (r *textReporter) stackEvent(e deploy.Event) {
	switch e := e.(type) {
	case deploy.OperationStarted:
		r.printf("%s stack %s...\n", map[deploy.Operation]string{deploy.Create: "Creating", deploy.Update: "Updating", deploy.Delete: "Deleting"}[e.Operation], e.Stack)
	case deploy.StackEvent:
		r.printf("%s\n", eventLine(e))
	case deploy.Waiting:
		if r.tty {
			r.printf("  %s ... (%s)", e.Status, e.Elapsed.Round(time.Second))
			r.progress = true
		}
	case deploy.StoppedWatching:
		r.stoppedWatching(e)
	case deploy.OperationFailed:
		verb := "Deploy"
		if e.Operation == deploy.Delete {
			verb = "Destroy"
		}
		r.printf("%s failed: stack %s is %s.\nRoot cause: %s\n", verb, e.Stack, e.Status, e.RootCause)
	case deploy.Succeeded:
		r.printf("Stack %s is %s.\n", e.Stack, e.Status)
		if r.outputs {
			for _, o := range e.Outputs {
				fmt.Fprintf(r.stdout, "%s\t%s\n", o.Key, o.Value)
			}
		}
	case deploy.TerminationProtection:
		if e.On {
			r.printf("Termination protection is on.\n")
		} else {
			r.printf("Termination protection is off.\n")
		}
	case deploy.StackFound:
		r.printf("Stack %s (%s)\n  %s\n", e.Stack, e.Status, e.ID)
		for _, o := range e.Outputs {
			r.printf("  %s: %s\n", o.Key, o.Value)
		}
	case deploy.NothingToDestroy:
		where := ""
		if r.where != nil {
			where = " in " + r.where()
		}
		r.printf("Stack %s does not exist%s: nothing to destroy.\n", e.Stack, where)
	case deploy.StackDeleted:
		r.printf("Stack %s is deleted.\n", e.Stack)
	}
}

// eventLine is one stack event: time, status, type, logical ID, reason.
func eventLine(e deploy.StackEvent) string {
	line := fmt.Sprintf("%s  %-28s %-36s %s", e.Time.UTC().Format("15:04:05"), e.Status, e.ResourceType, e.LogicalID)
	if e.Reason != "" {
		line += "  " + e.Reason
	}
	return line
}

// changeSet prints the change set as a table; replacements and removals
// stand out.
func (r *textReporter) changeSet(e deploy.ChangeSetReady) {
	r.printf("Change set %s (%s) for stack %s:\n\n", e.Name, map[deploy.Operation]string{deploy.Create: "CREATE", deploy.Update: "UPDATE"}[e.Operation], e.Stack)
	rows := [][4]string{{"Action", "Logical ID", "Type", "Replacement"}}
	for _, c := range e.Changes {
		var action, replacement string
		switch c.Action {
		case types.ChangeActionAdd:
			action = "+ Add"
		case types.ChangeActionModify:
			action = "~ Modify"
			replacement = string(c.Replacement)
			switch c.Replacement {
			case types.ReplacementTrue:
				replacement = "True  <- REPLACED"
			case types.ReplacementConditional:
				replacement = "Conditional  <- may be replaced"
			}
		case types.ChangeActionRemove:
			action = "- Remove  <- DELETED"
		default:
			action = "  " + string(c.Action)
		}
		rows = append(rows, [4]string{action, c.LogicalID, c.ResourceType, replacement})
	}
	width := [3]int{}
	for _, row := range rows {
		for i := 0; i < 3; i++ {
			width[i] = max(width[i], len(row[i]))
		}
	}
	for _, row := range rows {
		r.printf("  %-*s  %-*s  %-*s  %s\n", width[0], row[0], width[1], row[1], width[2], row[2], row[3])
	}
	r.propertyChanges(e.Changes)
	summary := fmt.Sprintf("%d to add, %d to modify", e.Add, e.Modify)
	if e.Replace > 0 {
		summary += fmt.Sprintf(" (%d replaced)", e.Replace)
	}
	summary += fmt.Sprintf(", %d to remove", e.Remove)
	r.printf("\n%s.\n", summary)
}

// stoppedWatching says that CloudFormation carries on, and how to follow
// or stop it.
func (r *textReporter) stoppedWatching(e deploy.StoppedWatching) {
	if e.Operation == deploy.Delete {
		r.printf("\nStopped watching. CloudFormation carries on deleting %s.\n", e.StackID)
		return
	}
	r.printf("\nStopped watching. CloudFormation carries on with stack %s.\n", e.StackID)
	r.printf("Follow it: aws cloudformation describe-stack-events --stack-name %s\n", e.StackID)
	if e.Operation == deploy.Create {
		r.printf("Stop it:   aws cloudformation delete-stack --stack-name %s\n", e.StackID)
	} else {
		r.printf("Stop it:   aws cloudformation cancel-update-stack --stack-name %s\n", e.StackID)
	}
}

// executionInDoubt says what CloudFormation did with a change set whose
// execution was interrupted in flight. Nothing was deleted.
func (r *textReporter) executionInDoubt(e deploy.ExecutionInDoubt) {
	switch e.Status {
	case "AVAILABLE":
		r.printf("\nStopped before the change set was executed; nothing changed, and it is kept.\n")
		r.printf("Deploy it:  aws cloudformation execute-change-set --change-set-name %s\n", e.ChangeSetID)
		r.printf("Discard it: aws cloudformation delete-change-set --change-set-name %s\n", e.ChangeSetID)
	case "":
		r.printf("\nStopped while CloudFormation was taking the change set, and it could not be asked whether the execution started. Nothing was deleted.\n")
		r.printf("Check: aws cloudformation describe-change-set --change-set-name %s\n", e.ChangeSetID)
	default:
		r.stoppedWatching(deploy.StoppedWatching{StackID: e.StackID, Operation: e.Operation})
	}
}

// jsonReporter writes deploy's outcomes as JSON lines on stdout, one
// object per line with "event" and "stack": CHANGESET_CREATED, CHANGESET
// (the counts, and the changes with their properties),
// NO_CHANGES, CONFIRMATION_REQUIRED, FAILED and SUCCESS (with the
// outputs).
type jsonReporter struct {
	stdout io.Writer
	stack  string
}

func (r *jsonReporter) line(event string, fields map[string]any) {
	m := map[string]any{"event": event, "stack": r.stack}
	for k, v := range fields {
		m[k] = v
	}
	b, _ := json.Marshal(m)
	fmt.Fprintf(r.stdout, "%s\n", escapeJSON(b))
}

// Report writes the line of an outcome event; others have none.
func (r *jsonReporter) Report(e deploy.Event) {
	switch e := e.(type) {
	case deploy.ChangeSetCreated:
		r.line("CHANGESET_CREATED", map[string]any{"changeSet": e.ID, "type": map[deploy.Operation]string{deploy.Create: "CREATE", deploy.Update: "UPDATE"}[e.Operation]})
	case deploy.ChangeSetReady:
		r.line("CHANGESET", map[string]any{"add": e.Add, "modify": e.Modify, "replace": e.Replace, "remove": e.Remove, "changes": changesJSON(e.Changes)})
	case deploy.NoChanges:
		r.line("NO_CHANGES", nil)
	case deploy.NotExecuted:
		r.line("CONFIRMATION_REQUIRED", map[string]any{"changeSet": e.ChangeSetID})
	case deploy.ChangeSetFailed:
		r.line("FAILED", map[string]any{"reason": e.Reason})
	case deploy.OperationFailed:
		r.line("FAILED", map[string]any{"status": e.Status, "rootCause": e.RootCause})
	case deploy.Succeeded:
		out := map[string]string{}
		for _, o := range e.Outputs {
			out[o.Key] = o.Value
		}
		r.line("SUCCESS", map[string]any{"outputs": out})
	}
}

// reporter renders deploy's events: text on stderr, with the outputs on
// stdout, or with jsonLines the outputs as JSON result lines on stdout.
func (a *app) reporter(stack string, jsonLines bool, where func() string) deploy.Reporter {
	text := &textReporter{stderr: a.stderr, stdout: a.stdout, tty: isTerminal(a.stderr), outputs: !jsonLines, where: where}
	if !jsonLines {
		return text
	}
	return reporters{text, &jsonReporter{stdout: a.stdout, stack: stack}}
}

// reporters sends each event to several reporters, in order.
type reporters []deploy.Reporter

func (rs reporters) Report(e deploy.Event) {
	for _, r := range rs {
		r.Report(e)
	}
}

// outputsJSON is the stack outputs as the --outputs-file JSON object.
func outputsJSON(outputs []deploy.Output) []byte {
	m := map[string]string{}
	for _, o := range outputs {
		m[o.Key] = o.Value
	}
	b, _ := json.MarshalIndent(m, "", "  ")
	return append(b, '\n')
}
