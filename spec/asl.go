package spec

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// maxDepth bounds how deeply a definition may nest; it keeps a hostile
// input (or an alias cycle) from exhausting the stack.
const maxDepth = 64

// maxNodes bounds how many values a definition may expand to. YAML aliases
// can repeat a subtree many times (the "billion laughs"), so the count is
// of values after alias expansion.
const maxNodes = 200_000

// jsonSyntax reports where src stops being JSON.
func jsonSyntax(src []byte) (Pos, string, bool) {
	var v any
	err := json.Unmarshal(src, &v)
	if err == nil {
		return Pos{}, "", false
	}
	off := int64(len(src))
	if se, ok := err.(*json.SyntaxError); ok {
		off = se.Offset
	}
	line, col := 1, 1
	// Offset counts the offending byte; the position is that byte's.
	for _, c := range src[:max(0, min(off-1, int64(len(src))))] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return Pos{Line: line, Col: col}, strings.TrimPrefix(err.Error(), "json: "), true
}

// definition converts an ASL definition written in YAML (or JSON, which the
// YAML parser also reads) to an ordered JSON value, then checks its
// structure. file is the file the nodes came from. It returns the Task
// states too, for the execution role's derived statements.
func (p *parser) definition(n *yaml.Node, file, at string) (any, []Task) {
	n = resolve(n)
	before := len(p.errs)
	v := p.value(n, file, at, 0)
	if len(p.errs) > before {
		return nil, nil
	}
	tasks := []Task{}
	a := aslChecker{p: p, file: file, tasks: &tasks}
	a.machine(n, at, 0)
	if p.machine != nil {
		p.scanSubstitutions(n, file, at, p.machine, 0)
	}
	return v, tasks
}

func (p *parser) posIn(file string, n *yaml.Node) Pos {
	return Pos{File: file, Line: n.Line, Col: n.Column}
}

// value turns a node into a JSON value: Object, []any, string, json.Number,
// bool or nil. Numbers keep the text they were written with.
func (p *parser) value(n *yaml.Node, file, at string, depth int) any {
	n = resolve(n)
	if depth > maxDepth {
		p.errs.Add(p.posIn(file, n), at, "the definition nests deeper than %d levels", maxDepth)
		return nil
	}
	p.nodes++
	if p.nodes > maxNodes {
		if p.nodes == maxNodes+1 {
			p.errs.Add(p.posIn(file, n), at, "the definition expands to more than %d values (check for repeated YAML aliases)", maxNodes)
		}
		return nil
	}
	before := p.bytes
	if p.bytes += len(n.Value) + 2; p.bytes > maxValueBytes {
		if before <= maxValueBytes {
			p.errs.Add(p.posIn(file, n), at, "the definitions and literals expand to more than %d bytes (check for repeated YAML aliases)", maxValueBytes)
		}
		return nil
	}
	switch n.Kind {
	case yaml.MappingNode:
		obj := make(Object, 0, len(n.Content)/2)
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := resolve(n.Content[i])
			if k.Kind != yaml.ScalarNode || k.ShortTag() == "!!merge" {
				p.errs.Add(p.posIn(file, k), at, "a JSON object key must be a string, got %s", describe(k))
				continue
			}
			if seen[k.Value] {
				p.errs.Add(p.posIn(file, k), child(at, k.Value), "%q is given twice; remove one", k.Value)
				continue
			}
			seen[k.Value] = true
			p.bytes += len(k.Value)
			obj = append(obj, Member{Key: k.Value, Value: p.value(n.Content[i+1], file, child(at, k.Value), depth+1)})
		}
		return obj
	case yaml.SequenceNode:
		arr := make([]any, 0, len(n.Content))
		for i, c := range n.Content {
			arr = append(arr, p.value(c, file, fmt.Sprintf("%s[%d]", at, i), depth+1))
		}
		return arr
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!str", "!!timestamp", "!!binary":
			return n.Value
		case "!!null":
			return nil
		case "!!bool":
			var b bool
			if err := n.Decode(&b); err == nil {
				return b
			}
		case "!!int", "!!float":
			if jsonNumberRe().MatchString(n.Value) {
				return json.Number(n.Value)
			}
			var f float64
			if err := n.Decode(&f); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
				return json.Number(fmt.Sprint(f))
			}
			p.errs.Add(p.posIn(file, n), at, "%s is not a number JSON can carry", n.Value)
			return nil
		}
		p.errs.Add(p.posIn(file, n), at, "YAML tag %s is not supported in a definition; write the value as plain JSON", n.Tag)
		return nil
	}
	p.errs.Add(p.posIn(file, n), at, "unsupported YAML node")
	return nil
}

