package integration

// A document carried in a JSON string (an execution's input, a task's
// output) is decoded here as encoding/json decodes it, but measured first
// and written once: encoding/json decodes a string with escapes into a
// buffer of the literal's size and then copies it, so a 10 MB input cost
// 23 MB; and a member refused for its size (sfnmock) need not be decoded
// at all.

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// StringLen is the length in UTF-8 of what the inside of a valid JSON string
// literal decodes to: a byte that is not UTF-8, like a lone surrogate
// escape, becomes U+FFFD (3 bytes); an escaped surrogate pair is one
// character of 4.
func StringLen(s []byte) int {
	n := 0
	for i := 0; i < len(s); {
		r, next := decode(s, i)
		n += utf8.RuneLen(r)
		i = next
	}
	return n
}

// unquote is the text the inside of a valid JSON string literal decodes
// to, allocated once at its size.
func unquote(s []byte) string {
	var b strings.Builder
	b.Grow(StringLen(s))
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf && s[i] != '\\' {
			// A run of plain ASCII is copied whole.
			j := i + 1
			for j < len(s) && s[j] < utf8.RuneSelf && s[j] != '\\' {
				j++
			}
			b.Write(s[i:j])
			i = j
			continue
		}
		r, next := decode(s, i)
		b.WriteRune(r)
		i = next
	}
	return b.String()
}

// decode is the character at s[i] and the index after it, as
// encoding/json's unquote reads it.
func decode(s []byte, i int) (rune, int) {
	c := s[i]
	switch {
	case c == '\\' && s[i+1] == 'u':
		r := hex4(s[i+2 : i+6])
		i += 6
		if !utf16.IsSurrogate(r) {
			return r, i
		}
		if i+6 <= len(s) && s[i] == '\\' && s[i+1] == 'u' {
			if dec := utf16.DecodeRune(r, hex4(s[i+2:i+6])); dec != utf8.RuneError {
				return dec, i + 6
			}
		}
		return utf8.RuneError, i
	case c == '\\':
		return rune(escapes[s[i+1]]), i + 2
	case c < utf8.RuneSelf:
		return rune(c), i + 1
	}
	r, size := utf8.DecodeRune(s[i:]) // U+FFFD for a byte that is not UTF-8
	return r, i + size
}

// escapes are the characters of the short escapes.
var escapes = [256]byte{'"': '"', '\\': '\\', '/': '/', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t'}

// hex4 reads the four hex digits of a \u escape.
func hex4(h []byte) rune {
	var r rune
	for _, c := range h {
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
