package vtl

import (
	"fmt"
	"strings"
)

// Template is a parsed mapping template, ready to render many times.
type Template struct {
	nodes []node
}

type node interface{}

type textNode string

// refNode is a reference in text or an expression: $a.b(c).d
type refNode struct {
	name  string
	quiet bool   // $!a: a null renders as nothing
	raw   string // as written, rendered when the value is null
	parts []refPart
}

type refPart struct {
	name  string
	call  bool
	args  []expr
	index expr // $a[expr]
	isIdx bool
}

type setNode struct {
	target *refNode
	value  expr
}

type ifNode struct {
	conds  []expr
	bodies [][]node // len(bodies) == len(conds), or one more for #else
}

type foreachNode struct {
	varName string
	list    expr
	body    []node
}

type breakNode struct{}
type stopNode struct{}

// expressions
type expr interface{}

type litExpr struct{ v any }

// strExpr is a double-quoted string literal: it interpolates references.
type strExpr struct{ nodes []node }

type listExpr struct{ items []expr }
type rangeExpr struct{ from, to expr }
type mapExpr struct{ keys, vals []expr }

type unaryExpr struct {
	op string
	x  expr
}

type binExpr struct {
	op   string
	l, r expr
}

// Error is a template error with the line and column it was found at.
type Error struct {
	Line, Col int
	Msg       string
}

// Error renders the error with its template line and column.
func (e *Error) Error() string { return fmt.Sprintf("template %d:%d: %s", e.Line, e.Col, e.Msg) }

func position(src string, offset int) (int, int) {
	if offset > len(src) {
		offset = len(src)
	}
	line := 1 + strings.Count(src[:offset], "\n")
	col := offset - strings.LastIndex(src[:offset], "\n")
	return line, col
}
