package vtl

import (
	"math/big"
	"strconv"
	"strings"
)

// Parse reads a mapping template.
func Parse(src string) (*Template, error) {
	p := &parser{src: src}
	nodes, stop, err := p.nodes(nil)
	if err != nil {
		return nil, err
	}
	if stop != "" {
		return nil, p.errf(p.pos, "%s without #if or #foreach", stop)
	}
	return &Template{nodes: nodes}, nil
}

type parser struct {
	src string
	pos int
}

func (p *parser) errf(offset int, format string, args ...any) error {
	line, col := position(p.src, offset)
	return &Error{Line: line, Col: col, Msg: sprintf(format, args...)}
}

func (p *parser) rest() string { return p.src[p.pos:] }

func isIdentStart(c byte) bool { return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isIdent(c byte) bool      { return isIdentStart(c) || '0' <= c && c <= '9' }

// unsupported lists directives that API Gateway does not offer or that this
// renderer does not implement; using one is an error.
var unsupported = []string{"include", "parse", "evaluate", "macro", "define"}

// nodes parses text and directives until the end, or until one of the
// directives in stops (#elseif, #else, #end), which it returns unconsumed.
func (p *parser) nodes(stops []string) ([]node, string, error) {
	var out []node
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			out = append(out, textNode(text.String()))
			text.Reset()
		}
	}
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == '\\':
			// A run of backslashes before a reference or a directive
			// follows Velocity's even/odd rule: each pair is one backslash,
			// and an odd one left escapes what follows (see escapedRef).
			// Elsewhere backslashes are plain text.
			j := p.pos
			for j < len(p.src) && p.src[j] == '\\' {
				j++
			}
			n := j - p.pos
			switch {
			case j < len(p.src) && p.src[j] == '$' && p.refAt(j):
				p.pos = j
				ref, err := p.ref()
				if err != nil {
					return nil, "", err
				}
				flush()
				out = append(out, escapedRef{ref: ref, n: n, raw: p.src[j:p.pos]})
			case j < len(p.src) && p.src[j] == '#' && n%2 == 0:
				text.WriteString(p.src[p.pos : p.pos+n/2])
				p.pos = j // the directive runs
			case j < len(p.src) && p.src[j] == '#':
				text.WriteString(p.src[p.pos:p.pos+n/2] + "#")
				p.pos = j + 1 // the directive is text
			default:
				text.WriteString(p.src[p.pos:j])
				p.pos = j
			}
		case c == '$' && p.refAhead():
			ref, err := p.ref()
			if err != nil {
				return nil, "", err
			}
			flush()
			out = append(out, ref)
			braces, err := p.braceAfterRef(ref)
			if err != nil {
				return nil, "", err
			}
			if braces > 0 {
				out = append(out, textNode(strings.Repeat("{", braces)))
			}
		case c == '#':
			name, brace := p.directiveName()
			switch {
			case strings.HasPrefix(p.rest(), "##"):
				p.skipLine()
			case strings.HasPrefix(p.rest(), "#*"):
				end := strings.Index(p.src[p.pos+2:], "*#")
				if end < 0 {
					return nil, "", p.errf(p.pos, "unterminated #* comment")
				}
				p.pos += 2 + end + 2
			case strings.HasPrefix(p.rest(), "#[["):
				end := strings.Index(p.src[p.pos+3:], "]]#")
				if end < 0 {
					return nil, "", p.errf(p.pos, "unterminated #[[ block")
				}
				text.WriteString(p.src[p.pos+3 : p.pos+3+end])
				p.pos += 3 + end + 3
			case name == "elseif" || name == "else" || name == "end":
				for _, s := range stops {
					if s == name {
						p.trimLine(&text, &out)
						flush()
						return out, name, nil
					}
				}
				return nil, "", p.errf(p.pos, "#%s without #if or #foreach", name)
			case name == "set" || name == "if" || name == "foreach" || name == "break" || name == "stop":
				lineStart := p.trimLine(&text, &out)
				if name == "set" && afterRef(out) && strings.Trim(text.String(), " \t") == "" {
					// Velocity 1.7 lexes the spaces and tabs between a
					// reference and #set as part of the #set.
					text.Reset()
				}
				flush()
				start := p.pos
				p.pos += 1 + len(name)
				if brace {
					p.pos += 2
				}
				n, err := p.directive(name, start)
				if err != nil {
					return nil, "", err
				}
				out = append(out, n)
				p.gobble(lineStart || name == "set")
			case contains(unsupported, name):
				return nil, "", p.errf(p.pos, "#%s is not available in API Gateway mapping templates", name)
			default:
				text.WriteByte('#')
				p.pos++
			}
		default:
			text.WriteByte(c)
			p.pos++
		}
	}
	flush()
	return out, "", nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// directiveName reads the name after '#' (or inside #{...}) without
