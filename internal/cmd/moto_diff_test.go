package cmd

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// TestDiffAgainstMotoWithoutPropertyValues: moto (5.2) accepts
// DescribeChangeSet's IncludePropertyValues but answers as before: a
// Modify change with no Details, Replacement, BeforeContext or
// AfterContext (it does not say whether a change replaces a resource
// either). diff still shows the change-set table, says the service
// gave no property details, and exits 0. If a moto upgrade starts giving
// details, the first half of this test says so.
func TestDiffAgainstMotoWithoutPropertyValues(t *testing.T) {
	cfg := awsEnv(t, startMoto(t))
	spec := t.TempDir() + "/api.yaml"
	write := func(pass string) {
		s := "version: 1\napi: {name: moto-diff}\nstateMachines:\n  items: {definition: {StartAt: Done, States: {Done: {Type: " + pass + ", End: true}}}}\n" +
			"routes:\n  POST /items/{item_id}:\n    stateMachine: items\n    input: {item_id: path.item_id}\n"
		if err := os.WriteFile(spec, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("Pass")
	if code, _, errs := run(t, "deploy", spec, "--stack", "moto-diff", "--yes", "--poll", "10ms"); code != 0 {
		t.Fatalf("deploy exited %d:\n%s", code, errs)
	}
	write("Pass, Comment: changed") // a Succeed state takes no End, which spec now refuses

	// What moto gives, asked as deploy asks.
	cf := cloudformation.NewFromConfig(cfg)
	ctx := context.Background()
	tpl, err := compileFile(spec, "json")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cf.CreateChangeSet(ctx, &cloudformation.CreateChangeSetInput{StackName: aws.String("moto-diff"), ChangeSetName: aws.String("probe"),
		ChangeSetType: types.ChangeSetTypeUpdate, TemplateBody: aws.String(string(tpl.out)), Capabilities: []types.Capability{types.CapabilityCapabilityIam}}); err != nil {
		t.Fatal(err)
	}
	cs, err := cf.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{StackName: aws.String("moto-diff"), ChangeSetName: aws.String("probe"), IncludePropertyValues: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs.Changes) != 1 || cs.Changes[0].ResourceChange.Action != types.ChangeActionModify ||
		aws.ToString(cs.Changes[0].ResourceChange.LogicalResourceId) != "StateMachineItems" {
		t.Fatalf("moto's change set: %+v", cs.Changes)
	}
	if rc := cs.Changes[0].ResourceChange; len(rc.Details) != 0 || rc.BeforeContext != nil || rc.AfterContext != nil || rc.Replacement != "" {
		t.Errorf("moto now gives property details (update what the README says of moto and diff): %+v", rc)
	}
	if _, err := cf.DeleteChangeSet(ctx, &cloudformation.DeleteChangeSetInput{StackName: aws.String("moto-diff"), ChangeSetName: aws.String("probe")}); err != nil {
		t.Fatal(err)
	}

	code, _, errs := run(t, "diff", spec, "--stack", "moto-diff", "--poll", "10ms")
	if code != 0 || !regexp.MustCompile(`~ Modify +StateMachineItems`).MatchString(errs) ||
		!strings.Contains(errs, "The service gave no property details for StateMachineItems.") || strings.Contains(errs, "Property changes:") {
		t.Errorf("diff exited %d:\n%s", code, errs)
	}
}
