package cmd

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Text that comes from elsewhere (an API's answer and headers, an
// execution's error, cause and state names, which any client of a stop
// or reject route can set) is printed through these functions, so that a
// terminal shows its control characters instead of running them: an ESC
// sequence could retitle the window, move the cursor or rewrite earlier
// lines, and a bidi control could make text read other than it is.

// escapeText returns s with every control character written as a Go
// escape, as strconv.Quote writes it: C0 controls (\n, \t, \r, \x1b ...),
// DEL (\x7f), C1 controls (\u0080 to \u009f, such as CSI \u009b), the
// Unicode bidi controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F,
// U+061C), and bytes that are not UTF-8 (\xff). Everything else is left
// as it is, backslashes too, so ordinary text reads as it was written.
func escapeText(s string) string { return escapeControls(s, false) }

// escapeLines is escapeText keeping newlines and tabs, for text printed
// over several lines, such as an indented JSON body.
func escapeLines(s string) string { return escapeControls(s, true) }

func escapeControls(s string, keepLines bool) string {
	i := strings.IndexFunc(s, func(r rune) bool { return r == utf8.RuneError || isControl(r, keepLines) })
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case isControl(r, keepLines):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// isControl says whether r is a character escapeText writes as an escape.
func isControl(r rune, keepLines bool) bool {
	switch {
	case keepLines && (r == '\n' || r == '\t'):
		return false
	case r < 0x20, r >= 0x7f && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	}
	return false
}

// escapeHeaders is headers with their names and values escaped.
func escapeHeaders(headers map[string]string) map[string]string {
	out := make(map[string]string, len(headers))
	for name, v := range headers {
		out[escapeText(name)] = escapeText(v)
	}
	return out
}

// escapeJSON writes the characters escapeText escapes that JSON may hold
// raw in its strings (DEL, C1 and bidi controls) as JSON escapes
// (\u007f, \u009b, \u202e), and bytes that are not UTF-8 as \ufffd, so a
// JSON document printed on a terminal is safe too and decodes to the
// same values. b must be JSON, whose raw C0 controls are already escaped
// and whose other characters outside strings are ASCII.
func escapeJSON(b []byte) []byte {
	s := string(b)
	if strings.IndexFunc(s, func(r rune) bool { return r == utf8.RuneError || isControl(r, true) }) < 0 {
		return b
	}
	var out strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			out.WriteString(`\ufffd`)
		case isControl(r, true):
			fmt.Fprintf(&out, `\u%04x`, r)
		default:
			out.WriteString(s[i : i+size])
		}
		i += size
	}
	return []byte(out.String())
}
