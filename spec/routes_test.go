package spec

import (
	"strings"
	"testing"
)

// TestSiblingPathParameters: API Gateway gives a resource one parameter
// child, so /a/{id} next to /a/{name} is an error on the later route,
// naming the earlier one; the same name, or parameters under different
// parents, are fine.
func TestSiblingPathParameters(t *testing.T) {
	parse := func(routes string) ErrorList {
		src := "version: 1\napi: {name: a}\nstateMachines:\n  m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}}\nroutes:\n" + routes
		_, diags := Parse("s.yaml", []byte(src), nil)
		var errs ErrorList // the unmapped parameters' warnings apart
		for _, e := range diags {
			if e.Severity == SevError {
				errs = append(errs, e)
			}
		}
		return errs
	}
	for name, c := range map[string]struct {
		routes, path, msg string
		line              int
	}{
		"first level": {
			routes: "  GET /a/{id}: {stateMachine: m}\n  DELETE /a/{name}: {stateMachine: m}\n",
			path:   `routes["DELETE /a/{name}"]`, line: 7,
			msg: "path segment {name} conflicts with {id} of route GET /a/{id} (line 6): API Gateway allows one parameter segment per level",
		},
		"deeper, greedy": {
			routes: "  GET /a/{id}/b/{x}: {stateMachine: m}\n  POST /c: {stateMachine: m}\n  PUT /a/{id}/b/{y+}: {stateMachine: m}\n",
			path:   `routes["PUT /a/{id}/b/{y+}"]`, line: 8,
			msg: "path segment {y+} conflicts with {x} of route GET /a/{id}/b/{x} (line 6)",
		},
	} {
		errs := parse(c.routes)
		if len(errs) != 1 || errs[0].Pos != (Pos{File: "s.yaml", Line: c.line, Col: 3}) || errs[0].Path != c.path || !strings.Contains(errs[0].Msg, c.msg) {
			t.Errorf("%s: got\n%s\nwant one error at s.yaml:%d:3: %s: %s...", name, errs.String(), c.line, c.path, c.msg)
		}
	}
	for _, ok := range []string{
		"  GET /a/{id}: {stateMachine: m}\n  DELETE /a/{id}: {stateMachine: m}\n  GET /a/{id}/b: {stateMachine: m}\n",
		"  GET /a/{id}: {stateMachine: m}\n  GET /b/{name}: {stateMachine: m}\n  GET /a/x/{name}: {stateMachine: m}\n",
	} {
		if errs := parse(ok); len(errs) != 0 {
			t.Errorf("%q: %s", ok, errs.String())
		}
	}
}