// consuming it.
func (p *parser) directiveName() (string, bool) {
	i := p.pos + 1
	brace := false
	if i < len(p.src) && p.src[i] == '{' {
		brace = true
		i++
	}
	j := i
	for j < len(p.src) && 'a' <= p.src[j] && p.src[j] <= 'z' {
		j++
	}
	// A directive's name is a whole identifier: #end1 is not #end.
	for j > i && j < len(p.src) && (isIdentStart(p.src[j]) || '0' <= p.src[j] && p.src[j] <= '9' || p.src[j] == '-') {
		j++
	}
	name := p.src[i:j]
	if brace && (j >= len(p.src) || p.src[j] != '}') {
		return "", false
	}
	return name, brace
}

// afterRef reports whether the last node parsed is a reference.
func afterRef(out []node) bool {
	if len(out) == 0 {
		return false
	}
	switch out[len(out)-1].(type) {
	case *refNode, escapedRef:
		return true
	}
	return false
}

// refAt reports whether a reference starts at i.
func (p *parser) refAt(i int) bool {
	saved := p.pos
	p.pos = i
	ok := p.refAhead()
	p.pos = saved
	return ok
}

func (p *parser) skipLine() {
	nl := strings.IndexByte(p.rest(), '\n')
	if nl < 0 {
		p.pos = len(p.src)
		return
	}
	p.pos += nl + 1
}

// trimLine drops the whitespace before a directive when nothing else
// precedes it on its line, and reports whether that was so: a directive
// alone on its line renders no line at all.
func (p *parser) trimLine(text *strings.Builder, _ *[]node) bool {
	if !p.lineStartOfSource(p.pos) {
		return false
	}
	s := text.String()
	i := len(s)
	for i > 0 && (s[i-1] == ' ' || s[i-1] == '\t') {
		i--
	}
	text.Reset()
	text.WriteString(s[:i])
	return true
}

func (p *parser) lineStartOfSource(offset int) bool {
	for i := offset - 1; i >= 0; i-- {
		switch p.src[i] {
		case ' ', '\t':
			continue
		case '\n':
			return true
		}
		return false
	}
	return true
}

// gobble drops the rest of a directive's line (whitespace and the newline)
// when the directive stood alone on it.
func (p *parser) gobble(alone bool) {
	if !alone {
		return
	}
	i := p.pos
	for i < len(p.src) && (p.src[i] == ' ' || p.src[i] == '\t') {
		i++
	}
	if i < len(p.src) && p.src[i] == '\n' {
		p.pos = i + 1
	} else if i == len(p.src) {
		p.pos = i
	}
}

