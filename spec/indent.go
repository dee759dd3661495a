package spec

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// A bad indent is the most common YAML mistake, and yaml.v3 reports it at
// the block the broken line ends ("did not find expected key" on the line
// of the enclosing mapping, even line 1) rather than on the line itself.
// Once yaml.v3 has refused a file, misIndent re-reads its lines the way
// YAML's block structure nests them, to name the line whose indentation is
// wrong, as PyYAML does. It only reasons about block mappings and lists:
// it stops, and finds nothing, at a quoted string or flow collection that
// goes on to another line.

// indentLevel is an open block: the indentation of its entries and the
// last line that has it.
type indentLevel struct{ indent, line int }

// indentIssue is a line whose indentation YAML cannot place.
type indentIssue struct {
	line, indent int
	// A line that goes back to no open block's indentation: the blocks
	// either side of it (indent -1 for none).
	inner, outer indentLevel
	// Or a line indented under one whose value is already given (which
	// yaml.v3 calls "mapping values are not allowed in this context").
	deeper bool
	above  indentLevel
}

// message is the fix, in the words of the spec's author.
func (i indentIssue) message() string {
	if i.deeper {
		return fmt.Sprintf("invalid YAML: this line is indented %s, deeper than the key on line %d (%s), which already has its value; line it up with that key, or, to nest it under that key, remove that key's value",
			spaces(i.indent), i.above.line, spaces(i.above.indent))
	}
	var like []string
	for _, l := range []indentLevel{i.inner, i.outer} {
		if l.indent >= 0 {
			like = append(like, fmt.Sprintf("%s (as line %d)", spaces(l.indent), l.line))
		}
	}
	return fmt.Sprintf("invalid YAML: this line is indented %s, which lines up with no block above it; indent it like the lines it belongs with: %s", spaces(i.indent), strings.Join(like, " or "))
}

func spaces(n int) string {
	if n == 1 {
		return "1 space"
	}
	return fmt.Sprintf("%d spaces", n)
}

var blockScalarRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(^|[:-] )[|>][-+0-9]*$`) })

// indentScan is misIndent's state between lines.
type indentScan struct {
	stack []indentLevel // the open blocks, outermost first
	opens bool          // the last line opened a block below it
	last  indentLevel   // the last line that was not a continuation
	// A block scalar's content: the indentation of the key it belongs to,
	// and of its first line (-1 until that line).
	scalar, content indentLevel
	flow            flowState // a quoted string or flow collection left open
}

// misIndent finds the first line of src whose indentation YAML's block
// structure cannot place. A line indented under one that is complete is
// the rest of a plain string, unless it holds a key (YAML: "mapping values
// are not allowed" in a plain string).
func misIndent(src []byte) (indentIssue, bool) {
	s := indentScan{scalar: indentLevel{indent: -1}}
	for i, raw := range strings.Split(string(src), "\n") {
		n := i + 1
		text := strings.TrimLeft(strings.TrimRight(raw, " \r"), " ")
		indent := len(strings.TrimRight(raw, " \r")) - len(text)
		if s.flow.open() {
			_, s.flow = lineContent(text, s.flow)
			continue
		}
		issue, skip := s.inScalar(text, indent, n)
		if issue.line > 0 {
			return issue, true
		}
		if skip {
			continue
		}
		switch {
		case text == "" || text[0] == '#':
			continue
		case text[0] == '\t' || strings.HasPrefix(text, "---") || strings.HasPrefix(text, "...") || text[0] == '%':
			return indentIssue{}, false // tabs and documents: yaml.v3's own message says it
		}
		top := len(s.stack) - 1
		switch {
		case top < 0 || indent > s.stack[top].indent:
			if top >= 0 && !s.opens {
				if body, _ := lineContent(text, flowState{}); strings.HasSuffix(body, ":") || strings.Contains(body, ": ") {
					return indentIssue{line: n, indent: indent, deeper: true, above: s.last}, true
				}
				continue // a plain string that goes on
			}
			s.stack = append(s.stack, indentLevel{indent, n})
		case indent < s.stack[top].indent:
			if issue, bad := s.dedent(indent, n); bad {
				return issue, true
			}
		}
		s.stack[len(s.stack)-1].line = n
		s.line(text, indent, n)
		s.last = indentLevel{indent, n}
	}
	return indentIssue{}, false
}

// inScalar tells whether a line is a block scalar's content (skip), or
// the line after it that is indented between its key and its first line,
// which YAML cannot place.
func (s *indentScan) inScalar(text string, indent, n int) (issue indentIssue, skip bool) {
	if s.scalar.indent < 0 || text == "" {
		return indentIssue{}, s.scalar.indent >= 0
	}
	if s.content.indent < 0 && indent > s.scalar.indent {
		s.content = indentLevel{indent, n}
	}
	switch {
	case indent >= s.content.indent && s.content.indent >= 0:
		s.content.line = n
		return indentIssue{}, true
	case indent > s.scalar.indent:
		return indentIssue{line: n, indent: indent, inner: s.content, outer: s.scalar}, false
	}
	s.scalar = indentLevel{indent: -1}
	return indentIssue{}, false
}

// dedent closes the blocks deeper than a line; the line must then line up
// with the block it goes back to.
func (s *indentScan) dedent(indent, n int) (indentIssue, bool) {
	inner := indentLevel{indent: -1}
	for len(s.stack) > 0 && s.stack[len(s.stack)-1].indent > indent {
		inner, s.stack = s.stack[len(s.stack)-1], s.stack[:len(s.stack)-1]
	}
	if len(s.stack) > 0 && s.stack[len(s.stack)-1].indent == indent {
		return indentIssue{}, false
	}
	outer := indentLevel{indent: -1}
	if len(s.stack) > 0 {
		outer = s.stack[len(s.stack)-1]
	}
	return indentIssue{line: n, indent: indent, inner: inner, outer: outer}, true
}

// line reads one line's content: the list items it starts (each a block
// of its own, at the column of its content), whether it opens a block
// below it, and whether it starts a block scalar or leaves a quoted string
// or flow collection open.
func (s *indentScan) line(text string, indent, n int) {
	body, flow := lineContent(text, flowState{})
	s.flow, s.opens = flow, false
	col := indent
	for body == "-" || strings.HasPrefix(body, "- ") {
		if body == "-" {
			s.opens = true
			return
		}
		rest := strings.TrimLeft(body[1:], " ")
		col += len(body) - len(rest)
		body = rest
		s.stack = append(s.stack, indentLevel{col, n})
	}
	if blockScalarRe().MatchString(body) {
		s.scalar, s.content = indentLevel{col, n}, indentLevel{indent: -1}
	}
	s.opens = strings.HasSuffix(body, ":") || propsOnly(body)
}

// propsOnly tells whether a line's value (after its key's ": ", or the
// whole line) is only an anchor and/or a tag ("&a", "!t", "!!str",
// "&a !t"): YAML then reads the node they belong to from the lines below
// (YAML 1.2, "Node Properties"), so the line opens a block like "key:".
func propsOnly(body string) bool {
	if i := strings.LastIndex(body, ": "); i >= 0 {
		body = body[i+2:]
	}
	props := strings.Fields(body)
	for _, p := range props {
		if p[0] != '&' && p[0] != '!' {
			return false
		}
	}
	return len(props) > 0
}

// flowState is what a line leaves open: a quoted string (its quote) and
// flow collections ([ and { not yet closed).
type flowState struct {
	quote byte
	depth int
}

func (f flowState) open() bool { return f.quote != 0 || f.depth > 0 }

// lineContent is a line without its comment, and what it leaves open,
// given what the lines before left open.
func lineContent(text string, f flowState) (string, flowState) {
	for i := 0; i < len(text); i++ {
		c := text[i]
		start := i == 0 || strings.IndexByte(" [{,", text[i-1]) >= 0
		switch {
		case f.quote == '"' && c == '\\':
			i++
		case f.quote == '\'' && c == '\'' && i+1 < len(text) && text[i+1] == '\'':
			i++ // '' is a quote inside single quotes
		case f.quote != 0:
			if c == f.quote {
				f.quote = 0
			}
		case (c == '"' || c == '\'') && start:
			f.quote = c
		case c == '#' && (i == 0 || text[i-1] == ' '):
			return strings.TrimRight(text[:i], " "), f
		case (c == '[' || c == '{') && (start || f.depth > 0):
			f.depth++
		case (c == ']' || c == '}') && f.depth > 0:
			f.depth--
		}
	}
	return text, f
}
