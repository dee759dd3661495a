package vtl

import (
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// JSONPath filters, [?(...)], as Jayway evaluates them for $input.json and
// $input.path: @ (the candidate) and $ (the document) paths, number,
// 'string', true, false and null literals, /regex/flags, the comparisons
// == != < <= > >= and =~, existence (a path that is present and not null),
// !, && (binding tighter than ||) and parentheses. A filter keeps the
// elements of an array it is applied to (an object: the object itself)
// for which it holds, and makes the path indefinite.
//
// Values compare as the newer Jayway releases do, which the Debian package
// (2.0.0, the differential test's reference) agrees with wherever both
// sides have the same type: numbers by value, strings as Java compares
// them, and a number equals a string that spells it. Across other types
// == is false and != true, and an ordering is false; 2.0.0 instead throws
// or compares the values' text there (see docs/render.md).

type filterExpr interface {
	holds(root, node any) (bool, error)
}

type (
	orFilter     struct{ a, b filterExpr }
	andFilter    struct{ a, b filterExpr }
	notFilter    struct{ e filterExpr }
	existsFilter struct{ p operand }
	cmpFilter    struct {
		l, r operand
		op   string
	}
)

// operand is a path (@ or $ and the segments after it) or a literal.
type operand struct {
	path  string // "@..." or "$..."; "" for a literal
	value any    // the literal: *big.Float, string, bool or nil
	re    *javaRegex
}

func (f orFilter) holds(root, node any) (bool, error) {
	ok, err := f.a.holds(root, node)
	if err != nil || ok {
		return ok, err
	}
	return f.b.holds(root, node)
}

func (f andFilter) holds(root, node any) (bool, error) {
	ok, err := f.a.holds(root, node)
	if err != nil || !ok {
		return ok, err
	}
	return f.b.holds(root, node)
}

func (f notFilter) holds(root, node any) (bool, error) {
	ok, err := f.e.holds(root, node)
	return !ok, err
}

func (f existsFilter) holds(root, node any) (bool, error) {
	v, found, err := f.p.resolve(root, node)
	return found && v != nil, err
}

func (f cmpFilter) holds(root, node any) (bool, error) {
	l, lok, err := f.l.resolve(root, node)
	if err != nil || !lok {
		return false, err
	}
	if f.op == "=~" {
		s, ok := regexSubject(l)
		if !ok {
			return false, nil
		}
		return f.r.re.matchesWhole(s)
	}
	r, rok, err := f.r.resolve(root, node)
	if err != nil || !rok {
		return false, err
	}
	switch f.op {
	case "==":
		return filterEqual(l, r), nil
	case "!=":
		return !filterEqual(l, r), nil
	}
	c, ok := filterCompare(l, r)
	if !ok {
		return false, nil
	}
	switch f.op {
	case "<":
		return c < 0, nil
	case "<=":
		return c <= 0, nil
	case ">":
		return c > 0, nil
	}
	return c >= 0, nil
}

// resolve is the operand's value; found is false for a path that leads
// nowhere.
func (o operand) resolve(root, node any) (any, bool, error) {
	if o.path == "" {
		return o.value, true, nil
	}
	base := root
	if o.path[0] == '@' {
		base = node
	}
	v, found, err := jsonPath(base, "$"+o.path[1:])
	if err != nil {
		return nil, false, err
	}
	if _, list := v.([]any); list && isIndefinite(o.path) {
		return nil, false, fmt.Errorf("JSONPath filter operand %s must name one value", o.path)
	}
	if n, ok := exactNumber(v); ok {
		return n, found, nil
	}
	return v, found, nil
}

func isIndefinite(path string) bool {
	return strings.Contains(path, "*") || strings.Contains(path, "..") || strings.Contains(path, "[?")
}

// exactNumber is a JSON number as an exact value.
func exactNumber(v any) (*big.Float, bool) {
	switch n := v.(type) {
	case int64:
		return new(big.Float).SetPrec(200).SetInt64(n), true
	case float64:
		return new(big.Float).SetPrec(200).SetFloat64(n), true
	case *big.Int:
		return new(big.Float).SetPrec(200).SetInt(n), true
	case *big.Float:
		return n, true
	}
	return nil, false
}

// parseNumber reads a number as Java's BigDecimal(String) does.
func parseNumber(s string) (*big.Float, bool) {
	t := strings.TrimPrefix(strings.TrimPrefix(s, "+"), "-")
	if t == "" || t == "." || strings.ContainsAny(t, "+-") && !strings.ContainsAny(t, "eE") {
		return nil, false
	}
	for _, c := range t {
		if !(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
			return nil, false
		}
	}
	f, _, err := big.ParseFloat(s, 10, 200, big.ToNearestEven)
	return f, err == nil
}

func filterEqual(l, r any) bool {
	if ln, ok := l.(*big.Float); ok {
		if rs, ok := r.(string); ok {
			if n, ok := parseNumber(rs); ok {
				r = n // a number equals the string that spells it
			}
		}
		rn, ok := r.(*big.Float)
		return ok && ln.Cmp(rn) == 0
	}
	if _, ok := r.(*big.Float); ok {
		return filterEqual(r, l)
	}
	switch a := l.(type) {
	case nil:
		return r == nil
	case string, bool:
		return l == r
	default:
		_, rscalar := r.(string)
		_, rbool := r.(bool)
		return r != nil && !rscalar && !rbool && toJSON(a) == toJSON(r)
	}
}

// filterCompare orders two numbers, or two strings as Java's compareTo
// does (by UTF-16 code unit).
func filterCompare(l, r any) (int, bool) {
	switch a := l.(type) {
	case *big.Float:
		b, ok := r.(*big.Float)
		if !ok {
			return 0, false
		}
		return a.Cmp(b), true
	case string:
		b, ok := r.(string)
		if !ok {
			return 0, false
		}
		return compareUnits(a, b), true
	}
	return 0, false
}

func compareUnits(a, b string) int {
	ua, ub := units(a), units(b)
	for i := 0; i < len(ua) && i < len(ub); i++ {
		if ua[i] != ub[i] {
			return int(ua[i]) - int(ub[i])
		}
	}
	return len(ua) - len(ub)
}

// regexSubject is the text =~ matches: a string, or a number's or
// boolean's text.
func regexSubject(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case bool:
		return strconv.FormatBool(x), true
	case *big.Float:
		return x.Text('g', -1), true
	}
	return "", false
}

