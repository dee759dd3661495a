package sfnmock

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/integration"
)

// ValidationError is the namespace of the errors of the service
// framework's model validation, which Step Functions runs on a request
// before the action (com.amazon.coral.validate#ValidationException, as in
// every JSON service of the same framework).
const ValidationError = "com.amazon.coral.validate#"

// Step Functions' model bounds on what a request carries (the API
// reference's Length Constraints): an execution's input and a task's
// output at most 262,144 bytes in UTF-8, a name at most 80 characters, an
// error at most 256 and a cause at most 32,768.
const (
	MaxPayload = 262144
	MaxName    = 80
	maxError   = 256
	maxCause   = 32768
)

// checkConstraints is the model validation that Step Functions runs
// before any action, or nil when the request passes. Its message is the
// framework's, each refused member in turn: a member whose value is
// sensitive (input, output, error, cause) is named without its value.
// Measured on AWS (reported in public code and issues):
//
//	1 validation error detected: Value 'xxx' at 'name' failed to satisfy constraint: Member must have length less than or equal to 80
//	1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have size less than or equal to 262144 bytes in UTF-8 encoding
//
// The member names are those of the wire format, the same for every
// action; one that an action does not have is empty here.
func checkConstraints(in *input) *gateway.Reply {
	var problems []string
	if n := utf8.RuneCountInString(in.Name); n > MaxName {
		problems = append(problems, fmt.Sprintf("Value '%s' at 'name' failed to satisfy constraint: Member must have length less than or equal to %d", in.Name, MaxName))
	}
	for _, p := range []struct {
		member string
		value  payload
	}{{"input", in.Input}, {"output", in.Output}} {
		if p.value.size > MaxPayload {
			problems = append(problems, fmt.Sprintf("Value at '%s' failed to satisfy constraint: Member must have size less than or equal to %d bytes in UTF-8 encoding", p.member, MaxPayload))
		}
	}
	for _, p := range []struct {
		member string
		value  *string
		max    int
	}{{"error", in.Error, maxError}, {"cause", in.Cause, maxCause}} {
		if p.value != nil && utf8.RuneCountInString(*p.value) > p.max {
			problems = append(problems, fmt.Sprintf("Value at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", p.member, p.max))
		}
	}
	switch len(problems) {
	case 0:
		return nil
	case 1:
		r := gateway.ErrorReply(400, ValidationError, "ValidationException", "1 validation error detected: "+problems[0])
		return &r
	}
	r := gateway.ErrorReply(400, ValidationError, "ValidationException",
		fmt.Sprintf("%d validation errors detected: %s", len(problems), strings.Join(problems, "; ")))
	return &r
}

// validName says whether Step Functions takes a name for an execution (an
// empty one is no name: the mock makes one up, as Step Functions does).
// The StartExecution API reference: a name must not contain white space,
// brackets < > { } [ ], wildcard characters ? *, special characters
// " # % \ ^ | ~ ` $ & , ; : /, control characters (U+0000-001F,
// U+007F-009F, U+FFFE-FFFF), surrogates (U+D800-DFFF) or invalid
// characters (U+10FFFF). Step Functions refuses one with InvalidName,
// "Invalid Name: 'a b'". The list names no bidirectional controls
// (U+061C, U+200E-200F, U+202A-202E, U+2066-2069); the mock refuses them
// too, on purpose stricter than that list: a name that a terminal or the
// console shows reversed is a spoof, and a client should learn that from
// serve, not later (the alternative, taking them, is the line marked
// below).
func validName(name string) bool {
	for _, r := range name {
		switch {
		case unicode.IsSpace(r), strings.ContainsRune(`<>{}[]?*"#%\^|~`+"`"+`$&,;:/`, r),
			r <= 0x1f, r >= 0x7f && r <= 0x9f, r == 0xfffe, r == 0xffff, r == 0x10ffff,
			bidi(r): // the stricter choice: drop this case to take them
			// A lone surrogate (\ud800 in the request's JSON) reaches
			// the mock as U+FFFD, which it cannot tell from a real one
			// and takes: the one refusal it misses.
			return false
		}
	}
	return true
}

// bidi reports the Unicode bidirectional controls.
func bidi(r rune) bool {
	return r == 0x061c || r == 0x200e || r == 0x200f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}

// payload is an execution's input or a task's output: a JSON document in
// a JSON string, of up to MaxPayload bytes once decoded. One that is
// larger is measured, not decoded: Step Functions refuses it, and
// decoding a 10 MB input only to refuse it cost another 10 MB.
type payload struct {
	text string // the decoded text, when size <= MaxPayload
	size int    // its length in UTF-8
}

// UnmarshalJSON measures the string literal raw and decodes it when it
// is within bounds; raw is only read, never kept.
func (p *payload) UnmarshalJSON(raw []byte) error {
	if string(raw) == "null" {
		return nil
	}
	if len(raw) < 2 || raw[0] != '"' {
		return json.Unmarshal(raw, &p.text) // encoding/json's own error
	}
	if p.size = integration.StringLen(raw[1 : len(raw)-1]); p.size > MaxPayload {
		return nil
	}
	return json.Unmarshal(raw, &p.text)
}
