package vtl

import (
	"bytes"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// compactJSON is $input.json('$') of a body that json.Valid accepted,
// written in one pass over the body's bytes instead of through its parsed
// values: what toJSON(parseJSON(s)) gives, byte for byte, without the
// values (a 10 MB body made 70 MB of them, and their re-encoding 40 MB
// more). Text that the tree would write differently is re-encoded from
// the same decoding the tree uses: a string with escapes, bytes that are
// not UTF-8 or U+2028/U+2029 (which encoding/json writes as \u2028); a
// number that is not a plain integer (1.0, 1e3, -0). Where the result
// would not be the tree's at all (a key given twice, which the tree's map
// keeps once, with its last value; a number out of range; nesting past
// maxJSONDepth) ok is false and the caller uses the tree. When the body
// is compact already, the result is the body itself, not a copy
// (FuzzCompactJSON checks all of this against the tree).
// compactTo hands compactJSON(s) to sink, in pieces, without building
// it; ok is compactJSON's (when it is false, sink may have had some).
func compactTo(s string, sink func(string)) (ok bool) {
	c := &compacter{s: s, sink: sink}
	c.space()
	if !c.value(0) {
		return false
	}
	c.flush()
	return true
}

func compactJSON(s string) (out string, ok bool) {
	c := &compacter{s: s}
	c.space()
	if !c.value(0) {
		return "", false
	}
	return c.result(), true
}

// compacter writes what it keeps of s as spans: a run of s that comes out
// unchanged is only marked (run), and copied once something differs.
type compacter struct {
	s              string
	i              int
	runFrom, runTo int // s[runFrom:runTo] comes next, as it is
	b              strings.Builder
	started        bool
	sink           func(string) // where the text goes instead of b (compactTo)
	// keys are the keys of the objects being read, outermost first; an
	// object past smallObject keys also has a set of them, in keySets
	// (with where its keys start in keys). One slice of both keeps the
	// compacter in a smaller size class.
	keys    []string
	keySets []keySet
	scratch bytes.Buffer // a number's text
	esc     bytes.Buffer // one decoded escape
	canon   []byte       // a string's text, as encoding/json writes it
}

// keep marks s[from:to] as the next output.
func (c *compacter) keep(from, to int) {
	if from == c.runTo {
		c.runTo = to
		return
	}
	c.flush()
	c.runFrom, c.runTo = from, to
}

// write adds text of its own (a re-encoded value). A sink keeps none of
// it.
func (c *compacter) write(text string) {
	c.flush()
	if c.sink != nil {
		c.sink(text)
		return
	}
	c.begin()
	c.b.WriteString(text)
}

// begin sizes the output at its first copy: the compact text is at most
// about as long as the body (only a re-encoded string or number can be
// longer).
func (c *compacter) begin() {
	if !c.started {
		c.b.Grow(len(c.s))
		c.started = true
	}
}

func (c *compacter) flush() {
	if c.runFrom == c.runTo {
		return
	}
	if c.sink != nil {
		c.sink(c.s[c.runFrom:c.runTo])
	} else {
		c.begin()
		c.b.WriteString(c.s[c.runFrom:c.runTo])
	}
	c.runFrom = c.runTo
}

func (c *compacter) result() string {
	if !c.started {
		return c.s[c.runFrom:c.runTo]
	}
	c.flush()
	return c.b.String()
}

func (c *compacter) space() {
	for c.i < len(c.s) {
		switch c.s[c.i] {
		case ' ', '\t', '\n', '\r':
			c.i++
		default:
			return
		}
	}
}

func (c *compacter) value(depth int) bool {
	if depth > maxJSONDepth {
		return false
	}
	switch ch := c.s[c.i]; {
	case ch == '{':
		return c.object(depth)
	case ch == '[':
		return c.array(depth)
	case ch == '"':
		_, ok := c.str(false)
		return ok
	case ch == 't':
		c.literal(len("true"))
	case ch == 'f':
		c.literal(len("false"))
	case ch == 'n':
		c.literal(len("null"))
	default:
		return c.number()
	}
	return true
}

func (c *compacter) literal(n int) {
	c.keep(c.i, c.i+n)
	c.i += n
}

func (c *compacter) array(depth int) bool {
	c.literal(1) // [
	for {
		c.space()
		switch c.s[c.i] {
		case ']':
			c.literal(1)
			return true
		case ',':
			c.literal(1)
			c.space()
		}
		if !c.value(depth + 1) {
			return false
		}
	}
}

func (c *compacter) object(depth int) bool {
	c.literal(1) // {
	from := len(c.keys)
	defer c.dropKeys(from)
	for {
		c.space()
		switch c.s[c.i] {
		case '}':
			c.literal(1)
			return true
		case ',':
			c.literal(1)
			c.space()
		}
		k, ok := c.str(true)
		if !ok || !c.newKey(from, k) {
			return false
		}
		c.space()
		c.literal(1) // :
		c.space()
		if !c.value(depth + 1) {
			return false
		}
	}
}

// smallObject is the number of keys up to which a key is looked for by
// scanning the object's keys; past it, a set is built.
const smallObject = 16

// newKey records k as a key of the object whose keys start at from; it is
// false for a key given twice.
// keySet is the set of keys of an object whose keys start at keys[from].
type keySet struct {
	set  map[string]bool
	from int
}

func (c *compacter) newKey(from int, k string) bool {
	n := len(c.keys) - from
	if n < smallObject {
		for _, x := range c.keys[from:] {
			if x == k {
				return false
			}
		}
		c.keys = append(c.keys, k)
		return true
	}
	top := len(c.keySets) - 1
	if top < 0 || c.keySets[top].from != from {
		set := make(map[string]bool, 2*n)
		for _, x := range c.keys[from:] {
			set[x] = true
		}
		c.keySets = append(c.keySets, keySet{set, from})
		top++
	}
	if c.keySets[top].set[k] {
		return false
	}
	c.keySets[top].set[k] = true
	c.keys = append(c.keys, k)
	return true
}

// dropKeys forgets the keys of the object that ends.
func (c *compacter) dropKeys(from int) {
	clear(c.keys[from:])
	c.keys = c.keys[:from]
	if top := len(c.keySets) - 1; top >= 0 && c.keySets[top].from == from {
		c.keySets[top] = keySet{}
		c.keySets = c.keySets[:top]
	}
}

// str reads the string at c.i and writes it as the tree would. For a
// key, it returns its decoded text (a substring of s when it has no
// escapes).
func (c *compacter) str(key bool) (string, bool) {
	start := c.i
	plain := c.skipString()
	raw := c.s[start:c.i]
	if plain {
		// No escape, every byte UTF-8, no U+2028 or U+2029:
		// encoding/json writes it as it is.
		c.keep(start, c.i)
		return raw[1 : len(raw)-1], true
	}
	c.canon = appendCanonical(c.canon[:0], &c.esc, raw[1:len(raw)-1])
	if string(c.canon) == raw {
		c.keep(start, c.i)
	} else {
		// Not a copy: write copies it, or a sink reads it at once.
		c.write(unsafe.String(unsafe.SliceData(c.canon), len(c.canon)))
	}
	if key {
		return unquote(raw[1 : len(raw)-1]), true
	}
	return "", true
}

// skipString moves past the string at c.i; it is plain when its text is
// what encoding/json writes for it.
func (c *compacter) skipString() (plain bool) {
	plain = true
	c.i++
	for {
		ch := c.s[c.i]
		switch {
		case ch == '"':
			c.i++
			return plain
		case ch == '\\':
			plain = false
			c.i += 2
		case ch >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(c.s[c.i:])
			if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
				plain = false
			}
			c.i += size
		default:
			c.i++
		}
	}
}

