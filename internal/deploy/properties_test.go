package deploy

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"

	"github.com/sfnapic/sfnapic/internal/cfnfake"
)

// ready is the last ChangeSetReady a deploy reported.
func (r *recorder) ready(t *testing.T) ChangeSetReady {
	t.Helper()
	for i := len(r.events) - 1; i >= 0; i-- {
		if e, ok := r.events[i].(ChangeSetReady); ok {
			return e
		}
	}
	t.Fatalf("no ChangeSetReady:\n%s", r.String())
	return ChangeSetReady{}
}

func (e ChangeSetReady) change(t *testing.T, logical string) Change {
	t.Helper()
	for _, c := range e.Changes {
		if c.LogicalID == logical {
			return c
		}
	}
	t.Fatalf("no change of %s in %+v", logical, e.Changes)
	return Change{}
}

// TestPropertyChangesThroughSDK: an update's change set carries, per
// modified resource, each changed property with its path, before and
// after values, change type and recreation, as DescribeChangeSet gives
// them with IncludePropertyValues (asked on every page), decoded by the
// real SDK client and sorted by path.
func TestPropertyChangesThroughSDK(t *testing.T) {
	e := newEnv(t)
	old := template(t, "item-api")
	if _, err := e.deploy(t, e.opts(old)); err != nil {
		t.Fatal(err)
	}
	e.log.Reset()
	e.fake.Scripts["demo"] = &cfnfake.Script{Recreation: map[string]string{"StateMachineItems.Definition": "Conditionally"}}
	updated := bytes.Replace(old, []byte(`"Type": "Pass"`), []byte(`"Type": "Succeed"`), 1)
	updated = bytes.Replace(updated, []byte(`"End": true`), []byte(`"Comment": "a\u202eb"`), 1)
	updated = bytes.Replace(updated, []byte(`"StateMachineType": "STANDARD"`), []byte(`"StateMachineType": "EXPRESS"`), 1)
	updated = bytes.Replace(updated, []byte(`#set($i = $arn.lastIndexOf(':') + 1)`), []byte(`#set($i = $arn.lastIndexOf(':') + 2)`), 1)
	o := e.opts(updated)
	o.Diff = true
	if _, err := e.deploy(t, o); err != nil {
		t.Fatalf("%v\n%s", err, e.log.String())
	}
	for _, r := range e.fake.Requests {
		if r.Action == "DescribeChangeSet" && r.Form.Get("IncludePropertyValues") != "true" {
			t.Errorf("DescribeChangeSet without IncludePropertyValues: %v", r.Form)
		}
	}
	ready := e.log.ready(t)
	sm := ready.change(t, "StateMachineItems")
	if sm.Replacement != types.ReplacementTrue || !strings.Contains(sm.BeforeContext, `"StateMachineType":"STANDARD"`) || !strings.Contains(sm.AfterContext, `"StateMachineType":"EXPRESS"`) {
		t.Errorf("state machine change: %+v", sm)
	}
	var got []string
	for _, p := range sm.Properties {
		got = append(got, fmt.Sprintf("%s %s %s %q(%v) %q(%v) %s %s", p.Path, p.Name, p.ChangeType, p.Before, p.HasBefore, p.After, p.HasAfter, p.Recreation, p.Source))
	}
	want := []string{
		"/Properties/Definition/States/Done/Comment Definition Add \"\"(false) \"a\\u202eb\"(true) Conditionally DirectModification",
		"/Properties/Definition/States/Done/End Definition Remove \"true\"(true) \"\"(false) Conditionally DirectModification",
		"/Properties/Definition/States/Done/Type Definition Modify \"Pass\"(true) \"Succeed\"(true) Conditionally DirectModification",
		"/Properties/StateMachineType StateMachineType Modify \"STANDARD\"(true) \"EXPRESS\"(true) Always DirectModification",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("state machine properties:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	route := ready.change(t, "RouteItemIdPost")
	if len(route.Properties) != 1 || route.Properties[0].Path != "/Properties/Integration/IntegrationResponses/0/ResponseTemplates/application~1json" ||
		!strings.Contains(route.Properties[0].Before, "+ 1)\n") || !strings.Contains(route.Properties[0].After, "+ 2)\n") || route.Replacement != types.ReplacementFalse {
		t.Errorf("route properties: %+v", route.Properties)
	}
}

// TestNoEchoParameterStaysMasked: a change to a NoEcho parameter's value
// shows as "****" on both sides, as CloudFormation masks it; a plain
// parameter's values show.
func TestNoEchoParameterStaysMasked(t *testing.T) {
	e := newEnv(t)
	tpl := []byte(`{"Parameters": {"Key": {"Type": "String", "NoEcho": true}, "Name": {"Type": "String", "Default": "one"}},
  "Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Properties": {"KmsMasterKeyId": {"Ref": "Key"}, "DisplayName": {"Ref": "Name"}}}}}`)
	o := e.opts(tpl)
	o.Params = []KV{{"Key", "first-secret"}}
	if _, err := e.deploy(t, o); err != nil {
		t.Fatal(err)
	}
	e.log.Reset()
	o = e.opts(tpl)
	o.Params = []KV{{"Key", "second-secret"}, {"Name", "two"}}
	o.Diff = true
	if _, err := e.deploy(t, o); err != nil {
		t.Fatalf("%v\n%s", err, e.log.String())
	}
	c := e.log.ready(t).change(t, "Topic")
	if len(c.Properties) != 2 || c.Properties[0].Name != "DisplayName" || c.Properties[0].Before != "one" || c.Properties[0].After != "two" ||
		c.Properties[1].Name != "KmsMasterKeyId" || c.Properties[1].Before != "****" || c.Properties[1].After != "****" {
		t.Errorf("properties: %+v", c.Properties)
	}
	if strings.Contains(e.log.String(), "secret") {
		t.Errorf("a NoEcho value shows:\n%s", e.log.String())
	}
}

// TestPropertyChangesSorted: details come out sorted by path, then
// attribute, name, source and causing entity, whatever the service's
// order, with exact repeats dropped and absent values told from empty.
func TestPropertyChangesSorted(t *testing.T) {
	d := func(path, name string, src types.ChangeSource, entity string, before *string) types.ResourceChangeDetail {
		return types.ResourceChangeDetail{ChangeSource: src, CausingEntity: aws.String(entity),
			Target: &types.ResourceTargetDefinition{Path: aws.String(path), Name: aws.String(name), Attribute: types.ResourceAttributeProperties, BeforeValue: before}}
	}
	in := []types.ResourceChangeDetail{
		d("/Properties/B", "B", types.ChangeSourceResourceReference, "Role", nil),
		d("/Properties/A/x", "A", types.ChangeSourceDirectModification, "", aws.String("")),
		{ChangeSource: types.ChangeSourceAutomatic}, // no target: nothing to show
		d("/Properties/B", "B", types.ChangeSourceDirectModification, "", nil),
		d("/Properties/A/x", "A", types.ChangeSourceDirectModification, "", aws.String("")),
	}
	var got []string
	for _, p := range propertyChanges(in) {
		got = append(got, fmt.Sprintf("%s %s %s %v", p.Path, p.Source, p.CausingEntity, p.HasBefore))
	}
	want := "/Properties/A/x DirectModification  true|/Properties/B DirectModification  false|/Properties/B ResourceReference Role false"
	if strings.Join(got, "|") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, "|"), want)
	}
}
