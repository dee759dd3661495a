package sfnfake_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/sfnapic/sfnapic/internal/sfncall"
	"github.com/sfnapic/sfnapic/internal/sfnfake"
)

const definition = `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`

// client is the real SDK's client of the fake, as serve makes it for an
// emulator.
func client(t *testing.T) (*sfn.Client, *sfnfake.Server) {
	fake := sfnfake.Start()
	t.Cleanup(fake.Close)
	fake.Stateful()
	return sfn.New(sfn.Options{Region: "us-east-1", BaseEndpoint: aws.String(fake.URL),
		Credentials: credentials.NewStaticCredentialsProvider("id", "secret", "")}, sfncall.NoHostPrefix), fake
}

// TestVersionsAndAliases: the fake publishes versions (once per
// revision), makes an alias of one, starts and describes executions
// through the alias and the version, refuses to delete a version an alias
// names, and deletes in the order Step Functions allows; the real SDK
// reads every reply.
func TestVersionsAndAliases(t *testing.T) {
	c, _ := client(t)
	ctx := context.Background()
	m, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("orders"), Definition: aws.String(definition), RoleArn: aws.String("arn:aws:iam::111122223333:role/r")})
	if err != nil {
		t.Fatal(err)
	}
	machine := aws.ToString(m.StateMachineArn)
	if machine != "arn:aws:states:us-east-1:"+sfnfake.Account+":stateMachine:orders" {
		t.Errorf("the machine's ARN is %s, want the signed region and the fake's account", machine)
	}
	v1, err := c.PublishStateMachineVersion(ctx, &sfn.PublishStateMachineVersionInput{StateMachineArn: m.StateMachineArn})
	if err != nil || aws.ToString(v1.StateMachineVersionArn) != machine+":1" {
		t.Fatalf("publish: %v, %v", v1, err)
	}
	again, err := c.PublishStateMachineVersion(ctx, &sfn.PublishStateMachineVersionInput{StateMachineArn: m.StateMachineArn})
	if err != nil || aws.ToString(again.StateMachineVersionArn) != machine+":1" {
		t.Errorf("publishing the same revision again made %v, %v; want version 1", again, err)
	}
	var conflict *types.ConflictException
	if _, err := c.PublishStateMachineVersion(ctx, &sfn.PublishStateMachineVersionInput{StateMachineArn: m.StateMachineArn, RevisionId: aws.String("7")}); !errors.As(err, &conflict) {
		t.Errorf("publishing a revision that is not the current one: %v, want ConflictException", err)
	}
	alias, err := c.CreateStateMachineAlias(ctx, &sfn.CreateStateMachineAliasInput{Name: aws.String("live"),
		RoutingConfiguration: []types.RoutingConfigurationListItem{{StateMachineVersionArn: v1.StateMachineVersionArn, Weight: 100}}})
	if err != nil || aws.ToString(alias.StateMachineAliasArn) != machine+":live" {
		t.Fatalf("alias: %v, %v", alias, err)
	}
	var notFound *types.ResourceNotFound
	if _, err := c.CreateStateMachineAlias(ctx, &sfn.CreateStateMachineAliasInput{Name: aws.String("next"),
		RoutingConfiguration: []types.RoutingConfigurationListItem{{StateMachineVersionArn: aws.String(machine + ":9"), Weight: 100}}}); !errors.As(err, &notFound) {
		t.Errorf("an alias of a version that does not exist: %v, want ResourceNotFound", err)
	}
	for _, through := range []struct{ arn, version, alias string }{
		{machine + ":live", machine + ":1", machine + ":live"},
		{machine + ":1", machine + ":1", ""},
		{machine, "", ""},
	} {
		start, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(through.arn), Input: aws.String(`{"n": 1}`)})
		if err != nil {
			t.Fatalf("start through %s: %v", through.arn, err)
		}
		d, err := c.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: start.ExecutionArn})
		if err != nil || aws.ToString(d.StateMachineArn) != machine || aws.ToString(d.StateMachineVersionArn) != through.version ||
			aws.ToString(d.StateMachineAliasArn) != through.alias || d.Status != types.ExecutionStatusSucceeded || aws.ToString(d.Output) != `{"n": 1}` {
			t.Errorf("describe an execution started through %s: %+v, %v", through.arn, d, err)
		}
	}
	var missing *types.StateMachineDoesNotExist
	if _, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(machine + ":gone")}); !errors.As(err, &missing) {
		t.Errorf("a start through an alias that does not exist: %v", err)
	}
	if _, err := c.DeleteStateMachineVersion(ctx, &sfn.DeleteStateMachineVersionInput{StateMachineVersionArn: v1.StateMachineVersionArn}); !errors.As(err, &conflict) {
		t.Errorf("deleting a version an alias names: %v, want ConflictException", err)
	}
	if _, err := c.DeleteStateMachineAlias(ctx, &sfn.DeleteStateMachineAliasInput{StateMachineAliasArn: alias.StateMachineAliasArn}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteStateMachineVersion(ctx, &sfn.DeleteStateMachineVersionInput{StateMachineVersionArn: v1.StateMachineVersionArn}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: v1.StateMachineVersionArn}); !errors.As(err, &missing) {
		t.Errorf("a start of a deleted version: %v", err)
	}
	if _, err := c.DeleteStateMachine(ctx, &sfn.DeleteStateMachineInput{StateMachineArn: m.StateMachineArn}); err != nil {
		t.Fatal(err)
	}
	if l, err := c.ListStateMachines(ctx, &sfn.ListStateMachinesInput{}); err != nil || len(l.StateMachines) != 0 {
		t.Errorf("after the delete: %+v, %v", l, err)
	}
}