// appendCanonical appends the inside of a valid JSON string, raw, as
// encoding/json writes what it decodes to (quoted, HTML characters left
// alone): each escape decoded as unquote decodes it, then written again.
func appendCanonical(dst []byte, esc *bytes.Buffer, raw string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(raw); {
		if raw[i] != '\\' {
			j := strings.IndexByte(raw[i:], '\\')
			if j < 0 {
				j = len(raw) - i
			}
			dst = appendJSONText(dst, raw[i:i+j])
			i += j
			continue
		}
		esc.Reset()
		i = unescape(esc, raw, i)
		dst = appendJSONText(dst, esc.String())
	}
	return append(dst, '"')
}

// appendJSONText appends s as encoding/json writes a string's characters
// with SetEscapeHTML(false) (encode.go, appendString): " and \ escaped,
// \b \f \n \r \t short, other controls as \u00xx, U+2028 and U+2029 as
// \u2028 and \u2029; a byte that is not UTF-8 is U+FFFD, as decoding
// makes it.
func appendJSONText(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			switch {
			case b == '"' || b == '\\':
				dst = append(dst, '\\', b)
			case b == '\b':
				dst = append(dst, `\b`...)
			case b == '\f':
				dst = append(dst, `\f`...)
			case b == '\n':
				dst = append(dst, `\n`...)
			case b == '\r':
				dst = append(dst, `\r`...)
			case b == '\t':
				dst = append(dst, `\t`...)
			case b < 0x20:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xf])
			default:
				dst = append(dst, b)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			// The tree's text is decoded first, which makes the byte
			// U+FFFD; that is written as it is.
			dst = utf8.AppendRune(dst, utf8.RuneError)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return dst
}

// number reads the number at c.i. A plain integer other than -0 is what
// the tree writes (an int64 or a big.Int, in decimal); any other is
// written from the tree's own value.
func (c *compacter) number() bool {
	p := validParser{s: c.s, i: c.i}
	v, err := p.number()
	if err != nil {
		return false
	}
	t := c.s[c.i:p.i]
	if t != "-0" && !strings.ContainsAny(t, ".eE") {
		c.keep(c.i, p.i)
	} else {
		c.write(c.encode(v))
	}
	c.i = p.i
	return true
}

// encode is one value as writeJSON writes it.
func (c *compacter) encode(v any) string {
	c.scratch.Reset()
	writeJSON(&c.scratch, v)
	return c.scratch.String()
}
