package gateway

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// message says why a value fails a keyword in the words of API Gateway's
// validator. API Gateway's validationErrorString is a Java list of the
// messages of java-json-tools' json-schema-validator (fge), the draft-04
// validator whose wording it shows: "[object has missing required
// properties ([\"items\"])]", "[instance type (string) does not match any
// allowed primitive type (allowed: [\"integer\"])]" (as users quote API
// Gateway's answers, and as that library's messages read). A keyword
// whose message is not here keeps the Go validator's own.
func message(e *jsonschema.ValidationError, v any) string {
	switch k := e.ErrorKind.(type) {
	case *kind.Type:
		return fmt.Sprintf("instance type (%s) does not match any allowed primitive type (allowed: %s)", typeOf(k.Got, v), quoted(k.Want))
	case *kind.Required:
		return fmt.Sprintf("object has missing required properties (%s)", quoted(k.Missing))
	case *kind.AdditionalProperties:
		return fmt.Sprintf("object instance has properties which are not allowed by the schema: %s", quoted(k.Properties))
	case *kind.Enum:
		return fmt.Sprintf("instance value (%s) not found in enum (possible values: %s)", text(v), text(k.Want))
	case *kind.MinItems:
		return fmt.Sprintf("array is too short: must have at least %d elements but instance has %d elements", k.Want, k.Got)
	case *kind.MaxItems:
		return fmt.Sprintf("array is too long: must have at most %d elements but instance has %d elements", k.Want, k.Got)
	case *kind.MinLength:
		return fmt.Sprintf("string %s is too short (length: %d, required minimum: %d)", text(v), k.Got, k.Want)
	case *kind.MaxLength:
		return fmt.Sprintf("string %s is too long (length: %d, maximum allowed: %d)", text(v), k.Got, k.Want)
	case *kind.Pattern:
		return fmt.Sprintf("ECMA 262 regex %s does not match input string %s", text(k.Want), text(k.Got))
	case *kind.Minimum:
		return fmt.Sprintf("numeric instance is lower than the required minimum (minimum: %s, found: %s)", k.Want.RatString(), k.Got.RatString())
	case *kind.Maximum:
		return fmt.Sprintf("numeric instance is greater than the required maximum (maximum: %s, found: %s)", k.Want.RatString(), k.Got.RatString())
	case *kind.ExclusiveMinimum:
		return fmt.Sprintf("numeric instance is not strictly greater than the required minimum %s", k.Want.RatString())
	case *kind.ExclusiveMaximum:
		return fmt.Sprintf("numeric instance is not strictly lower than the required maximum %s", k.Want.RatString())
	case *kind.MultipleOf:
		return fmt.Sprintf("remainder of division is not zero (%s / %s)", k.Got.RatString(), k.Want.RatString())
	}
	return moreMessage(e, v)
}

// moreMessage continues message with the rarer keywords.
func moreMessage(e *jsonschema.ValidationError, v any) string {
	switch k := e.ErrorKind.(type) {
	case *kind.MinProperties:
		return fmt.Sprintf("object has too few properties (found %d but schema requires at least %d)", k.Got, k.Want)
	case *kind.MaxProperties:
		return fmt.Sprintf("object has too many properties (found %d but schema requires at most %d)", k.Got, k.Want)
	case *kind.UniqueItems:
		return "array must not contain duplicate elements"
	case *kind.AnyOf:
		return fmt.Sprintf("instance failed to match at least one required schema among %d", len(e.Causes))
	case *kind.OneOf:
		return fmt.Sprintf("instance failed to match exactly one schema (matched %d)", len(k.Subschemas))
	case *kind.Not:
		return "instance matched a schema which it should not have"
	case *kind.Format:
		return fmt.Sprintf("string %s is invalid against requested %s format", text(v), k.Want)
	case *kind.Dependency:
		return fmt.Sprintf("property %s of object has missing property dependencies (missing: %s)", text(k.Prop), quoted(k.Missing))
	case *kind.AdditionalItems:
		return fmt.Sprintf("array is too long: %d more elements than the schema allows", k.Count)
	}
	return fmt.Sprint(e.ErrorKind)
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