// TestSyncThroughAlias: StartSyncExecution runs an EXPRESS machine
// through its alias, and refuses a STANDARD one; an update makes a new
// revision, whose version is 2; CreateStateMachine publishes when asked.
func TestSyncThroughAlias(t *testing.T) {
	c, fake := client(t)
	ctx := context.Background()
	m, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("quote"), Definition: aws.String(definition),
		RoleArn: aws.String("arn:aws:iam::111122223333:role/r"), Type: types.StateMachineTypeExpress, Publish: true})
	if err != nil || aws.ToString(m.StateMachineVersionArn) != aws.ToString(m.StateMachineArn)+":1" {
		t.Fatalf("create with publish: %+v, %v", m, err)
	}
	if _, err := c.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: m.StateMachineArn, Definition: aws.String(`{"StartAt":"Q","States":{"Q":{"Type":"Succeed"}}}`)}); err != nil {
		t.Fatal(err)
	}
	v2, err := c.PublishStateMachineVersion(ctx, &sfn.PublishStateMachineVersionInput{StateMachineArn: m.StateMachineArn})
	if err != nil || aws.ToString(v2.StateMachineVersionArn) != aws.ToString(m.StateMachineArn)+":2" {
		t.Fatalf("publish after an update: %+v, %v", v2, err)
	}
	alias, err := c.CreateStateMachineAlias(ctx, &sfn.CreateStateMachineAliasInput{Name: aws.String("current"),
		RoutingConfiguration: []types.RoutingConfigurationListItem{{StateMachineVersionArn: v2.StateMachineVersionArn, Weight: 100}}})
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: alias.StateMachineAliasArn, Input: aws.String(`{"sku": "a"}`)})
	if err != nil || out.Status != types.SyncExecutionStatusSucceeded || aws.ToString(out.Output) != `{"sku": "a"}` || aws.ToString(out.StateMachineArn) != aws.ToString(m.StateMachineArn) {
		t.Errorf("a synchronous run through the alias: %+v, %v", out, err)
	}
	std, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("orders"), Definition: aws.String(definition), RoleArn: aws.String("arn:aws:iam::111122223333:role/r")})
	if err != nil {
		t.Fatal(err)
	}
	var unsupported *types.StateMachineTypeNotSupported
	if _, err := c.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: std.StateMachineArn}); !errors.As(err, &unsupported) {
		t.Errorf("a synchronous run of a STANDARD machine: %v", err)
	}
	// A scripted reply wins over the model.
	fake.Script("StartSyncExecution", sfnfake.Error(400, "InvalidName", "scripted"))
	if _, err := c.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: alias.StateMachineAliasArn}); err == nil {
		t.Error("the scripted refusal did not win over the model")
	}
}
