package cfn

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// YAML returns the template as block-style YAML with the same content and
// key order as JSON: intrinsics in their long form (Fn::Sub:, Ref:), strings
// plain where YAML reads them back as the same string and double-quoted
// otherwise, and multi-line strings such as request templates as literal
// blocks.
//
// It is written here, straight from the JSON, because yaml.v3 (parse to a
// node tree, then encode) took 3.7 times as long as the JSON output and 8
// times the memory. Tests decode every output with yaml.v3 and require it
// to equal the JSON.
func (t *Template) YAML() ([]byte, error) {
	compact, err := t.resolved()
	if err != nil {
		return nil, err
	}
	y := &yamlWriter{out: make([]byte, 0, len(compact)*5/4)}
	end, err := y.value(compact, 0, 0, yamlTop)
	if err != nil {
		return nil, err
	}
	if end != len(compact) {
		return nil, fmt.Errorf("converting to YAML: trailing data at offset %d", end)
	}
	return y.out, nil
}

// maxImplicitKey is the longest key written as "key:"; YAML allows 1024
// characters there, the colon included, and yaml.v3 counts a little more.
const maxImplicitKey = 1000

// Where a value sits: at the top, after "key:", or after "- ".
const (
	yamlTop = iota
	yamlInMap
	yamlInSeq
)

type yamlWriter struct {
	out []byte
}

func (y *yamlWriter) spaces(n int) {
	for i := 0; i < n; i++ {
		y.out = append(y.out, ' ')
	}
}

// value writes the compact JSON value at in[i:] and returns the index after
// it. indent is the column of the value's own keys or items.
func (y *yamlWriter) value(in []byte, i, indent, ctx int) (int, error) {
	if i >= len(in) {
		return i, fmt.Errorf("converting to YAML: unexpected end of JSON")
	}
	switch in[i] {
	case '{', '[':
		open, close := in[i], byte('}')
		if open == '[' {
			close = ']'
		}
		if in[i+1] == close {
			if ctx == yamlInMap {
				y.out = append(y.out, ' ')
			}
			y.out = append(y.out, open, close, '\n')
			return i + 2, nil
		}
		if ctx == yamlInMap {
			y.out = append(y.out, '\n')
		}
		i++
		for first := true; ; first = false {
			if !(first && ctx == yamlInSeq) {
				y.spaces(indent)
			}
			var err error
			if open == '{' {
				j := stringEnd(in, i)
				start := len(y.out)
				y.scalar(decodeString(in[i:j+1]), false, 0)
				if utf8.RuneCount(y.out[start:]) > maxImplicitKey {
					// YAML allows at most 1024 characters in an implicit
					// key; a longer one is written as an explicit "? key".
					key := append([]byte(nil), y.out[start:]...)
					y.out = append(append(append(y.out[:start], '?', ' '), key...), '\n')
					y.spaces(indent)
				}
				y.out = append(y.out, ':')
				i, err = y.value(in, j+2, indent+2, yamlInMap)
			} else {
				y.out = append(y.out, '-', ' ')
				i, err = y.value(in, i, indent+2, yamlInSeq)
			}
			if err != nil {
				return i, err
			}
			if in[i] == close {
				return i + 1, nil
			}
			i++ // ','
		}
	case '"':
		j := stringEnd(in, i)
		if ctx == yamlInMap {
			y.out = append(y.out, ' ')
		}
		y.scalar(decodeString(in[i:j+1]), true, indent)
		y.out = append(y.out, '\n')
		return j + 1, nil
	default: // number, true, false, null: the same in YAML
		j := i
		for j < len(in) && in[j] != ',' && in[j] != '}' && in[j] != ']' {
			j++
		}
		if ctx == yamlInMap {
			y.out = append(y.out, ' ')
		}
		y.out = append(y.out, in[i:j]...)
		y.out = append(y.out, '\n')
		return j, nil
	}
}

