package gateway

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/sfnapic/sfnapic/internal/jsonschema4"
)

// message says why a value fails a keyword in the words of API Gateway's
// validator. API Gateway's validationErrorString is a Java list of the
// messages of java-json-tools' json-schema-validator (fge), the draft-04
// validator whose wording it shows: "[object has missing required
// properties ([\"items\"])]", "[instance type (string) does not match any
// allowed primitive type (allowed: [\"integer\"])]" (as users quote API
// Gateway's answers, and as that library's messages read). A keyword
// whose message is not here keeps the Go validator's own.
func message(e *jsonschema4.Error, v any) string {
	switch e.Kind {
	case jsonschema4.Type:
		return fmt.Sprintf("instance type (%s) does not match any allowed primitive type (allowed: %s)", typeOf(e.GotType, v), quoted(e.WantTypes))
	case jsonschema4.Required:
		return fmt.Sprintf("object has missing required properties (%s)", quoted(e.Missing))
	case jsonschema4.AdditionalProperties:
		return fmt.Sprintf("object instance has properties which are not allowed by the schema: %s", quoted(e.Properties))
	case jsonschema4.Enum:
		return fmt.Sprintf("instance value (%s) not found in enum (possible values: %s)", text(v), text(e.Enum))
	case jsonschema4.MinItems:
		return fmt.Sprintf("array is too short: must have at least %d elements but instance has %d elements", e.Want, e.Got)
	case jsonschema4.MaxItems:
		return fmt.Sprintf("array is too long: must have at most %d elements but instance has %d elements", e.Want, e.Got)
	case jsonschema4.MinLength:
		return fmt.Sprintf("string %s is too short (length: %d, required minimum: %d)", text(v), e.Got, e.Want)
	case jsonschema4.MaxLength:
		return fmt.Sprintf("string %s is too long (length: %d, maximum allowed: %d)", text(v), e.Got, e.Want)
	case jsonschema4.Pattern:
		return fmt.Sprintf("ECMA 262 regex %s does not match input string %s", text(e.Pattern), text(e.Value))
	case jsonschema4.Minimum:
		return fmt.Sprintf("numeric instance is lower than the required minimum (minimum: %s, found: %s)", e.WantNum.RatString(), e.GotNum.RatString())
	case jsonschema4.Maximum:
		return fmt.Sprintf("numeric instance is greater than the required maximum (maximum: %s, found: %s)", e.WantNum.RatString(), e.GotNum.RatString())
	case jsonschema4.ExclusiveMinimum:
		return fmt.Sprintf("numeric instance is not strictly greater than the required minimum %s", e.WantNum.RatString())
	case jsonschema4.ExclusiveMaximum:
		return fmt.Sprintf("numeric instance is not strictly lower than the required maximum %s", e.WantNum.RatString())
	case jsonschema4.MultipleOf:
		return fmt.Sprintf("remainder of division is not zero (%s / %s)", e.GotNum.RatString(), e.WantNum.RatString())
	}
	return moreMessage(e, v)
}

// moreMessage continues message with the rarer keywords.
func moreMessage(e *jsonschema4.Error, v any) string {
	switch e.Kind {
	case jsonschema4.MinProperties:
		return fmt.Sprintf("object has too few properties (found %d but schema requires at least %d)", e.Got, e.Want)
	case jsonschema4.MaxProperties:
		return fmt.Sprintf("object has too many properties (found %d but schema requires at most %d)", e.Got, e.Want)
	case jsonschema4.UniqueItems:
		return "array must not contain duplicate elements"
	case jsonschema4.AnyOf:
		return fmt.Sprintf("instance failed to match at least one required schema among %d", len(e.Causes))
	case jsonschema4.OneOf:
		return fmt.Sprintf("instance failed to match exactly one schema (matched %d)", len(e.Matched))
	case jsonschema4.Not:
		return "instance matched a schema which it should not have"
	case jsonschema4.Format:
		return fmt.Sprintf("string %s is invalid against requested %s format", text(v), e.FormatName)
	case jsonschema4.Dependency:
		return fmt.Sprintf("property %s of object has missing property dependencies (missing: %s)", text(e.Prop), quoted(e.Missing))
	case jsonschema4.AdditionalItems:
		return fmt.Sprintf("array is too long: %d more elements than the schema allows", e.Count)
	}
	return e.Message()
}

// typeOf names a value's type as draft-04 does: a number without a
// fraction or exponent is an integer.
func typeOf(got string, v any) string {
	if n, ok := v.(json.Number); ok && got == "number" && !strings.ContainsAny(string(n), ".eE") {
		return "integer"
	}
	return got
}

// quoted writes names as a JSON array: ["a","b"].
func quoted(names []string) string {
	b, _ := json.Marshal(names)
	return string(b)
}

// text writes a value as JSON, cut at 100 bytes: a message quotes what
// the body sent, which may be large.
func text(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if s := string(b); len(s) > 100 {
		return strings.ToValidUTF8(s[:100], "") + "..."
	}
	return string(b)
}
