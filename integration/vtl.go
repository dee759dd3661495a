package integration

import "strings"

// QuotePattern sets $q to a Java regex, written as a Velocity string
// literal (where a backslash is not an escape), matching an odd run of
// backslashes before a quote. escapeJavaScript turns ' into \', which JSON
// does not allow; replacing the match with "$1'" keeps the even run and
// drops the escape. Unlike AWS's documented replaceAll("\\'","'"), it
// stays correct if an escaper leaves ' alone, because then the run before
// the quote is even. Templates that use EscapeJSON start with it.
const QuotePattern = `#set($q = "(?<!\\)((?:\\\\)*)\\'")`

// VelocityText writes a Velocity expression whose value is exactly text:
// a single-quoted string literal, where nothing is interpolated and a
// quote is written twice. Velocity still decodes \uXXXX in any string
// literal, so wherever text holds a backslash before a u, the literal ends
// after the backslash and another, joined with +, starts at the u.
func VelocityText(text string) string {
	var parts []string
	for {
		i := strings.Index(text, `\u`)
		if i < 0 {
			break
		}
		parts = append(parts, text[:i+1])
		text = text[i+1:]
	}
	parts = append(parts, text)
	for i, p := range parts {
		parts[i] = "'" + strings.ReplaceAll(p, "'", "''") + "'"
	}
	return strings.Join(parts, " + ")
}

// EscapeJSON is one escaping step, as a VTL expression: escapeJavaScript
// makes any text safe inside a JSON string (\", \\, \n, \uXXXX, ...), and
// the replaceAll undoes its one non-JSON escape, \'.
func EscapeJSON(expr string) string {
	return `$util.escapeJavaScript(` + expr + `).replaceAll($q, "$1'")`
}

// errorTemplate turns a Step Functions 4xx reply into the JSON error
// envelope with an honest status. It reads the error name from __type
// (com.amazonaws...#ExecutionAlreadyExists) and escapes both values once,
// since the envelope is a single JSON level. Errors that are the API's own
// fault (a missing state machine, a role that may not call it) are server
// errors: the caller can do nothing about them. Other 4xx stay 400. Every
// action shares it.
var errorTemplate = strings.Join([]string{
	"## sfnapic: Step Functions error -> {\"error\", \"message\"} and an honest status",
	QuotePattern,
	`#set($e = "$!input.path('$.__type')")`,
	`#set($e = $e.replaceAll("^.*\x23", ""))`,
	`#if($e == "")#set($e = "ServiceError")#end`,
	`#if($e.matches("ExecutionAlreadyExists"))#set($context.responseOverride.status = 409)`,
	`#elseif($e.matches("ExecutionDoesNotExist|TaskDoesNotExist"))#set($context.responseOverride.status = 404)`,
	`#elseif($e.matches("TaskTimedOut"))#set($context.responseOverride.status = 410)`,
	`#elseif($e.matches("ExecutionLimitExceeded|ThrottlingException|TooManyRequestsException|RequestLimitExceeded|KmsThrottlingException"))#set($context.responseOverride.status = 429)`,
	`#elseif($e.matches("StateMachineDoesNotExist|StateMachineDeleting|AccessDeniedException|UnrecognizedClientException|KmsAccessDeniedException|KmsInvalidStateException"))#set($context.responseOverride.status = 500)`,
	`#end`,
	`#set($m = "$!input.path('$.message')")`,
	`#set($e = ` + EscapeJSON("$e") + `)`,
	`#set($m = ` + EscapeJSON("$m") + `)`,
	`{"error": "$e", "message": "$m"}`,
	"",
}, "\n")

// ErrorResponse is the integration response for Step Functions' 4xx
// replies, the same for every action.
var ErrorResponse = Response{Status: "400", Pattern: `4\d{2}`, Template: errorTemplate}