func (p *parser) directive(name string, start int) (node, error) {
	switch name {
	case "break":
		return breakNode{}, nil
	case "stop":
		return stopNode{}, nil
	}
	p.space()
	if !strings.HasPrefix(p.rest(), "(") {
		return nil, p.errf(start, "#%s needs (", name)
	}
	p.pos++
	switch name {
	case "set":
		p.space()
		if !strings.HasPrefix(p.rest(), "$") {
			return nil, p.errf(p.pos, "#set needs a reference to assign to")
		}
		target, err := p.ref()
		if err != nil {
			return nil, err
		}
		if target.name == "" {
			return nil, p.errf(start, "#set needs a variable name after $")
		}
		for _, part := range target.parts {
			if part.call || part.isIdx {
				return nil, p.errf(start, "#set can assign only to a variable or a property")
			}
		}
		p.space()
		if !strings.HasPrefix(p.rest(), "=") {
			return nil, p.errf(p.pos, "#set needs =")
		}
		p.pos++
		v, err := p.expr()
		if err != nil {
			return nil, err
		}
		if err := p.close(start, name); err != nil {
			return nil, err
		}
		return &setNode{target: target, value: v}, nil
	case "foreach":
		p.space()
		if !strings.HasPrefix(p.rest(), "$") {
			return nil, p.errf(p.pos, "#foreach needs a loop variable")
		}
		v, err := p.ref()
		if err != nil {
			return nil, err
		}
		p.space()
		if !strings.HasPrefix(p.rest(), "in") {
			return nil, p.errf(p.pos, "#foreach needs in")
		}
		p.pos += 2
		list, err := p.expr()
		if err != nil {
			return nil, err
		}
		if err := p.close(start, name); err != nil {
			return nil, err
		}
		p.gobble(true)
		body, stop, err := p.nodes([]string{"end"})
		if err != nil {
			return nil, err
		}
		if stop != "end" {
			return nil, p.errf(start, "#foreach without #end")
		}
		p.consumeDirective("end")
		return &foreachNode{varName: v.name, list: list, body: body}, nil
	case "if":
		n := &ifNode{}
		cond, err := p.expr()
		if err != nil {
			return nil, err
		}
		if err := p.close(start, name); err != nil {
			return nil, err
		}
		p.gobble(true)
		n.conds = append(n.conds, cond)
		for {
			body, stop, err := p.nodes([]string{"elseif", "else", "end"})
			if err != nil {
				return nil, err
			}
			n.bodies = append(n.bodies, body)
			switch stop {
			case "end":
				p.consumeDirective("end")
				return n, nil
			case "else":
				if len(n.bodies) > len(n.conds) {
					return nil, p.errf(p.pos, "#else after #else")
				}
				p.consumeDirective("else")
				p.gobble(true)
			case "elseif":
				if len(n.bodies) > len(n.conds) {
					return nil, p.errf(p.pos, "#elseif after #else")
				}
				at := p.pos
				p.consumeDirective("elseif")
				p.space()
				if !strings.HasPrefix(p.rest(), "(") {
					return nil, p.errf(at, "#elseif needs (")
				}
				p.pos++
				c, err := p.expr()
				if err != nil {
					return nil, err
				}
				if err := p.close(at, "elseif"); err != nil {
					return nil, err
				}
				p.gobble(true)
				n.conds = append(n.conds, c)
			default:
				return nil, p.errf(start, "#if without #end")
			}
		}
	}
	return nil, p.errf(start, "unknown directive #%s", name)
}

func (p *parser) consumeDirective(name string) {
	if strings.HasPrefix(p.rest(), "#{") {
		p.pos += 3 + len(name)
	} else {
		p.pos += 1 + len(name)
	}
	if name == "end" {
		p.gobble(true)
	}
}

func (p *parser) close(start int, name string) error {
	p.space()
	if !strings.HasPrefix(p.rest(), ")") {
		return p.errf(start, "#%s: expected ) but found %q", name, head(p.rest()))
	}
	p.pos++
	return nil
}

func head(s string) string {
	if len(s) > 12 {
		return s[:12] + "..."
	}
	return s
}

func (p *parser) space() {
	for p.pos < len(p.src) && strings.IndexByte(" \t\r\n", p.src[p.pos]) >= 0 {
		p.pos++
	}
}

// refAhead reports whether a reference starts at p.pos ('$').
func (p *parser) refAhead() bool {
	i := p.pos + 1
	if i < len(p.src) && p.src[i] == '!' {
		i++
	}
	if i < len(p.src) && p.src[i] == '{' {
		i++
	}
	return i < len(p.src) && isIdentStart(p.src[i])
}

// ref parses $name, $!name, ${name}, $!{name} and their .member,
// .method(args) and [index] chains. A chain stops at anything that does
// not continue it, so "$a." is $a then ".".
func (p *parser) ref() (*refNode, error) {
	start := p.pos
	p.pos++
	r := &refNode{}
	if p.pos < len(p.src) && p.src[p.pos] == '!' {
		r.quiet = true
		p.pos++
	}
	formal := false
	if p.pos < len(p.src) && p.src[p.pos] == '{' {
		formal = true
		p.pos++
	}
	r.name = p.ident()
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == '.' && p.pos+1 < len(p.src) && isIdentStart(p.src[p.pos+1]) {
			p.pos++
			part := refPart{name: p.ident()}
			if p.pos < len(p.src) && p.src[p.pos] == '(' {
				p.pos++
				part.call = true
				args, err := p.args(')')
				if err != nil {
					return nil, err
				}
				part.args = args
			}
			r.parts = append(r.parts, part)
			continue
		}
		if c == '[' {
			p.pos++
			idx, err := p.closed("]")
			if err != nil {
				return nil, err
			}
			r.parts = append(r.parts, refPart{index: idx, isIdx: true})
			continue
		}
		break
	}
	if formal {
		if !strings.HasPrefix(p.rest(), "}") {
			return nil, p.errf(start, "${ without }")
		}
		p.pos++
	}
	r.raw = p.src[start:p.pos]
	return r, nil
}

