package spec

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// Task is one Task state of a definition, kept with its position so that
// the execution role's statements can be derived from what it calls, and
// a warning can point at it when they cannot.
type Task struct {
	State    string // the state's name
	Path     string // the state's field path, e.g. stateMachines.m.definition.States.Work
	Pos      Pos    // where its Resource is written (the state, if none)
	Resource string // the Resource ARN as written
	// Params are the top-level fields of Parameters (JSONPath) or
	// Arguments (JSONata), in the order written.
	Params []TaskParam
}

// TaskParam is one field a Task passes to the service it calls.
type TaskParam struct {
	Key   string // as written, with any ".$" suffix
	Pos   Pos
	Value any // a string, an Object or []any of such values, or nil for other scalars
}

// Dynamic reports whether the value is chosen at run time: a JSONPath
// field ("Key.$") or a JSONata expression ("{% ... %}").
func (p TaskParam) Dynamic() bool {
	if strings.HasSuffix(p.Key, ".$") {
		return true
	}
	s, ok := p.Value.(string)
	return ok && IsJSONata(s)
}

// IsJSONata reports whether a string is a JSONata expression, which Step
// Functions evaluates at run time ("Transforming data with JSONata").
func IsJSONata(s string) bool {
	s = strings.TrimSpace(s)
	return strings.HasPrefix(s, "{%") && strings.HasSuffix(s, "%}")
}

// Param finds a field by its name, written with or without ".$".
func (t *Task) Param(name string) (TaskParam, bool) {
	for _, p := range t.Params {
		if p.Key == name || p.Key == name+".$" {
			return p, true
		}
	}
	return TaskParam{}, false
}

// task records a Task state for the derived policies.
func (a aslChecker) task(name, at string, st *yaml.Node) {
	if a.tasks == nil {
		return
	}
	t := Task{State: name, Path: at, Pos: a.p.posIn(a.file, st)}
	if k, r := a.field(st, "Resource"); r != nil {
		t.Pos = a.p.posIn(a.file, k)
		if r.Kind == yaml.ScalarNode {
			t.Resource = r.Value
		}
	}
	_, params := a.field(st, "Parameters")
	if params == nil {
		_, params = a.field(st, "Arguments")
	}
	if params != nil && params.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(params.Content); i += 2 {
			k := resolve(params.Content[i])
			t.Params = append(t.Params, TaskParam{Key: k.Value, Pos: a.p.posIn(a.file, k), Value: taskValue(params.Content[i+1], 0)})
		}
	}
	*a.tasks = append(*a.tasks, t)
}

// taskValue is the value of a node as far as derived policies read it:
// strings, and the mappings and lists that hold them, a few levels deep
// (EventBridge's Entries[].EventBusName is the deepest read).
func taskValue(n *yaml.Node, depth int) any {
	n = resolve(n)
	if depth > 4 {
		return nil
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if n.ShortTag() == "!!str" {
			return n.Value
		}
	case yaml.MappingNode:
		obj := Object{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			obj = append(obj, Member{Key: resolve(n.Content[i]).Value, Value: taskValue(n.Content[i+1], depth+1)})
		}
		return obj
	case yaml.SequenceNode:
		var arr []any
		for _, c := range n.Content {
			arr = append(arr, taskValue(c, depth+1))
		}
		return arr
	}
	return nil
}
