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
	"unsafe"

	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/integration"
)

// MaxExecutions and MaxBytes bound what the mock remembers: past either,
// the oldest execution is forgotten (a status route then answers 404 for
// it), so a long-running serve does not grow without end. MaxBytes counts
// the text an execution holds (its input is the most of it, up to 256 KiB
// each), so 1,000 starts of 250 KB keep about 64 MiB, not 250 MB.
const (
	MaxExecutions = 10000
	MaxBytes      = 64 << 20
)

// Mock is the stand-in. Its zero value is not usable; call New.
type Mock struct {
	scripts map[string]gateway.Reply

	mu         sync.Mutex
	executions map[string]*execution
	order      []string // execution ARNs, oldest first
	held       int      // the bytes the executions hold, by size()
	maxBytes   int
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
	return &Mock{scripts: scripts, executions: map[string]*execution{}, maxBytes: MaxBytes}
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

// input is every member of a request body that the mock reads.
type input struct {
	StateMachineArn, Name, ExecutionArn, TaskToken string
	Input, Output                                  payload
	Error, Cause                                   *string
}

// handlers answer each action, by its name: one entry per action that
// integration registers (a test keeps the two in step).
var handlers = map[string]func(m *Mock, call *gateway.Call, in *input) gateway.Reply{
	integration.StartExecution.Name():  (*Mock).startExecution,
	integration.StartSync{}.Name():     (*Mock).startSync,
	integration.Describe{}.Name():      (*Mock).describeExecution,
	integration.Stop{}.Name():          (*Mock).stopExecution,
	integration.TaskSuccess{}.Name():   (*Mock).sendTask,
	integration.TaskFailure{}.Name():   (*Mock).sendTask,
	integration.TaskHeartbeat{}.Name(): (*Mock).sendTask,
}

// Call answers one call as Step Functions would.
func (m *Mock) Call(_ context.Context, call *gateway.Call) (gateway.Reply, error) {
	if r, ok := m.scripts[call.Verb+" "+call.Path]; ok {
		return r, nil
	}
	if r, ok := m.scripts[call.Action]; ok {
		return r, nil
	}
	var in input
	// The body is read in place, not copied: json.Unmarshal only reads
	// its input (payload keeps none of it).
	if err := json.Unmarshal(unsafe.Slice(unsafe.StringData(call.Body), len(call.Body)), &in); err != nil {
		return gateway.ErrorReply(400, gateway.ServiceError, "SerializationException", "the request body is not JSON: "+err.Error()), nil
	}
	handle, ok := handlers[call.Action]
	if !ok {
		return gateway.ErrorReply(400, gateway.ServiceError, "UnknownOperationException", "the mock does not know "+call.Action), nil
	}
	if refused := checkConstraints(&in); refused != nil {
		return *refused, nil
	}
	return handle(m, call, &in), nil
}

// newExecution is the execution a start asks for, or Step Functions'
// refusal of the request.
func newExecution(call *gateway.Call, in *input) (*execution, *gateway.Reply) {
	if !strings.Contains(in.StateMachineArn, ":stateMachine:") {
		r := fail(400, "InvalidArn", "Invalid Arn: '"+in.StateMachineArn+"'")
		return nil, &r
	}
	if in.Input.text == "" {
		in.Input.text = "{}"
	}
	if !validName(in.Name) {
		// Step Functions: InvalidName, "Invalid Name: 'a b'" (see
		// validName for the characters it refuses).
		r := fail(400, "InvalidName", "Invalid Name: '"+in.Name+"'")
		return nil, &r
	}
	if !json.Valid([]byte(in.Input.text)) {
		r := fail(400, "InvalidExecutionInput", "Invalid State Machine Execution Input: not JSON")
		return nil, &r
	}
	if in.Name == "" {
		in.Name = gateway.UUID()
	}
	machine := gateway.Unqualified(in.StateMachineArn)
	e := &execution{machine: machine, name: in.Name, input: in.Input.text, status: "RUNNING", start: time.Now(),
		arn: strings.Replace(machine, ":stateMachine:", ":execution:", 1) + ":" + in.Name}
	if call.Express {
		// An EXPRESS execution's ARN names the run too; Step Functions
		// keeps no record of it to describe.
		e.arn = strings.Replace(machine, ":stateMachine:", ":express:", 1) + ":" + in.Name + ":" + gateway.UUID()
	}
	return e, nil
}

// startExecution starts an execution that stays RUNNING; only a STANDARD
// one is recorded.
func (m *Mock) startExecution(call *gateway.Call, in *input) gateway.Reply {
	e, refused := newExecution(call, in)
	switch {
	case refused != nil:
		return *refused
	case call.Express:
		return ok(map[string]any{"executionArn": e.arn, "startDate": epoch(e.start)})
	}
	return m.start(e)
}

// startSync runs an execution that succeeds at once with its input as its
// output.
func (m *Mock) startSync(call *gateway.Call, in *input) gateway.Reply {
	e, refused := newExecution(call, in)
	if refused != nil {
		return *refused
	}
	e.status, e.stop = "SUCCEEDED", e.start
	return ok(map[string]any{"executionArn": e.arn, "stateMachineArn": e.machine, "name": e.name,
		"startDate": epoch(e.start), "stopDate": epoch(e.stop), "status": e.status, "input": e.input, "output": e.input})
}

// recorded is the execution an action on one execution names, or Step
// Functions' refusal. The caller holds m.mu.
func (m *Mock) recorded(in *input) (*execution, *gateway.Reply) {
	if !validExecution(in.ExecutionArn) {
		r := fail(400, "InvalidArn", "Invalid Arn: '"+in.ExecutionArn+"'")
		return nil, &r
	}
	e, found := m.executions[in.ExecutionArn]
	if !found {
		r := fail(400, "ExecutionDoesNotExist", "Execution Does Not Exist: '"+in.ExecutionArn+"'")
		return nil, &r
	}
	return e, nil
}

func (m *Mock) describeExecution(_ *gateway.Call, in *input) gateway.Reply {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, refused := m.recorded(in)
	if refused != nil {
		return *refused
	}
	return ok(e.describe())
}

// stopExecution aborts a RUNNING execution with the request's error and
// cause; stopping one that ended changes nothing.
func (m *Mock) stopExecution(_ *gateway.Call, in *input) gateway.Reply {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, refused := m.recorded(in)
	if refused != nil {
		return *refused
	}
	if e.status == "RUNNING" {
		m.held -= e.size()
		e.status, e.stop, e.errorName, e.cause = "ABORTED", time.Now(), in.Error, in.Cause
		m.held += e.size()
		m.trim()
	}
	return ok(map[string]any{"stopDate": epoch(e.stop)})
}

// sendTask takes any callback for any token that is not empty; a
// success's output must be JSON (Step Functions: InvalidOutput, "The
// provided JSON output data is invalid").
func (m *Mock) sendTask(call *gateway.Call, in *input) gateway.Reply {
	if in.TaskToken == "" {
		return fail(400, "InvalidToken", "Invalid Token: ''")
	}
	if call.Action == (integration.TaskSuccess{}).Name() && !json.Valid([]byte(in.Output.text)) {
		return fail(400, "InvalidOutput", "Invalid Output: not JSON")
	}
	return ok(map[string]any{})
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
		m.executions[e.arn] = e
		m.order = append(m.order, e.arn)
		m.held += e.size()
		m.trim()
	}
	return ok(map[string]any{"executionArn": e.arn, "startDate": epoch(e.start)})
}

// trim forgets the oldest executions until what is left is within
// MaxExecutions and the byte budget. The caller holds m.mu.
func (m *Mock) trim() {
	drop := 0
	for len(m.order)-drop > MaxExecutions || (m.held > m.maxBytes && drop < len(m.order)) {
		m.held -= m.executions[m.order[drop]].size()
		delete(m.executions, m.order[drop])
		m.order[drop] = ""
		drop++
	}
	m.order = m.order[drop:]
}

// size is about what an execution holds in memory: its text, and a fixed
// cost for the record, its map entry and its place in the order.
func (e *execution) size() int {
	n := 256 + 2*len(e.arn) + len(e.machine) + len(e.name) + len(e.input)
	if e.errorName != nil {
		n += len(*e.errorName)
	}
	if e.cause != nil {
		n += len(*e.cause)
	}
	return n
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
