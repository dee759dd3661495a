package spec

import (
	"regexp"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// The fields Step Functions accepts in a definition and in each type of
// state ("Amazon States Language", "State machine structure" and each
// state's page in the Step Functions Developer Guide; the same lists as
// the schema cfn-lint validates Definition with). Any other field makes
// CreateStateMachine fail with SCHEMA_VALIDATION_FAILED, so it is refused
// here, at its position, with the closest known field.
var (
	machineFields = []string{"Comment", "QueryLanguage", "StartAt", "States", "TimeoutSeconds", "Version",
		"ProcessorConfig"} // ProcessorConfig: a Map's ItemProcessor
	// flowFields are every state's but Choice, Succeed and Fail. The lists
	// follow the Developer Guide's pages, not cfn-lint's schema alone:
	// that schema lacks a Parallel's Parameters, which the Parallel page
	// lists (JSONPath only).
	flowFields  = []string{"Comment", "Type", "QueryLanguage", "Next", "End", "InputPath", "OutputPath", "Arguments", "Output", "Assign"}
	retryFields = []string{"ResultPath", "ResultSelector", "Retry", "Catch"}
	stateFields = map[string][]string{
		"Pass":     append([]string{"Parameters", "Result", "ResultPath"}, flowFields...),
		"Task":     append(append([]string{"Resource", "Parameters", "Credentials", "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath"}, retryFields...), flowFields...),
		"Wait":     append([]string{"Seconds", "SecondsPath", "Timestamp", "TimestampPath"}, flowFields...),
		"Choice":   {"Comment", "Type", "QueryLanguage", "Choices", "Default", "InputPath", "OutputPath", "Arguments", "Output", "Assign"},
		"Succeed":  {"Comment", "Type", "QueryLanguage", "InputPath", "OutputPath", "Output"},
		"Fail":     {"Comment", "Type", "QueryLanguage", "Error", "Cause", "ErrorPath", "CausePath"},
		"Parallel": append(append([]string{"Branches", "Parameters"}, retryFields...), flowFields...),
		"Map": append(append([]string{"Parameters", "ItemSelector", "Iterator", "ItemProcessor", "ItemsPath", "Items", "ItemReader",
			"ItemBatcher", "ResultWriter", "MaxConcurrency", "MaxConcurrencyPath", "ToleratedFailurePercentage",
			"ToleratedFailurePercentagePath", "ToleratedFailureCount", "ToleratedFailureCountPath", "Label"}, retryFields...), flowFields...),
	}
	// jsonPathOnly are refused in a JSONata state, jsonataOnly in a
	// JSONPath one ("Transforming data with JSONata in Step Functions").
	jsonPathOnly = []string{"InputPath", "OutputPath", "Parameters", "ResultPath", "ResultSelector"}
	jsonataOnly  = []string{"Arguments", "Output"}
)

// knownFields refuses a field that a definition (fields nil: the
// definition's own) or a state of type typ does not take, or one the
// state's query language rules out. lang is the query language in force:
// the definition's, unless the state sets its own.
func (a aslChecker) knownFields(n *yaml.Node, at, typ, lang string) {
	allowed := machineFields
	if typ != "" {
		allowed = stateFields[typ]
		if _, ql := a.field(n, "QueryLanguage"); ql != nil && ql.Kind == yaml.ScalarNode {
			lang = ql.Value
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := resolve(n.Content[i])
		switch {
		case !contains(allowed, k.Value):
			what := "a definition"
			if typ != "" {
				what = "a " + typ + " state"
			}
			a.err(k, child(at, k.Value), "%q is not a field of %s%s; the fields are %s", k.Value, what, suggest(k.Value, allowed), strings.Join(allowed, ", "))
		case typ != "" && lang == "JSONata" && contains(jsonPathOnly, k.Value):
			a.err(k, child(at, k.Value), "%s is a JSONPath field; this state's QueryLanguage is JSONata, which uses Arguments, Output and Assign instead", k.Value)
		case typ != "" && lang != "JSONata" && contains(jsonataOnly, k.Value):
			a.err(k, child(at, k.Value), "%s is a JSONata field; set QueryLanguage: JSONata on the state or the definition, or use the JSONPath fields", k.Value)
		}
	}
}

// taskResource refuses a Task whose Resource is missing or is not an ARN
// (a whole ${Name} substitution, which DefinitionSubstitutions fills, is
// taken as one): Step Functions rejects it, and no statement could be
// derived from it.
func (a aslChecker) taskResource(st *yaml.Node, at string) {
	_, r := a.field(st, "Resource")
	switch {
	case r == nil:
		a.err(st, at, "a Task state needs a Resource: the ARN of what it calls, such as arn:aws:states:::lambda:invoke")
	case r.Kind != yaml.ScalarNode || r.ShortTag() != "!!str":
		a.err(r, child(at, "Resource"), "Resource must be an ARN string, got %s", describe(r))
	case wholeSubRe().MatchString(r.Value):
	case !taskARNRe().MatchString(subRe().ReplaceAllString(r.Value, "0")):
		a.err(r, child(at, "Resource"), "Resource %q is not an ARN such as arn:aws:states:::lambda:invoke or arn:aws:lambda:eu-west-1:123456789012:function:name", r.Value)
	}
}

// taskARNRe is the shape Step Functions takes as a Task's Resource:
// partition, service, region, account, a resource type and a name, and
// an optional qualifier (the pattern of the States Language schema
// cfn-lint checks Definition with, for any partition). An activity's name
// is wider than that schema's: CreateActivity forbids only whitespace,
// control characters and < > { } [ ] ? * " # % \ ^ | ~ ` $ & , ; : /, so
// orders+v2@eu and übersetzung are names. Each ${Name} of the text is
// read as "0", a value that fits any part but the type.
var taskARNRe = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^arn:[a-z0-9-]+:[a-z0-9-]+:[a-z0-9-]*:[0-9]*:` +
		`(activity:[^\s\p{Z}\p{Cc}<>{}\[\]?*"#%\\^|~` + "`" + `$&,;:/]+|` +
		`[a-z0-9-]+:[a-zA-Z0-9-_.]+(:(\$LATEST|[a-zA-Z0-9-_.]+))?)$`)
})

// wholeSubRe is a Resource that is one ${Name}, whose value
// DefinitionSubstitutions fills with a whole ARN, optionally followed by
// a qualifier (${Fn}:live: a version or alias of the function it holds).
var wholeSubRe = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^\$\{[^}]*\}(:(\$LATEST|[a-zA-Z0-9-_.]+|\$\{[^}]*\}))?$`)
})

// subRe is a ${Name} that DefinitionSubstitutions fills.
var subRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\$\{[^}]*\}`) })
