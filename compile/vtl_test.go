package compile

// A small interpreter for the Velocity subset that this package's mapping
// templates use, so that the tests run the template text itself rather than
// re-deriving it from the spec: references and method chains, #set,
// #if/#elseif/#else/#end, Velocity string literals (no backslash escapes;
// "..." interpolates references), Java's replaceAll with a leading negative
// lookbehind, and $input/$util/$context as API Gateway defines them. What
// it does not know is a test failure, never a silent empty string.
//
// Where API Gateway's behaviour is undocumented, the interpreter runs each
// variant (see vtlVariant), and the templates must be right under all.

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
)

// vtlVariant selects undocumented behaviours.
type vtlVariant struct {
	velocity2     bool // #if truthiness and #set of null as in Velocity 2.x
	keepSlash     bool // escapeJavaScript leaves / alone
	keepNonASCII  bool // escapeJavaScript leaves non-ASCII alone
	keepApostroph bool // escapeJavaScript leaves ' alone
}

func allVariants() []vtlVariant {
	var out []vtlVariant
	for i := 0; i < 16; i++ {
		out = append(out, vtlVariant{i&1 != 0, i&2 != 0, i&4 != 0, i&8 != 0})
	}
	return out
}

// vtlRequest is what the template sees of the HTTP request.
type vtlRequest struct {
	path, query, header map[string]string
	body                string
}

type vtlEnv struct {
	v       vtlVariant
	req     vtlRequest
	body    any // the parsed body, once it is needed
	vars    map[string]any
	context map[string]any
}

type inputObj struct{}
type utilObj struct{}

