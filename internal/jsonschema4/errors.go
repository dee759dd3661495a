package jsonschema4

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Kind says which keyword an error is about, or how errors are grouped.
type Kind int

// The kinds of errors. Group, Reference and AllOf only hold the errors
// of their subschemas (Causes); AnyOf, OneOf (none matched) hold those of
// every alternative.
const (
	Group Kind = iota
	Reference
	AllOf
	AnyOf
	OneOf
	Not
	Type
	Enum
	Format
	MultipleOf
	Maximum
	ExclusiveMaximum
	Minimum
	ExclusiveMinimum
	MaxLength
	MinLength
	Pattern
	AdditionalItems
	MaxItems
	MinItems
	UniqueItems
	MaxProperties
	MinProperties
	Required
	AdditionalProperties
	Dependency
	// RefCycle: the schema is met again for the same value ($ref: "#"
	// in the root, ...), which would never end.
	RefCycle
)

// keywords names each kind's keyword; "" for a group.
var keywords = [...]string{
	Group: "", Reference: "$ref", AllOf: "allOf", AnyOf: "anyOf", OneOf: "oneOf", Not: "not",
	Type: "type", Enum: "enum", Format: "format", MultipleOf: "multipleOf",
	Maximum: "maximum", ExclusiveMaximum: "exclusiveMaximum", Minimum: "minimum", ExclusiveMinimum: "exclusiveMinimum",
	MaxLength: "maxLength", MinLength: "minLength", Pattern: "pattern",
	AdditionalItems: "additionalItems", MaxItems: "maxItems", MinItems: "minItems", UniqueItems: "uniqueItems",
	MaxProperties: "maxProperties", MinProperties: "minProperties", Required: "required",
	AdditionalProperties: "additionalProperties", Dependency: "dependencies", RefCycle: "$ref",
}

// Keyword is the schema keyword the kind is about; "" for Group.
func (k Kind) Keyword() string { return keywords[k] }

// Error is why an instance fails a schema: one keyword at one place of
// the instance, or a group of such errors. The fields a kind does not use
// are zero.
type Error struct {
	Kind Kind
	// InstanceLocation is the JSON pointer's tokens of the failing value.
	InstanceLocation []string
	Causes           []*Error

	Value     any      // the failing value (Enum, Format, Pattern, ...)
	GotType   string   // Type: the value's type (a number is "number")
	WantTypes []string // Type: the allowed types, in draft-04's order
	Enum      []any    // Enum: the allowed values
	Got, Want int      // lengths and counts: MinLength, MaxItems, MinProperties, ...
	// GotNum and WantNum are Minimum's, Maximum's, their exclusive
	// forms' and MultipleOf's numbers.
	GotNum, WantNum *big.Rat
	Pattern         string   // Pattern: the regular expression
	FormatName      string   // Format: the format's name
	FormatErr       error    // Format: why the value is not of it
	Missing         []string // Required, Dependency: the missing names
	Prop            string   // Dependency: the property that needs them
	Properties      []string // AdditionalProperties: the names not allowed
	Count           int      // AdditionalItems: how many items too many
	Matched         []int    // OneOf: the two that matched; nil when none did
	Duplicates      [2]int   // UniqueItems: two equal items
	Schema          string   // RefCycle: the URL of the schema met again
}

// Error writes the error tree as the reference library does: each error
// "at '/pointer': message", its causes indented below it.
func (e *Error) Error() string {
	var sb strings.Builder
	e.display(&sb, 0)
	return sb.String()
}

func (e *Error) display(sb *strings.Builder, indent int) {
	// A reference with one cause says nothing its cause does not.
	if e.Kind != Reference || len(e.Causes) != 1 {
		if indent > 0 {
			sb.WriteString("\n" + strings.Repeat("  ", indent-1) + "- ")
		}
		indent++
		fmt.Fprintf(sb, "at %s: %s", quote(pointer(e.InstanceLocation)), e.Message())
	}
	for _, c := range e.Causes {
		c.display(sb, indent)
	}
}

func pointer(tokens []string) string {
	var sb strings.Builder
	for _, tok := range tokens {
		sb.WriteString("/" + strings.ReplaceAll(strings.ReplaceAll(tok, "~", "~0"), "/", "~1"))
	}
	return sb.String()
}

