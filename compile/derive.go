package compile

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/sfnapic/sfnapic/spec"
)

// Grant is one IAM statement derived from a Task state of a definition:
// the exact actions the Task needs, on the exact resources it calls.
type Grant struct {
	Task    *spec.Task
	Actions []string
	// Resources are ARNs. ${AWS::Partition}, ${AWS::Region},
	// ${AWS::AccountId} and any other ${Name} in them are CloudFormation's,
	// resolved through Fn::Sub.
	Resources []string
}

// Stack-relative ARN parts: what a resource named without its ARN (a
// function name, a table name) gets from the stack it is deployed by.
const (
	partition = "${AWS::Partition}"
	here      = "${AWS::Region}:${AWS::AccountId}"
)

// deriver collects one machine's grants, and a warning for each Task whose
// resource is chosen at run time or whose service it does not know.
type deriver struct {
	grants []Grant
	warns  spec.ErrorList
	subs   map[string]spec.Substitution // the machine's ${Name}s, by Name
	envs   []*spec.Environment          // the spec's, for the values parameters take
}

// Derive walks a machine's Task states (nested ones included: the parser
// collected them from Parallel branches and Map processors) and returns
// the statements its execution role needs, in the order of the Tasks.
// Where a Task's resource cannot be known before it runs, nothing is
// derived for it and a warning says what to add under policies. s is the
// spec of m: a parameter's values in its environments tell whether the
// parameter holds names or ARNs.
func Derive(s *spec.Spec, m *spec.StateMachine) ([]Grant, spec.ErrorList) {
	d := derive(s, m)
	d.wildcards()
	return d.grants, d.warns
}

// derive walks m's Tasks into a deriver's grants and warnings.
func derive(s *spec.Spec, m *spec.StateMachine) *deriver {
	d := &deriver{subs: map[string]spec.Substitution{}, envs: s.Environments}
	for _, sub := range m.Substitutions {
		d.subs[sub.Key] = sub
	}
	for i := range m.Tasks {
		d.task(&m.Tasks[i])
	}
	return d
}

func (d *deriver) grant(t *spec.Task, actions []string, resources ...string) {
	d.grants = append(d.grants, Grant{Task: t, Actions: actions, Resources: resources})
}

// warn says why nothing was derived for a Task, and what statement to add.
func (d *deriver) warn(t *spec.Task, pos spec.Pos, actions []string, resource, why string) {
	d.warns.Warn(pos, t.Path, "%s, so no statement is derived for it; add one under policies: {Effect: Allow, Action: [%s], Resource: %s}",
		why, strings.Join(actions, ", "), resource)
}

// task derives the grants of one Task from its Resource. The forms are
// those of "Integrating services with Step Functions": an optimized
// integration (arn:aws:states:::SERVICE:ACTION[.PATTERN]), an AWS SDK
// integration (arn:aws:states:::aws-sdk:SERVICE:ACTION[.PATTERN]), a
// Lambda function ARN, or an activity ARN (which workers poll: the
// execution role needs nothing for it).
func (d *deriver) task(t *spec.Task) {
	// Split as an ARN, not at every colon: ${AWS::Region} and
	// ${AWS::Partition} (CDK's arn:${AWS::Partition}:states:::lambda:invoke)
	// are one part each.
	parts := splitARN(t.Resource)
	switch {
	case d.param(t.Resource) != nil:
		d.resourceParam(t, d.param(t.Resource))
	case len(parts) >= 7 && parts[0] == "arn" && parts[2] == "lambda" && parts[5] == "function":
		base := strings.Join(parts[:7], ":")
		d.grant(t, []string{"lambda:InvokeFunction"}, base, base+":*")
	case len(parts) >= 7 && parts[0] == "arn" && parts[2] == "states" && parts[5] == "activity":
	case len(parts) >= 7 && parts[0] == "arn" && parts[2] == "states" && parts[3] == "" && parts[4] == "":
		service, rest, _ := strings.Cut(strings.Join(parts[5:], ":"), ":")
		if service == "aws-sdk" {
			sdkService, call, _ := strings.Cut(rest, ":")
			action, _, _ := strings.Cut(call, ".")
			d.sdk(t, sdkService, action)
			return
		}
		action, pattern, _ := strings.Cut(rest, ".")
		d.optimized(t, service, action, pattern)
	default:
		d.warns.Warn(t.Pos, t.Path+".Resource", "sfnapic does not know what %q calls, so no statement is derived for it; add the statement it needs under policies", t.Resource)
	}
}

// optimized derives the grants of an optimized integration.
func (d *deriver) optimized(t *spec.Task, service, action, pattern string) {
	switch service + ":" + action {
	case "lambda:invoke":
		d.lambda(t, "lambda:InvokeFunction")
	case "dynamodb:getItem", "dynamodb:putItem", "dynamodb:updateItem", "dynamodb:deleteItem":
		d.dynamodb(t, "dynamodb:"+upperFirst(action))
	case "sqs:sendMessage":
		d.sqs(t, "sqs:SendMessage")
	case "sns:publish":
		d.sns(t, "sns:Publish")
	case "events:putEvents":
		d.events(t, "events:PutEvents")
	case "states:startExecution":
		d.startExecution(t, pattern)
	case "ecs:runTask":
		d.runTask(t, pattern)
	default:
		d.warns.Warn(t.Pos, t.Path+".Resource", "sfnapic does not yet derive the statements of %s:%s, so none is derived for it; add the statement it needs under policies (see \"How Step Functions generates IAM policies for integrated services\")", service, action)
	}
}