// escapeJavaScript follows Apache Commons Lang StringEscapeUtils.escapeJavaScript:
// it works on UTF-16 code units, so a character outside the BMP becomes a
// surrogate pair of \uXXXX escapes.
func (e *vtlEnv) escapeJavaScript(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\'' && !e.v.keepApostroph:
			b.WriteString(`\'`)
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '/' && !e.v.keepSlash:
			b.WriteString(`\/`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\f':
			b.WriteString(`\f`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20:
			fmt.Fprintf(&b, `\u%04X`, r)
		case r > 0x7f && !e.v.keepNonASCII:
			for _, u := range utf16.Encode([]rune{r}) {
				fmt.Fprintf(&b, `\u%04X`, u)
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// javaReplaceAll implements String.replaceAll for the regexes the templates
// use. RE2 has no lookbehind, so a leading (?<!\\) is checked by hand at each
// match, and the search resumes one character later when it fails, as
// java.util.regex would.
func javaReplaceAll(s, pattern, repl string) (string, error) {
	var notAfter byte
	hasLookbehind := false
	if strings.HasPrefix(pattern, `(?<!\\)`) {
		hasLookbehind, notAfter, pattern = true, '\\', strings.TrimPrefix(pattern, `(?<!\\)`)
	}
	if strings.Contains(pattern, "(?<") || strings.Contains(pattern, "(?=") || strings.Contains(pattern, "(?!") {
		return "", fmt.Errorf("unsupported regex construct in %q", pattern)
	}
	re, err := compileRegex(pattern)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	last := 0
	for pos := 0; pos <= len(s); {
		loc := re.FindStringSubmatchIndex(s[pos:])
		if loc == nil {
			break
		}
		start, end := pos+loc[0], pos+loc[1]
		if hasLookbehind && start > 0 && s[start-1] == notAfter {
			pos = start + 1
			continue
		}
		b.WriteString(s[last:start])
		for i := 0; i < len(repl); i++ {
			switch c := repl[i]; {
			case c == '\\' && i+1 < len(repl):
				i++
				b.WriteByte(repl[i])
			case c == '$' && i+1 < len(repl) && repl[i+1] >= '0' && repl[i+1] <= '9':
				g := int(repl[i+1] - '0')
				i++
				if 2*g+1 < len(loc) && loc[2*g] >= 0 {
					b.WriteString(s[pos+loc[2*g] : pos+loc[2*g+1]])
				}
			default:
				b.WriteByte(c)
			}
		}
		last = end
		if end == start {
			if end < len(s) {
				b.WriteByte(s[end])
			}
			end++
			last = end
		}
		pos = end
	}
	if last < len(s) {
		b.WriteString(s[last:])
	}
	return b.String(), nil
}

var regexCache sync.Map // pattern -> *regexp.Regexp

func compileRegex(pattern string) (*regexp.Regexp, error) {
	if re, ok := regexCache.Load(pattern); ok {
		return re.(*regexp.Regexp), nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, fmt.Errorf("regex %q: %v", pattern, err)
	}
	regexCache.Store(pattern, re)
	return re, nil
}

// jsonPath evaluates $ or $.a.b against the body. An empty body is {}.
func (e *vtlEnv) jsonPath(path string) (any, bool, error) {
	if e.body == nil {
		if strings.TrimSpace(e.req.body) == "" {
			e.body = map[string]any{}
		} else if err := json.Unmarshal([]byte(e.req.body), &e.body); err != nil {
			return nil, false, fmt.Errorf("body is not JSON: %v", err)
		}
	}
	v := e.body
	if path == "$" {
		return v, true, nil
	}
	if !strings.HasPrefix(path, "$.") {
		return nil, false, fmt.Errorf("unsupported JSONPath %q", path)
	}
	for _, k := range strings.Split(path[2:], ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false, nil
		}
		if v, ok = m[k]; !ok {
			return nil, false, nil
		}
	}
	return v, true, nil
}

func marshalJSON(v any) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return strings.TrimSuffix(b.String(), "\n")
}

// --- parsing and evaluation ---

type vtlParser struct {
	src string
	pos int
	env *vtlEnv
	out *strings.Builder
}

func renderVTL(src string, env *vtlEnv) (string, error) {
	if env.vars == nil {
		env.vars = map[string]any{}
	}
	if env.context == nil {
		env.context = map[string]any{}
	}
	var out strings.Builder
	p := &vtlParser{src: src, env: env, out: &out}
	if err := p.block(true, nil); err != nil {
		return "", fmt.Errorf("at offset %d: %w", p.pos, err)
	}
	if p.pos < len(p.src) {
		return "", fmt.Errorf("unexpected %q at offset %d", p.src[p.pos:min(p.pos+10, len(p.src))], p.pos)
	}
	return out.String(), nil
}

// block renders (or, with emit false, skips) text and directives until a
// directive in stop (#elseif, #else, #end) or the end.
func (p *vtlParser) block(emit bool, stop []string) error {
	for p.pos < len(p.src) {
		rest := p.src[p.pos:]
		switch {
		case strings.HasPrefix(rest, "##"):
			nl := strings.IndexByte(rest, '\n')
			if nl < 0 {
				p.pos = len(p.src)
			} else {
				p.pos += nl + 1
			}
		case strings.HasPrefix(rest, "#set("):
			p.pos += len("#set(")
			if err := p.set(emit); err != nil {
				return err
			}
			p.gobbleNewline()
		case strings.HasPrefix(rest, "#if("):
			p.pos += len("#if(")
			if err := p.ifBlock(emit); err != nil {
				return err
			}
		case strings.HasPrefix(rest, "#elseif(") || strings.HasPrefix(rest, "#else") || strings.HasPrefix(rest, "#end"):
			for _, s := range stop {
				if strings.HasPrefix(rest, s) {
					return nil
				}
			}
			return fmt.Errorf("unexpected %s", rest[:min(len(rest), 7)])
		case strings.HasPrefix(rest, "#") && len(rest) > 1 && isLetter(rest[1]):
			return fmt.Errorf("unsupported directive %q", rest[:min(len(rest), 12)])
		case rest[0] == '$' && len(rest) > 1 && (isLetter(rest[1]) || rest[1] == '!'):
			start := p.pos
			v, err := p.reference(emit)
			if err != nil {
				return err
			}
			if emit {
				p.out.WriteString(p.text(v, p.src[start:p.pos]))
			}
		default:
			if emit {
				p.out.WriteByte(rest[0])
			}
			p.pos++
		}
	}
	if stop != nil {
		return fmt.Errorf("missing #end")
	}
	return nil
}

// gobbleNewline drops the newline after a directive line, as Velocity does.
func (p *vtlParser) gobbleNewline() {
	if p.pos < len(p.src) && p.src[p.pos] == '\n' {
		p.pos++
	}
}

func (p *vtlParser) text(v any, literal string) string {
	switch x := v.(type) {
	case nil:
		if strings.HasPrefix(literal, "$!") {
			return ""
		}
		return literal
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}

func (p *vtlParser) ifBlock(emit bool) error {
	done := false
	cond, err := p.expr(emit)
	if err != nil {
		return err
	}
	if err := p.expect(")"); err != nil {
		return err
	}
	take := emit && p.truthy(cond)
	for {
		if err := p.block(take, []string{"#elseif(", "#else", "#end"}); err != nil {
			return err
		}
		done = done || take
		rest := p.src[p.pos:]
		switch {
		case strings.HasPrefix(rest, "#elseif("):
			p.pos += len("#elseif(")
			c, err := p.expr(emit && !done)
			if err != nil {
				return err
			}
			if err := p.expect(")"); err != nil {
				return err
			}
			take = emit && !done && p.truthy(c)
		case strings.HasPrefix(rest, "#end"):
			p.pos += len("#end")
			p.gobbleNewline()
			return nil
		case strings.HasPrefix(rest, "#else"):
			p.pos += len("#else")
			take = emit && !done
		}
	}
}

func (p *vtlParser) truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		return !p.env.v.velocity2 || x != ""
	case int:
		return !p.env.v.velocity2 || x != 0
	}
	return true
}

func (p *vtlParser) set(emit bool) error {
	p.space()
	if !strings.HasPrefix(p.src[p.pos:], "$") {
		return fmt.Errorf("#set needs a reference")
	}
	p.pos++
	var names []string
	for {
		names = append(names, p.ident())
		if p.pos < len(p.src) && p.src[p.pos] == '.' {
			p.pos++
			continue
		}
		break
	}
	p.space()
	if err := p.expect("="); err != nil {
		return err
	}
	v, err := p.expr(emit)
	if err != nil {
		return err
	}
	if err := p.expect(")"); err != nil {
		return err
	}
	if !emit {
		return nil
	}
	if v == nil && !p.env.v.velocity2 {
		return nil // Velocity 1.7 leaves the target unchanged
	}
	if len(names) == 1 {
		p.env.vars[names[0]] = v
		return nil
	}
	if names[0] != "context" {
		return fmt.Errorf("cannot set $%s", strings.Join(names, "."))
	}
	m := p.env.context
	for _, n := range names[1 : len(names)-1] {
		next, ok := m[n].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[n] = next
		}
		m = next
	}
	m[names[len(names)-1]] = v
	return nil
}

