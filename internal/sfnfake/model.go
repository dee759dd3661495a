package sfnfake

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// This file is the fake's memory, turned on by Stateful: the state
// machines it was asked to create, their versions and aliases, and the
// executions started on them, answered as Step Functions answers (the
// Step Functions API Reference, each action's page, for the fields and
// the errors). An execution ends at once: it succeeds with its input as
// its output, which is all serve's routes need to see of it.

// Account is the account of every ARN the fake makes: not the one of the
// placeholder ARNs that build and render write (gateway's), so that a
// test sees which of the two a definition or a call holds. The region is
// the one the request was signed for, as Step Functions' is that of its
// endpoint.
const Account = "111122223333"

// creationDate is the date of everything the fake makes: replies stay
// the same from run to run.
const creationDate = 1.7e9

type machine struct {
	arn, name, typ, definition string
	revision                   int            // 1 when created, one more for each update
	versions                   map[int]int    // version number -> the revision it holds
	aliases                    map[string]any // name -> its routingConfiguration, as sent
	published                  int            // the last version number given out
}

type execution struct {
	arn, machine, version, alias, name, input string
}

type model struct {
	arnPrefix  string              // arn:aws:states:REGION:ACCOUNT: of the request answered
	machines   map[string]*machine // by unqualified ARN
	executions map[string]*execution
	starts     int // the executions started, which names unnamed ones
}

// Stateful makes the fake keep what it is sent, as Step Functions does,
// for CreateStateMachine, UpdateStateMachine, DeleteStateMachine,
// ListStateMachines, PublishStateMachineVersion, CreateStateMachineAlias,
// UpdateStateMachineAlias, DeleteStateMachineAlias, DeleteStateMachineVersion, StartExecution,
// StartSyncExecution and DescribeExecution (by a machine's, a version's or
// an alias's ARN). A scripted reply still wins over it; other actions
// answer {} as before.
func (s *Server) Stateful() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.model = &model{machines: map[string]*machine{}, executions: map[string]*execution{}}
}

// answer is the model's reply to an action, and false for an action the
// model does not keep.
func (m *model) answer(action, region string, body []byte) (Reply, bool) {
	m.arnPrefix = "arn:aws:states:" + region + ":" + Account + ":"
	var in map[string]any
	_ = json.Unmarshal(body, &in)
	str := func(k string) string { s, _ := in[k].(string); return s }
	switch action {
	case "CreateStateMachine":
		return m.create(str("name"), str("definition"), str("type"), in["publish"] == true), true
	case "UpdateStateMachine":
		return m.update(str("stateMachineArn"), str("definition")), true
	case "DeleteStateMachine":
		// Deleting a machine deletes its versions and aliases too
		// (DeleteStateMachine); an unknown one is no error.
		delete(m.machines, str("stateMachineArn"))
		return ok(map[string]any{}), true
	case "ListStateMachines":
		return m.list(), true
	case "PublishStateMachineVersion":
		return m.publish(str("stateMachineArn"), str("revisionId")), true
	case "CreateStateMachineAlias":
		routing, _ := in["routingConfiguration"].([]any)
		return m.createAlias(str("name"), routing), true
	case "UpdateStateMachineAlias":
		routing, _ := in["routingConfiguration"].([]any)
		return m.updateAlias(str("stateMachineAliasArn"), routing), true
	case "DeleteStateMachineAlias":
		return m.deleteAlias(str("stateMachineAliasArn")), true
	case "DeleteStateMachineVersion":
		return m.deleteVersion(str("stateMachineVersionArn")), true
	case "StartExecution", "StartSyncExecution":
		return m.start(action == "StartSyncExecution", str("stateMachineArn"), str("name"), str("input")), true
	case "DescribeExecution":
		return m.describe(str("executionArn")), true
	}
	return Reply{}, false
}

func ok(body map[string]any) Reply { return Reply{Status: 200, Body: body} }

func (m *model) create(name, definition, typ string, publish bool) Reply {
	if name == "" || definition == "" || !json.Valid([]byte(definition)) {
		return Error(400, "InvalidDefinition", "Invalid State Machine Definition: the definition is not JSON, or the name is missing")
	}
	if typ == "" {
		typ = "STANDARD"
	}
	arn := m.arnPrefix + "stateMachine:" + name
	if old := m.machines[arn]; old != nil {
		if old.definition != definition || old.typ != typ {
			return Error(400, "StateMachineAlreadyExists", "State Machine Already Exists: '"+arn+"'")
		}
		return ok(map[string]any{"stateMachineArn": arn, "creationDate": creationDate})
	}
	sm := &machine{arn: arn, name: name, typ: typ, definition: definition, revision: 1, versions: map[int]int{}, aliases: map[string]any{}}
	m.machines[arn] = sm
	out := map[string]any{"stateMachineArn": arn, "creationDate": creationDate}
	if publish {
		out["stateMachineVersionArn"] = sm.publish()
	}
	return ok(out)
}

