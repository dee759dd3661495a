package cmd

import (
	"bufio"
	"encoding/json"
	"io"
	"strings"
	"unsafe"
)

// writeIndented writes JSON text indented as json.Indent(dst, s, "", "  ")
// does (anything else as it is) and a newline, straight to w through a
// small buffer: json.Indent built the whole in a bytes.Buffer, which
// doubled its way up to it (for render's 10 MB request, about 30 MB).
// TestIndentAgreesWithJSONIndent and FuzzIndent hold it to json.Indent.
func writeIndented(w io.Writer, s string) {
	bw := bufio.NewWriterSize(w, 64<<10)
	if t := strings.TrimSpace(s); json.Valid(unsafe.Slice(unsafe.StringData(t), len(t))) {
		indentTo(bw, t)
	} else {
		bw.WriteString(s)
	}
	bw.WriteByte('\n')
	_ = bw.Flush()
}

// indentTo writes valid JSON text indented, as json.Indent does: white
// space between tokens dropped, a newline and two spaces a level after
// each opening bracket and comma, ": " after a key, and an empty object
// or array kept as {} or [].
func indentTo(w *bufio.Writer, s string) {
	depth := 0
	open := false // an opening bracket was written, its newline not yet
	newline := func() {
		w.WriteByte('\n')
		for range depth {
			w.WriteString("  ")
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch c {
		case ' ', '\t', '\n', '\r':
			i++
			continue
		}
		if open && c != '}' && c != ']' {
			open = false
			newline()
		}
		switch c {
		case '{', '[':
			w.WriteByte(c)
			depth++
			open = true
		case '}', ']':
			depth--
			if open {
				open = false
			} else {
				newline()
			}
			w.WriteByte(c)
		case ',':
			w.WriteByte(c)
			newline()
		case ':':
			w.WriteString(": ")
		case '"':
			end := stringEnd(s, i)
			w.WriteString(s[i:end])
			i = end
			continue
		default: // a number, true, false or null
			j := i + 1
			for j < len(s) && !strings.ContainsRune(" \t\n\r,:]}", rune(s[j])) {
				j++
			}
			w.WriteString(s[i:j])
			i = j
			continue
		}
		i++
	}
}

// stringEnd is the index after the string literal that starts at s[i].
func stringEnd(s string, i int) int {
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(s)
}
