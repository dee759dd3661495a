package cmd

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/sfnapic/sfnapic/internal/golden"
)

// TestServeCreateAliasAgainstMoto pins what moto (5.2.1) lacks of
// versions and aliases, which docs/moto.md lists, and that serve --create
// of a spec with publish and alias says so there, deleting what it made.
// moto creates a version only through CreateStateMachine's publish, and
// an alias of it; PublishStateMachineVersion and DeleteStateMachineVersion
// are HTTP 500 (not implemented); a start through an alias is
// StateMachineDoesNotExist, and through a version HTTP 500.
func TestServeCreateAliasAgainstMoto(t *testing.T) {
	endpoint := startMoto(t)
	cfg := awsEnv(t, endpoint)
	ctx := context.Background()
	c := sfn.NewFromConfig(cfg, func(o *sfn.Options) { o.RetryMaxAttempts = 1 })
	def := `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`
	m, err := c.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("pinned"), Definition: aws.String(def),
		RoleArn: aws.String(serveRole), Publish: true})
	if err != nil || aws.ToString(m.StateMachineVersionArn) == "" {
		t.Fatalf("moto no longer publishes on create: %+v, %v", m, err)
	}
	alias, err := c.CreateStateMachineAlias(ctx, &sfn.CreateStateMachineAliasInput{Name: aws.String("live"),
		RoutingConfiguration: []types.RoutingConfigurationListItem{{StateMachineVersionArn: m.StateMachineVersionArn, Weight: 100}}})
	if err != nil {
		t.Fatalf("moto no longer makes aliases: %v", err)
	}
	is500 := func(err error) bool {
		var re *smithyhttp.ResponseError
		return errors.As(err, &re) && re.HTTPStatusCode() == 500
	}
	if _, err := c.PublishStateMachineVersion(ctx, &sfn.PublishStateMachineVersionInput{StateMachineArn: m.StateMachineArn}); !is500(err) {
		t.Errorf("PublishStateMachineVersion at moto: %v (was HTTP 500: update docs/moto.md and serve's message)", err)
	}
	var missing *types.StateMachineDoesNotExist
	if _, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: alias.StateMachineAliasArn, Name: aws.String("a")}); !errors.As(err, &missing) {
		t.Errorf("a start through an alias at moto: %v (was StateMachineDoesNotExist)", err)
	}
	if _, err := c.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: m.StateMachineVersionArn, Name: aws.String("v")}); !is500(err) {
		t.Errorf("a start through a version at moto: %v (was HTTP 500)", err)
	}
	if _, err := c.DeleteStateMachineAlias(ctx, &sfn.DeleteStateMachineAliasInput{StateMachineAliasArn: alias.StateMachineAliasArn}); err != nil {
		t.Errorf("DeleteStateMachineAlias at moto: %v", err)
	}
	if _, err := c.DeleteStateMachineVersion(ctx, &sfn.DeleteStateMachineVersionInput{StateMachineVersionArn: m.StateMachineVersionArn}); !is500(err) {
		t.Errorf("DeleteStateMachineVersion at moto: %v (was HTTP 500)", err)
	}
	if _, err := c.DeleteStateMachine(ctx, &sfn.DeleteStateMachineInput{StateMachineArn: m.StateMachineArn}); err != nil {
		t.Fatal(err)
	}

	code, _, errs := mainWithin(t, "serve", filepath.Join(golden.Root(), "observability", "spec.yaml"), "--create", "--endpoint-url", endpoint, "--addr", "127.0.0.1:0")
	if code != 1 || !strings.Contains(errs, "does not do PublishStateMachineVersion") || !strings.Contains(errs, "moto 5.2.1 cannot") ||
		!strings.Contains(errs, "deleted arn:aws:states:us-east-1:123456789012:stateMachine:StateMachineOrders") {
		t.Errorf("serve --create with an alias at moto: exit %d\n%s", code, errs)
	}
	if l, err := c.ListStateMachines(ctx, &sfn.ListStateMachinesInput{}); err != nil || len(l.StateMachines) != 0 {
		t.Errorf("serve left machines at moto: %+v, %v", l, err)
	}
}