// ident reads a Velocity 1.7 identifier, which may hold hyphens after its
// first character: $a-1 is the reference "a-1", not $a minus 1.
func (p *parser) ident() string {
	start := p.pos
	for p.pos < len(p.src) && (isIdent(p.src[p.pos]) || p.pos > start && p.src[p.pos] == '-') {
		p.pos++
	}
	return p.src[start:p.pos]
}

// braceAfterRef copies a Velocity 1.7 parser quirk. Its lexer stays in
// its reference state after an informal reference, where "{" is a token
// of its own: rendered as "{", but when a name (with .name and [index]
// after it) or a whole reference ($b.m(x)...) follows, that is read as
// the inside of ${...}, must close with "}" right after it (anything else
// is a parse error), and renders nothing. "{{" keeps the state. So $a{$b}
// renders $a and "{", and $a{ $b} renders $a, "{ " and $b. It reports how
// many "{" to render after the reference.
func (p *parser) braceAfterRef(ref *refNode) (int, error) {
	if strings.HasPrefix(ref.raw, "${") || strings.HasPrefix(ref.raw, "$!{") {
		return 0, nil
	}
	n := 0
	for strings.HasPrefix(p.rest(), "{") {
		i := p.pos + 1
		if i < len(p.src) && p.src[i] == '{' {
			n++
			p.pos++
			continue
		}
		switch {
		case i < len(p.src) && p.src[i] == '$' && p.refAt(i) && !strings.HasPrefix(p.src[i:], "${") && !strings.HasPrefix(p.src[i:], "$!{"):
			start := p.pos
			p.pos = i
			if _, err := p.ref(); err != nil {
				return 0, err
			}
			return n + 1, p.closeBrace(start)
		case i < len(p.src) && isIdentStart(p.src[i]):
			start := p.pos
			p.pos = i
			p.ident()
			for p.pos < len(p.src) {
				switch {
				case p.src[p.pos] == '.' && p.pos+1 < len(p.src) && isIdentStart(p.src[p.pos+1]):
					p.pos++
					p.ident()
					continue
				case p.src[p.pos] == '[':
					p.pos++
					if _, err := p.closed("]"); err != nil {
						return 0, err
					}
					continue
				}
				break
			}
			return n + 1, p.closeBrace(start)
		}
		break
	}
	return n, nil
}

func (p *parser) closeBrace(start int) error {
	if !strings.HasPrefix(p.rest(), "}") {
		return p.errf(start, "Velocity 1.7 reads %q after a reference as the inside of ${...}, so it must close with } right there: write ${...} for the reference, or put a space after {", p.src[start:p.pos])
	}
	p.pos++
	return nil
}

func (p *parser) args(closer byte) ([]expr, error) {
	var out []expr
	for {
		p.space()
		if p.pos < len(p.src) && p.src[p.pos] == closer {
			p.pos++
			return out, nil
		}
		if len(out) > 0 {
			if !strings.HasPrefix(p.rest(), ",") {
				return nil, p.errf(p.pos, "expected , or %c", closer)
			}
			p.pos++
		}
		e, err := p.param()
		if err != nil {
			return nil, err
		}
		out = append(out, e)
		if p.pos >= len(p.src) {
			return nil, p.errf(p.pos, "missing %c", closer)
		}
	}
}

// Expressions, lowest precedence first.

func (p *parser) expr() (expr, error) { return p.binary(0) }

// closed parses an expression followed by closer.
func (p *parser) closed(closer string) (expr, error) {
	e, err := p.expr()
	if err != nil {
		return nil, err
	}
	p.space()
	if !strings.HasPrefix(p.rest(), closer) {
		return nil, p.errf(p.pos, "expected %s", closer)
	}
	p.pos += len(closer)
	return e, nil
}

var levels = [][]string{
	{"||", "or"},
	{"&&", "and"},
	{"==", "!=", "eq", "ne"},
	{"<=", ">=", "<", ">", "le", "ge", "lt", "gt"},
	{"+", "-"},
	{"*", "/", "%"},
}

var wordOps = map[string]string{"or": "||", "and": "&&", "eq": "==", "ne": "!=", "le": "<=", "ge": ">=", "lt": "<", "gt": ">", "not": "!"}

