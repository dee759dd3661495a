package compile

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/internal/golden"
)

// exactResource is what the API role may be granted: a state machine's
// ARN (literal or Ref), or every execution of one machine, which IAM
// needs to name executions not started yet.
var exactResource = regexp.MustCompile(`^(arn:aws:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]+|arn:\$\{AWS::Partition\}:states:\$\{AWS::Region\}:\$\{AWS::AccountId\}:execution:\$\{[A-Za-z0-9]+\.Name\}:\*|arn:aws:states:[a-z0-9-]+:\d{12}:execution:[A-Za-z0-9_-]+:\*)$`)

// TestAPIRoleIsLeastPrivilege holds the role API Gateway assumes, in every
// golden template, to exact Step Functions actions on exact resources: no
// wildcard action, no "*" resource, no managed policy.
func TestAPIRoleIsLeastPrivilege(t *testing.T) {
	seen := map[string]bool{}
	for _, dir := range golden.Cases(t) {
		out, diags := buildCase(t, dir, "json")
		if diags.HasErrors() {
			continue
		}
		var tpl struct {
			Resources map[string]struct {
				Type       string
				Properties struct {
					AssumeRolePolicyDocument struct {
						Statement []struct{ Principal struct{ Service string } }
					}
					ManagedPolicyArns []any
					Policies          []struct {
						PolicyDocument struct {
							Statement []struct {
								Effect   string
								Action   any
								Resource any
							}
						}
					}
				}
			}
		}
		if err := json.Unmarshal(out, &tpl); err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		for id, r := range tpl.Resources {
			p := r.Properties
			if r.Type != "AWS::IAM::Role" || p.AssumeRolePolicyDocument.Statement[0].Principal.Service != "apigateway.amazonaws.com" {
				continue
			}
			where := filepath.Base(dir) + ": " + id
			if len(p.ManagedPolicyArns) > 0 {
				t.Errorf("%s: managed policies %v", where, p.ManagedPolicyArns)
			}
			for _, pol := range p.Policies {
				for _, st := range pol.PolicyDocument.Statement {
					action, ok := st.Action.(string)
					if st.Effect != "Allow" || !ok || !strings.HasPrefix(action, "states:") || strings.ContainsAny(action, "*?") {
						t.Errorf("%s: statement allows %v (%s): want one exact states: action", where, st.Action, st.Effect)
					}
					seen[action] = true
					resources, _ := st.Resource.([]any)
					if len(resources) == 0 {
						t.Errorf("%s: %s on %v: want a list of resources", where, action, st.Resource)
					}
					for _, res := range resources {
						if !exactResource.MatchString(resourceText(res)) {
							t.Errorf("%s: %s on %v: want a state machine's ARN or its executions", where, action, res)
						}
					}
				}
			}
		}
	}
	// Every action a route can take is in some golden case, so each is checked.
	for _, a := range []string{"StartExecution", "StartSyncExecution", "DescribeExecution", "StopExecution", "SendTaskSuccess", "SendTaskFailure", "SendTaskHeartbeat"} {
		if !seen["states:"+a] {
			t.Errorf("no golden case grants states:%s, so its grant is not checked", a)
		}
	}
}

// resourceText is a resource as text: a literal, or the text of a Ref or
// an Fn::Sub (a Ref is written as its ARN would be, to be matched).
func resourceText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case map[string]any:
		if ref, ok := v["Ref"].(string); ok {
			return "arn:aws:states:us-east-1:123456789012:stateMachine:" + ref
		}
		if sub, ok := v["Fn::Sub"].(string); ok {
			return sub
		}
	}
	return ""
}
