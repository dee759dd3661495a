package vtl

import (
	"errors"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// parseValid parses JSON that json.Valid has accepted into Velocity values
// in one pass. A string without escapes is a substring of the input, not a
// copy, so a 10 MB body costs little more than itself; a string with
// escapes (or bytes that are not UTF-8) is decoded by encoding/json, so
// every value is what json.Decoder gives.
type validParser struct {
	s string
	i int
}

// maxJSONDepth bounds the nesting parseValid follows, as encoding/json
// does (10,000 levels), so no input can exhaust the stack.
const maxJSONDepth = 10000

var errJSONDepth = errors.New("exceeded max depth")

func (p *validParser) value(depth int) (any, error) {
	if depth > maxJSONDepth {
		return nil, errJSONDepth
	}
	p.space()
	switch c := p.s[p.i]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		return p.str()
	case c == 't':
		p.i += len("true")
		return true, nil
	case c == 'f':
		p.i += len("false")
		return false, nil
	case c == 'n':
		p.i += len("null")
		return nil, nil
	}
	return p.number()
}

func (p *validParser) object(depth int) (any, error) {
	m := &Map{}
	p.i++ // {
	for {
		p.space()
		if p.s[p.i] == '}' {
			p.i++
			return m, nil
		}
		k, err := p.str()
		if err != nil {
			return nil, err
		}
		p.space()
		p.i++ // :
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		m.put(k, v)
		p.space()
		if p.s[p.i] == ',' {
			p.i++
		}
	}
}

func (p *validParser) array(depth int) (any, error) {
	out := []any{}
	p.i++ // [
	for {
		p.space()
		if p.s[p.i] == ']' {
			p.i++
			return out, nil
		}
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		p.space()
		if p.s[p.i] == ',' {
			p.i++
		}
	}
}

// str reads a string at p.i (its opening quote).
func (p *validParser) str() (string, error) {
	start := p.i
	plain := true
	p.i++
	for {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			if plain {
				return p.s[start+1 : p.i-1], nil
			}
			return unquote(p.s[start+1 : p.i-1]), nil
		case c == '\\':
			plain = false
			p.i += 2
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(p.s[p.i:])
			if r == utf8.RuneError && size == 1 {
				plain = false // encoding/json makes it U+FFFD
			}
			p.i += size
		default:
			p.i++
		}
	}
}

// number reads a number as the old decoder did: an int64, else an exact
// *big.Int for an integer beyond it (as json-smart keeps a BigInteger),
// else a float64.
func (p *validParser) number() (any, error) {
	start := p.i
	for p.i < len(p.s) && strings.IndexByte("+-0123456789.eE", p.s[p.i]) >= 0 {
		p.i++
	}
	t := p.s[start:p.i]
	if n, err := strconv.ParseInt(t, 10, 64); err == nil {
		return n, nil
	}
	if !strings.ContainsAny(t, ".eE") {
		if n, ok := new(big.Int).SetString(t, 10); ok {
			return n, nil
		}
	}
	return strconv.ParseFloat(t, 64)
}

func (p *validParser) space() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// unquote decodes the inside of a valid JSON string with escapes as
// encoding/json does: a lone surrogate, like a byte that is not UTF-8,
// becomes U+FFFD.
func unquote(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\':
			i = unescape(&b, s, i)
		case c < utf8.RuneSelf:
			b.WriteByte(c)
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b.WriteRune(utf8.RuneError)
			} else {
				b.WriteString(s[i : i+size])
			}
			i += size
		}
	}
	return b.String()
}

// runeWriter is where unescape writes: a strings.Builder, or compactJSON's
// bytes.Buffer.
type runeWriter interface {
	WriteByte(byte) error
	WriteRune(rune) (int, error)
}

// unescape writes the escape at s[i] (a backslash) and returns the index
// after it.
func unescape(b runeWriter, s string, i int) int {
	switch c := s[i+1]; c {
	case 'b':
		b.WriteByte('\b')
	case 'f':
		b.WriteByte('\f')
	case 'n':
		b.WriteByte('\n')
	case 'r':
		b.WriteByte('\r')
	case 't':
		b.WriteByte('\t')
	case 'u':
		r := hex4(s[i+2 : i+6])
		i += 6
		if utf16.IsSurrogate(r) && i+6 <= len(s) && s[i] == '\\' && s[i+1] == 'u' {
			if dec := utf16.DecodeRune(r, hex4(s[i+2:i+6])); dec != utf8.RuneError {
				b.WriteRune(dec)
				return i + 6
			}
		}
		b.WriteRune(r) // a lone surrogate is written as U+FFFD
		return i
	default: // " \ /
		b.WriteByte(c)
	}
	return i + 2
}

// hex4 reads the four hex digits of a \u escape.
func hex4(h string) rune {
	var r rune
	for i := 0; i < 4; i++ {
		c := h[i]
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		default:
			c -= 'A' - 10
		}
		r = r<<4 | rune(c)
	}
	return r
}