func (p *parser) binary(level int) (expr, error) {
	if level == len(levels) {
		return p.unary()
	}
	l, err := p.binary(level + 1)
	if err != nil {
		return nil, err
	}
	for {
		p.space()
		op := p.operator(levels[level])
		if op == "" {
			return l, nil
		}
		r, err := p.binary(level + 1)
		if err != nil {
			return nil, err
		}
		l = &binExpr{op: op, l: l, r: r}
	}
}

func (p *parser) operator(ops []string) string {
	rest := p.rest()
	for _, op := range ops {
		if !strings.HasPrefix(rest, op) {
			continue
		}
		if isIdentStart(op[0]) {
			if len(rest) > len(op) && isIdent(rest[len(op)]) {
				continue
			}
		} else if (op == "<" || op == ">") && strings.HasPrefix(rest, op+"=") {
			continue
		} else if op == "-" && len(rest) > 1 && '0' <= rest[1] && rest[1] <= '9' {
			// Velocity 1.7 lexes -1 as a negative number wherever it
			// stands, so "3 -1" is two numbers, not a subtraction.
			continue
		}
		p.pos += len(op)
		if w, ok := wordOps[op]; ok {
			return w
		}
		return op
	}
	return ""
}

func (p *parser) unary() (expr, error) {
	p.space()
	rest := p.rest()
	if strings.HasPrefix(rest, "!") && !strings.HasPrefix(rest, "!=") || strings.HasPrefix(rest, "not") && (len(rest) == 3 || !isIdent(rest[3])) {
		if rest[0] == '!' {
			p.pos++
		} else {
			p.pos += 3
		}
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &unaryExpr{op: "!", x: x}, nil
	}
	if strings.HasPrefix(rest, "-") && len(rest) > 1 && '0' <= rest[1] && rest[1] <= '9' {
		p.pos++
		x, err := p.primary()
		if err != nil {
			return nil, err
		}
		return &unaryExpr{op: "-", x: x}, nil
	}
	return p.primary()
}

func (p *parser) primary() (expr, error) {
	p.space()
	if p.pos >= len(p.src) {
		return nil, p.errf(p.pos, "unexpected end of template in an expression")
	}
	start := p.pos
	switch c := p.src[p.pos]; {
	case c == '"':
		lit, err := p.quoted('"')
		if err != nil {
			return nil, err
		}
		sub := &parser{src: lit}
		nodes, stop, err := sub.nodes(nil)
		if err != nil {
			return nil, p.errf(start, "in string: %v", err)
		}
		if stop != "" {
			return nil, p.errf(start, "in string: stray #%s", stop)
		}
		return &strExpr{nodes: nodes}, nil
	case c == '\'':
		lit, err := p.quoted('\'')
		if err != nil {
			return nil, err
		}
		return litExpr{lit}, nil
	case c == '$':
		if !p.refAhead() {
			return nil, p.errf(p.pos, "expected a reference after $")
		}
		return p.ref()
	case c == '(':
		p.pos++
		return p.closed(")")
	case c == '[':
		p.pos++
		p.space()
		if strings.HasPrefix(p.rest(), "]") {
			p.pos++
			return &listExpr{}, nil
		}
		first, err := p.param()
		if err != nil {
			return nil, err
		}
		p.space()
		if strings.HasPrefix(p.rest(), "..") {
			p.pos += 2
			to, err := p.closed("]")
			if err != nil {
				return nil, err
			}
			return &rangeExpr{from: first, to: to}, nil
		}
		l := &listExpr{items: []expr{first}}
		more, err := p.restOfList()
		if err != nil {
			return nil, err
		}
		l.items = append(l.items, more...)
		return l, nil
	case c == '{':
		p.pos++
		m := &mapExpr{}
		for {
			p.space()
			if strings.HasPrefix(p.rest(), "}") {
				p.pos++
				return m, nil
			}
			if len(m.keys) > 0 {
				if !strings.HasPrefix(p.rest(), ",") {
					return nil, p.errf(p.pos, "expected , or } in a map")
				}
				p.pos++
			}
			k, err := p.param()
			if err != nil {
				return nil, err
			}
			p.space()
			if !strings.HasPrefix(p.rest(), ":") {
				return nil, p.errf(p.pos, "expected : in a map")
			}
			p.pos++
			v, err := p.param()
			if err != nil {
				return nil, err
			}
			m.keys, m.vals = append(m.keys, k), append(m.vals, v)
		}
	case '0' <= c && c <= '9' || c == '.' && p.pos+1 < len(p.src) && '0' <= p.src[p.pos+1] && p.src[p.pos+1] <= '9':
		if j, ok := floatLiteral(p.src, p.pos); ok {
			f, err := strconv.ParseFloat(strings.TrimSuffix(p.src[p.pos:j], "."), 64)
			if err != nil {
				return nil, p.errf(p.pos, "bad number")
			}
			p.pos = j
			return litExpr{f}, nil
		}
		j := p.pos
		for j < len(p.src) && '0' <= p.src[j] && p.src[j] <= '9' {
			j++
		}
		n, err := strconv.ParseInt(p.src[p.pos:j], 10, 64)
		if err != nil {
			// Beyond a long, Velocity 1.7 reads a BigInteger.
			if b, ok := new(big.Int).SetString(p.src[p.pos:j], 10); ok {
				p.pos = j
				return litExpr{b}, nil
			}
			return nil, p.errf(p.pos, "bad number")
		}
		p.pos = j
		return litExpr{n}, nil
	case isIdentStart(c):
		w := p.ident()
		switch w {
		case "true":
			return litExpr{true}, nil
		case "false":
			return litExpr{false}, nil
		case "null":
			return nil, p.errf(start, "Velocity has no null literal: leave the variable unset, or use \"\"")
		}
		return nil, p.errf(start, "unexpected word %q in an expression", w)
	}
	return nil, p.errf(p.pos, "unexpected %q in an expression", head(p.rest()))
}

