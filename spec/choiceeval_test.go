package spec_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// runChoices runs a definition on input as Step Functions would, as far as
// its Choice, Pass, Succeed and Fail states decide: it answers "succeed",
// "fail ERROR: CAUSE", or "runs a task" when a state of another type comes
// first. It knows the JSONPath Choice rules of the Step Functions
// Developer Guide's "Choice workflow state" page that the golden cases
// use (IsPresent, IsNull, StringEquals, BooleanEquals, And, Or, Not), and
// fails the test on any other, so that it never guesses.
func runChoices(t *testing.T, def map[string]any, input string) string {
	t.Helper()
	var data any
	if err := json.Unmarshal([]byte(input), &data); err != nil {
		t.Fatalf("input %s: %v", input, err)
	}
	states, _ := def["States"].(map[string]any)
	name, _ := def["StartAt"].(string)
	for steps := 0; steps < len(states)+1; steps++ {
		st, _ := states[name].(map[string]any)
		switch st["Type"] {
		case "Choice":
			next, failure := choose(t, st, data)
			if failure != "" {
				return failure
			}
			name = next
		case "Pass":
			if st["End"] == true {
				return "succeed"
			}
			name, _ = st["Next"].(string)
		case "Succeed":
			return "succeed"
		case "Fail":
			return "fail " + str(st["Error"]) + ": " + str(st["Cause"])
		default:
			return "runs a task"
		}
	}
	t.Fatalf("the definition loops through %s without a task", name)
	return ""
}

// choose is the Next of a Choice state's first rule that matches, else its
// Default; with neither the execution fails with States.NoChoiceMatched
// (the Amazon States Language's predefined error).
func choose(t *testing.T, st map[string]any, data any) (next, failure string) {
	choices, _ := st["Choices"].([]any)
	for _, c := range choices {
		rule, _ := c.(map[string]any)
		ok, failure := matches(t, rule, data)
		if failure != "" {
			return "", failure
		}
		if ok {
			return str(rule["Next"]), ""
		}
	}
	if d, ok := st["Default"].(string); ok {
		return d, ""
	}
	return "", "fail States.NoChoiceMatched: "
}

// matches evaluates one Choice rule. A comparison on a Variable the input
// lacks fails the execution ("Choice workflow state": "If the state input
// doesn't contain the $.type field, the execution fails"); only IsPresent
// asks whether it is there at all.
func matches(t *testing.T, rule map[string]any, data any) (bool, string) {
	switch {
	case rule["Not"] != nil:
		inner, _ := rule["Not"].(map[string]any)
		ok, failure := matches(t, inner, data)
		return !ok, failure
	case rule["And"] != nil, rule["Or"] != nil:
		and := rule["And"] != nil
		list, _ := rule["And"].([]any)
		if !and {
			list, _ = rule["Or"].([]any)
		}
		for _, r := range list {
			inner, _ := r.(map[string]any)
			ok, failure := matches(t, inner, data)
			if failure != "" || ok != and {
				return ok, failure
			}
		}
		return and, ""
	}
	v, present := lookup(t, str(rule["Variable"]), data)
	for op, want := range rule {
		switch op {
		case "Variable", "Next":
			continue
		case "IsPresent":
			return present == (want == true), ""
		}
		if !present {
			return false, "fail States.Runtime: no " + str(rule["Variable"]) + " in the input"
		}
		switch op {
		case "IsNull":
			return (v == nil) == (want == true), ""
		case "StringEquals", "BooleanEquals":
			return v == want, ""
		}
		t.Fatalf("the test does not know the Choice operator %s", op)
	}
	t.Fatalf("a Choice rule without an operator: %v", rule)
	return false, ""
}

// lookup resolves a reference path of object fields ($ or $.a.b).
func lookup(t *testing.T, path string, data any) (any, bool) {
	rest, ok := strings.CutPrefix(path, "$")
	if !ok || strings.ContainsAny(rest, "[]*'\"") {
		t.Fatalf("the test does not know the path %q", path)
	}
	v := data
	for _, f := range strings.Split(strings.TrimPrefix(rest, "."), ".") {
		if f == "" {
			continue
		}
		obj, isObj := v.(map[string]any)
		if !isObj {
			return nil, false
		}
		if v, ok = obj[f]; !ok {
			return nil, false
		}
	}
	return v, true
}

func str(v any) string { s, _ := v.(string); return s }
