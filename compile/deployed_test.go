package compile

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/internal/golden"
	"github.com/sfnapic/sfnapic/spec"
)

// TestDeployedFields: each field that takes ${Name} of a parameter or a
// pseudo parameter reaches the template as an Fn::Sub of its text, or a
// Ref when it is exactly one name, so CloudFormation fills it in; the
// golden snapshot alone would not say which field lost it.
func TestDeployedFields(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(golden.Root(), "arn-params", "spec.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s, diags := spec.Parse("spec.yaml", src, nil)
	if s == nil {
		t.Fatalf("the spec does not parse:\n%s", diags)
	}
	out, _, err := Build(s, "json")
	if err != nil {
		t.Fatal(err)
	}
	var tmpl map[string]any
	if err := json.Unmarshal(out, &tmpl); err != nil {
		t.Fatal(err)
	}
	machine := `{"Fn::Sub":"arn:${AWS::Partition}:states:${AWS::Region}:${Account}:stateMachine:${Machine}"}`
	fn := `{"Fn::Sub":"arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:check-partner-${Team}"}`
	tags := `[{"Key":"env","Value":{"Ref":"AWS::StackName"}},{"Key":"team","Value":{"Fn::Sub":"payments-${Team}"}}]`
	vpce := `[{"Ref":"Endpoint"},"vpce-0123456789abcdef0"]`
	for _, c := range []struct{ path, want string }{
		{"ApiRole.Policies.0.PolicyDocument.Statement.0.Resource.0", machine},
		{"ApiRole.Policies.1.PolicyDocument.Statement.0.Resource.0", `{"Fn::Sub":"arn:${AWS::Partition}:states:${AWS::Region}:${Account}:execution:${Machine}:*"}`},
		{"StateMachineShipping.RoleArn", `{"Fn::Sub":"arn:${AWS::Partition}:iam::${AWS::AccountId}:role/shipping-${Team}"}`},
		{"StateMachineShipping.LoggingConfiguration.Destinations.0.CloudWatchLogsLogGroup.LogGroupArn", `{"Fn::Sub":"arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/orders/${Team}/shipping:*"}`},
		{"StateMachineShipping.Tags", tags},
		{"Api.Tags", tags},
		{"ApiRole.Tags", tags},
		{"AliasShipping.DeploymentPreference.Alarms", `[{"Fn::Sub":"shipping-${Team}-errors"},"plain-alarm"]`},
		{"Api.EndpointConfiguration.VpcEndpointIds", vpce},
		{"Api.Policy.Statement.0.Condition.StringEquals.aws:SourceVpce", vpce},
		{"AuthorizerUsers.ProviderARNs", `[{"Fn::Sub":"arn:${AWS::Partition}:cognito-idp:${AWS::Region}:${AWS::AccountId}:userpool/${AWS::Region}_${PoolSuffix}"},{"Ref":"OtherPool"}]`},
		{"AuthorizerPartners.AuthorizerUri", `{"Fn::Sub":"arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:check-partner-${Team}/invocations"}`},
		{"LambdaPermissionPartners.FunctionName", fn},
	} {
		got, _ := json.Marshal(property(tmpl, c.path))
		if string(got) != c.want {
			t.Errorf("%s = %s, want %s", c.path, got, c.want)
		}
	}
	// The request templates name the existing machine through Fn::Sub,
	// with its parameters as variables.
	for _, id := range []string{"RouteOrdersPost", "RouteOrdersIdGet"} {
		text, _ := property(tmpl, id+".Integration.RequestTemplates.application/json.Fn::Sub").(string)
		if !strings.Contains(text, "arn:${AWS::Partition}:states:${AWS::Region}:${Account}:") || !strings.Contains(text, ":${Machine}") {
			t.Errorf("%s's request template does not name the machine through Fn::Sub:\n%s", id, text)
		}
	}
}

// property walks a template's resource properties along a dotted path
// (list indexes as numbers); nil when it leads nowhere.
func property(tmpl map[string]any, path string) any {
	id, rest, _ := strings.Cut(path, ".")
	res, _ := tmpl["Resources"].(map[string]any)[id].(map[string]any)
	var v any = res["Properties"]
	for _, key := range strings.Split(rest, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[key]
		case []any:
			i, err := strconv.Atoi(key)
			if err != nil || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}
