package vtl

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
)

// The parser reads java.util.regex syntax (Java 17) into a tree of rxNode.
// Each character test is a predicate built at parse time with the flags in
// force there, so the matcher never looks at flags except for anchors.

type rxOp uint8

const (
	rxEmpty     rxOp = iota
	rxChar           // one character in set
	rxConcat         // subs in order
	rxAlt            // the first of subs that lets the rest match
	rxGroup          // capturing group n around subs[0]
	rxRepeat         // subs[0], min to max (-1: no bound) times
	rxLook           // lookahead or lookbehind (behind), negative (neg)
	rxAtomic         // subs[0] matched once, never backtracked into
	rxBackref        // the text group n matched (fold: ignoring case)
	rxAssert         // a zero-width test: assert
	rxLinebreak      // \R: \r\n or one vertical whitespace, atomically
)

type rxQuant uint8

const (
	greedy rxQuant = iota
	lazy
)

type rxAssertKind uint8

const (
	atBegin        rxAssertKind = iota // ^ without MULTILINE, \A
	atLineBegin                        // ^ under MULTILINE
	atEndOrFinal                       // $ without MULTILINE, \Z
	atLineEnd                          // $ under MULTILINE
	atEnd                              // \z
	atWordBound                        // \b
	atNonWordBound                     // \B
	atLastEnd                          // \G
)

type rxNode struct {
	op     rxOp
	set    func(rune) bool
	subs   []*rxNode
	min    int
	max    int
	quant  rxQuant
	n      int // group number
	neg    bool
	behind bool
	fold   bool
	unicd  bool // Unicode case folding for a backreference
	assert rxAssertKind
	unix   bool // UNIX_LINES: only \n ends a line
	// For a lookbehind: the lengths its body can match.
	minLen, maxLen int
	capture        bool // a capturing group at or below this node
	fixed          bool // a loop over a run of character tests (prepare)
}

// rxFlags are the inline flags in force.
type rxFlags struct {
	i, m, s, d, x, u bool
}

// cset is a character test, and whether Java would hold it as a
// BmpCharPredicate: one that never matches beyond U+FFFF. A pattern with
// any other test in a class, escape or single character searches pair by
// pair (Java's StartS), so that matters to where matches may start.
type cset struct {
	f   func(rune) bool
	bmp bool
}

type rxParser struct {
	p      []rune
	i      int
	groups int
	names  map[string]int
	flags  rxFlags
	depth  int
	// nonBMP is set by a character test that is not a BmpCharPredicate.
	nonBMP bool
}

// maxRegexNesting bounds how deeply groups nest: the parser recurses.
const maxRegexNesting = 200

func parseJavaRegex(pattern string) (*javaRegex, error) {
	p := &rxParser{p: removeQuoting([]rune(pattern)), names: map[string]int{}}
	n, err := p.alternation()
	if err != nil {
		return nil, err
	}
	if p.i < len(p.p) {
		return nil, errors.New("unmatched closing ')'")
	}
	prepare(n)
	r := &javaRegex{prog: n, groups: p.groups, names: p.names, supplementary: p.nonBMP, first: firstOf(n)}
	for _, c := range p.p {
		r.supplementary = r.supplementary || c > 0xffff || utf16.IsSurrogate(c)
	}
	return r, nil
}

// removeQuoting rewrites \Q...\E as escaped characters before parsing,
// as Java does, so a quantifier after \E repeats the last quoted character
// only, and quoting works inside classes too. Letters and non-ASCII
// characters stay as they are, a digit that opens a quote becomes \x3n
// (so that it cannot extend an escape before the quote), and anything else
// is escaped.
func removeQuoting(p []rune) []rune {
	i := 0
	for i < len(p)-1 && !(p[i] == '\\' && p[i+1] == 'Q') {
		if p[i] == '\\' {
			i += 2
		} else {
			i++
		}
	}
	if i >= len(p)-1 {
		return p
	}
	out := append([]rune(nil), p[:i]...)
	i += 2
	inQuote, beginQuote := true, true
	for i < len(p) {
		c := p[i]
		i++
		switch {
		case c >= 0x80 || isASCIILetter(c):
			out = append(out, c)
		case '0' <= c && c <= '9':
			if beginQuote {
				out = append(out, '\\', 'x', '3')
			}
			out = append(out, c)
		case c != '\\':
			if inQuote {
				out = append(out, '\\')
			}
			out = append(out, c)
		case inQuote:
			if i < len(p) && p[i] == 'E' {
				i++
				inQuote = false
			} else {
				out = append(out, '\\', '\\')
			}
		default:
			if i < len(p) && p[i] == 'Q' {
				i++
				inQuote, beginQuote = true, true
				continue
			}
			out = append(out, c)
			if i < len(p) {
				out = append(out, p[i])
				i++
			}
		}
		beginQuote = false
	}
	return out
}

