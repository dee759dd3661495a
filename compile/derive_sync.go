package compile

import (
	"fmt"
	"strings"

	"github.com/sfnapic/sfnapic/spec"
)

// startExecution grants StartExecution on the child machine. Waiting for
// it (.sync, .sync:2) also needs to read and stop its executions, and the
// managed EventBridge rule through which Step Functions learns that the
// child ended ("IAM policies for starting a new AWS Step Functions state
// machine execution").
func (d *deriver) startExecution(t *spec.Task, pattern string) {
	actions := []string{"states:StartExecution"}
	arn, ok := d.fixed(t, "StateMachineArn", actions, "<the state machine's ARN>")
	if !ok {
		return
	}
	if par := d.param(arn); par != nil {
		// Fn::Select of a part an ARN lacks fails the deployment: a value
		// known not to be a machine's ARN is refused here instead.
		for _, v := range d.paramValues(par) {
			if parts := strings.Split(v, ":"); len(parts) < 7 || parts[0] != "arn" || parts[2] != "states" || parts[5] != "stateMachine" {
				p, _ := t.Param("StateMachineArn")
				d.warn(t, p.Pos, actions, "<the state machine's ARN>", "StateMachineArn is "+arn+", and parameter "+par.Name+" holds "+quote(v)+", which is not a state machine ARN such as arn:aws:states:eu-west-1:123456789012:stateMachine:child")
				return
			}
		}
		d.grant(t, actions, arn)
		if strings.HasPrefix(pattern, "sync") {
			d.childExecutions(t, arn, par)
			d.managedRule(t, "StepFunctionsGetEventsForStepFunctionsExecutionRule")
		}
		return
	}
	parts := splitARN(arn)
	if len(parts) < 7 || parts[0] != "arn" || parts[2] != "states" || parts[5] != "stateMachine" {
		p, _ := t.Param("StateMachineArn")
		d.warn(t, p.Pos, actions, "<the state machine's ARN>", "StateMachineArn "+quote(arn)+" is not a state machine ARN such as arn:aws:states:eu-west-1:123456789012:stateMachine:child")
		return
	}
	d.grant(t, actions, arn)
	if !strings.HasPrefix(pattern, "sync") {
		return
	}
	executions := strings.Join(append(parts[:5:5], "execution", parts[6], "*"), ":")
	d.grant(t, []string{"states:DescribeExecution", "states:StopExecution"}, executions)
	d.managedRule(t, "StepFunctionsGetEventsForStepFunctionsExecutionRule")
}

// childExecutions grants what waiting for a child machine, given as
// parameter par, needs on its executions:
// arn:PARTITION:states:REGION:ACCOUNT:execution:NAME:*, the parts selected
// from the machine's ARN that par holds. With no value known to be such an
// ARN, a deploy-time value that is not one would fail the stack at
// Fn::Select, so nothing is derived for them and a warning says what to
// write.
func (d *deriver) childExecutions(t *spec.Task, arn string, par *spec.Parameter) {
	actions := []string{"states:DescribeExecution", "states:StopExecution"}
	if len(d.paramValues(par)) == 0 {
		p, _ := t.Param("StateMachineArn")
		d.warns.Warn(p.Pos, t.Path, "StateMachineArn is %s, and parameter %s %s, so sfnapic cannot read the child machine's name from it to name its executions: %s, or add under policies: {Effect: Allow, Action: [%s], Resource: {\"Fn::Sub\": \"arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:<the child machine's name>:*\"}}",
			arn, par.Name, unknownValue(par), giveValues(par, "give "+par.Name+" a default or an environment value, the machine's ARN (such as arn:aws:states:eu-west-1:123456789012:stateMachine:child)"), strings.Join(actions, ", "))
		return
	}
	d.grant(t, actions, "arn:"+partOf(par, 1)+":states:"+partOf(par, 3)+":"+partOf(par, 4)+":execution:"+partOf(par, 6)+":*")
}

// managedRule grants what a .sync integration needs on the EventBridge
// rule Step Functions manages for it.
func (d *deriver) managedRule(t *spec.Task, rule string) {
	d.grant(t, []string{"events:PutTargets", "events:PutRule", "events:DescribeRule"},
		"arn:"+partition+":events:"+here+":rule/"+rule)
}

