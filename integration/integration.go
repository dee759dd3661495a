// Package integration holds the Step Functions actions that can stand
// behind a route, one file each. An action supplies everything that
// differs between actions: the IAM permissions the API role needs, the
// integration URI, the request body its template writes around the
// request values, its integration responses, and how the local model
// decodes what the template rendered. Everything else (routing, input
// shaping, escaping, deployment) is shared.
//
// It is a library, public because gateway's API returns its Request; new
// actions are added here. Neither the spec nor the compiler is imported: compile hands an
// action the pieces of VTL it built from the spec, and gateway finds the
// action of a method from its integration URI alone.
package integration

import (
	"sort"
	"strings"
)

// Action is one Step Functions API action behind a route.
type Action interface {
	// Name is the Step Functions API action, such as StartExecution.
	Name() string
	// Permissions are the IAM actions, with their resources, that the
	// API role needs to call the action on the state machine m.
	Permissions(m Machine) []Permission
	// RequestTemplate is the whole request mapping template: the request
	// body the action takes, written around the VTL parts compile built.
	RequestTemplate(p RequestParts) string
	// Responses are the integration responses, in order; the one without
	// a selection pattern is the default.
	Responses() []Response
	// Statuses are every status the method may answer: what its
	// integration responses and their status overrides can produce, which
	// the method declares.
	Statuses() []string
	// Decode reads the body that a request template rendered, as Step
	// Functions would, and says what it asks for.
	Decode(body string) (*Request, error)
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

// RequestParts are the pieces of a request template that compile builds
// from a route. The texts are VTL: Setup runs first and sets the variables
// that the other parts use.
type RequestParts struct {
	// Route labels the template: "POST /items/{id} (application/json)".
	Route string
	// Setup is the VTL that reads and escapes the request values.
	Setup string
	// Input is the text of the execution input's JSON, escaped to sit in
	// a JSON string: literal text around the Setup's variables.
	Input string
	// Name is the body member that names the execution, ending in ", ",
	// or "" when Step Functions picks the name.
	Name string
	// MachineARN is the text that stands for the state machine's ARN.
	MachineARN string
	// ExecutionARN, for actions on one execution, is the text of its ARN:
	// the machine's executions' prefix and the Setup's id variable.
	ExecutionARN string
	// Members, for StopExecution and SendTaskFailure, are the optional
	// body members (error, cause), each written with its leading comma.
	Members string
	// Token, for the callbacks, is the VTL text of the task token,
	// escaped for a JSON string.
	Token string
}

// Response is one integration response.
type Response struct {
	Status string
	// Pattern is the selection pattern, a Java regex matched against the
	// status of Step Functions' reply; "" for the default response.
	Pattern  string
	Template string // the application/json response template
}

// Request is what a rendered request body asks Step Functions for.
type Request struct {
	Action string
	// StateMachineArn is the state machine the request targets.
	StateMachineArn string
	// Input is the JSON document the body carries as a string (an
	// execution's input, a task's output), Value its decoding, and
	// Document what it is ("execution input", "task output"); HasInput
	// is false when the action carries none.
	Input    string
	Value    any
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

// MethodStatuses are the statuses every method may answer, whatever its
// action: its integration responses and the error template's overrides.
var MethodStatuses = []string{"200", "400", "404", "409", "410", "429", "500", "502"}

// methodStatuses gives an action the Statuses of every method: embedded by
// the actions whose answers override no other status.
type methodStatuses struct{}

// Statuses are MethodStatuses.
func (methodStatuses) Statuses() []string { return MethodStatuses }