func (p *rxParser) peek() rune {
	if p.i < len(p.p) {
		return p.p[p.i]
	}
	return -1
}

func (p *rxParser) has(s string) bool {
	r := []rune(s)
	if p.i+len(r) > len(p.p) {
		return false
	}
	for k, c := range r {
		if p.p[p.i+k] != c {
			return false
		}
	}
	return true
}

// skipSpace skips whitespace and # comments under the COMMENTS flag.
func (p *rxParser) skipSpace() {
	if !p.flags.x {
		return
	}
	for p.i < len(p.p) {
		switch c := p.p[p.i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\x0b':
			p.i++
		case c == '#':
			for p.i < len(p.p) && !isLineTerminator(p.p[p.i], false) {
				p.i++
			}
		default:
			return
		}
	}
}

func (p *rxParser) alternation() (*rxNode, error) {
	var alts []*rxNode
	for {
		n, err := p.sequence()
		if err != nil {
			return nil, err
		}
		alts = append(alts, n)
		if p.peek() != '|' {
			break
		}
		p.i++
	}
	if len(alts) == 1 {
		return alts[0], nil
	}
	return &rxNode{op: rxAlt, subs: alts}, nil
}

func (p *rxParser) sequence() (*rxNode, error) {
	var seq []*rxNode
	for {
		p.skipSpace()
		c := p.peek()
		if c == -1 || c == '|' || c == ')' {
			break
		}
		atom, err := p.atom()
		if err != nil {
			return nil, err
		}
		if atom == nil { // a flag group such as (?i): nothing to match
			continue
		}
		if atom, err = p.quantified(atom); err != nil {
			return nil, err
		}
		seq = append(seq, atom)
	}
	switch len(seq) {
	case 0:
		return &rxNode{op: rxEmpty}, nil
	case 1:
		return seq[0], nil
	}
	return &rxNode{op: rxConcat, subs: seq}, nil
}

func (p *rxParser) quantified(atom *rxNode) (*rxNode, error) {
	p.skipSpace()
	min, max := 0, 0
	switch p.peek() {
	case '*':
		min, max = 0, -1
	case '+':
		min, max = 1, -1
	case '?':
		min, max = 0, 1
	case '{':
		j := p.i + 1
		num := func() (int, bool) {
			k := j
			for j < len(p.p) && p.p[j] >= '0' && p.p[j] <= '9' {
				j++
			}
			if j == k {
				return 0, false
			}
			v, err := strconv.Atoi(string(p.p[k:j]))
			return v, err == nil
		}
		var ok bool
		if min, ok = num(); !ok {
			return nil, errors.New("illegal repetition")
		}
		max = min
		if j < len(p.p) && p.p[j] == ',' {
			j++
			max = -1
			if j < len(p.p) && p.p[j] != '}' {
				if max, ok = num(); !ok {
					return nil, errors.New("illegal repetition")
				}
				if max < min {
					return nil, errors.New("illegal repetition range")
				}
			}
		}
		if j >= len(p.p) || p.p[j] != '}' {
			return nil, errors.New("unclosed counted closure")
		}
		p.i = j
	default:
		return atom, nil
	}
	p.i++
	n := &rxNode{op: rxRepeat, subs: []*rxNode{atom}, min: min, max: max}
	switch p.peek() {
	case '?':
		p.i++
		n.quant = lazy
	case '+':
		p.i++
		return &rxNode{op: rxAtomic, subs: []*rxNode{n}}, nil
	}
	return n, nil
}

