package integration

func init() {
	register(TaskSuccess{})
	register(TaskFailure{})
	register(TaskHeartbeat{})
}

// TaskSuccess, TaskFailure and TaskHeartbeat answer a task that waits for
// a token (the .waitForTaskToken pattern, or an activity): it succeeds
// with an output, fails with an error and a cause, or is still being
// worked on. The token names the task; whoever holds it may answer it.
type (
	TaskSuccess   struct{}
	TaskFailure   struct{}
	TaskHeartbeat struct{}
)

func (TaskSuccess) Name() string   { return "SendTaskSuccess" }
func (TaskFailure) Name() string   { return "SendTaskFailure" }
func (TaskHeartbeat) Name() string { return "SendTaskHeartbeat" }

// anyTask is the resource of these actions when the token comes from a
// service integration's task (.waitForTaskToken): they have no state
// machine resource to scope them to, and public reports say a grant on
// the machine's ARN (as the CDK's grantTaskResponse writes it) is not
// honoured. (The Service Authorization Reference was out of reach when
// this was written: check it.) The token itself, unguessable, is what
// limits them.
const anyTask = "*"

func (a TaskSuccess) Permissions(Machine) []Permission   { return taskPermission(a) }
func (a TaskFailure) Permissions(Machine) []Permission   { return taskPermission(a) }
func (a TaskHeartbeat) Permissions(Machine) []Permission { return taskPermission(a) }

func taskPermission(a Action) []Permission {
	return []Permission{{Action: "states:" + a.Name(), Resource: anyTask}}
}

// The output of a success is a JSON document carried as a string, like an
// execution's input, so its values are escaped twice.
func (a TaskSuccess) RequestTemplate(p RequestParts) string {
	return callbackRequest(a, p, `, "output": "`+p.Input+`"`)
}

func (a TaskFailure) RequestTemplate(p RequestParts) string {
	return callbackRequest(a, p, p.Members)
}

func (a TaskHeartbeat) RequestTemplate(p RequestParts) string { return callbackRequest(a, p, "") }

func callbackRequest(a Action, p RequestParts, members string) string {
	return "## sfnapic: " + p.Route + " -> " + a.Name() + "; the token is escaped once\n" +
		p.Setup +
		`{"taskToken": "` + p.Token + `"` + members + `}` + "\n"
}

func (TaskSuccess) Statuses() []string   { return MethodStatuses }
func (TaskFailure) Statuses() []string   { return MethodStatuses }
func (TaskHeartbeat) Statuses() []string { return MethodStatuses }

// A callback answers 200 with an empty object once Step Functions took
// the answer: its reply carries nothing. An unknown token is 404, a task
// that timed out 410 (the error template), a malformed one 400.
func (TaskSuccess) Responses() []Response   { return responses("{}\n", "deliver the task's success") }
func (TaskFailure) Responses() []Response   { return responses("{}\n", "deliver the task's failure") }
func (TaskHeartbeat) Responses() []Response { return responses("{}\n", "deliver the heartbeat") }

func (a TaskSuccess) Decode(body string) (*Request, error)   { return decodeCallback(a, body) }
func (a TaskFailure) Decode(body string) (*Request, error)   { return decodeCallback(a, body) }
func (a TaskHeartbeat) Decode(body string) (*Request, error) { return decodeCallback(a, body) }

// decodeCallback reads a callback's body; a success's output is kept as
// the request's input, decoded as Step Functions would.
func decodeCallback(a Action, body string) (*Request, error) {
	var b struct {
		TaskToken string  `json:"taskToken"`
		Output    *string `json:"output"`
	}
	if err := decodeBody(a, body, &b); err != nil {
		return nil, err
	}
	r := &Request{Action: a.Name(), TaskToken: b.TaskToken}
	return r, r.document(b.Output, "task output", "InvalidOutput")
}