// runTask grants RunTask on the task definition (every revision of a
// family named without one), and, to wait for the task (.sync), to read
// and stop the tasks of its cluster and the managed rule ("IAM policies
// for Amazon ECS/AWS Fargate"). ECS needs iam:PassRole on the task's
// roles: those given in Overrides are granted; the others are the task
// definition's, not in the workflow, so a warning asks for them.
func (d *deriver) runTask(t *spec.Task, pattern string) {
	actions := []string{"ecs:RunTask"}
	def, ok := d.fixed(t, "TaskDefinition", actions, "<the task definition's ARN>")
	if !ok {
		return
	}
	revision, ok := d.revision(t, def)
	// isARN before the suffix: ${P}:* is no longer a whole ${P}, and would
	// be taken for a name and built into an ARN around the ARN P holds.
	arn := def
	if !d.isARN(def) {
		arn = "arn:" + partition + ":ecs:" + here + ":task-definition/" + def
	}
	switch {
	case !ok:
	case revision:
		d.grant(t, actions, arn)
	default:
		d.grant(t, actions, arn+":*")
	}
	if strings.HasPrefix(pattern, "sync") {
		cluster := "default"
		if c, ok := t.Param("Cluster"); ok && !c.Dynamic() {
			if s, _ := c.Value.(string); s != "" {
				cluster = s[strings.LastIndex(s, "/")+1:]
			}
		}
		d.grant(t, []string{"ecs:StopTask", "ecs:DescribeTasks"}, "arn:"+partition+":ecs:"+here+":task/"+cluster+"/*")
		d.managedRule(t, "StepFunctionsGetEventsForECSTaskRule")
	}
	d.passRoles(t)
}

// revision reports whether a task definition (family[:revision] or its
// ARN, or a ${P} holding either) names a revision: without one, every
// revision of the family is granted. When P's known values are mixed, the
// grant of either kind would match nothing in some environment: it warns,
// saying what to write, and returns false for ok.
func (d *deriver) revision(t *spec.Task, def string) (revision, ok bool) {
	par := d.param(def)
	if par == nil {
		return hasRevision(def), true
	}
	vals := d.paramValues(par)
	with := 0
	for _, v := range vals {
		if hasRevision(v) {
			with++
		}
	}
	if with == 0 || with == len(vals) {
		return with > 0, true
	}
	arn := def
	if !d.isARN(def) {
		arn = fmt.Sprintf(eitherFields["TaskDefinition"], def)
	}
	p, _ := t.Param("TaskDefinition")
	d.warn(t, p.Pos, []string{"ecs:RunTask"}, fmt.Sprintf(`[{"Fn::Sub": %q}, {"Fn::Sub": %q}]`, arn, arn+":*"),
		fmt.Sprintf("TaskDefinition is %s, and parameter %s is given task definitions both with and without a revision (%s), so sfnapic cannot tell whether to grant one revision or every revision of the family: give %s only families or only family:revision values",
			def, par.Name, strings.Join(vals, ", "), par.Name))
	return false, false
}

// hasRevision reports whether a task definition, family[:revision] or its
// ARN, names a revision.
func hasRevision(def string) bool {
	return strings.Contains(def[strings.LastIndex(def, "/")+1:], ":")
}

// passRoles grants iam:PassRole on the roles a RunTask's Overrides name
// (an ARN, or a parameter holding one), and warns unless they name both.
func (d *deriver) passRoles(t *spec.Task) {
	var roles []string
	if p, ok := t.Param("Overrides"); ok {
		obj, _ := p.Value.(spec.Object)
		for _, key := range []string{"TaskRoleArn", "ExecutionRoleArn"} {
			if v, ok := obj.Get(key); ok {
				if s, _ := v.(string); strings.HasPrefix(s, "arn:") || d.param(s) != nil {
					roles = append(roles, s)
				}
			}
		}
	}
	if len(roles) > 0 {
		d.grant(t, []string{"iam:PassRole"}, roles...)
	}
	if len(roles) < 2 {
		d.warn(t, t.Pos, []string{"iam:PassRole"}, "<the task definition's task and execution role ARNs>",
			"ECS needs iam:PassRole on the task definition's roles, which the definition does not name (Overrides may: TaskRoleArn, ExecutionRoleArn)")
	}
}
