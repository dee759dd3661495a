package cmd

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/sfnapic/sfnapic/internal/deploy"
	"github.com/sfnapic/sfnapic/internal/golden"
)

// vtlBefore and vtlAfter are a mapping template before and after a
// one-line edit, long enough that the diff leaves some lines out.
const vtlBefore = "#set($body = $input.path('$'))\n{\n  \"input\": \"$util.escapeJavaScript($input.json('$'))\",\n  \"name\": \"$context.requestId\",\n  \"stateMachineArn\": \"arn:aws:states:us-east-1:123456789012:stateMachine:items\"\n}\n## one\n## two\n## three\n## four\n"

var vtlAfter = strings.Replace(vtlBefore, "$context.requestId", "$context.extendedRequestId", 1)

func p(path string, ct types.AttributeChangeType, before, after *string, rec types.RequiresRecreation) deploy.PropertyChange {
	c := deploy.PropertyChange{Path: path, Attribute: types.ResourceAttributeProperties, ChangeType: ct, Recreation: rec, Source: types.ChangeSourceDirectModification}
	if before != nil {
		c.Before, c.HasBefore = *before, true
	}
	if after != nil {
		c.After, c.HasAfter = *after, true
	}
	return c
}

func s(v string) *string { return &v }

// propertyEvent is a change set with every kind of property change the
// text shows.
func propertyEvent() deploy.ChangeSetReady {
	longJSON := `{"StartAt":"Check","States":{"Check":{"Type":"Choice","Default":"Done","Choices":[{"Variable":"$.ok","BooleanEquals":true,"Next":"Done"}]},"Done":{"Type":"Succeed"}}}`
	dynamic := p("/Properties/RestApiId", types.AttributeChangeTypeModify, s("abc123"), nil, types.RequiresRecreationAlways)
	dynamic.Source, dynamic.CausingEntity, dynamic.Evaluation = types.ChangeSourceResourceReference, "Api", types.EvaluationTypeDynamic
	return deploy.ChangeSetReady{Stack: "demo", Name: "sfnapic-1", ID: "arn:cs", Operation: deploy.Update, Add: 1, Modify: 3, Replace: 1,
		Changes: []deploy.Change{
			{Action: types.ChangeActionAdd, LogicalID: "RouteHealthGet", ResourceType: "AWS::ApiGateway::Method"},
			{Action: types.ChangeActionModify, LogicalID: "StateMachineItems", ResourceType: "AWS::StepFunctions::StateMachine", Replacement: types.ReplacementTrue,
				Properties: []deploy.PropertyChange{
					p("/Properties/Definition", types.AttributeChangeTypeModify, s(strings.Replace(longJSON, `"Succeed"`, `"Pass","End":true`, 1)), s(longJSON), types.RequiresRecreationNever),
					p("/Properties/Definition/Comment", types.AttributeChangeTypeAdd, nil, s("new \x1b[31mred\x1b[0m \u202egnp.exe \u009b2J"), types.RequiresRecreationNever),
					p("/Properties/LoggingConfiguration", types.AttributeChangeTypeRemove, s(`{"Level":"ALL"}`), nil, types.RequiresRecreationNever),
					p("/Properties/StateMachineType", types.AttributeChangeTypeModify, s("STANDARD"), s("EXPRESS"), types.RequiresRecreationAlways),
					p("/Properties/Tags/0/Value", types.AttributeChangeTypeModify, s("****"), s("****"), types.RequiresRecreationNever),
				}},
			{Action: types.ChangeActionModify, LogicalID: "RouteItemIdPost", ResourceType: "AWS::ApiGateway::Method", Replacement: types.ReplacementConditional,
				BeforeContext: `{"Properties":{"Integration":{"RequestTemplates":{"text/plain":"{\"a\": 1}"}}}}`,
				AfterContext:  `{"Properties":{"Integration":{"RequestTemplates":{"text/plain":"{\"a\": 2}"}}}}`,
				Properties: []deploy.PropertyChange{
					p("/Properties/Integration/RequestTemplates/application~1json", types.AttributeChangeTypeModify, s(vtlBefore), s(vtlAfter), types.RequiresRecreationNever),
					p("/Properties/Integration/RequestTemplates/text~1plain", types.AttributeChangeTypeModify, s(`{"a": 1}`), s(`{"a": 2}`), types.RequiresRecreationNever),
					dynamic,
				}},
			{Action: types.ChangeActionModify, LogicalID: "Stage", ResourceType: "AWS::ApiGateway::Stage", Replacement: types.ReplacementFalse,
				Properties: []deploy.PropertyChange{{Attribute: types.ResourceAttributeProperties, Name: "DeploymentId", Recreation: types.RequiresRecreationNever}}},
			{Action: types.ChangeActionModify, LogicalID: "NoDetails", ResourceType: "AWS::IAM::Role", Replacement: types.ReplacementFalse},
		}}
}

