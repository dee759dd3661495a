package compile

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/internal/golden"
	"github.com/sfnapic/sfnapic/spec"
)

// exactResource is what the API role may be granted: a state machine's
// ARN (literal or Ref), or every execution of one machine, which IAM
// needs to name executions not started yet. An existing machine's ARN may
// take parameters' and pseudo parameters' values (${Name}) in its parts.
var exactResource = regexp.MustCompile(`^(arn:` + part(`aws`) + `:states:` + part(`[a-z0-9-]+`) + `:` + part(`\d{12}`) + `:stateMachine:` + part(`[A-Za-z0-9_-]`) + `+` +
	`|arn:\$\{AWS::Partition\}:states:\$\{AWS::Region\}:\$\{AWS::AccountId\}:execution:\$\{[A-Za-z0-9]+\.Name\}:\*` +
	`|arn:` + part(`aws`) + `:states:` + part(`[a-z0-9-]+`) + `:` + part(`\d{12}`) + `:execution:` + part(`[A-Za-z0-9_-]`) + `+:\*)$`)

// part is a pattern for one part of an ARN, written literally as lit or
// filled in by the deployment.
func part(lit string) string { return `(` + lit + `|\$\{[A-Za-z0-9:]+\})` }

// TestAPIRoleIsLeastPrivilege holds the role API Gateway assumes, in every
// golden template, to exact Step Functions actions on exact resources: no
// wildcard action, no "*" resource, no managed policy, and each action
// granted on exactly the machines (or executions) its routes target.
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
						PolicyName     string
						PolicyDocument struct {
							Statement []struct {
								Effect    string
								Action    any
								Resource  any
								Condition map[string]map[string]any
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
			granted := map[string]map[string]bool{}
			if len(p.ManagedPolicyArns) > 0 {
				t.Errorf("%s: managed policies %v", where, p.ManagedPolicyArns)
			}
			for _, pol := range p.Policies {
				for _, st := range pol.PolicyDocument.Statement {
					if pol.PolicyName == "Encryption" {
						// An encrypted machine's key: KMS only, and only
						// for that machine's data.
						if st.Effect != "Allow" || !strings.HasPrefix(fmt.Sprint(st.Action), "[kms:Decrypt") || st.Condition["StringEquals"]["kms:EncryptionContext:aws:states:stateMachineArn"] == nil {
							t.Errorf("%s: key statement %v on %v if %v: want kms:Decrypt (and kms:GenerateDataKey) for one machine", where, st.Action, st.Resource, st.Condition)
						}
						continue
					}
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
						if granted[action] == nil {
							granted[action] = map[string]bool{}
						}
						granted[action][grantedMachine(res)] = true
					}
				}
			}
			checkGrantsMatchRoutes(t, where, dir, granted)
		}
	}
	// Every action a route can take is in some golden case, so each is checked.
	for _, a := range []string{"StartExecution", "StartSyncExecution", "DescribeExecution", "StopExecution", "SendTaskSuccess", "SendTaskFailure", "SendTaskHeartbeat"} {
		if !seen["states:"+a] {
			t.Errorf("no golden case grants states:%s, so its grant is not checked", a)
		}
	}
}

// routeGrants is what each route action needs of the API role: its IAM
// action, and whether on the machine itself or on its executions. It is
// written out here, not taken from integration, so that the test states
// it independently of the code under test.
var routeGrants = map[string]struct {
	action     string
	executions bool
}{
	spec.ActionStart:         {"states:StartExecution", false},
	spec.ActionStartSync:     {"states:StartSyncExecution", false},
	spec.ActionStatus:        {"states:DescribeExecution", true},
	spec.ActionStop:          {"states:StopExecution", true},
	spec.ActionTaskSuccess:   {"states:SendTaskSuccess", false},
	spec.ActionTaskFailure:   {"states:SendTaskFailure", false},
	spec.ActionTaskHeartbeat: {"states:SendTaskHeartbeat", false},
}

// checkGrantsMatchRoutes holds the API role of a case to exactly what its
// routes need: each action granted on the machines (or their executions)
// that routes taking that action target, and on no other machine.
func checkGrantsMatchRoutes(t *testing.T, where, dir string, granted map[string]map[string]bool) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(dir, "spec.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s, _ := spec.Parse("spec.yaml", src, os.DirFS(dir))
	ids := MachineIDs(s)
	want := map[string]map[string]bool{}
	for _, r := range s.Routes {
		action := r.Action
		if action == "" {
			action = spec.ActionStart
		}
		g, ok := routeGrants[action]
		if !ok {
			t.Fatalf("%s: route %s %s: action %q has no expected grant", where, r.Method, r.Path, action)
		}
		m := "machine " + ids[r.StateMachine.Name]
		if r.StateMachine.Existing() {
			m = "machine " + r.StateMachine.ARN
		}
		if g.executions {
			m = "executions of " + m
		}
		if want[g.action] == nil {
			want[g.action] = map[string]bool{}
		}
		want[g.action][m] = true
	}
	for _, a := range sortedKeys(want, granted) {
		if got, w := sortedKeys(granted[a]), sortedKeys(want[a]); strings.Join(got, ", ") != strings.Join(w, ", ") {
			t.Errorf("%s: %s granted on %q, want %q (what the routes taking it target)", where, a, got, w)
		}
	}
}

// grantedMachine names what a granted resource gives access to, in the
// terms checkGrantsMatchRoutes uses: "machine <logical ID or ARN>" or
// "executions of machine <logical ID or ARN>".
func grantedMachine(res any) string {
	if m, ok := res.(map[string]any); ok {
		if ref, ok := m["Ref"].(string); ok {
			return "machine " + ref
		}
		if sub := executionsOf.FindStringSubmatch(resourceText(res)); sub != nil {
			return "executions of machine " + sub[1]
		}
	}
	text := resourceText(res)
	if arn, ok := strings.CutSuffix(text, ":*"); ok && strings.Contains(arn, ":execution:") {
		return "executions of machine " + strings.Replace(arn, ":execution:", ":stateMachine:", 1)
	}
	return "machine " + text
}

var executionsOf = regexp.MustCompile(`:execution:\$\{([A-Za-z0-9]+)\.Name\}:\*$`)

// sortedKeys lists the keys of some sets, sorted, each once.
func sortedKeys[V any](sets ...map[string]V) []string {
	var out []string
	for _, set := range sets {
		for k := range set {
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	slices.Sort(out)
	return out
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