// filterParser reads a filter after "[?(" up to and including ")]".
type filterParser struct {
	s string
	i int
}

// parseFilter parses the filter at the start of rest (just after "[?(")
// and returns it with what follows its closing ")]".
func parseFilter(rest string) (filterExpr, string, error) {
	p := &filterParser{s: rest}
	e, err := p.or(0)
	if err != nil {
		return nil, "", err
	}
	p.space()
	if !strings.HasPrefix(p.s[p.i:], ")]") {
		return nil, "", fmt.Errorf("expected )] at %q", p.s[p.i:])
	}
	return e, p.s[p.i+2:], nil
}

// maxFilterDepth bounds nesting: the parser recurses.
const maxFilterDepth = 100

func (p *filterParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n' || p.s[p.i] == '\r') {
		p.i++
	}
}

func (p *filterParser) eat(tok string) bool {
	p.space()
	if strings.HasPrefix(p.s[p.i:], tok) {
		p.i += len(tok)
		return true
	}
	return false
}

func (p *filterParser) or(depth int) (filterExpr, error) {
	return p.chain(depth, "||", p.and, func(a, b filterExpr) filterExpr { return orFilter{a, b} })
}

func (p *filterParser) and(depth int) (filterExpr, error) {
	return p.chain(depth, "&&", p.unary, func(a, b filterExpr) filterExpr { return andFilter{a, b} })
}

