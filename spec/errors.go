package spec

import (
	"fmt"
	"sort"
	"strings"
)

// Pos is a position in a source file. Line and Col are 1-based; a zero
// Line means the position is unknown and only the file is reported.
type Pos struct {
	File string
	Line int
	Col  int
}

// String renders the position as file:line:col, dropping the parts that
// are unknown.
func (p Pos) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.File == "":
		return fmt.Sprintf("%d:%d", p.Line, p.Col)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Severity tells an error from a warning. Warnings are reported but do not
// make a command fail.
type Severity int

const (
	// SevError is a problem that stops compilation.
	SevError Severity = iota
	// SevWarning is reported, but compilation goes on.
	SevWarning
)

// Error is one diagnostic about a spec: where it is, which field it
// concerns, and what is wrong.
type Error struct {
	Pos      Pos
	Path     string // field path such as routes["POST /{id}"].input.id
	Msg      string
	Severity Severity
}

// Error renders the diagnostic as file:line:col: path: message, with
// "warning: " before the message of a warning.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Pos.String())
	b.WriteString(": ")
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	if e.Severity == SevWarning {
		b.WriteString("warning: ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// ErrorList collects every diagnostic of a run, so that all problems are
// reported at once instead of one per attempt.
type ErrorList []*Error

// Add appends an error.
func (l *ErrorList) Add(pos Pos, path, format string, args ...any) {
	*l = append(*l, &Error{Pos: pos, Path: path, Msg: fmt.Sprintf(format, args...)})
}

// Warn appends a warning.
func (l *ErrorList) Warn(pos Pos, path, format string, args ...any) {
	*l = append(*l, &Error{Pos: pos, Path: path, Msg: fmt.Sprintf(format, args...), Severity: SevWarning})
}

// Sort orders the list by file, line, column, then message, and drops exact
// duplicates, so output does not depend on the order checks ran in.
func (l *ErrorList) Sort() {
	s := *l
	sort.SliceStable(s, func(i, j int) bool {
		a, b := s[i], s[j]
		if a.Pos.File != b.Pos.File {
			return a.Pos.File < b.Pos.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		if a.Pos.Col != b.Pos.Col {
			return a.Pos.Col < b.Pos.Col
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Msg < b.Msg
	})
	out := s[:0]
	for i, e := range s {
		if i > 0 && *e == *s[i-1] {
			continue
		}
		out = append(out, e)
	}
	*l = out
}

// HasErrors reports whether the list holds anything worse than a warning.
func (l ErrorList) HasErrors() bool {
	for _, e := range l {
		if e.Severity == SevError {
			return true
		}
	}
	return false
}

// Err returns the list as an error when it holds at least one error (not
// only warnings), and nil otherwise.
func (l ErrorList) Err() error {
	if !l.HasErrors() {
		return nil
	}
	return l
}

// Error renders the first diagnostic and how many more follow.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	return fmt.Sprintf("%s (and %d more)", l[0].Error(), len(l)-1)
}

// String renders every diagnostic, one per line.
func (l ErrorList) String() string {
	var b strings.Builder
	for _, e := range l {
		b.WriteString(e.Error())
		b.WriteByte('\n')
	}
	return b.String()
}
