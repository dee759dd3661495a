package compile

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/sfnapic/sfnapic/integration"
	"github.com/sfnapic/sfnapic/spec"
)

// jsonEscape is one escaping step (see integration.EscapeJSON).
var jsonEscape = integration.EscapeJSON

// inputNode is the nested shape of the execution input: input keys such as
// customer.id and customer.name share the object "customer".
type inputNode struct {
	key      string
	mapping  *spec.Mapping
	vari     string // holds the value's inner-JSON text, escaped for the outer level
	present  string // for values that may be left out: holds true or false
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

// arnMarker stands for the state machine ARN in a generated request
// template, until the caller knows how to write it (a Fn::Sub variable or a
// literal ARN).
const arnMarker = "\x00ARN\x00"

// executionsMarker stands for the ARN of the machine's executions up to
// an execution's name, in the same way.
const executionsMarker = "\x00EXECUTIONS\x00"

// requestParts builds the parts of the request template for one content
// type that read the request: the execution input and name.
//
// The execution input is a JSON document carried as a string of the JSON
// request body. A request value therefore crosses two JSON string levels: string
// values (path, query, header, context, form fields) are escaped twice, JSON
// values taken from the body (already JSON text at the inner level) once.
// Every leaf variable ends up holding the value's inner-JSON text escaped
// for the outer level, so the input is the literal text around them.
// Escaping works character by character, so escaping the parts one by one
// equals escaping the whole document, without building it in VTL.
//
// Nothing from the spec is written into the template text where VTL would
// read it: literals and defaults go into single-quoted string literals,
// which Velocity does not interpolate; names are restricted to characters
// that need no quoting.
func requestParts(r *spec.Route, contentType string) integration.RequestParts {
	form := contentType == spec.ContentForm
	var b strings.Builder
	b.WriteString(integration.QuotePattern + "\n")
	b.WriteString("#set($dq = '\\\"')\n")
	if form {
		b.WriteString(formPreamble)
	}
	root, leaves := inputTree(r)
	for _, n := range leaves {
		writeLeaf(&b, n, form)
	}
	p := integration.RequestParts{
		Route:      fmt.Sprintf("%s %s (%s)", r.Method, r.Path, contentType),
		Name:       writeName(&b, r.ExecutionName, form),
		MachineARN: arnMarker,
	}
	if r.Execution != nil {
		p.ExecutionARN = writeExecution(&b, r, form)
	}
	if r.Token != nil {
		p.Token = writeToken(&b, r.Token, form)
	}
	p.Members = writeMembers(&b, r, form)
	p.Setup = b.String()
	p.Input = inputText(root)
	return p
}

// inputTree nests the route's input keys, and lists the leaves in the
// route's order, each with the variables that will hold its value.
func inputTree(r *spec.Route) (root *inputNode, leaves []*inputNode) {
	root = &inputNode{}
	for i, m := range r.Input {
		n := root
		for _, k := range m.KeyPath {
			n = n.child(k)
		}
		n.mapping = m
		n.vari = fmt.Sprintf("$v%d", i)
		if m.Omit {
			n.present = fmt.Sprintf("$h%d", i)
		}
		leaves = append(leaves, n)
	}
	return root, leaves
}

// writeToken writes the Setup that reads a callback's task token, escaped
// once for the JSON string it sits in, and returns the token's text.
func writeToken(b *strings.Builder, m *spec.Mapping, form bool) string {
	readText(b, m, form, "$tk", "t")
	fmt.Fprintf(b, "#set($tk = %s)\n", jsonEscape("$tk"))
	return "$tk"
}

// inputText is the execution input: literal text around the leaf
// variables.
func inputText(root *inputNode) string {
	var w inputWriter
	w.object(root)
	return w.String()
}

// inputWriter writes the execution input. Objects with members that may
// be left out place their commas at run time, each with a comma variable
// of its own ($c0, $c1, ...).
type inputWriter struct {
	strings.Builder
	commas int // the comma variables used so far
}

// object writes a node: a leaf's variable, or an object of its children.
func (w *inputWriter) object(n *inputNode) {
	if n.mapping != nil {
		w.WriteString(n.vari)
		return
	}
	dynamic := false
	for _, c := range n.children {
		dynamic = dynamic || c.present != ""
	}
	comma := ","
	if dynamic {
		comma = fmt.Sprintf("$c%d", w.commas)
		w.commas++
		fmt.Fprintf(w, "{#set(%s = \"\")", comma)
	} else {
		w.WriteString("{")
	}
	for i, c := range n.children {
		w.member(c, comma, i > 0 || dynamic, dynamic)
	}
	w.WriteString("}")
}

// member writes one member of an object, after the comma when lead. In an
// object whose commas are placed at run time, a member sets the comma for
// the next one; a member that may be left out is written, and sets it,
// only when the request has its value.
func (w *inputWriter) member(c *inputNode, comma string, lead, dynamic bool) {
	if c.present != "" {
		fmt.Fprintf(w, "#if(%s)", c.present)
	}
	if lead {
		w.WriteString(comma)
	}
	// Input keys hold only [A-Za-z0-9_-]: escaping the quotes for the
	// outer level is all they need.
	fmt.Fprintf(w, `\"%s\":`, c.key)
	w.object(c)
	switch {
	case c.present != "":
		fmt.Fprintf(w, "#set(%s = \",\")#end", comma)
	case dynamic:
		fmt.Fprintf(w, "#set(%s = \",\")", comma)
	}
}

// formPreamble reads an application/x-www-form-urlencoded body into the
// map $form, as java.net.URLDecoder would decode each name and value.
const formPreamble = `#set($form = {})
#foreach($pair in $input.body.split("&"))
#if($pair != "")
#set($kv = $pair.split("=", 2))
#set($fk = $util.urlDecode($kv.get(0)))
#if($kv.size() > 1)#set($fv = $util.urlDecode($kv.get(1)))#else#set($fv = "")#end
#set($ignore = $form.put($fk, $fv))
#end
#end
`

// stringSource returns the VTL that reads a string value: setup lines to
// run first (if any), the expression holding the value, and the expression
// telling whether the request has it ("" when it always does). id makes
// the helper variables unique.
//
// Header names are matched without regard to case, as HTTP wants: the
// header map holds names as the client sent them (HTTP/2 clients send them
// in lower case), so the template looks the name up in its keys.
func stringSource(m *spec.Mapping, form bool, id string) (setup, raw, present string) {
	switch m.From {
	case spec.FromPath:
		return "", fmt.Sprintf("$input.params().path.get('%s')", m.Name), ""
	case spec.FromQuery:
		raw = fmt.Sprintf("$input.params().querystring.get('%s')", m.Name)
		if m.Required {
			return "", raw, ""
		}
		return "", raw, fmt.Sprintf("$input.params().querystring.containsKey('%s')", m.Name)
	case spec.FromHeader:
		found, value := "$f"+id, "$x"+id
		setup = fmt.Sprintf("#set(%s = false)#foreach($hk in $input.params().header.keySet())#if($hk.equalsIgnoreCase('%s'))#set(%s = true)#set(%s = $input.params().header.get($hk))#end#end\n",
			found, m.Name, found, value)
		if m.Required {
			return setup, value, ""
		}
		return setup, value, found
	case spec.FromContext:
		if claim, ok := strings.CutPrefix(m.Name, "authorizer.claims."); ok {
			return "", fmt.Sprintf("$context.authorizer.claims.get('%s')", claim), ""
		}
		return "", "$context." + m.Name, ""
	case spec.FromBody:
		if form && len(m.Field) == 1 {
			return "", fmt.Sprintf("$form.get('%s')", m.Field[0]), fmt.Sprintf("$form.containsKey('%s')", m.Field[0])
		}
	}
	return "", "", ""
}

// absentCase writes what a leaf holds when the request lacks its value:
// the default, null, or (for omit) a false presence flag.
func absentCase(n *inputNode) string {
	m := n.mapping
	switch {
	case m.Omit:
		return fmt.Sprintf("#set(%s = false)", n.present)
	case m.HasDefault:
		return fmt.Sprintf("#set(%s = %s)", n.vari, integration.VelocityText(outerText(m.Default)))
	}
	return fmt.Sprintf("#set(%s = \"null\")", n.vari)
}

func presentFlag(n *inputNode) string {
	if n.present == "" {
		return ""
	}
	return fmt.Sprintf("#set(%s = true)", n.present)
}

func writeLeaf(b *strings.Builder, n *inputNode, form bool) {
	m, v := n.mapping, n.vari
	switch {
	case m.From == spec.FromValue:
		fmt.Fprintf(b, "#set(%s = %s)\n", v, integration.VelocityText(outerText(m.Value)))
	case m.From == spec.FromBody && form && len(m.Field) == 0:
		// The whole form as an object of its fields.
		fmt.Fprintf(b, "#set(%s = \"\")#set($fc = \"\")\n", v)
		fmt.Fprintf(b, "#foreach($fk in $form.keySet())#set($ek = %s)#set($ev = %s)#set(%s = \"%s$fc$dq$ek$dq:$dq$ev$dq\")#set($fc = \",\")#end\n",
			jsonEscape(jsonEscape("$fk")), jsonEscape(jsonEscape("$form.get($fk)")), v, v)
		fmt.Fprintf(b, "#set(%s = \"{%s}\")\n", v, v)
	case m.From == spec.FromBody && !form:
		jp := "$"
		if len(m.Field) > 0 {
			jp += "." + strings.Join(m.Field, ".")
		}
		// Absent (or null) renders as nothing or as null, depending on
		// API Gateway; both count as absent.
		fmt.Fprintf(b, "#set(%s = $input.json('%s'))\n", v, jp)
		fmt.Fprintf(b, "#if(\"$!%s\" == \"\" || \"$!%s\" == \"null\")%s#{else}%s#set(%s = %s)#end\n",
			v[1:], v[1:], absentCase(n), presentFlag(n), v, jsonEscape(v))
	default:
		setup, raw, present := stringSource(m, form, v[2:])
		b.WriteString(setup)
		if present == "" {
			// Always there; a null (which API Gateway should not give)
			// becomes "" rather than breaking the input.
			fmt.Fprintf(b, "#set(%s = %s)\n", v, raw)
			fmt.Fprintf(b, "#if(!%s)#set(%s = \"\")#end\n", v, v)
			fmt.Fprintf(b, "#set(%s = %s)\n", v, jsonEscape(jsonEscape(v)))
			fmt.Fprintf(b, "#set(%s = \"$dq%s$dq\")\n", v, v)
			return
		}
		fmt.Fprintf(b, "#if(%s)%s#set(%s = %s)#set(%s = %s)#set(%s = \"$dq%s$dq\")#{else}%s#end\n",
			present, presentFlag(n), v, raw, v, jsonEscape(jsonEscape(v)), v, v, absentCase(n))
	}
}

// writeName writes the VTL that reads the execution name and returns the
// body text that carries it ("" without a name). The name is a plain
// string of the outer body: escaped once. An absent or empty value leaves
// the name out, and Step Functions makes one up.
func writeName(b *strings.Builder, m *spec.Mapping, form bool) string {
	if m == nil {
		return ""
	}
	if m.From == spec.FromValue {
		// Checked against the name rules: no quote, backslash, $ or #.
		return fmt.Sprintf(`"name": "%s", `, m.Value.(string))
	}
	readOptional(b, m, form, "$nm", "n", "$hn")
	return `#if($hn)"name": "$nm", #end`
}

// readOptional sets vari to a request value escaped for a JSON string of
// the body itself, and flag to whether the request gave it (an empty
// value counts as absent, and its member is left out).
func readOptional(b *strings.Builder, m *spec.Mapping, form bool, vari, id, flag string) {
	readText(b, m, form, vari, id)
	fmt.Fprintf(b, "#if(%s == \"\")#set(%s = false)#{else}#set(%s = true)#set(%s = %s)#end\n", vari, flag, flag, vari, jsonEscape(vari))
}

// readText sets vari to a request value as text ("" when absent), for a
// member of the request body itself: a string source, or a body field's
// value (its text, if it is not a string). id makes helper variables
// unique.
func readText(b *strings.Builder, m *spec.Mapping, form bool, vari, id string) {
	var raw string
	if m.From == spec.FromBody && !form {
		raw = fmt.Sprintf("$input.path('$.%s')", strings.Join(m.Field, "."))
	} else {
		var setup string
		setup, raw, _ = stringSource(m, form, id)
		b.WriteString(setup)
	}
	fmt.Fprintf(b, "#set(%s = %s)\n", vari, raw)
	fmt.Fprintf(b, "#set(%s = \"$!%s\")\n", vari, vari[1:])
}

// executionIDPattern is Step Functions' rule for an execution's name, as
// a Java regex: 1 to 80 characters, none of whitespace, brackets, ? * " #
// % \\ ^ | ~ ` $ & , ; : / or control characters.
const executionIDPattern = "[^\\s<>{}\\[\\]?*\"#%\\\\^|~`$&,;:/\\x00-\\x1f\\x7f-\\x9f]{1,80}"

// writeExecution writes the Setup of a route that acts on one execution,
// and returns the text of its ARN. An id that breaks the naming rules
// becomes "": the ARN then names no execution, and Step Functions refuses
// it (InvalidArn, 400) rather than act on an execution the id was crafted
// to reach.
func writeExecution(b *strings.Builder, r *spec.Route, form bool) string {
	readText(b, r.Execution, form, "$ex", "e")
	fmt.Fprintf(b, "#if(!$ex.matches(%s))#set($ex = \"\")#end\n", integration.VelocityText(executionIDPattern))
	fmt.Fprintf(b, "#set($ex = %s)\n", jsonEscape("$ex"))
	return executionsMarker + "$ex"
}

// writeMembers writes the Setup of the optional error and cause of a stop
// or taskFailure route, and returns the body members, each left out when
// the request lacks its value.
func writeMembers(b *strings.Builder, r *spec.Route, form bool) string {
	members := ""
	for _, f := range []struct {
		m         *spec.Mapping
		key, vari string
		id, given string
	}{{r.StopError, "error", "$er", "r", "$her"}, {r.StopCause, "cause", "$ca", "c", "$hca"}} {
		if f.m == nil {
			continue
		}
		readOptional(b, f.m, form, f.vari, f.id, f.given)
		members += fmt.Sprintf(`#if(%s), "%s": "%s"#end`, f.given, f.key, f.vari)
	}
	return members
}

// outerText is the inner-JSON text of a literal, escaped for the outer
// JSON level: what a leaf variable holds.
func outerText(v any) string {
	var b strings.Builder
	literalJSON(&b, v)
	return jsonStringBody(b.String())
}

// literalJSON writes a spec value as compact JSON using only the short
// string escapes (see jsonStringBody).
func literalJSON(b *strings.Builder, v any) {
	switch x := v.(type) {
	case spec.Object:
		b.WriteByte('{')
		for i, m := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			literalJSON(b, m.Key)
			b.WriteByte(':')
			literalJSON(b, m.Value)
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, it := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			literalJSON(b, it)
		}
		b.WriteByte(']')
	case string:
		b.WriteByte('"')
		b.WriteString(jsonStringBody(x))
		b.WriteByte('"')
	case json.Number:
		b.WriteString(string(x))
	case bool:
		fmt.Fprint(b, x)
	case nil:
		b.WriteString("null")
	default:
		panic(fmt.Sprintf("unexpected literal %T", v)) // spec values are only the above
	}
}

// jsonStringBody escapes s as the inside of a JSON string, with the short
// escapes only: the spec rejects other control characters in literals, so
// no \uXXXX is ever written (Velocity may decode those in string literals).
func jsonStringBody(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
