package cmd

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/sfnapic/sfnapic/internal/deploy"
)

// events is a deploy as the engine reports it.
var events = []deploy.Event{
	deploy.ChangeSetCreated{Stack: "demo", Name: "sfnapic-1", ID: "arn:cs", Operation: deploy.Update},
	deploy.ChangeSetReady{Stack: "demo", Name: "sfnapic-1", ID: "arn:cs", Operation: deploy.Update, Add: 1, Modify: 1, Replace: 1, Remove: 1,
		Changes: []deploy.Change{
			{Action: types.ChangeActionAdd, LogicalID: "RouteHealthGet", ResourceType: "AWS::ApiGateway::Method"},
			{Action: types.ChangeActionModify, LogicalID: "StateMachineItems", ResourceType: "AWS::StepFunctions::StateMachine", Replacement: types.ReplacementTrue},
			{Action: types.ChangeActionRemove, LogicalID: "Old", ResourceType: "AWS::IAM::Role"},
		}},
	deploy.OperationStarted{Stack: "demo", Operation: deploy.Update},
	deploy.Waiting{Status: "UPDATE_IN_PROGRESS", Elapsed: 3 * time.Second},
	deploy.StackEvent{Time: time.Date(2026, 11, 29, 9, 1, 2, 0, time.UTC), Status: "UPDATE_IN_PROGRESS", ResourceType: "AWS::CloudFormation::Stack", LogicalID: "demo", Reason: "User Initiated"},
	deploy.StackEvent{Time: time.Date(2026, 11, 29, 9, 1, 9, 0, time.UTC), Status: "UPDATE_COMPLETE", ResourceType: "AWS::CloudFormation::Stack", LogicalID: "demo"},
	deploy.CleanupFailed{What: "change set x", Err: errors.New("boom")},
	deploy.Succeeded{Stack: "demo", Status: "UPDATE_COMPLETE", Outputs: []deploy.Output{{Key: "ApiUrl", Value: "https://x"}, {Key: "ApiId", Value: "x"}}},
}

func TestTextReporter(t *testing.T) {
	for _, tty := range []bool{false, true} {
		var stderr, stdout bytes.Buffer
		r := &textReporter{stderr: &stderr, stdout: &stdout, tty: tty, outputs: true}
		for _, e := range events {
			r.Report(e)
		}
		want := `Change set sfnapic-1 (UPDATE) for stack demo:

  Action                Logical ID         Type                              Replacement
  + Add                 RouteHealthGet     AWS::ApiGateway::Method           
  ~ Modify              StateMachineItems  AWS::StepFunctions::StateMachine  True  <- REPLACED
  - Remove  <- DELETED  Old                AWS::IAM::Role                    

The service gave no property details for StateMachineItems.

1 to add, 1 to modify (1 replaced), 1 to remove.
Updating stack demo...
`
		if tty {
			// The progress line is written, then cleared before the next line.
			want += "  UPDATE_IN_PROGRESS ... (3s)\r\x1b[K"
		}
		want += `09:01:02  UPDATE_IN_PROGRESS           AWS::CloudFormation::Stack           demo  User Initiated
09:01:09  UPDATE_COMPLETE              AWS::CloudFormation::Stack           demo
Could not delete change set x: boom
Stack demo is UPDATE_COMPLETE.
`
		if stderr.String() != want {
			t.Errorf("tty %v: stderr\n%q\nwant\n%q", tty, stderr.String(), want)
		}
		if stdout.String() != "ApiUrl\thttps://x\nApiId\tx\n" {
			t.Errorf("stdout %q", stdout.String())
		}
	}
}

func TestJSONReporter(t *testing.T) {
	var stdout bytes.Buffer
	r := &jsonReporter{stdout: &stdout, stack: "demo"}
	for _, e := range append(events, deploy.OperationFailed{Stack: "demo", Status: "UPDATE_ROLLBACK_COMPLETE", RootCause: "R: no"}) {
		r.Report(e)
	}
	want := `{"changeSet":"arn:cs","event":"CHANGESET_CREATED","stack":"demo","type":"UPDATE"}
{"add":1,"changes":[{"action":"Add","logicalId":"RouteHealthGet","type":"AWS::ApiGateway::Method"},{"action":"Modify","logicalId":"StateMachineItems","type":"AWS::StepFunctions::StateMachine","replacement":"True"},{"action":"Remove","logicalId":"Old","type":"AWS::IAM::Role"}],"event":"CHANGESET","modify":1,"remove":1,"replace":1,"stack":"demo"}
{"event":"SUCCESS","outputs":{"ApiId":"x","ApiUrl":"https://x"},"stack":"demo"}
{"event":"FAILED","rootCause":"R: no","stack":"demo","status":"UPDATE_ROLLBACK_COMPLETE"}
`
	if stdout.String() != want {
		t.Errorf("got\n%s\nwant\n%s", stdout.String(), want)
	}
	if !strings.Contains(string(outputsJSON([]deploy.Output{{Key: "ApiUrl", Value: "u"}})), `"ApiUrl": "u"`) {
		t.Error("outputs file")
	}
}

// TestExecutionInDoubt: after an interrupt during ExecuteChangeSet the
// text says what CloudFormation reported, and never that anything was
// deleted.
func TestExecutionInDoubt(t *testing.T) {
	for status, want := range map[string]string{
		"AVAILABLE":           "Stopped before the change set was executed; nothing changed, and it is kept.",
		"EXECUTE_IN_PROGRESS": "CloudFormation carries on with stack arn:stack",
		"":                    "could not be asked whether the execution started. Nothing was deleted.",
	} {
		var stderr bytes.Buffer
		r := &textReporter{stderr: &stderr, stdout: &bytes.Buffer{}}
		r.Report(deploy.ExecutionInDoubt{StackID: "arn:stack", ChangeSetID: "arn:cs", Operation: deploy.Create, Status: status})
		if !strings.Contains(stderr.String(), want) || strings.Contains(stderr.String(), "Cleaning up") {
			t.Errorf("status %q:\n%s", status, stderr.String())
		}
	}
}