// atom reads one atom; nil for an inline flag group.
func (p *rxParser) atom() (*rxNode, error) {
	c := p.p[p.i]
	switch c {
	case '(':
		return p.group()
	case '[':
		p.i++
		set, err := p.class()
		if err != nil {
			return nil, err
		}
		return p.charNode(set), nil
	case '.':
		p.i++
		return &rxNode{op: rxChar, set: p.dot()}, nil
	case '^':
		p.i++
		if p.flags.m {
			return &rxNode{op: rxAssert, assert: atLineBegin, unix: p.flags.d}, nil
		}
		return &rxNode{op: rxAssert, assert: atBegin}, nil
	case '$':
		p.i++
		if p.flags.m {
			return &rxNode{op: rxAssert, assert: atLineEnd, unix: p.flags.d}, nil
		}
		return &rxNode{op: rxAssert, assert: atEndOrFinal, unix: p.flags.d}, nil
	case '*', '+', '?':
		return nil, fmt.Errorf("dangling meta character '%c'", c)
	case '{':
		// Java reads an empty atom here, which the quantifier that must
		// follow then repeats: {2} alone matches the empty string.
		return &rxNode{op: rxEmpty}, nil
	case '\\':
		p.i++
		return p.escape()
	}
	p.i++
	return p.charNode(p.literal(c)), nil
}

// charNode tests one character; a test Java would not hold as BMP-only
// marks the pattern (see cset).
func (p *rxParser) charNode(c cset) *rxNode {
	p.nonBMP = p.nonBMP || !c.bmp
	return &rxNode{op: rxChar, set: c.f}
}

func (p *rxParser) dot() func(rune) bool {
	switch {
	case p.flags.s:
		return func(rune) bool { return true }
	case p.flags.d:
		return func(r rune) bool { return r != '\n' }
	}
	return func(r rune) bool { return !isLineTerminator(r, false) }
}

func isLineTerminator(r rune, unix bool) bool {
	if unix {
		return r == '\n'
	}
	return r == '\n' || r == '\r' || r == '\u0085' || r == '\u2028' || r == '\u2029'
}

// literal matches one character, ignoring case as the flags say: ASCII
// letters only, unless UNICODE_CASE.
func (p *rxParser) literal(c rune) cset {
	bmp := c <= 0xffff && !utf16.IsSurrogate(c)
	switch {
	case !p.flags.i:
		return cset{func(r rune) bool { return r == c }, bmp}
	case p.flags.u:
		// Java's SingleU, for a character with case, is not BMP-only.
		cased := unicode.ToUpper(c) != unicode.ToLower(unicode.ToUpper(c))
		return cset{func(r rune) bool { return foldEqual(r, c, true) }, bmp && !cased}
	}
	return cset{func(r rune) bool { return foldEqual(r, c, false) }, bmp}
}

func foldEqual(a, b rune, uni bool) bool {
	if a == b {
		return true
	}
	if uni {
		return unicode.ToUpper(a) == unicode.ToUpper(b) || unicode.ToLower(a) == unicode.ToLower(b)
	}
	return a < 0x80 && b < 0x80 && asciiLower(a) == asciiLower(b)
}

func asciiLower(r rune) rune {
	if 'A' <= r && r <= 'Z' {
		return r + 'a' - 'A'
	}
	return r
}

func asciiUpper(r rune) rune {
	if 'a' <= r && r <= 'z' {
		return r - 'a' + 'A'
	}
	return r
}