func (m *model) update(arn, definition string) Reply {
	sm := m.machines[arn]
	if sm == nil {
		return Error(400, "StateMachineDoesNotExist", "State Machine Does Not Exist: '"+arn+"'")
	}
	if definition != "" && definition != sm.definition {
		sm.definition = definition
		sm.revision++
	}
	return ok(map[string]any{"updateDate": creationDate, "revisionId": strconv.Itoa(sm.revision)})
}

func (m *model) list() Reply {
	arns := make([]string, 0, len(m.machines))
	for arn := range m.machines {
		arns = append(arns, arn)
	}
	sort.Strings(arns)
	list := []any{}
	for _, arn := range arns {
		sm := m.machines[arn]
		list = append(list, map[string]any{"stateMachineArn": arn, "name": sm.name, "type": sm.typ, "creationDate": creationDate})
	}
	return ok(map[string]any{"stateMachines": list})
}

// publish gives the machine's current revision a version, or the one it
// has: publishing is idempotent (PublishStateMachineVersion).
func (sm *machine) publish() string {
	for v, rev := range sm.versions {
		if rev == sm.revision {
			return sm.arn + ":" + strconv.Itoa(v)
		}
	}
	sm.published++
	sm.versions[sm.published] = sm.revision
	return sm.arn + ":" + strconv.Itoa(sm.published)
}

func (m *model) publish(arn, revisionID string) Reply {
	sm := m.machines[arn]
	if sm == nil {
		return Error(400, "StateMachineDoesNotExist", "State Machine Does Not Exist: '"+arn+"'")
	}
	if revisionID != "" && revisionID != strconv.Itoa(sm.revision) {
		return Error(400, "ConflictException", fmt.Sprintf("Failed to publish the State Machine version for revision %s. The current State Machine revision is %d.", revisionID, sm.revision))
	}
	return ok(map[string]any{"stateMachineVersionArn": sm.publish(), "creationDate": creationDate})
}

// qualified splits a machine's ARN with a qualifier into the machine and
// the version number, or the alias name; a version is all digits.
func (m *model) qualified(arn string) (sm *machine, version int, alias string) {
	parts := strings.Split(arn, ":")
	if len(parts) < 7 || parts[5] != "stateMachine" {
		return nil, 0, ""
	}
	sm = m.machines[strings.Join(parts[:7], ":")]
	if len(parts) == 8 {
		if n, err := strconv.Atoi(parts[7]); err == nil {
			return sm, n, ""
		}
		return sm, 0, parts[7]
	}
	return sm, 0, ""
}

// createAlias makes an alias of one or two versions of one machine whose
// weights add up to 100.
func (m *model) createAlias(name string, routing []any) Reply {
	sm, refusal := m.routing(routing)
	if refusal != nil {
		return *refusal
	}
	if old, found := sm.aliases[name]; found && fmt.Sprint(old) != fmt.Sprint(routing) {
		return Error(400, "ConflictException", "Failed to create alias because an alias with the same name and a different routing configuration already exists.")
	}
	sm.aliases[name] = routing
	return ok(map[string]any{"stateMachineAliasArn": sm.arn + ":" + name, "creationDate": creationDate})
}

// updateAlias routes an alias to other versions of its machine.
func (m *model) updateAlias(arn string, routing []any) Reply {
	sm, _, name := m.qualified(arn)
	if sm == nil || name == "" || sm.aliases[name] == nil {
		return Error(400, "ResourceNotFound", "Resource not found: 'State Machine Alias Does Not Exist: '"+arn+"''")
	}
	owner, refusal := m.routing(routing)
	if refusal != nil {
		return *refusal
	}
	if owner != sm {
		return Error(400, "ValidationException", "the versions of an alias must be of its state machine")
	}
	sm.aliases[name] = routing
	return ok(map[string]any{"updateDate": creationDate})
}

// routing checks an alias's routingConfiguration: one or two versions
// that exist, of one machine, whose weights add up to 100.
func (m *model) routing(routing []any) (*machine, *Reply) {
	var sm *machine
	total := 0
	for _, r := range routing {
		item, _ := r.(map[string]any)
		arn, _ := item["stateMachineVersionArn"].(string)
		weight, _ := item["weight"].(float64)
		total += int(weight)
		owner, v, _ := m.qualified(arn)
		if owner == nil || owner.versions[v] == 0 {
			r := Error(400, "ResourceNotFound", "Resource not found: 'State Machine Version Does Not Exist: '"+arn+"''")
			return nil, &r
		}
		if sm != nil && sm != owner {
			r := Error(400, "ValidationException", "the versions of an alias must be of one state machine")
			return nil, &r
		}
		sm = owner
	}
	if sm == nil || len(routing) > 2 || total != 100 {
		r := Error(400, "ValidationException", "routingConfiguration must name one or two versions whose weights add up to 100")
		return nil, &r
	}
	return sm, nil
}

