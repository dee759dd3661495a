package integration

func init() {
	register(TaskSuccess{})
	register(TaskFailure{})
	register(TaskHeartbeat{})
}

// TaskSuccess, TaskFailure and TaskHeartbeat answer a task of the route's
// state machine that waits for a token (the .waitForTaskToken pattern):
// it succeeds with an output, fails with an error and a cause, or is
// still being worked on. The token names the task; whoever holds it may answer it.
type (
	TaskSuccess   struct{}
	TaskFailure   struct{}
	TaskHeartbeat struct{}
)

func (TaskSuccess) Name() string   { return "SendTaskSuccess" }
func (TaskFailure) Name() string   { return "SendTaskFailure" }
func (TaskHeartbeat) Name() string { return "SendTaskHeartbeat" }

// The callbacks are granted on the route's state machine, as the CDK's
// grantTaskResponse grants them. The Service Authorization Reference
// lists no resource type for these actions, so IAM's policy editor offers
// only "*"; but Step Functions authorizes a token from a service
// integration's task (.waitForTaskToken) against the state machine that
// issued it: its AccessDenied names that machine's ARN as the resource
// (NOAA-OWP/hydrovis#837), and a grant on the machine's ARN was tested to
// work for such tokens (aws/aws-cdk#8486). Scoping them there keeps a
// route of one workflow from answering another's tasks with a leaked
// token. (An activity's token is authorized against the activity, which
// a route cannot name: docs/spec.md says so.)
func (a TaskSuccess) Permissions(m Machine) []Permission   { return taskPermission(a, m) }
func (a TaskFailure) Permissions(m Machine) []Permission   { return taskPermission(a, m) }
func (a TaskHeartbeat) Permissions(m Machine) []Permission { return taskPermission(a, m) }

func taskPermission(a Action, m Machine) []Permission {
	return []Permission{{Action: "states:" + a.Name(), Resource: m.ARN}}
}

// A callback answers 200 with an empty object once Step Functions took
// the answer: its reply carries nothing. An unknown token is 404, a task
// that timed out 410 (the error template), a malformed one 400. The
// output of a success is a JSON document carried as a string, like an
// execution's input, so its values are escaped twice.
func (a TaskSuccess) REST() REST {
	return plainREST(func(p RequestParts) string { return callbackRequest(a, p, `, "output": "`+p.Input+`"`) },
		"{}\n", "deliver the task's success")
}

func (a TaskFailure) REST() REST {
	return plainREST(func(p RequestParts) string { return callbackRequest(a, p, p.Members) },
		"{}\n", "deliver the task's failure")
}

func (a TaskHeartbeat) REST() REST {
	return plainREST(func(p RequestParts) string { return callbackRequest(a, p, "") },
		"{}\n", "deliver the heartbeat")
}

func callbackRequest(a Action, p RequestParts, members string) string {
	return "## sfnapic: " + p.Route + " -> " + a.Name() + "; the token is escaped once\n" +
		p.Setup +
		`{"taskToken": "` + p.Token + `"` + members + `}` + "\n"
}

func (a TaskSuccess) Decode(body string) (*Request, error)   { return decodeCallback(a, body) }
func (a TaskFailure) Decode(body string) (*Request, error)   { return decodeCallback(a, body) }
func (a TaskHeartbeat) Decode(body string) (*Request, error) { return decodeCallback(a, body) }

// decodeCallback reads a callback's body; a success's output is kept as
// the request's input, decoded as Step Functions would.
func decodeCallback(a Action, body string) (*Request, error) {
	var b struct {
		TaskToken string   `json:"taskToken"`
		Output    document `json:"output"`
	}
	if err := decodeBody(a, body, &b); err != nil {
		return nil, err
	}
	r := &Request{Action: a.Name(), TaskToken: b.TaskToken}
	return r, r.document(b.Output, body, "task output", "InvalidOutput")
}
