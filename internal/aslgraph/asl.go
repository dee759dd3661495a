// Package aslgraph draws a Step Functions state machine, from its Amazon
// States Language definition, as an SVG picture: the states in rows from
// the start down (a state sits below every state that leads to it, back
// edges aside), Choice branches labelled with their rules, Parallel
// branches and a Map's item processor as boxes nested in their state,
// Catch edges dashed and Retry policies noted on their state, and the
// path an execution took highlighted. It is pure Go with no layout
// library: serve's console shows what it draws, and nothing is fetched or
// built with other tools.
package aslgraph

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// machine is a definition, or a Parallel branch, or a Map's item
// processor: the parts of the Amazon States Language that the picture
// shows ("Amazon States Language" specification, states-language.net).
type machine struct {
	StartAt string            `json:"StartAt"`
	States  map[string]*state `json:"States"`
}

type state struct {
	Type    string   `json:"Type"`
	Next    string   `json:"Next"`
	End     bool     `json:"End"`
	Default string   `json:"Default"`
	Choices []choice `json:"Choices"`
	Catch   []struct {
		ErrorEquals []string `json:"ErrorEquals"`
		Next        string   `json:"Next"`
	} `json:"Catch"`
	Retry []struct {
		ErrorEquals []string `json:"ErrorEquals"`
		MaxAttempts *int     `json:"MaxAttempts"`
	} `json:"Retry"`
	Branches []*machine `json:"Branches"`
	// A Map state's inner machine: ItemProcessor, or the older Iterator.
	ItemProcessor *machine `json:"ItemProcessor"`
	Iterator      *machine `json:"Iterator"`
}

// choice is one of a Choice state's rules: where it goes, and enough of
// its test to label the edge.
type choice struct {
	Next      string
	Variable  string
	Condition string // JSONata's Condition
	Test      string // the comparison, such as StringEquals "a"
	Compound  string // And, Or or Not, when the rule combines others
}

func (c *choice) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	var keys []string
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		var s string
		_ = json.Unmarshal(raw[k], &s)
		switch k {
		case "Next":
			c.Next = s
		case "Variable":
			c.Variable = s
		case "Condition":
			c.Condition = s
		case "And", "Or", "Not":
			c.Compound = k
		case "Comment", "Output", "Assign":
		default:
			if c.Test == "" {
				c.Test = k + " " + string(raw[k])
			}
		}
	}
	return nil
}

// label is the edge's text: the rule, shortened.
func (c *choice) label() string {
	switch {
	case c.Condition != "":
		return c.Condition
	case c.Compound != "":
		return c.Compound + "(…)"
	}
	return strings.TrimSpace(c.Variable + " " + c.Test)
}

// inner is a Parallel's or a Map's nested machines.
func (s *state) inner() []*machine {
	switch {
	case s.Type == "Parallel":
		return s.Branches
	case s.ItemProcessor != nil:
		return []*machine{s.ItemProcessor}
	case s.Iterator != nil:
		return []*machine{s.Iterator}
	}
	return nil
}

// terminal reports whether the machine ends after the state.
func (s *state) terminal() bool {
	return s.End || s.Type == "Succeed" || s.Type == "Fail"
}

// transition is an edge from a state.
type transition struct {
	to, label string
	catch     bool
}

// transitions are a state's edges in a fixed order: its Choices, its
// Default, its Next, then its Catchers.
func (s *state) transitions() []transition {
	var out []transition
	for _, c := range s.Choices {
		out = append(out, transition{to: c.Next, label: c.label()})
	}
	if s.Default != "" {
		out = append(out, transition{to: s.Default, label: "Default"})
	}
	if s.Next != "" {
		out = append(out, transition{to: s.Next})
	}
	for _, c := range s.Catch {
		out = append(out, transition{to: c.Next, label: "Catch " + strings.Join(c.ErrorEquals, ", "), catch: true})
	}
	return out
}

// retryNote summarizes a state's Retry policies, such as
// "Retry States.ALL ×3" (MaxAttempts defaults to 3).
func (s *state) retryNote() string {
	var parts []string
	for _, r := range s.Retry {
		n := 3
		if r.MaxAttempts != nil {
			n = *r.MaxAttempts
		}
		parts = append(parts, fmt.Sprintf("%s ×%d", strings.Join(r.ErrorEquals, ","), n))
	}
	if len(parts) == 0 {
		return ""
	}
	return "Retry " + strings.Join(parts, "; ")
}

// parse reads a definition, and checks what the layout relies on: a
// StartAt among the states, at every level.
func parse(definition []byte) (*machine, error) {
	var m machine
	if err := json.Unmarshal(definition, &m); err != nil {
		return nil, fmt.Errorf("the definition is not an Amazon States Language document: %w", err)
	}
	if err := m.check("the definition", 0); err != nil {
		return nil, err
	}
	return &m, nil
}

// maxDepth bounds the nesting of Parallel and Map states the picture
// follows.
const maxDepth = 16

func (m *machine) check(where string, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("%s: Parallel and Map states nest more than %d deep", where, maxDepth)
	}
	if s, ok := m.States[m.StartAt]; !ok || s == nil {
		return fmt.Errorf("%s: StartAt %q names no state", where, m.StartAt)
	}
	for _, name := range m.names() {
		for i, in := range m.States[name].inner() {
			if in == nil {
				return fmt.Errorf("state %q: branch %d is empty", name, i)
			}
			if err := in.check(fmt.Sprintf("state %q", name), depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// names are the machine's state names, sorted.
func (m *machine) names() []string {
	out := make([]string, 0, len(m.States))
	for k, s := range m.States {
		if s != nil {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}
