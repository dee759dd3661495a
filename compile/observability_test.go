package compile

import (
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/stepfunctions"

	"github.com/sfnapic/sfnapic/spec"
)

const observedSpec = `version: 1
api: {name: a}
stateMachines:
  m:
    definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}
    logs: {level: ERROR, retention: 30d}
    tracing: true
    publish: true
    alias: {name: live}
routes:
  POST /a: {stateMachine: m}
`

// TestObservedMachine: logs give the machine a LoggingConfiguration and
// its role the log-delivery actions; tracing turns X-Ray on with its
// actions; publish makes a version; and a route starts executions through
// the alias, while the API role keeps naming the machine (whose ARN
// authorizes calls through its alias) and may start it only through the
// alias (states:StateMachineQualifier).
func TestObservedMachine(t *testing.T) {
	s, errs := spec.Parse("s.yaml", []byte(observedSpec), nil)
	if s == nil || errs.HasErrors() {
		t.Fatal(errs)
	}
	b := compile(s)
	sm := b.t.CFN.Resources["StateMachineM"].(*stepfunctions.StateMachine)
	if sm.LoggingConfiguration == nil || sm.TracingConfiguration == nil || !*sm.TracingConfiguration.Enabled {
		t.Errorf("logging %v, tracing %v", sm.LoggingConfiguration, sm.TracingConfiguration)
	}
	role := b.t.CFN.Resources["ExecutionRoleM"].(*iam.Role)
	var policies []string
	for _, p := range role.Policies {
		policies = append(policies, p.PolicyName+":"+jsonText(t, p.PolicyDocument))
	}
	all := strings.Join(policies, "\n")
	for _, want := range []string{"logs:CreateLogDelivery", "xray:PutTraceSegments"} {
		if !strings.Contains(all, want) {
			t.Errorf("the execution role lacks %s:\n%s", want, all)
		}
	}
	var version, alias bool
	for _, r := range b.t.CFN.Resources {
		switch r.(type) {
		case *stepfunctions.StateMachineVersion:
			version = true
		case *stepfunctions.StateMachineAlias:
			alias = true
		}
	}
	if !version || !alias {
		t.Errorf("version %v, alias %v", version, alias)
	}
	if tpl := jsonText(t, resolved(t, b, "RouteAPost")); !strings.Contains(tpl, `${StateMachineM}:live`) {
		t.Errorf("the route does not start executions through the alias:\n%s", tpl)
	}
	api := jsonText(t, resolved(t, b, "ApiRole"))
	if strings.Contains(api, ":live") || !strings.Contains(api, "StateMachineM") {
		t.Errorf("the API role names the alias, not the machine:\n%s", api)
	}
	// ...and may start it only through the alias.
	if !strings.Contains(api, `"Action":"states:StartExecution","Condition":{"ForAnyValue:StringEquals":{"states:StateMachineQualifier":["live"]}}`) {
		t.Errorf("the API role may start the machine other than through its alias:\n%s", api)
	}
}
