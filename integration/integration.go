// Package integration holds the Step Functions actions that can stand
// behind a route, one file each. An action supplies everything that
// differs between actions, in two parts. The Action itself is what every
// target shares: its name, the IAM permissions the API role needs, and
// how the local model decodes the request body it sends. Its REST facet
// (rest.go) is what a REST API's AWS integration needs besides: the
// request template that writes that body around the request values, the
// integration responses, and the statuses and headers the method
// declares. The HTTP-API issue adds its own facet beside REST, so an
// action grows one method per target, not one interface for all.
// Everything else (routing, input shaping, escaping, deployment) is
// shared.
//
// It is a library, public because gateway's API returns its Request; new
// actions are added here. Neither the spec nor the compiler is imported: compile hands an
// action the pieces of VTL it built from the spec, and gateway finds the
// action of a method from its integration URI alone.
package integration

import (
	"fmt"
	"sort"
	"strings"
)

// Action is one Step Functions API action behind a route: what every
// target (a REST API today) shares.
type Action interface {
	// Name is the Step Functions API action, such as StartExecution.
	Name() string
	// Permissions are the IAM actions, with their resources, that the
	// API role needs to call the action on the state machine m.
	Permissions(m Machine) []Permission
	// Decode reads the body that a request template rendered, as Step
	// Functions would, and says what it asks for.
	Decode(body string) (*Request, error)
	// REST is the action's part in a REST API's AWS integration.
	REST() REST
}

// Machine is the state machine an action targets, as compile writes it.
type Machine struct {
	// ARN is the ARN as a property value: a literal ARN, or a template's
	// Ref placeholder.
	ARN string
	// ARNText is the ARN inside an Fn::Sub text: a literal ARN, or
	// ${LogicalId}.
	ARNText string
	// Executions is the ARN pattern of every execution of the machine,
	// arn:...:execution:NAME:*, as a property value.
	Executions string
	// ExecutionsText is that ARN up to the execution's name (ending in
	// ":"), inside an Fn::Sub text.
	ExecutionsText string
}

// Permission is one IAM action on one resource.
type Permission struct {
	Action   string // such as states:StartExecution
	Resource string // an ARN, or a template's intrinsic placeholder
}

// Request is what a rendered request body asks Step Functions for.
type Request struct {
	Action string
	// StateMachineArn is the state machine the request targets.
	StateMachineArn string
	// input is the JSON document the body carries as a string (an
	// execution's input, a task's output; Input answers it, Value decodes
	// it), or literal its literal when it is over Step Functions' bound
	// (Request.document); Document is what it is ("execution input",
	// "task output"); HasInput is false when the action carries none.
	input    string
	literal  string
	HasInput bool
	Document string
	// ExecutionArn is the execution an action on one execution targets.
	ExecutionArn string
	// TaskToken is the task a callback answers.
	TaskToken string
}

var actions = map[string]Action{}

// register makes an action known by its name; each action's file calls it
// from init.
func register(a Action) { actions[a.Name()] = a }

// Lookup returns the action with this name.
func Lookup(name string) (Action, bool) {
	a, ok := actions[name]
	return a, ok
}

// Names lists the known actions, sorted.
func Names() []string {
	var out []string
	for n := range actions {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// uriPrefix starts the integration URI of every action, as an Fn::Sub
// text: API Gateway's AWS integration for the states service.
const uriPrefix = "arn:${AWS::Partition}:apigateway:${AWS::Region}:states:action/"

// URI is the Fn::Sub text of an action's integration URI.
func URI(a Action) string { return uriPrefix + a.Name() }

// FromURI finds the action of an integration URI, given as its Fn::Sub
// text or as an ARN with the partition and region filled in.
func FromURI(uri string) (Action, bool) {
	_, name, ok := strings.Cut(uri, ":states:action/")
	if !ok || !strings.HasPrefix(uri, "arn:") || !strings.Contains(uri, ":apigateway:") {
		return nil, false
	}
	return Lookup(name)
}

// CheckTable says whether a table keyed by action name (a backend's
// dispatch table) has exactly the registered actions: it names those
// missing and those integration does not know. Each backend's tests call
// it, so a new action without its backend entry fails there.
func CheckTable[V any](table map[string]V) error {
	var missing, unknown []string
	for _, n := range Names() {
		if _, ok := table[n]; !ok {
			missing = append(missing, n)
		}
	}
	for n := range table {
		if _, ok := actions[n]; !ok {
			unknown = append(unknown, n)
		}
	}
	if len(missing)+len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	return fmt.Errorf("the table lacks %v and has %v, which integration does not register", missing, unknown)
}