func (m *model) deleteAlias(arn string) Reply {
	sm, _, name := m.qualified(arn)
	if sm == nil || name == "" || sm.aliases[name] == nil {
		return Error(400, "ResourceNotFound", "Resource not found: 'State Machine Alias Does Not Exist: '"+arn+"''")
	}
	delete(sm.aliases, name)
	return ok(map[string]any{})
}

// deleteVersion deletes a version no alias names; an unknown one is no
// error (DeleteStateMachineVersion has no not-found error).
func (m *model) deleteVersion(arn string) Reply {
	sm, v, _ := m.qualified(arn)
	if sm == nil || v == 0 {
		return ok(map[string]any{})
	}
	var names []string
	for name, routing := range sm.aliases {
		for _, r := range routing.([]any) {
			if item, _ := r.(map[string]any); item["stateMachineVersionArn"] == arn {
				names = append(names, name)
			}
		}
	}
	if len(names) > 0 {
		sort.Strings(names)
		return Error(400, "ConflictException", "Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: ["+strings.Join(names, ", ")+"]")
	}
	delete(sm.versions, v)
	return ok(map[string]any{})
}

// target is the machine an ARN starts, and the version and alias it
// runs through: an alias picks one of its versions by their weights.
func (m *model) target(arn string) (*machine, string, string, *Reply) {
	sm, v, alias := m.qualified(arn)
	missing := Error(400, "StateMachineDoesNotExist", "State Machine Does Not Exist: '"+arn+"'")
	switch {
	case sm == nil:
		return nil, "", "", &missing
	case alias != "":
		routing, found := sm.aliases[alias].([]any)
		if !found {
			return nil, "", "", &missing
		}
		// A start's turn among 100 picks the version, so that a 90/10
		// split is 90/10 and the same from run to run.
		turn := m.starts % 100
		for _, r := range routing {
			item, _ := r.(map[string]any)
			weight, _ := item["weight"].(float64)
			if turn -= int(weight); turn < 0 {
				version, _ := item["stateMachineVersionArn"].(string)
				return sm, version, arn, nil
			}
		}
		return nil, "", "", &missing
	case v != 0 && sm.versions[v] == 0:
		return nil, "", "", &missing
	case v != 0:
		return sm, arn, "", nil
	}
	return sm, "", "", nil
}

// start runs an execution, which succeeds at once with its input as its
// output. StartSyncExecution runs only EXPRESS machines, and the
// executions of those are not kept (DescribeExecution does not know them).
func (m *model) start(sync bool, arn, name, input string) Reply {
	sm, version, alias, refusal := m.target(arn)
	if refusal != nil {
		return *refusal
	}
	if sync && sm.typ != "EXPRESS" {
		return Error(400, "StateMachineTypeNotSupported", "This operation is not supported by this type of State Machine")
	}
	if input == "" {
		input = "{}"
	}
	if !json.Valid([]byte(input)) {
		return Error(400, "InvalidExecutionInput", "Invalid State Machine Execution Input: the input is not JSON")
	}
	m.starts++
	id := fmt.Sprintf("00000000-0000-4000-8000-%012d", m.starts)
	if name == "" {
		name = id
	}
	if sm.typ == "EXPRESS" {
		execArn := m.arnPrefix + "express:" + sm.name + ":" + name + ":" + id
		if !sync {
			return ok(map[string]any{"executionArn": execArn, "startDate": creationDate})
		}
		return ok(map[string]any{"executionArn": execArn, "stateMachineArn": sm.arn, "name": name, "status": "SUCCEEDED",
			"startDate": creationDate, "stopDate": creationDate, "input": input, "output": input,
			"billingDetails": map[string]any{"billedDurationInMilliseconds": 100, "billedMemoryUsedInMB": 64}})
	}
	execArn := m.arnPrefix + "execution:" + sm.name + ":" + name
	if m.executions[execArn] != nil {
		return Error(400, "ExecutionAlreadyExists", "Execution Already Exists: '"+execArn+"'")
	}
	m.executions[execArn] = &execution{arn: execArn, machine: sm.arn, version: version, alias: alias, name: name, input: input}
	return ok(map[string]any{"executionArn": execArn, "startDate": creationDate})
}

// describe answers DescribeExecution; an execution started through a
// version or an alias names them.
func (m *model) describe(arn string) Reply {
	e := m.executions[arn]
	if e == nil || m.machines[e.machine] == nil {
		return Error(400, "ExecutionDoesNotExist", "Execution Does Not Exist: '"+arn+"'")
	}
	out := map[string]any{"executionArn": e.arn, "stateMachineArn": e.machine, "name": e.name, "status": "SUCCEEDED",
		"startDate": creationDate, "stopDate": creationDate, "input": e.input, "output": e.input}
	if e.version != "" {
		out["stateMachineVersionArn"] = e.version
	}
	if e.alias != "" {
		out["stateMachineAliasArn"] = e.alias
	}
	return ok(out)
}