func (p *rxParser) group() (*rxNode, error) {
	if p.depth++; p.depth > maxRegexNesting {
		return nil, fmt.Errorf("groups nested more than %d deep", maxRegexNesting)
	}
	defer func() { p.depth-- }()
	p.i++ // (
	saved := p.flags
	node := &rxNode{}
	switch {
	case p.has("?:"):
		p.i += 2
		node = nil
	case p.has("?="), p.has("?!"):
		node = &rxNode{op: rxLook, neg: p.p[p.i+1] == '!'}
		p.i += 2
	case p.has("?<="), p.has("?<!"):
		node = &rxNode{op: rxLook, behind: true, neg: p.p[p.i+2] == '!'}
		p.i += 3
	case p.has("?>"):
		node = &rxNode{op: rxAtomic}
		p.i += 2
	case p.has("?<"):
		p.i += 2
		name, err := p.groupName()
		if err != nil {
			return nil, err
		}
		if _, dup := p.names[name]; dup {
			return nil, fmt.Errorf("named capturing group <%s> is already defined", name)
		}
		p.groups++
		p.names[name] = p.groups
		node = &rxNode{op: rxGroup, n: p.groups}
	case p.peek() == '?':
		p.i++
		colon, err := p.inlineFlags()
		if err != nil {
			return nil, err
		}
		if !colon {
			// (?i) changes the flags for the rest of the enclosing group.
			return nil, nil
		}
		node = nil
	default:
		p.groups++
		node = &rxNode{op: rxGroup, n: p.groups}
	}
	body, err := p.alternation()
	if err != nil {
		return nil, err
	}
	if p.peek() != ')' {
		return nil, errors.New("unclosed group")
	}
	p.i++
	p.flags = saved
	if node == nil {
		return body, nil
	}
	node.subs = []*rxNode{body}
	if node.op == rxLook && node.behind {
		min, max := lengths(body)
		if max < 0 {
			return nil, errors.New("look-behind group does not have an obvious maximum length")
		}
		node.minLen, node.maxLen = min, max
	}
	return node, nil
}

func (p *rxParser) groupName() (string, error) {
	start := p.i
	for p.i < len(p.p) && (isASCIILetter(p.p[p.i]) || p.i > start && p.p[p.i] >= '0' && p.p[p.i] <= '9') {
		p.i++
	}
	if p.i == start || p.peek() != '>' {
		return "", errors.New("named capturing group is missing trailing '>' or has a bad name")
	}
	name := string(p.p[start:p.i])
	p.i++
	return name, nil
}

