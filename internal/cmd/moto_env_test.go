package cmd

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
)

// TestExampleEnvDeployAgainstMoto is issue 20's "done means" on the shipped
// example: examples/orders-api.yaml names no account, region or queue URL
// (its environments give names: a queue's, a user pool's id, which
// Cognito makes REGION_ID); `deploy --env staging` makes the stack orders-api-staging with
// staging's values (and only the parameters the spec declares), and the
// workflow's execution role holds only the statements derived from its
// Task states, resolved by CloudFormation for this account and region.
func TestExampleEnvDeployAgainstMoto(t *testing.T) {
	endpoint := startMoto(t)
	cfg := awsEnv(t, endpoint)
	bucket := motoArtifacts(t, cfg)
	motoAuthorizerFunction(t, endpoint)
	src, err := os.ReadFile("../../examples/orders-api.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := poolID.ReplaceAllString(withoutComments(string(src)), "POOL_ID")
	if found := writtenPlace.FindAllString(text, -1); len(found) > 0 || strings.Contains(text, "amazonaws.com/") && !strings.Contains(text, "${AWS::AccountId}/${ApprovalQueue}") {
		t.Errorf("the example writes an account, a region or a queue URL: %q", found)
	}
	code, out, errs := run(t, "deploy", "../../examples/orders-api.yaml", "--env", "staging", "--yes", "--poll", "10ms", "--s3-bucket", bucket)
	if code != 0 || !strings.Contains(errs, "Stack orders-api-staging is CREATE_COMPLETE") {
		t.Fatalf("deploy --env staging exited %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	ctx := context.Background()
	stacks, err := cloudformation.NewFromConfig(cfg).DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("orders-api-staging")})
	if err != nil || len(stacks.Stacks) != 1 {
		t.Fatalf("DescribeStacks: %v", err)
	}
	var params []string
	for _, p := range stacks.Stacks[0].Parameters {
		params = append(params, aws.ToString(p.ParameterKey)+"="+aws.ToString(p.ParameterValue))
	}
	sort.Strings(params)
	if want := "[ApprovalQueue=order-approvals-staging PartnerAuthorizer=check-partner UserPool=eu-west-1_StAgInG]"; fmt.Sprint(params) != want {
		t.Errorf("the stack's parameters are %v, want %s", params, want)
	}
	// moto 5.2.1 makes a machine from DefinitionString only: one made
	// from Definition (an object, with DefinitionSubstitutions) has an
	// empty definition there (docs/moto.md).
	if def := motoDefinition(t, cfg, "orders-api-staging-StateMachineOrders-"); def != "" {
		t.Errorf("moto now keeps the definition of a machine made from Definition: check that it holds staging's queue URL, and update docs/moto.md:\n%s", def)
	}
	got := executionRolePolicies(t, endpoint, "orders-api-staging", "ExecutionRoleOrders")
	want := `{"Derived":[{"Action":["sqs:SendMessage"],"Effect":"Allow","Resource":["arn:aws:sqs:us-east-1:123456789012:order-approvals-staging"]}]}`
	if got != want {
		t.Errorf("the orders machine's execution role holds\n%s\nwant only the derived statement\n%s", got, want)
	}
}

var (
	// writtenPlace is an account id or a region name; poolID a Cognito
	// user pool's id.
	writtenPlace = regexp.MustCompile(`[0-9]{12}|[a-z]{2}(-gov)?-[a-z]+-[0-9]`)
	poolID       = regexp.MustCompile(`\b[a-z]{2}(-gov)?-[a-z]+-[0-9]_[0-9A-Za-z]+`)
)

// withoutComments drops the YAML comment lines, which say how to deploy.
func withoutComments(src string) string {
	var kept []string
	for _, line := range strings.Split(src, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "#") {
			kept = append(kept, line)
		}
	}
	return strings.Join(kept, "\n")
}

// executionRolePolicies reads the inline policies of a stack's role from
// moto's IAM (its query API), as {name: statements} in compact JSON.
func executionRolePolicies(t *testing.T, endpoint, stack, logicalID string) string {
	t.Helper()
	// moto's DescribeStackResource(s) answer 500 for this stack (the
	// preflight method it could not make); its roles are named
	// STACK-LOGICALID-SUFFIX.
	var roles struct {
		Names []string `xml:"ListRolesResult>Roles>member>RoleName"`
	}
	iamQuery(t, endpoint, url.Values{"Action": {"ListRoles"}}, &roles)
	var role string
	for _, name := range roles.Names {
		if strings.HasPrefix(name, stack+"-"+logicalID+"-") {
			role = name
		}
	}
	if role == "" {
		t.Fatalf("no role of %s in stack %s: %v", logicalID, stack, roles.Names)
	}
	var names struct {
		Names []string `xml:"ListRolePoliciesResult>PolicyNames>member"`
	}
	iamQuery(t, endpoint, url.Values{"Action": {"ListRolePolicies"}, "RoleName": {role}}, &names)
	policies := map[string]any{}
	for _, name := range names.Names {
		var p struct {
			Document string `xml:"GetRolePolicyResult>PolicyDocument"`
		}
		iamQuery(t, endpoint, url.Values{"Action": {"GetRolePolicy"}, "RoleName": {role}, "PolicyName": {name}}, &p)
		doc, err := url.QueryUnescape(p.Document)
		if err != nil {
			t.Fatal(err)
		}
		var d struct{ Statement any }
		if json.Unmarshal([]byte(doc), &d) != nil {
			// moto 5.2.1 answers a policy made by CloudFormation in
			// Python's repr ('Effect': 'Allow'); this one holds no quote.
			doc = strings.ReplaceAll(doc, "'", `"`)
		}
		if err := json.Unmarshal([]byte(doc), &d); err != nil {
			t.Fatalf("policy %s: %v\n%s", name, err, doc)
		}
		policies[name] = d.Statement
	}
	b, _ := json.Marshal(policies)
	return string(b)
}

// iamQuery calls moto's IAM query API and decodes its XML answer.
func iamQuery(t *testing.T, endpoint string, form url.Values, into any) {
	t.Helper()
	form.Set("Version", "2010-05-08")
	code, out := motoCall(t, endpoint, "iam", "POST", "/", "application/x-www-form-urlencoded", form.Encode())
	if code != 200 {
		t.Fatalf("IAM %s: %d %s", form.Get("Action"), code, out)
	}
	if err := xml.Unmarshal([]byte(out), into); err != nil {
		t.Fatalf("IAM %s: %v\n%s", form.Get("Action"), err, out)
	}
}

// motoDefinition is the definition of the one machine whose name starts
// with prefix.
func motoDefinition(t *testing.T, cfg aws.Config, prefix string) string {
	t.Helper()
	client := sfn.NewFromConfig(cfg)
	list, err := client.ListStateMachines(context.Background(), &sfn.ListStateMachinesInput{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range list.StateMachines {
		if strings.HasPrefix(aws.ToString(m.Name), prefix) {
			d, err := client.DescribeStateMachine(context.Background(), &sfn.DescribeStateMachineInput{StateMachineArn: m.StateMachineArn})
			if err != nil {
				t.Fatal(err)
			}
			return aws.ToString(d.Definition)
		}
	}
	t.Fatalf("no state machine named %s*", prefix)
	return ""
}
