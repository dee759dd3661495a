package compile

import (
	"fmt"
	"strings"

	"github.com/sfnapic/sfnapic/spec"
)

// unescapeQuote is a Java regex, written as a Velocity string literal (where
// a backslash is not an escape), matching an odd run of backslashes before a
// quote. escapeJavaScript turns ' into \', which JSON does not allow;
// replacing the match with "$1'" keeps the even run and drops the escape.
// Unlike AWS's documented replaceAll("\\'","'"), it stays correct if an
// escaper leaves ' alone, because then the run before the quote is even.
const unescapeQuote = `#set($q = "(?<!\\)((?:\\\\)*)\\'")`

// jsonEscape is one escaping step: escapeJavaScript makes any text safe
// inside a JSON string (\", \\, \n, \uXXXX, ...), and the replaceAll undoes
// its one non-JSON escape, \'.
func jsonEscape(expr string) string {
	return fmt.Sprintf(`$util.escapeJavaScript(%s).replaceAll($q, "$1'")`, expr)
}

// part is a piece of the execution input: literal JSON text, or a variable
// holding an escaped request value.
type part struct {
	text string // literal inner-JSON text
	vari string // VTL variable, when text is empty
}

// inputNode is the nested shape of the execution input: input keys such as
// customer.id and customer.name share the object "customer".
type inputNode struct {
	key      string
	mapping  *spec.Mapping
	vari     string
	children []*inputNode
}

func (n *inputNode) child(key string) *inputNode {
	for _, c := range n.children {
		if c.key == key {
			return c
		}
	}
	c := &inputNode{key: key}
	n.children = append(n.children, c)
	return c
}

// requestTemplate builds the application/json request template that turns
// an HTTP request into a StartExecution body.
//
// The body is JSON, and its "input" member is a JSON document carried as a
// string. A request value therefore crosses two JSON string levels, so
// string values (path, query, header) are escaped twice, and JSON values
// taken from the body (already JSON text at the inner level) once. The
// literal parts of the input are escaped here, at compile time, exactly
// once. Escaping works character by character, so escaping the parts one by
// one equals escaping the whole document, without building it in VTL.
//
// arn is the text that names the state machine: a ${LogicalId} for Fn::Sub,
// or a literal ARN.
func requestTemplate(r *spec.Route, arn string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## sfnapic: %s %s -> StartExecution; values are escaped twice (JSON in a JSON string)\n", r.Method, r.Path)
	b.WriteString(unescapeQuote + "\n")

	root := &inputNode{}
	for i, m := range r.Input {
		n := root
		for _, k := range m.KeyPath {
			n = n.child(k)
		}
		n.mapping = m
		n.vari = fmt.Sprintf("$v%d", i)
		switch m.From {
		case spec.FromBody:
			jp := "$"
			if len(m.Field) > 0 {
				jp += "." + strings.Join(m.Field, ".")
			}
			// An absent field renders as nothing; null keeps the input valid.
			fmt.Fprintf(&b, "#set(%s = $input.json('%s'))\n", n.vari, jp)
			fmt.Fprintf(&b, "#if(!%s || %s == \"\")#set(%s = \"null\")#end\n", n.vari, n.vari, n.vari)
			fmt.Fprintf(&b, "#set(%s = %s)\n", n.vari, jsonEscape(n.vari))
		default:
			loc := map[spec.Location]string{spec.FromPath: "path", spec.FromQuery: "querystring", spec.FromHeader: "header"}[m.From]
			// A missing parameter is null; make it an empty string before escaping.
			fmt.Fprintf(&b, "#set(%s = $input.params().%s.get('%s'))\n", n.vari, loc, m.Name)
			fmt.Fprintf(&b, "#if(!%s)#set(%s = \"\")#end\n", n.vari, n.vari)
			fmt.Fprintf(&b, "#set(%s = %s)\n", n.vari, jsonEscape(jsonEscape(n.vari)))
		}
	}

	var parts []part
	lit := func(s string) {
		if len(parts) > 0 && parts[len(parts)-1].vari == "" {
			parts[len(parts)-1].text += s
			return
		}
		parts = append(parts, part{text: s})
	}
	var walk func(n *inputNode)
	walk = func(n *inputNode) {
		if n.mapping != nil {
			quoted := n.mapping.From != spec.FromBody
			if quoted {
				lit(`"`)
			}
			parts = append(parts, part{vari: n.vari})
			if quoted {
				lit(`"`)
			}
			return
		}
		lit("{")
		for i, c := range n.children {
			if i > 0 {
				lit(",")
			}
			lit(`"` + c.key + `":`)
			walk(c)
		}
		lit("}")
	}
	walk(root)

	fmt.Fprintf(&b, `{"stateMachineArn": "%s", "input": "`, arn)
	for _, p := range parts {
		if p.vari != "" {
			b.WriteString(p.vari)
			continue
		}
		// Input keys are restricted to [A-Za-z0-9_-], so the only character
		// of the literal text that needs escaping is the quote.
		b.WriteString(strings.ReplaceAll(p.text, `"`, `\"`))
	}
	b.WriteString("\"}\n")
	return b.String()
}

// successTemplate shapes a StartExecution reply into the 200 body. Both
// values are copied as JSON, so nothing needs escaping.
const successTemplate = `{"executionArn": $input.json('$.executionArn'), "startDate": $input.json('$.startDate')}` + "\n"

// errorTemplate turns a Step Functions 4xx reply into the JSON error
// envelope with an honest status. It reads the error name from __type
// (com.amazonaws...#ExecutionAlreadyExists) and escapes both values once,
// since the envelope is a single JSON level. Errors that are the API's own
// fault (a missing state machine, a role that may not start it) are server
// errors: the caller can do nothing about them. Other 4xx stay 400.
var errorTemplate = strings.Join([]string{
	"## sfnapic: Step Functions error -> {\"error\", \"message\"} and an honest status",
	unescapeQuote,
	`#set($e = "$!input.path('$.__type')")`,
	`#set($e = $e.replaceAll("^.*\x23", ""))`,
	`#if($e == "")#set($e = "ServiceError")#end`,
	`#if($e.matches("ExecutionAlreadyExists"))#set($context.responseOverride.status = 409)`,
	`#elseif($e.matches("ExecutionLimitExceeded|ThrottlingException|TooManyRequestsException|RequestLimitExceeded|KmsThrottlingException"))#set($context.responseOverride.status = 429)`,
	`#elseif($e.matches("StateMachineDoesNotExist|StateMachineDeleting|AccessDeniedException|UnrecognizedClientException|KmsAccessDeniedException|KmsInvalidStateException"))#set($context.responseOverride.status = 500)`,
	`#end`,
	`#set($m = "$!input.path('$.message')")`,
	`#set($e = ` + jsonEscape("$e") + `)`,
	`#set($m = ` + jsonEscape("$m") + `)`,
	`{"error": "$e", "message": "$m"}`,
	"",
}, "\n")

// badGatewayTemplate is the default response: a Step Functions 5xx, or
// anything else that is not a success, is a 502 with a fixed envelope. It
// carries nothing from the reply, so nothing in it needs escaping.
const badGatewayTemplate = `{"error": "BadGateway", "message": "Step Functions did not start the execution; try again later"}` + "\n"