// Message says what is wrong in the words of
// github.com/santhosh-tekuri/jsonschema/v6, which sfnapic used before and
// whose words its messages keep.
func (e *Error) Message() string {
	switch e.Kind {
	case Group, Reference:
		return "validation failed"
	case AllOf, AnyOf:
		return fmt.Sprintf("'%s' failed", e.Kind.Keyword())
	case OneOf:
		if len(e.Matched) == 0 {
			return "'oneOf' failed, none matched"
		}
		return fmt.Sprintf("'oneOf' failed, subschemas %s, %s matched", group(e.Matched[0]), group(e.Matched[1]))
	case Not:
		return "'not' failed"
	case Type:
		return fmt.Sprintf("got %s, want %s", e.GotType, strings.Join(e.WantTypes, " or "))
	case Enum:
		return enumMessage(e.Enum)
	case Format:
		return fmt.Sprintf("%s is not valid %s: %v", display(e.Value), e.FormatName, e.FormatErr)
	case Pattern:
		return fmt.Sprintf("%s does not match pattern %s", quote(fmt.Sprint(e.Value)), quote(e.Pattern))
	case MultipleOf, Maximum, ExclusiveMaximum, Minimum, ExclusiveMinimum:
		got, _ := e.GotNum.Float64()
		want, _ := e.WantNum.Float64()
		return fmt.Sprintf("%s: got %s, want %s", e.Kind.Keyword(), groupFloat(got), groupFloat(want))
	}
	return e.moreMessage()
}

func (e *Error) moreMessage() string {
	switch e.Kind {
	case AdditionalItems:
		return fmt.Sprintf("last %s additionalItem(s) not allowed", group(e.Count))
	case UniqueItems:
		return fmt.Sprintf("items at %s and %s are equal", group(e.Duplicates[0]), group(e.Duplicates[1]))
	case Required:
		if len(e.Missing) == 1 {
			return "missing property " + quote(e.Missing[0])
		}
		return "missing properties " + joinQuoted(e.Missing)
	case Dependency:
		return fmt.Sprintf("properties %s required, if %s exists", joinQuoted(e.Missing), quote(e.Prop))
	case AdditionalProperties:
		return fmt.Sprintf("additional properties %s not allowed", joinQuoted(e.Properties))
	case RefCycle:
		return fmt.Sprintf("%s is met again for the same value, causing reference cycle", quote(e.Schema))
	}
	// MaxLength, MinLength, MaxItems, MinItems, MaxProperties, MinProperties
	return fmt.Sprintf("%s: got %s, want %s", e.Kind.Keyword(), group(e.Got), group(e.Want))
}

// group writes an integer as the library's English message printer
// (golang.org/x/text/message) does: 1,000.
func group(n int) string {
	return groupDigits(strconv.Itoa(n))
}

// groupFloat writes a number as that printer writes %v of a float64:
// Go's shortest form, its integer digits grouped, an exponent written
// "1.5 × 10⁻⁰⁷".
func groupFloat(f float64) string {
	switch {
	case math.IsInf(f, 1): // a number past float64's range: 1E700
		return "∞"
	case math.IsInf(f, -1):
		return "-∞"
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	mant, exp, ok := strings.Cut(s, "e")
	if !ok {
		return groupDigits(s)
	}
	sup := strings.NewReplacer("+", "", "-", "⁻", "0", "⁰", "1", "¹", "2", "²", "3", "³", "4", "⁴", "5", "⁵", "6", "⁶", "7", "⁷", "8", "⁸", "9", "⁹")
	// U+202F (narrow no-break space) either side of the sign, as CLDR's
	// English writes it.
	return mant + "\u202f×\u202f10" + sup.Replace(exp)
}

// groupDigits puts commas between the thousands of a decimal's integer
// part.
func groupDigits(s string) string {
	sign, digits := "", s
	if strings.HasPrefix(s, "-") {
		sign, digits = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(digits, ".")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		return sign + b.String() + "." + frac
	}
	return sign + b.String()
}

func enumMessage(want []any) string {
	var names []string
	for _, v := range want {
		switch v.(type) {
		case []any, map[string]any:
			return "'enum' failed"
		}
		names = append(names, display(v))
	}
	if len(names) == 1 {
		return "value must be " + names[0]
	}
	return "value must be one of " + strings.Join(names, ", ")
}

// quote single-quotes a string as the reference library does.
func quote(s string) string {
	s = fmt.Sprintf("%q", s)
	s = strings.ReplaceAll(s, `\"`, `"`)
	s = strings.ReplaceAll(s, `'`, `\'`)
	return "'" + s[1:len(s)-1] + "'"
}

func joinQuoted(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quote(n)
	}
	return strings.Join(q, ", ")
}

func display(v any) string {
	switch v := v.(type) {
	case string:
		return quote(v)
	case []any, map[string]any:
		return "value"
	}
	return fmt.Sprintf("%v", v)
}