// TestPropertyChangesText: the text of a change set's property changes,
// checked against testdata/property-changes.txt (refresh it with
// SFNAPIC_UPDATE=1 go test ./internal/cmd -run TestPropertyChangesText
// and review it). It shows each modified resource's changed paths with
// their values: short ones as "- before" and "+ after", long JSON
// indented, a multi-line string (a mapping template) as a line diff; the
// properties that replace the resource; a string that looks like JSON
// quoted, as its context says it is a string; masked values as masked;
// and control characters escaped.
func TestPropertyChangesText(t *testing.T) {
	var stderr bytes.Buffer
	r := &textReporter{stderr: &stderr, stdout: &bytes.Buffer{}}
	r.Report(propertyEvent())
	got := stderr.String()
	if strings.ContainsAny(got, "\x1b\u202e\u009b") {
		t.Errorf("a control character reached the terminal:\n%q", got)
	}
	golden.Check(t, "testdata/property-changes.txt", []byte(got), "refresh with SFNAPIC_UPDATE=1 go test ./internal/cmd -run TestPropertyChangesText and review it")
}

// TestPropertyChangesJSON: deploy --output json's CHANGESET line carries
// each change and its properties with the values as CloudFormation gave
// them, absent where it gave none, with the characters a terminal would
// run escaped so that the line still decodes to the same values.
func TestPropertyChangesJSON(t *testing.T) {
	var stdout bytes.Buffer
	r := &jsonReporter{stdout: &stdout, stack: "demo"}
	r.Report(propertyEvent())
	if strings.ContainsAny(stdout.String(), "\x1b\u202e\u009b") {
		t.Errorf("a control character reached the terminal:\n%q", stdout.String())
	}
	var line struct {
		Changes []changeJSON `json:"changes"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &line); err != nil {
		t.Fatalf("%v: %s", err, stdout.String())
	}
	sm := line.Changes[1]
	comment, typ, mapping := sm.Properties[1], sm.Properties[3], line.Changes[2].Properties[0]
	if len(line.Changes) != 5 || sm.Replacement != "True" || comment.Before != nil || *comment.After != "new \x1b[31mred\x1b[0m \u202egnp.exe \u009b2J" ||
		typ.Path != "/Properties/StateMachineType" || *typ.Before != "STANDARD" || *typ.After != "EXPRESS" || typ.RequiresRecreation != "Always" ||
		*mapping.After != vtlAfter || line.Changes[3].Properties[0].Path != "/Properties/DeploymentId" || line.Changes[4].Properties != nil {
		t.Errorf("CHANGESET line: %s", stdout.String())
	}
}

// TestValueDiffOfAFinalLineBreak: a multi-line value that changes only by
// its final line break is said to, not shown as a path with no lines.
func TestValueDiffOfAFinalLineBreak(t *testing.T) {
	got := valueDiff(valueLines("a\nb\n", "", ""), valueLines("a\nb", "", ""))
	if len(got) != 1 || !strings.Contains(got[0], "final line break") {
		t.Errorf("%q", got)
	}
}