// floatLiteral reports where a Velocity 1.7 floating-point literal that
// starts at i ends: digits with a point and maybe more digits (1., 1.5),
// a point and digits (.5), or digits with an exponent (1e3), the first
// two maybe with one too. "1..3" is a range, not the float "1.".
func floatLiteral(src string, i int) (int, bool) {
	digits := func(j int) int {
		for j < len(src) && '0' <= src[j] && src[j] <= '9' {
			j++
		}
		return j
	}
	j := digits(i)
	point := false
	if j < len(src) && src[j] == '.' && !strings.HasPrefix(src[j:], "..") {
		point = true
		j = digits(j + 1)
	}
	if j < len(src) && (src[j] == 'e' || src[j] == 'E') {
		k := j + 1
		if k < len(src) && (src[k] == '+' || src[k] == '-') {
			k++
		}
		if e := digits(k); e > k {
			return e, true
		}
	}
	return j, point
}

func (p *parser) restOfList() ([]expr, error) {
	var out []expr
	for {
		p.space()
		if strings.HasPrefix(p.rest(), "]") {
			p.pos++
			return out, nil
		}
		if !strings.HasPrefix(p.rest(), ",") {
			return nil, p.errf(p.pos, "expected , or ] in a list")
		}
		p.pos++
		e, err := p.param()
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
}

// param reads what Velocity 1.7 takes as a method argument, a list or
// map element or a range bound: a literal (a negative number included),
// a reference, a list, a map or a range, never an expression with an
// operator.
func (p *parser) param() (expr, error) {
	start := p.pos
	e, err := p.expr()
	if err != nil {
		return nil, err
	}
	switch x := e.(type) {
	case binExpr, *binExpr:
		return nil, p.errf(start, "Velocity 1.7 takes a literal or a reference here, not an expression: #set a variable to it first")
	case unaryExpr:
		if _, ok := x.x.(litExpr); !ok || x.op != "-" {
			return nil, p.errf(start, "Velocity 1.7 takes a literal or a reference here, not an expression: #set a variable to it first")
		}
	case *unaryExpr:
		if _, ok := x.x.(litExpr); !ok || x.op != "-" {
			return nil, p.errf(start, "Velocity 1.7 takes a literal or a reference here, not an expression: #set a variable to it first")
		}
	}
	return e, nil
}

// quoted reads a string literal. A backslash is not an escape; a doubled
// quote is one quote character.
func (p *parser) quoted(q byte) (string, error) {
	start := p.pos
	p.pos++
	var b strings.Builder
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == q {
			if p.pos+1 < len(p.src) && p.src[p.pos+1] == q {
				b.WriteByte(q)
				p.pos += 2
				continue
			}
			p.pos++
			return b.String(), nil
		}
		if c == '\\' && p.pos+5 < len(p.src) && p.src[p.pos+1] == 'u' {
			if r, err := strconv.ParseUint(p.src[p.pos+2:p.pos+6], 16, 32); err == nil {
				b.WriteRune(rune(r))
				p.pos += 6
				continue
			}
		}
		b.WriteByte(c)
		p.pos++
	}
	return "", p.errf(start, "unterminated string")
}
