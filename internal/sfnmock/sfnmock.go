// Package sfnmock is the stand-in for Step Functions behind `sfnapic serve
// --mock`: it needs no AWS and no emulator, and answers every action a
// route can take with a reply of the shape Step Functions gives, in its
// JSON wire format, so the route's response templates run as they would
// on AWS. It runs no workflow: a started execution stays RUNNING until a
// stop route aborts it, a synchronous run succeeds with its input as its
// output, and a callback is taken for any token. Replies can be scripted
// per route or per action.
package sfnmock

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/sfnapic/sfnapic/gateway"
)

// MaxExecutions bounds what the mock remembers: past it, the oldest
// execution is forgotten (a status route then answers 404 for it), so a
// long-running serve does not grow without end.
const MaxExecutions = 10000

// Mock is the stand-in. Its zero value is not usable; call New.
type Mock struct {
	scripts map[string]gateway.Reply

	mu         sync.Mutex
	executions map[string]*execution
	order      []string // execution ARNs, oldest first
}

type execution struct {
	arn, machine, name string
	input, status      string
	errorName, cause   *string
	start, stop        time.Time
}

// New makes a mock that answers with scripts first: a reply scripted for
// the route ("POST /quotes"), else for the action ("StartSyncExecution").
func New(scripts map[string]gateway.Reply) *Mock {
	return &Mock{scripts: scripts, executions: map[string]*execution{}}
}

// ParseScripts reads a scripts file: a JSON object from a route or an
// action to a reply, {"status": 200, "body": {...}}.
func ParseScripts(b []byte) (map[string]gateway.Reply, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf(`a scripts file is a JSON object such as {"POST /quotes": {"status": 200, "body": {...}}}: %v`, err)
	}
	out := map[string]gateway.Reply{}
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var problems []string
	for _, k := range keys {
		var r gateway.Reply
		dec := json.NewDecoder(bytes.NewReader(raw[k]))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil || r.Status < 200 || r.Status > 599 || len(r.Body) == 0 {
			problems = append(problems, fmt.Sprintf(`%q: a reply is {"status": 200 to 599, "body": JSON}`, k))
			continue
		}
		out[k] = r
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	return out, nil
}