// aslChecker checks the structure of an Amazon States Language definition:
// StartAt and every Next, Default and Catch target name a state of the same
// States map, every state has a known Type, and every state that must end
// or continue does one or the other. It recurses into Parallel branches and
// Map processors, which have their own States. A field that Step Functions
// does not take in a definition or in a state of its type is refused too
// (see aslfields.go): Step Functions would refuse the whole template.
type aslChecker struct {
	p    *parser
	file string
	// tasks collects the Task states met, in document order.
	tasks *[]Task
	// lang is the QueryLanguage the definition sets ("" for JSONPath,
	// the default), which its states inherit.
	lang string
}

var stateTypes = []string{"Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"}

func (a aslChecker) field(n *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := resolve(n.Content[i]); k.Value == key {
			return k, resolve(n.Content[i+1])
		}
	}
	return nil, nil
}

func (a aslChecker) err(n *yaml.Node, at, format string, args ...any) {
	a.p.errs.Add(a.p.posIn(a.file, n), at, format, args...)
}

func (a aslChecker) machine(n *yaml.Node, at string, depth int) {
	n = resolve(n)
	if depth > maxDepth {
		return
	}
	if n.Kind != yaml.MappingNode {
		a.err(n, at, "expected a state machine definition (a mapping with StartAt and States), got %s", describe(n))
		return
	}
	if _, ql := a.field(n, "QueryLanguage"); ql != nil && ql.Kind == yaml.ScalarNode {
		a.lang = ql.Value
	}
	a.knownFields(n, at, "", "")
	_, states := a.field(n, "States")
	_, start := a.field(n, "StartAt")
	if states == nil || states.Kind != yaml.MappingNode {
		a.err(n, at, "the definition needs States: a mapping of state names to states")
		return
	}
	names := a.stateNames(states, child(at, "States"))
	if start == nil {
		a.err(n, at, "the definition needs StartAt: the name of the first state")
	} else {
		a.target(start, child(at, "StartAt"), "StartAt", names)
	}
	sat := child(at, "States")
	for i := 0; i+1 < len(states.Content); i += 2 {
		name := resolve(states.Content[i]).Value
		a.state(name, resolve(states.Content[i+1]), child(sat, name), names, depth)
	}
}

// stateNames are the names of States, each checked for its length.
func (a aslChecker) stateNames(states *yaml.Node, at string) []string {
	var names []string
	for i := 0; i+1 < len(states.Content); i += 2 {
		k := resolve(states.Content[i])
		names = append(names, k.Value)
		if n := utf8.RuneCountInString(k.Value); n == 0 || n > 80 {
			a.err(k, at, "state name %q must be 1 to 80 characters", k.Value)
		}
	}
	if len(names) == 0 {
		a.err(states, at, "States is empty; declare at least one state")
	}
	return names
}

// target checks that a transition (StartAt, Next, Default) names one of
// the states; a nil v is no transition.
func (a aslChecker) target(v *yaml.Node, vat, what string, names []string) {
	if v == nil {
		return
	}
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!str" {
		a.err(v, vat, "%s must be a state name, got %s", what, describe(v))
		return
	}
	if !contains(names, v.Value) {
		a.err(v, vat, "%s names state %q, which is not in States%s", what, v.Value, suggest(v.Value, names))
	}
}