// chain reads operands joined by op, left to right.
func (p *filterParser) chain(depth int, op string, operand func(int) (filterExpr, error), join func(a, b filterExpr) filterExpr) (filterExpr, error) {
	e, err := operand(depth)
	for err == nil && p.eat(op) {
		var b filterExpr
		b, err = operand(depth)
		e = join(e, b)
	}
	return e, err
}

func (p *filterParser) unary(depth int) (filterExpr, error) {
	if depth > maxFilterDepth {
		return nil, fmt.Errorf("filter nested more than %d deep", maxFilterDepth)
	}
	if p.eat("!") {
		e, err := p.unary(depth + 1)
		return notFilter{e}, err
	}
	if p.eat("(") {
		e, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		if !p.eat(")") {
			return nil, errors.New("unclosed ( in filter")
		}
		return e, nil
	}
	l, err := p.operand(false)
	if err != nil {
		return nil, err
	}
	p.space()
	for _, op := range []string{"==", "!=", "<=", ">=", "=~", "<", ">"} {
		if p.eat(op) {
			r, err := p.operand(op == "=~")
			return cmpFilter{l: l, r: r, op: op}, err
		}
	}
	if l.path == "" {
		return nil, fmt.Errorf("a filter needs a path or a comparison, not a lone value, at %q", p.s[p.i:])
	}
	return existsFilter{l}, nil
}

func (p *filterParser) operand(regex bool) (operand, error) {
	p.space()
	rest := p.s[p.i:]
	switch {
	case rest == "":
		return operand{}, errors.New("filter ends too early")
	case regex:
		return p.regex()
	case rest[0] == '@' || rest[0] == '$':
		return p.path()
	case rest[0] == '\'' || rest[0] == '"':
		end := strings.IndexByte(rest[1:], rest[0])
		if end < 0 {
			return operand{}, errors.New("unterminated string in filter")
		}
		p.i += end + 2
		return operand{value: rest[1 : end+1]}, nil
	}
	end := 0
	for end < len(rest) && strings.IndexByte(" \t\r\n)&|=!<>", rest[end]) < 0 {
		end++
	}
	word := rest[:end]
	p.i += end
	switch word {
	case "true", "false":
		return operand{value: word == "true"}, nil
	case "null":
		return operand{value: nil}, nil
	}
	if n, ok := parseNumber(word); ok {
		return operand{value: n}, nil
	}
	return operand{}, fmt.Errorf("unsupported value %q in filter (use a number, 'string', true, false, null, or an @ or $ path)", word)
}

// path reads @ or $ and the segments after it: .name, ['name'], [n].
func (p *filterParser) path() (operand, error) {
	start := p.i
	p.i++
	for p.i < len(p.s) {
		switch c := p.s[p.i]; {
		case c == '[':
			end := strings.IndexByte(p.s[p.i:], ']')
			if end < 0 {
				return operand{}, errors.New("unterminated [ in filter path")
			}
			if p.s[p.i+1] == '?' {
				return operand{}, errors.New("filters cannot nest")
			}
			p.i += end + 1
		case c == '.' || c == '*' || c == '_' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80:
			p.i++
		default:
			return operand{path: p.s[start:p.i]}, nil
		}
	}
	return operand{path: p.s[start:p.i]}, nil
}

// regex reads /pattern/flags.
func (p *filterParser) regex() (operand, error) {
	rest := p.s[p.i:]
	if rest[0] != '/' {
		return operand{}, errors.New("=~ takes a /regex/")
	}
	end := 1
	for end < len(rest) && rest[end] != '/' {
		if rest[end] == '\\' {
			end++
		}
		end++
	}
	if end >= len(rest) {
		return operand{}, errors.New("unterminated /regex/ in filter")
	}
	pattern := rest[1:end]
	flags := ""
	j := end + 1
	for j < len(rest) && strings.IndexByte("idmsuxU", rest[j]) >= 0 {
		flags += rest[j : j+1]
		j++
	}
	if flags != "" {
		pattern = "(?" + flags + ")" + pattern
	}
	re, err := compileJava(pattern)
	if err != nil {
		return operand{}, err
	}
	p.i += j
	return operand{re: re}, nil
}