// decodeString decodes a JSON string literal that encoding/json wrote. It
// is here because json.Unmarshal, at a string at a time, was most of the
// YAML conversion's cost; a test checks it against json.Unmarshal.
func decodeString(q []byte) string {
	body := q[1 : len(q)-1]
	if bytes.IndexByte(body, '\\') < 0 {
		return string(body)
	}
	out := make([]byte, 0, len(body))
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c != '\\' || i+1 >= len(body) {
			out = append(out, c)
			continue
		}
		i++
		switch body[i] {
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r := hex4(body[i+1:])
			i += 4
			if utf16.IsSurrogate(r) && i+6 < len(body) && body[i+1] == '\\' && body[i+2] == 'u' {
				if pair := utf16.DecodeRune(r, hex4(body[i+3:])); pair != utf8.RuneError {
					r = pair
					i += 6
				}
			}
			out = utf8.AppendRune(out, r)
		default: // \" \\ \/
			out = append(out, body[i])
		}
	}
	return string(out)
}

func hex4(b []byte) rune {
	if len(b) < 4 {
		return utf8.RuneError
	}
	var r rune
	for _, c := range b[:4] {
		r <<= 4
		switch {
		case '0' <= c && c <= '9':
			r |= rune(c - '0')
		case 'a' <= c && c <= 'f':
			r |= rune(c - 'a' + 10)
		case 'A' <= c && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return utf8.RuneError
		}
	}
	return r
}

// scalar writes s plain, as a literal block (multi-line values only), or
// double-quoted, whichever YAML reads back as exactly s.
func (y *yamlWriter) scalar(s string, block bool, indent int) {
	switch {
	case plainSafe(s):
		y.out = append(y.out, s...)
	case block && literalSafe(s):
		y.out = append(y.out, '|')
		if !strings.HasSuffix(s, "\n") {
			y.out = append(y.out, '-')
		}
		y.out = append(y.out, '\n')
		rest := strings.TrimSuffix(s, "\n")
		for {
			line, more, found := strings.Cut(rest, "\n")
			if line != "" {
				y.spaces(indent)
				y.out = append(y.out, line...)
			}
			if !found {
				break
			}
			y.out = append(y.out, '\n')
			rest = more
		}
	default:
		y.quoted(s)
	}
}

// plainSafe reports whether s can be written unquoted and read back as the
// same string: it starts with a letter, holds only characters that never
// start a YAML construct, and is not a word YAML 1.1 or 1.2 reads as a
// boolean or null. Anything else is quoted; quoting too often is harmless.
func plainSafe(s string) bool {
	if s == "" || len(s) > 200 {
		return false
	}
	if c := s[0]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_') {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("_-./$()+=,*@", c) >= 0:
		case c == ':' && i+1 < len(s) && s[i+1] != ' ':
		case c == ' ' && i+1 < len(s) && s[i+1] != ' ' && s[i+1] != '#' && s[i-1] != ':':
		default:
			return false
		}
	}
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off", "y", "n", "null":
		return false
	}
	return true
}

// literalSafe reports whether s can be a literal block scalar: several
// lines (or one ending in a newline), no line starting with a space or tab (which would set the block's
// indentation), no leading empty line, only printable characters, and at
// most one final newline.
func literalSafe(s string) bool {
	if !strings.Contains(s, "\n") || strings.HasSuffix(s, "\n\n") || s[0] == '\n' {
		return false
	}
	start := true
	for _, r := range s {
		if start && (r == ' ' || r == '\t') {
			return false
		}
		start = r == '\n'
		if !yamlPrintable(r) && r != '\n' {
			return false
		}
	}
	return true
}

// yamlPrintable excludes what YAML forbids raw or reads as a line break.
func yamlPrintable(r rune) bool {
	switch {
	case r == '\t':
		return true
	case r < 0x20, r == 0x7f, 0x80 <= r && r <= 0x9f, r == 0x2028, r == 0x2029, r == 0xfeff, r == utf8.RuneError:
		return false
	}
	return true
}

// quoted writes s as a double-quoted scalar, escaping what must be.
func (y *yamlWriter) quoted(s string) {
	y.out = append(y.out, '"')
	for _, r := range s {
		switch {
		case r == '"':
			y.out = append(y.out, '\\', '"')
		case r == '\\':
			y.out = append(y.out, '\\', '\\')
		case r == '\n':
			y.out = append(y.out, '\\', 'n')
		case r == '\t':
			y.out = append(y.out, '\\', 't')
		case !yamlPrintable(r):
			y.out = fmt.Appendf(y.out, `\u%04X`, r)
		default:
			y.out = utf8.AppendRune(y.out, r)
		}
	}
	y.out = append(y.out, '"')
}
