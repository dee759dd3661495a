package integration

// REST is an action's facet for a REST API's AWS integration: the request
// template that writes the action's body, and what the method answers.
type REST interface {
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
	// Headers are the response headers the integration responses may set
	// (method.response.header.NAME), which the method declares on every
	// status; none for most actions.
	Headers() []string
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

// MethodStatuses are the statuses every method may answer, whatever its
// action: its integration responses and the error template's overrides.
var MethodStatuses = []string{"200", "400", "404", "409", "410", "429", "500", "502"}

// rest is the REST facet the actions build when asked for it.
type rest struct {
	request   func(RequestParts) string
	responses []Response
	statuses  []string
	headers   []string
}

func (r rest) RequestTemplate(p RequestParts) string { return r.request(p) }
func (r rest) Responses() []Response                 { return r.responses }
func (r rest) Statuses() []string                    { return r.statuses }
func (r rest) Headers() []string                     { return r.headers }

// plainREST is the facet of an action whose answers override no other
// status and set no header: its request template, its answer to a
// success, and what it did not do when Step Functions failed it.
func plainREST(request func(RequestParts) string, success, what string) REST {
	return rest{request: request, responses: responses(success, what), statuses: MethodStatuses}
}

// responses are an action's integration responses: its answer to a
// success, the shared error envelope for Step Functions' 4xx, and a bad
// gateway for anything else (a 5xx, an answer that is neither), never a
// 200. The bad gateway's fixed envelope carries nothing from the reply,
// so nothing in it needs escaping.
func responses(success, what string) []Response {
	return []Response{
		{Status: "200", Pattern: `2\d{2}`, Template: success},
		ErrorResponse,
		{Status: "502", Template: `{"error": "BadGateway", "message": "Step Functions did not ` + what + `; try again later"}` + "\n"},
	}
}
