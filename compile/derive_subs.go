package compile

import (
	"fmt"

	"github.com/sfnapic/sfnapic/spec"
)

// machineARN is the ARN of a state machine of this stack, written with its
// name: a child machine's ${m} stands for it, and the executions' ARN of a
// .sync integration is built from the name ("Resources for Step
// Functions": arn:PARTITION:states:REGION:ACCOUNT:stateMachine:NAME).
func machineARN(name string) string {
	return "arn:" + partition + ":states:" + here + ":stateMachine:${" + name + ".Name}"
}

// eitherFields are the parameters that take a resource's name or its ARN,
// and the ARN to write around a parameter that holds the name ("Invoke",
// "GetItem" and "RunTask" in the services' API references; a queue URL is
// built from the queue's name likewise).
var eitherFields = map[string]string{
	"FunctionName":   "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:%s",
	"TableName":      "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/%s",
	"TaskDefinition": "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task-definition/%s",
	"QueueUrl":       "https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/%s",
	"EventBusName":   "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/%s",
}

// whole reads a field whose value is one ${Name}, which the spec resolved
// to a machine of this stack, a pseudo parameter or a parameter. A
// machine's ${m} is its ARN, and ${m.Name} and a pseudo parameter are
// names; a parameter is taken as what the field takes, and in a field
// that takes a name or an ARN, as what its known values are (nameOrARN).
func (d *deriver) whole(t *spec.Task, pos spec.Pos, key, s string, actions []string, resource string) (string, bool) {
	sub, known := d.subs[s[2:len(s)-1]]
	switch {
	case !known:
		d.warn(t, pos, actions, resource, fmt.Sprintf("%s is %s, which may hold a name or an ARN", key, s))
		return "", false
	case sub.Machine != nil && !sub.NameOf:
		return machineARN(sub.Machine.Name), true
	case sub.Parameter != nil && eitherFields[key] != "":
		return d.nameOrARN(t, pos, key, s, sub.Parameter, actions, resource)
	}
	return s, true
}

// splitARN splits an ARN at its colons, but not at those inside a ${...}
// (${AWS::Region} is one part of an ARN written for Fn::Sub).
func splitARN(s string) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '$' && i+1 < len(s) && s[i+1] == '{':
			depth++
		case s[i] == '}' && depth > 0:
			depth--
		case s[i] == ':' && depth == 0:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}