func isASCIILetter(r rune) bool { return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' }

// inlineFlags reads idmsuxU-idmsuxU after "(?", up to ")" or ":"; it
// reports whether a ":" (a group with those flags) follows.
func (p *rxParser) inlineFlags() (bool, error) {
	flags := map[rune]*bool{'i': &p.flags.i, 'm': &p.flags.m, 's': &p.flags.s, 'd': &p.flags.d, 'x': &p.flags.x, 'u': &p.flags.u}
	on := true
	for p.i < len(p.p) {
		c := p.p[p.i]
		p.i++
		switch f, ok := flags[c]; {
		case ok:
			*f = on
		case c == 'U':
			return false, errors.New("the UNICODE_CHARACTER_CLASS flag (?U) is not supported")
		case c == '-':
			on = false
		case c == ')':
			return false, nil
		case c == ':':
			return true, nil
		default:
			return false, fmt.Errorf("unknown inline modifier %q", c)
		}
	}
	return false, errors.New("unclosed group")
}

// escape reads what follows a backslash outside a class.
func (p *rxParser) escape() (*rxNode, error) {
	c := p.peek()
	if c == -1 {
		return nil, errors.New("unexpected internal error: pattern ends in a backslash")
	}
	switch c {
	case 'b', 'B', 'A', 'G', 'Z', 'z':
		p.i++
		if c == 'b' && p.has("{g}") {
			return nil, errors.New(`\b{g} is not supported`)
		}
		kinds := map[rune]rxAssertKind{'b': atWordBound, 'B': atNonWordBound, 'A': atBegin, 'G': atLastEnd, 'Z': atEndOrFinal, 'z': atEnd}
		return &rxNode{op: rxAssert, assert: kinds[c], unix: p.flags.d}, nil
	case 'R':
		p.i++
		return &rxNode{op: rxLinebreak}, nil
	case 'X', 'N':
		return nil, fmt.Errorf(`\%c is not supported`, c)
	case 'k':
		p.i++
		if p.peek() != '<' {
			return nil, errors.New(`\k is not followed by '<' for a named capturing group`)
		}
		p.i++
		name, err := p.groupName()
		if err != nil {
			return nil, err
		}
		g, ok := p.names[name]
		if !ok {
			return nil, fmt.Errorf("named capturing group <%s> does not exist", name)
		}
		return p.backref(g), nil
	}
	if '1' <= c && c <= '9' {
		// As many digits as still name a group opened so far.
		g := int(c - '0')
		p.i++
		for p.i < len(p.p) && '0' <= p.p[p.i] && p.p[p.i] <= '9' {
			next := g*10 + int(p.p[p.i]-'0')
			if next > p.groups {
				break
			}
			g = next
			p.i++
		}
		return p.backref(g), nil
	}
	set, err := p.escapedSet(false)
	if err != nil {
		return nil, err
	}
	return p.charNode(set), nil
}

func (p *rxParser) backref(g int) *rxNode {
	return &rxNode{op: rxBackref, n: g, fold: p.flags.i, unicd: p.flags.u}
}

// escapedSet reads an escape that stands for characters: a class such as
// \d or \p{L}, or one character. p.i is at the character after the
// backslash.
func (p *rxParser) escapedSet(inClass bool) (cset, error) {
	c := p.p[p.i]
	p.i++
	switch c {
	case 'd', 'D', 's', 'S', 'w', 'W', 'h', 'H', 'v', 'V':
		set := cset{predefined[unicode.ToLower(c)], true}
		if unicode.IsUpper(c) {
			return not(set), nil
		}
		return set, nil
	case 'p', 'P':
		set, err := p.property()
		if err != nil {
			return cset{}, err
		}
		if c == 'P' {
			return not(set), nil
		}
		return set, nil
	}
	r, err := p.escapedChar(c)
	if err != nil {
		return cset{}, err
	}
	if inClass {
		return p.classChar(r), nil
	}
	return p.literal(r), nil
}

// escapedChar reads the character an escape such as \t, \x41 or \. names.
func (p *rxParser) escapedChar(c rune) (rune, error) {
	switch c {
	case 't':
		return '\t', nil
	case 'n':
		return '\n', nil
	case 'r':
		return '\r', nil
	case 'f':
		return '\f', nil
	case 'a':
		return '\a', nil
	case 'e':
		return '\x1b', nil
	case 'c':
		if p.i >= len(p.p) {
			return 0, errors.New("illegal control escape sequence")
		}
		r := p.p[p.i] ^ 64
		p.i++
		return r, nil
	case '0':
		// \0n, \0nn, \0mnn with m <= 3
		v, k := 0, 0
		for k < 3 && p.i < len(p.p) && '0' <= p.p[p.i] && p.p[p.i] <= '7' {
			if k == 2 && v > 037 {
				break
			}
			v = v*8 + int(p.p[p.i]-'0')
			p.i++
			k++
		}
		if k == 0 {
			return 0, errors.New("illegal octal escape sequence")
		}
		return rune(v), nil
	case 'x':
		if p.peek() == '{' {
			end := p.i + 1
			for end < len(p.p) && p.p[end] != '}' {
				end++
			}
			v, err := strconv.ParseUint(string(p.p[p.i+1:end]), 16, 32)
			if end >= len(p.p) || err != nil || v > unicode.MaxRune {
				return 0, errors.New("illegal hexadecimal escape sequence")
			}
			p.i = end + 1
			return rune(v), nil
		}
		return p.hex(2)
	case 'u':
		return p.hex(4)
	}
	if isASCIILetter(c) || '0' <= c && c <= '9' {
		return 0, fmt.Errorf(`illegal/unsupported escape sequence \%c`, c)
	}
	return c, nil
}

func (p *rxParser) hex(n int) (rune, error) {
	if p.i+n > len(p.p) {
		return 0, errors.New("illegal hexadecimal escape sequence")
	}
	v, err := strconv.ParseUint(string(p.p[p.i:p.i+n]), 16, 32)
	if err != nil {
		return 0, errors.New("illegal hexadecimal escape sequence")
	}
	p.i += n
	return rune(v), nil
}

// class reads a character class after its '[': ranges, escapes, nested
// classes (a union), && (an intersection with what follows) and a leading
// ^ that negates the whole class, as Java 9 and later read them.
func (p *rxParser) class() (cset, error) {
	if p.depth++; p.depth > maxRegexNesting {
		return cset{}, fmt.Errorf("classes nested more than %d deep", maxRegexNesting)
	}
	defer func() { p.depth-- }()
	negate := false
	if p.peek() == '^' {
		negate = true
		p.i++
	}
	set, err := p.classBody(true)
	if err != nil {
		return cset{}, err
	}
	if p.peek() != ']' {
		return cset{}, errors.New("unclosed character class")
	}
	p.i++
	if negate {
		return not(set), nil
	}
	return set, nil
}

// classBody reads class items up to (not past) the closing ']'. With
// first set, a ']' before any item is a literal.
func (p *rxParser) classBody(first bool) (cset, error) {
	var set cset
	for {
		p.skipSpace()
		c := p.peek()
		switch {
		case c == -1:
			return cset{}, errors.New("unclosed character class")
		case c == ']' && (set.f != nil || !first):
			if set.f == nil {
				set = cset{func(rune) bool { return false }, true}
			}
			return set, nil
		case c == '[':
			p.i++
			sub, err := p.class()
			if err != nil {
				return cset{}, err
			}
			set = union(set, sub)
		case p.has("&&"):
			p.i += 2
			right, err := p.classBody(false)
			if err != nil {
				return cset{}, err
			}
			if set.f == nil {
				set = right
			} else {
				set = intersect(set, right)
			}
		default:
			item, err := p.classItem()
			if err != nil {
				return cset{}, err
			}
			set = union(set, item)
		}
		first = false
	}
}

// classItem reads one character, escape or range inside a class.
func (p *rxParser) classItem() (cset, error) {
	lo, set, err := p.classAtom()
	if err != nil {
		return cset{}, err
	}
	if set != nil {
		return *set, nil
	}
	if p.peek() == '-' && p.i+1 < len(p.p) && p.p[p.i+1] != ']' && p.p[p.i+1] != '[' {
		p.i++
		hi, hiSet, err := p.classAtom()
		if err != nil {
			return cset{}, err
		}
		if hiSet != nil || hi < lo {
			return cset{}, errors.New("illegal character range")
		}
		return p.classRange(lo, hi), nil
	}
	return p.classChar(lo), nil
}

// classAtom reads one character, or an escaped class (set non-nil).
func (p *rxParser) classAtom() (rune, *cset, error) {
	c := p.p[p.i]
	if c != '\\' {
		p.i++
		return c, nil, nil
	}
	p.i++
	if p.i >= len(p.p) {
		return 0, nil, errors.New("unclosed character class")
	}
	switch e := p.p[p.i]; e {
	case 'd', 'D', 's', 'S', 'w', 'W', 'h', 'H', 'v', 'V', 'p', 'P':
		set, err := p.escapedSet(true)
		return 0, &set, err
	default:
		p.i++
		r, err := p.escapedChar(e)
		return r, nil, err
	}
}

func (p *rxParser) classChar(c rune) cset {
	if c < 256 && !(p.flags.i && p.flags.u && strings.ContainsRune("\u00ff\u00b5IiSsKk\u00c5\u00e5", c)) {
		// Java's bit set: BMP-only whatever the flags.
		return cset{p.literal(c).f, true}
	}
	return p.literal(c)
}

// classRange matches lo..hi; ignoring case, as Java does, a character
// also matches when its upper or lower case falls in the range.
func (p *rxParser) classRange(lo, hi rune) cset {
	in := func(r rune) bool { return lo <= r && r <= hi }
	switch {
	case !p.flags.i:
		return cset{in, hi < 0xd800 || lo > 0xdbff && hi <= 0xffff}
	case p.flags.u:
		return cset{func(r rune) bool { return in(r) || in(unicode.ToUpper(r)) || in(unicode.ToLower(r)) }, false}
	}
	return cset{func(r rune) bool { return in(r) || r < 0x80 && (in(asciiUpper(r)) || in(asciiLower(r))) }, false}
}

func union(a, b cset) cset {
	if a.f == nil {
		return b
	}
	return cset{func(r rune) bool { return a.f(r) || b.f(r) }, a.bmp && b.bmp}
}

func intersect(a, b cset) cset {
	return cset{func(r rune) bool { return a.f(r) && b.f(r) }, a.bmp && b.bmp}
}

func not(a cset) cset { return cset{func(r rune) bool { return !a.f(r) }, false} }

func between(lo, hi rune) func(rune) bool { return func(r rune) bool { return lo <= r && r <= hi } }

func anyOf(s string) func(rune) bool { return func(r rune) bool { return strings.ContainsRune(s, r) } }

// predefined are Java's \d, \s, \w, \h and \v without
// UNICODE_CHARACTER_CLASS: ASCII digits, spaces and word characters.
var predefined = map[rune]func(rune) bool{
	'd': between('0', '9'),
	's': anyOf(" \t\n\x0b\f\r"),
	'w': func(r rune) bool { return r < 0x80 && (isASCIILetter(r) || '0' <= r && r <= '9' || r == '_') },
	'h': anyOf(" \t\u00a0\u1680\u180e\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"),
	'v': anyOf("\n\x0b\f\r\u0085\u2028\u2029"),
}

// posix are Java's POSIX classes (US-ASCII only).
var posix = map[string]func(rune) bool{
	"Lower":  between('a', 'z'),
	"Upper":  between('A', 'Z'),
	"ASCII":  between(0, 0x7f),
	"Alpha":  isASCIILetter,
	"Digit":  between('0', '9'),
	"Alnum":  func(r rune) bool { return isASCIILetter(r) || '0' <= r && r <= '9' },
	"Punct":  anyOf("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"),
	"Graph":  between(0x21, 0x7e),
	"Print":  between(0x20, 0x7e),
	"Blank":  anyOf(" \t"),
	"Cntrl":  func(r rune) bool { return r < 0x20 || r == 0x7f },
	"XDigit": func(r rune) bool { return '0' <= r && r <= '9' || 'a' <= r && r <= 'f' || 'A' <= r && r <= 'F' },
	"Space":  anyOf(" \t\n\x0b\f\r"),
}

// javaProps are the java.lang.Character methods \p{javaXxx} names, and
// the binary properties \p{IsXxx} names.
var javaProps = map[string]func(rune) bool{
	"javaLowerCase":     unicode.IsLower,
	"javaUpperCase":     unicode.IsUpper,
	"javaTitleCase":     unicode.IsTitle,
	"javaLetter":        unicode.IsLetter,
	"javaDigit":         unicode.IsDigit,
	"javaLetterOrDigit": func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) },
	"javaAlphabetic":    isAlphabetic,
	"javaWhitespace":    javaWhitespace,
	"javaSpaceChar":     func(r rune) bool { return unicode.In(r, unicode.Zs, unicode.Zl, unicode.Zp) },
	"javaISOControl":    func(r rune) bool { return r <= 0x1f || 0x7f <= r && r <= 0x9f },
	"Alphabetic":        isAlphabetic,
	"Letter":            unicode.IsLetter,
	"Digit":             unicode.IsDigit,
	"Lowercase":         func(r rune) bool { return unicode.IsLower(r) || unicode.Is(unicode.Other_Lowercase, r) },
	"Uppercase":         func(r rune) bool { return unicode.IsUpper(r) || unicode.Is(unicode.Other_Uppercase, r) },
	"Titlecase":         unicode.IsTitle,
	"Punctuation":       unicode.IsPunct,
	"Control":           unicode.IsControl,
	"White_Space":       unicode.IsSpace,
	"WhiteSpace":        unicode.IsSpace,
	"Hex_Digit":         func(r rune) bool { return unicode.Is(unicode.Hex_Digit, r) },
	"HexDigit":          func(r rune) bool { return unicode.Is(unicode.Hex_Digit, r) },
	"Ideographic":       func(r rune) bool { return unicode.Is(unicode.Ideographic, r) },
	"Join_Control":      func(r rune) bool { return unicode.Is(unicode.Join_Control, r) },
	"JoinControl":       func(r rune) bool { return unicode.Is(unicode.Join_Control, r) },
	"Noncharacter_Code_Point": func(r rune) bool {
		return unicode.Is(unicode.Noncharacter_Code_Point, r)
	},
}