// Call answers one call as Step Functions would.
func (m *Mock) Call(_ context.Context, call *gateway.Call) (gateway.Reply, error) {
	if r, ok := m.scripts[call.Verb+" "+call.Path]; ok {
		return r, nil
	}
	if r, ok := m.scripts[call.Action]; ok {
		return r, nil
	}
	var in struct {
		StateMachineArn, Name, Input, ExecutionArn, TaskToken string
		Error, Cause                                          *string
	}
	if err := json.Unmarshal([]byte(call.Body), &in); err != nil {
		return gateway.ErrorReply(400, gateway.ServiceError, "SerializationException", "the request body is not JSON: "+err.Error()), nil
	}
	now := time.Now()
	switch call.Action {
	case "StartExecution", "StartSyncExecution":
		if !strings.Contains(in.StateMachineArn, ":stateMachine:") {
			return fail(400, "InvalidArn", "Invalid Arn: '"+in.StateMachineArn+"'"), nil
		}
		if in.Input == "" {
			in.Input = "{}"
		}
		if !json.Valid([]byte(in.Input)) {
			return fail(400, "InvalidExecutionInput", "Invalid State Machine Execution Input: not JSON"), nil
		}
		if in.Name == "" {
			in.Name = gateway.UUID()
		}
		e := &execution{machine: in.StateMachineArn, name: in.Name, input: in.Input, status: "RUNNING", start: now,
			arn: strings.Replace(in.StateMachineArn, ":stateMachine:", ":execution:", 1) + ":" + in.Name}
		if call.Express {
			// An EXPRESS execution's ARN names the run too; Step Functions
			// keeps no record of it to describe.
			e.arn = strings.Replace(in.StateMachineArn, ":stateMachine:", ":express:", 1) + ":" + in.Name + ":" + gateway.UUID()
		}
		switch {
		case call.Action == "StartSyncExecution":
			e.status, e.stop = "SUCCEEDED", now
			return ok(map[string]any{"executionArn": e.arn, "stateMachineArn": e.machine, "name": e.name,
				"startDate": epoch(e.start), "stopDate": epoch(e.stop), "status": e.status, "input": e.input, "output": e.input}), nil
		case call.Express:
			return ok(map[string]any{"executionArn": e.arn, "startDate": epoch(e.start)}), nil
		}
		return m.start(e), nil
	case "DescribeExecution", "StopExecution":
		if !validExecution(in.ExecutionArn) {
			return fail(400, "InvalidArn", "Invalid Arn: '"+in.ExecutionArn+"'"), nil
		}
		m.mu.Lock()
		defer m.mu.Unlock()
		e, found := m.executions[in.ExecutionArn]
		if !found {
			return fail(400, "ExecutionDoesNotExist", "Execution Does Not Exist: '"+in.ExecutionArn+"'"), nil
		}
		if call.Action == "StopExecution" {
			if e.status == "RUNNING" {
				e.status, e.stop, e.errorName, e.cause = "ABORTED", now, in.Error, in.Cause
			}
			return ok(map[string]any{"stopDate": epoch(e.stop)}), nil
		}
		return ok(e.describe()), nil
	case "SendTaskSuccess", "SendTaskFailure", "SendTaskHeartbeat":
		if in.TaskToken == "" {
			return fail(400, "InvalidToken", "Invalid Token: ''"), nil
		}
		return ok(map[string]any{}), nil
	}
	return gateway.ErrorReply(400, gateway.ServiceError, "UnknownOperationException", "the mock does not know "+call.Action), nil
}

// start records a STANDARD execution: starting one again with the same
// name and input gives the same execution; with another input it is an
// error, as in Step Functions.
func (m *Mock) start(e *execution) gateway.Reply {
	m.mu.Lock()
	defer m.mu.Unlock()
	if old, found := m.executions[e.arn]; found {
		if old.input != e.input || old.status != "RUNNING" {
			return fail(400, "ExecutionAlreadyExists", "Execution Already Exists: '"+e.arn+"'")
		}
		e = old
	} else {
		if len(m.order) >= MaxExecutions {
			delete(m.executions, m.order[0])
			m.order = m.order[1:]
		}
		m.executions[e.arn] = e
		m.order = append(m.order, e.arn)
	}
	return ok(map[string]any{"executionArn": e.arn, "startDate": epoch(e.start)})
}

// describe is DescribeExecution's reply.
func (e *execution) describe() map[string]any {
	out := map[string]any{"executionArn": e.arn, "stateMachineArn": e.machine, "name": e.name, "status": e.status,
		"startDate": epoch(e.start), "input": e.input}
	if !e.stop.IsZero() {
		out["stopDate"] = epoch(e.stop)
	}
	if e.errorName != nil {
		out["error"] = *e.errorName
	}
	if e.cause != nil {
		out["cause"] = *e.cause
	}
	return out
}

// validExecution checks an execution ARN's form: arn:...:execution:MACHINE:NAME.
func validExecution(arn string) bool {
	parts := strings.Split(arn, ":")
	return len(parts) == 8 && parts[0] == "arn" && parts[2] == "states" && parts[5] == "execution" && parts[6] != "" && parts[7] != ""
}

func ok(body map[string]any) gateway.Reply {
	b, _ := json.Marshal(body)
	return gateway.Reply{Status: http.StatusOK, Body: b}
}

// fail is one of Step Functions' error replies.
func fail(status int, name, message string) gateway.Reply {
	return gateway.ErrorReply(status, gateway.ModelError, name, message)
}

// epoch is a date as Step Functions writes it: seconds since 1970, with
// milliseconds.
func epoch(t time.Time) float64 { return float64(t.UnixMilli()) / 1000 }