// state checks one state: its Type and fields, its transitions, and what
// it holds (a Task's resource, the machines of a Parallel or a Map).
func (a aslChecker) state(name string, st *yaml.Node, stat string, names []string, depth int) {
	if st.Kind != yaml.MappingNode {
		a.err(st, stat, "a state must be a mapping, got %s", describe(st))
		return
	}
	_, typ := a.field(st, "Type")
	if typ == nil {
		a.err(st, stat, "the state needs a Type: one of %s", strings.Join(stateTypes, ", "))
		return
	}
	if !contains(stateTypes, typ.Value) {
		a.err(typ, child(stat, "Type"), "unknown state type %q%s; one of %s", typ.Value, suggest(typ.Value, stateTypes), strings.Join(stateTypes, ", "))
		return
	}
	a.knownFields(st, stat, typ.Value, a.lang)
	if typ.Value == "Choice" {
		a.choiceRules(st, stat)
	}
	a.transitions(st, stat, typ.Value, names)
	a.catchers(st, stat, names)
	switch typ.Value {
	case "Task":
		a.taskResource(st, stat)
		a.task(name, stat, st)
	case "Parallel":
		_, branches := a.field(st, "Branches")
		if branches == nil || branches.Kind != yaml.SequenceNode || len(branches.Content) == 0 {
			a.err(st, stat, "a Parallel state needs a non-empty Branches list")
			return
		}
		for j, b := range branches.Content {
			a.machine(b, fmt.Sprintf("%s.Branches[%d]", stat, j), depth+1)
		}
	case "Map":
		key := "ItemProcessor"
		_, proc := a.field(st, key)
		if proc == nil {
			key = "Iterator"
			_, proc = a.field(st, key)
		}
		if proc == nil {
			a.err(st, stat, "a Map state needs an ItemProcessor (or the older Iterator)")
			return
		}
		a.machine(proc, child(stat, key), depth+1)
	}
}

// transitions checks a state's Next and End, and a Choice's choices and
// Default.
func (a aslChecker) transitions(st *yaml.Node, stat, typ string, names []string) {
	_, next := a.field(st, "Next")
	_, end := a.field(st, "End")
	a.target(next, child(stat, "Next"), "Next", names)
	if end != nil && end.ShortTag() != "!!bool" {
		a.err(end, child(stat, "End"), "End must be true or false, not %s", describe(end))
	}
	var ends bool
	if end != nil && end.ShortTag() == "!!bool" {
		_ = end.Decode(&ends)
	}
	switch typ {
	case "Choice":
		_, choices := a.field(st, "Choices")
		if choices == nil || choices.Kind != yaml.SequenceNode || len(choices.Content) == 0 {
			a.err(st, stat, "a Choice state needs a non-empty Choices list")
		} else {
			for j, c := range choices.Content {
				_, v := a.field(c, "Next")
				if v == nil {
					a.err(resolve(c), fmt.Sprintf("%s.Choices[%d]", stat, j), "each choice needs a Next state")
				}
				a.target(v, fmt.Sprintf("%s.Choices[%d].Next", stat, j), "Next", names)
			}
		}
		_, v := a.field(st, "Default")
		a.target(v, child(stat, "Default"), "Default", names)
	case "Succeed", "Fail":
	default:
		if (next == nil) == !ends {
			a.err(st, stat, "a %s state needs exactly one of Next (a state name) or End: true", typ)
		}
	}
}

// catchers checks a state's Catch list and each catcher's Next.
func (a aslChecker) catchers(st *yaml.Node, stat string, names []string) {
	_, catch := a.field(st, "Catch")
	if catch != nil && catch.Kind != yaml.SequenceNode {
		a.err(catch, child(stat, "Catch"), "Catch must be a list of catchers, each with ErrorEquals and Next; got %s", describe(catch))
		return
	}
	if catch == nil {
		return
	}
	for j, c := range catch.Content {
		_, v := a.field(c, "Next")
		cat := fmt.Sprintf("%s.Catch[%d]", stat, j)
		if v == nil {
			a.err(resolve(c), cat, "each catcher needs a Next state")
		}
		a.target(v, cat+".Next", "Next", names)
	}
}