func isAlphabetic(r rune) bool {
	return unicode.IsLetter(r) || unicode.Is(unicode.Nl, r) || unicode.Is(unicode.Other_Alphabetic, r)
}

// javaWhitespace is Character.isWhitespace: Unicode spaces other than the
// non-breaking ones, and the ASCII separators and controls Java lists.
func javaWhitespace(r rune) bool {
	switch r {
	case '\u00a0', '\u2007', '\u202f':
		return false
	case '\t', '\n', '\x0b', '\f', '\r', '\x1c', '\x1d', '\x1e', '\x1f':
		return true
	}
	return unicode.In(r, unicode.Zs, unicode.Zl, unicode.Zp)
}

// property reads {Name} or a one-letter name after \p.
func (p *rxParser) property() (cset, error) {
	var name string
	if p.peek() == '{' {
		end := p.i + 1
		for end < len(p.p) && p.p[end] != '}' {
			end++
		}
		if end >= len(p.p) {
			return cset{}, errors.New("unclosed character family")
		}
		name = string(p.p[p.i+1 : end])
		p.i = end + 1
	} else if p.i < len(p.p) {
		name = string(p.p[p.i])
		p.i++
	}
	set := lookupProperty(name)
	if set == nil {
		return cset{}, fmt.Errorf("unknown or unsupported character property name {%s}", name)
	}
	// The POSIX classes are ASCII (BMP-only in Java); the Unicode ones not.
	_, ascii := posix[name]
	if p.flags.i {
		// Ignoring case, Java's case classes match any case: the POSIX
		// ones either ASCII case, the Unicode ones any cased letter.
		switch strings.TrimPrefix(strings.TrimPrefix(strings.TrimPrefix(name, "Is"), "gc="), "general_category=") {
		case "Lower", "Upper", "javaLowerCase", "javaUpperCase":
			base := set
			set = func(r rune) bool { return base(r) || base(unicode.ToLower(r)) || base(unicode.ToUpper(r)) }
		case "Lu", "Ll", "Lt", "Lowercase", "Uppercase", "Titlecase":
			set = func(r rune) bool { return unicode.In(r, unicode.Lu, unicode.Ll, unicode.Lt) }
		}
	}
	return cset{set, ascii}, nil
}

