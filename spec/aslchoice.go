package spec

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// choiceOperators are the tests a JSONPath choice rule may make, exactly
// one a rule ("Choice rules" in the Step Functions Developer Guide; the
// same list as the schema cfn-lint validates Definition with). A rule with
// none (an operator misspelt, say) or two makes CreateStateMachine fail.
var choiceOperators = []string{"And", "Or", "Not",
	"BooleanEquals", "BooleanEqualsPath", "IsBoolean", "IsNull", "IsNumeric", "IsPresent", "IsString", "IsTimestamp",
	"NumericEquals", "NumericEqualsPath", "NumericGreaterThan", "NumericGreaterThanPath", "NumericGreaterThanEquals",
	"NumericGreaterThanEqualsPath", "NumericLessThan", "NumericLessThanPath", "NumericLessThanEquals", "NumericLessThanEqualsPath",
	"StringEquals", "StringEqualsPath", "StringGreaterThan", "StringGreaterThanPath", "StringGreaterThanEquals",
	"StringGreaterThanEqualsPath", "StringLessThan", "StringLessThanPath", "StringLessThanEquals", "StringLessThanEqualsPath",
	"StringMatches", "TimestampEquals", "TimestampEqualsPath", "TimestampGreaterThan", "TimestampGreaterThanPath",
	"TimestampGreaterThanEquals", "TimestampGreaterThanEqualsPath", "TimestampLessThan", "TimestampLessThanPath",
	"TimestampLessThanEquals", "TimestampLessThanEqualsPath"}

// choiceRules checks each rule of a JSONPath Choice state, and the rules
// nested in its And, Or and Not. A JSONata state's choices are a
// Condition each, which Step Functions evaluates.
func (a aslChecker) choiceRules(st *yaml.Node, stat string) {
	lang := a.lang
	if _, ql := a.field(st, "QueryLanguage"); ql != nil && ql.Kind == yaml.ScalarNode {
		lang = ql.Value
	}
	_, choices := a.field(st, "Choices")
	if lang == "JSONata" || choices == nil || choices.Kind != yaml.SequenceNode {
		return
	}
	for j, c := range choices.Content {
		a.choiceRule(resolve(c), fmt.Sprintf("%s.Choices[%d]", stat, j), 0)
	}
}

// choiceRule checks one rule: exactly one operator, and a Variable that is
// a path. Unknown fields are named with the operator they may misspell.
func (a aslChecker) choiceRule(r *yaml.Node, at string, depth int) {
	if r.Kind != yaml.MappingNode {
		a.err(r, at, "a choice rule must be a mapping, got %s", describe(r))
		return
	}
	if depth > maxNesting {
		return // the YAML nesting check has refused it
	}
	var ops []string
	for i := 0; i+1 < len(r.Content); i += 2 {
		k, v := resolve(r.Content[i]), resolve(r.Content[i+1])
		switch {
		case contains(choiceOperators, k.Value):
			ops = append(ops, k.Value)
			a.nestedRules(k.Value, v, child(at, k.Value), depth)
		case k.Value == "Variable":
			if v.Kind != yaml.ScalarNode || !strings.HasPrefix(v.Value, "$") {
				a.err(v, child(at, k.Value), "Variable must be a path starting with $, such as $.order.total; got %s", describeValue(v))
			}
		case k.Value == "Next" || k.Value == "Comment" || k.Value == "Assign":
		default:
			a.err(k, child(at, k.Value), "%q is not a field of a choice rule%s; a rule holds Variable, one operator such as StringEquals or IsPresent (or And, Or, Not), and at the top Next, Comment and Assign", k.Value, suggest(strings.TrimSpace(k.Value), choiceOperators))
		}
	}
	switch len(ops) {
	case 1:
	case 0:
		a.err(r, at, "a choice rule needs one operator, such as StringEquals, IsPresent, And, Or or Not; it has none")
	default:
		a.err(r, at, "a choice rule takes exactly one operator; this one has %s: split it, or join them with And", strings.Join(ops, " and "))
	}
}

// nestedRules checks the rules an And, Or (a list) or Not (one rule)
// holds.
func (a aslChecker) nestedRules(op string, v *yaml.Node, at string, depth int) {
	switch op {
	case "Not":
		a.choiceRule(v, at, depth+1)
	case "And", "Or":
		if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
			got := describe(v)
			if v.Kind == yaml.SequenceNode {
				got = "an empty list"
			}
			a.err(v, at, "%s takes a non-empty list of choice rules, got %s", op, got)
			return
		}
		for i, c := range v.Content {
			a.choiceRule(resolve(c), fmt.Sprintf("%s[%d]", at, i), depth+1)
		}
	}
}

// describeValue quotes a scalar's text, or says what kind of node it is.
func describeValue(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		return fmt.Sprintf("%q", n.Value)
	}
	return describe(n)
}