func (p *vtlParser) expect(s string) error {
	p.space()
	if !strings.HasPrefix(p.src[p.pos:], s) {
		return fmt.Errorf("expected %q at %q", s, p.src[p.pos:min(len(p.src), p.pos+10)])
	}
	p.pos += len(s)
	return nil
}

func (p *vtlParser) space() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t') {
		p.pos++
	}
}

func isLetter(c byte) bool { return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func (p *vtlParser) ident() string {
	start := p.pos
	for p.pos < len(p.src) && (isLetter(p.src[p.pos]) || '0' <= p.src[p.pos] && p.src[p.pos] <= '9' || p.src[p.pos] == '-') {
		p.pos++
	}
	return p.src[start:p.pos]
}

func (p *vtlParser) expr(emit bool) (any, error) {
	left, err := p.unary(emit)
	if err != nil {
		return nil, err
	}
	for {
		p.space()
		if !strings.HasPrefix(p.src[p.pos:], "||") {
			return left, nil
		}
		p.pos += 2
		lt := p.truthy(left)
		right, err := p.unary(emit && !lt) // || short-circuits
		if err != nil {
			return nil, err
		}
		left = lt || p.truthy(right)
	}
}

func (p *vtlParser) unary(emit bool) (any, error) {
	p.space()
	if strings.HasPrefix(p.src[p.pos:], "!") && !strings.HasPrefix(p.src[p.pos:], "!=") {
		p.pos++
		v, err := p.unary(emit)
		return !p.truthy(v), err
	}
	left, err := p.primary(emit)
	if err != nil {
		return nil, err
	}
	p.space()
	for _, op := range []string{"==", "!="} {
		if strings.HasPrefix(p.src[p.pos:], op) {
			p.pos += 2
			right, err := p.primary(emit)
			if err != nil {
				return nil, err
			}
			eq := fmt.Sprint(left) == fmt.Sprint(right) && (left == nil) == (right == nil)
			return eq == (op == "=="), nil
		}
	}
	return left, nil
}

func (p *vtlParser) primary(emit bool) (any, error) {
	p.space()
	if p.pos >= len(p.src) {
		return nil, fmt.Errorf("unexpected end of template")
	}
	switch c := p.src[p.pos]; {
	case c == '"':
		end := strings.IndexByte(p.src[p.pos+1:], '"')
		if end < 0 {
			return nil, fmt.Errorf("unterminated string")
		}
		lit := p.src[p.pos+1 : p.pos+1+end]
		p.pos += end + 2
		if strings.Contains(lit, `""`) {
			return nil, fmt.Errorf("doubled quotes are not supported")
		}
		// Interpolate references; a backslash is not an escape.
		sub := &vtlParser{src: lit, env: p.env, out: &strings.Builder{}}
		if err := sub.block(emit, nil); err != nil {
			return nil, err
		}
		return sub.out.String(), nil
	case c == '\'':
		end := strings.IndexByte(p.src[p.pos+1:], '\'')
		if end < 0 {
			return nil, fmt.Errorf("unterminated string")
		}
		lit := p.src[p.pos+1 : p.pos+1+end]
		p.pos += end + 2
		return lit, nil
	case c == '$':
		return p.reference(emit)
	case '0' <= c && c <= '9':
		start := p.pos
		for p.pos < len(p.src) && '0' <= p.src[p.pos] && p.src[p.pos] <= '9' {
			p.pos++
		}
		n, _ := strconv.Atoi(p.src[start:p.pos])
		return n, nil
	}
	return nil, fmt.Errorf("unexpected %q in expression", p.src[p.pos:min(len(p.src), p.pos+10)])
}

// reference evaluates $name(.member | .method(args))*.
func (p *vtlParser) reference(emit bool) (any, error) {
	p.pos++ // $
	if p.pos < len(p.src) && p.src[p.pos] == '!' {
		p.pos++
	}
	if p.pos < len(p.src) && p.src[p.pos] == '{' {
		return nil, fmt.Errorf("formal references ${...} are not supported")
	}
	name := p.ident()
	var v any
	switch name {
	case "input":
		v = inputObj{}
	case "util":
		v = utilObj{}
	case "context":
		v = p.env.context
	default:
		v = p.env.vars[name]
	}
	for p.pos+1 < len(p.src) && p.src[p.pos] == '.' && isLetter(p.src[p.pos+1]) {
		p.pos++
		member := p.ident()
		if p.pos < len(p.src) && p.src[p.pos] == '(' {
			p.pos++
			var args []any
			for {
				p.space()
				if strings.HasPrefix(p.src[p.pos:], ")") {
					p.pos++
					break
				}
				a, err := p.expr(emit)
				if err != nil {
					return nil, err
				}
				args = append(args, a)
				p.space()
				if strings.HasPrefix(p.src[p.pos:], ",") {
					p.pos++
				}
			}
			if !emit {
				continue
			}
			var err error
			if v, err = p.call(v, member, args); err != nil {
				return nil, err
			}
			continue
		}
		if m, ok := v.(map[string]any); ok {
			v = m[member]
			continue
		}
		if emit {
			return nil, fmt.Errorf("no property %q on %T", member, v)
		}
	}
	return v, nil
}

func (p *vtlParser) call(recv any, method string, args []any) (any, error) {
	str := func(i int) (string, error) {
		if i >= len(args) {
			return "", fmt.Errorf("%s: missing argument", method)
		}
		s, ok := args[i].(string)
		if !ok {
			return "", fmt.Errorf("%s: argument %d is %T, not a string", method, i, args[i])
		}
		return s, nil
	}
	switch r := recv.(type) {
	case inputObj:
		switch method {
		case "params":
			toMap := func(m map[string]string) map[string]any {
				out := map[string]any{}
				for k, v := range m {
					out[k] = v
				}
				return out
			}
			return map[string]any{"path": toMap(p.env.req.path), "querystring": toMap(p.env.req.query), "header": toMap(p.env.req.header)}, nil
		case "json", "path":
			jp, err := str(0)
			if err != nil {
				return nil, err
			}
			v, ok, err := p.env.jsonPath(jp)
			if err != nil {
				return nil, err
			}
			if method == "json" {
				if !ok {
					return "", nil
				}
				return marshalJSON(v), nil
			}
			return v, nil
		}
	case utilObj:
		if method == "escapeJavaScript" {
			s, err := str(0)
			if err != nil {
				return nil, err
			}
			return p.env.escapeJavaScript(s), nil
		}
	case map[string]any:
		if method == "get" {
			k, err := str(0)
			if err != nil {
				return nil, err
			}
			return r[k], nil
		}
	case string:
		if method == "matches" {
			re, err := str(0)
			if err != nil {
				return nil, err
			}
			// String.matches is a full match.
			full, err := compileRegex("^(?:" + re + ")$")
			if err != nil {
				return nil, err
			}
			return full.MatchString(r), nil
		}
		if method == "replaceAll" {
			re, err := str(0)
			if err != nil {
				return nil, err
			}
			repl, err := str(1)
			if err != nil {
				return nil, err
			}
			return javaReplaceAll(r, re, repl)
		}
	}
	return nil, fmt.Errorf("unsupported method %s on %T", method, recv)
}