// fixed reads a parameter whose value sfnapic must know to derive a
// statement. It warns, and returns false, when the value is missing, is
// chosen at run time, or is a whole ${Name} substitution that sfnapic
// cannot read as a name or as an ARN (whole).
func (d *deriver) fixed(t *spec.Task, key string, actions []string, resource string) (string, bool) {
	p, ok := t.Param(key)
	switch {
	case !ok:
		d.warn(t, t.Pos, actions, resource, fmt.Sprintf("the Task gives no %s", key))
	case p.Dynamic():
		d.warn(t, p.Pos, actions, resource, fmt.Sprintf("%s is chosen at run time", key))
	default:
		s, isString := p.Value.(string)
		if !isString || s == "" {
			d.warn(t, p.Pos, actions, resource, fmt.Sprintf("%s is not a string", key))
			return "", false
		}
		if _, ok := wholeSub(s); ok {
			return d.whole(t, p.Pos, key, s, actions, resource)
		}
		return s, true
	}
	return "", false
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// DeriveWarnings are the warnings of every machine whose execution role
// sfnapic creates (a roleArn is the author's to fill).
func DeriveWarnings(s *spec.Spec) spec.ErrorList {
	var out spec.ErrorList
	for _, m := range s.StateMachines {
		if m.Existing() || m.RoleARN != "" {
			continue
		}
		grants, warns := Derive(s, m)
		out = append(out, warns...)
		if n := policySize(m, grants); n > maxRolePolicyChars {
			out.Warn(m.Pos, "stateMachines."+m.Name, "the execution role's policies come to about %d characters, over the %d IAM takes for a role's inline policies: give the role as roleArn, or call fewer distinct resources", n, maxRolePolicyChars)
		}
	}
	return out
}

// statement is one merged statement of the Derived policy.
type statement struct {
	actions   []string
	resources []string
}

// mergeGrants merges a machine's grants into statements, one per set of
// actions, each resource once, in the order the Tasks are written: the
// policy stays as short as a hand-written one, and deterministic.
func mergeGrants(grants []Grant) []*statement {
	var order []*statement
	byActions := map[string]*statement{}
	for _, g := range grants {
		key := strings.Join(g.Actions, ",")
		st := byActions[key]
		if st == nil {
			st = &statement{actions: g.Actions}
			byActions[key] = st
			order = append(order, st)
		}
		for _, r := range g.Resources {
			if !containsString(st.resources, r) {
				st.resources = append(st.resources, r)
			}
		}
	}
	return order
}

// derivedStatements are the Derived policy's statements, a resource with
// a ${...} as Fn::Sub. ids are the machines' logical IDs: a machine's
// ${name} is its Ref (the ARN) and ${name.Name} its Name attribute, which
// Fn::Sub writes as ${LogicalID} and ${LogicalID.Name} ("Fn::Sub" in the
// CloudFormation User Guide); parameters and pseudo parameters keep their
// names.
func (b *builder) derivedStatements(m *spec.StateMachine, ids map[string]string) []any {
	var machineRefs []string
	for _, sub := range m.Substitutions {
		if sub.Machine != nil {
			// A statement may name the machine's Name even when the
			// definition names only its ARN (a startExecution's
			// executions), so both forms are mapped.
			name, id := sub.Machine.Name, ids[sub.Machine.Name]
			machineRefs = append(machineRefs, "${"+name+"}", "${"+id+"}", "${"+name+".Name}", "${"+id+".Name}")
		}
	}
	toSub := strings.NewReplacer(machineRefs...)
	grants, _ := Derive(b.s, m)
	merged := mergeGrants(grants)
	out := make([]any, 0, len(merged))
	for _, st := range merged {
		resources := make([]any, len(st.resources))
		for i, r := range st.resources {
			resources[i] = b.resourceValue(toSub.Replace(r))
		}
		out = append(out, map[string]any{"Effect": "Allow", "Action": st.actions, "Resource": resources})
	}
	return out
}

// maxRolePolicyChars is IAM's quota on the inline policies of one role,
// together, whitespace not counted ("IAM and AWS STS quotas").
const maxRolePolicyChars = 10_240

// policySize estimates the characters IAM counts for a machine's inline
// policies: the derived statements and the spec's, as compact JSON. The
// pseudo parameters are counted as written, a little over what they
// resolve to, so the estimate errs towards warning.
func policySize(m *spec.StateMachine, grants []Grant) int {
	n := 0
	for _, st := range mergeGrants(grants) {
		n += len(`{"Effect":"Allow","Action":[],"Resource":[]},`)
		for _, a := range st.actions {
			n += len(a) + 3
		}
		for _, r := range st.resources {
			n += len(r) + 3
		}
	}
	for _, p := range m.Policies {
		if b, err := json.Marshal(p); err == nil {
			n += len(b) + 1
		}
	}
	return n
}