func lookupProperty(name string) func(rune) bool {
	if set, ok := posix[name]; ok {
		return set
	}
	if set, ok := javaProps[name]; ok && strings.HasPrefix(name, "java") {
		return set
	}
	if key, value, ok := strings.Cut(name, "="); ok {
		switch key {
		case "gc", "general_category":
			return category(value)
		case "sc", "script":
			return script(value)
		}
		return nil
	}
	if rest, ok := strings.CutPrefix(name, "Is"); ok {
		if set, ok := javaProps[rest]; ok && !strings.HasPrefix(rest, "java") {
			return set
		}
		for k, set := range javaProps {
			if !strings.HasPrefix(k, "java") && strings.EqualFold(k, rest) {
				return set
			}
		}
		if set := category(rest); set != nil {
			return set
		}
		return script(rest)
	}
	return category(name)
}

func category(name string) func(rune) bool {
	if name == "LC" {
		return func(r rune) bool { return unicode.In(r, unicode.Lu, unicode.Ll, unicode.Lt) }
	}
	if t, ok := unicode.Categories[name]; ok {
		return func(r rune) bool { return unicode.Is(t, r) }
	}
	return nil
}

func script(name string) func(rune) bool {
	for k, t := range unicode.Scripts {
		if strings.EqualFold(k, name) {
			return func(r rune) bool { return unicode.Is(t, r) }
		}
	}
	return nil
}

// lengths are the fewest and most characters n can match; max is -1 when
// there is no bound.
func lengths(n *rxNode) (int, int) {
	switch n.op {
	case rxChar:
		return 1, 1
	case rxLinebreak:
		return 1, 2
	case rxConcat:
		lo, hi := 0, 0
		for _, s := range n.subs {
			a, b := lengths(s)
			lo += a
			if hi >= 0 {
				if b < 0 {
					hi = -1
				} else {
					hi += b
				}
			}
		}
		return lo, hi
	case rxAlt:
		lo, hi := -1, 0
		for _, s := range n.subs {
			a, b := lengths(s)
			if lo < 0 || a < lo {
				lo = a
			}
			if hi >= 0 && (b < 0 || b > hi) {
				hi = b
			}
		}
		return lo, hi
	case rxGroup, rxAtomic:
		return lengths(n.subs[0])
	case rxRepeat:
		a, b := lengths(n.subs[0])
		if n.max < 0 || b < 0 {
			if b == 0 {
				return a * n.min, 0
			}
			return a * n.min, -1
		}
		return a * n.min, b * n.max
	case rxBackref:
		return 0, -1
	}
	return 0, 0
}
