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

// TestWrongPathParameterIsOneError: execution: path.id on
// /orders/{orderId} is one error, with the source to write (issue 19: it
// also said the route needs an execution, which it has, and that
// {orderId} was unused, which only the mistake made it).
func TestWrongPathParameterIsOneError(t *testing.T) {
	head := "version: 1\napi: {name: a}\nstateMachines:\n  m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}}\nroutes:\n"
	for routes, want := range map[string]string{
		"  GET /orders/{orderId}:\n    stateMachine: m\n    action: status\n    execution: path.id\n":        `s.yaml:9:16: routes["GET /orders/{orderId}"].execution: path parameter "id" is not in the route's path (did you mean "path.orderId"?); the path has {orderId}`,
		"  DELETE /o/{orderId}/{lineId}:\n    stateMachine: m\n    action: stop\n    execution: path.line\n": `s.yaml:9:16: routes["DELETE /o/{orderId}/{lineId}"].execution: path parameter "line" is not in the route's path (did you mean "path.lineId"?); the path has {orderId}, {lineId}`,
		"  POST /o/{orderId}:\n    stateMachine: m\n    input: {order: pth.orderId}\n":                       `s.yaml:8:20: routes["POST /o/{orderId}"].input.order: "pth.orderId" does not say where the value comes from; start it with one of path., query., header., body or context. (did you mean "path.orderId"?)`,
		"  POST /o/{a}/{b}:\n    stateMachine: m\n    input: {x: path.zzz, a: path.a, b: path.b}\n":          `s.yaml:8:16: routes["POST /o/{a}/{b}"].input.x: path parameter "zzz" is not in the route's path; the path has {a}, {b}`,
	} {
		_, diags := Parse("s.yaml", []byte(head+routes), nil)
		if got := strings.TrimSuffix(diags.String(), "\n"); got != want {
			t.Errorf("got\n%s\nwant\n%s", got, want)
		}
	}
}

// TestSuggestsTheWholeSource: a misspelt location is corrected in the
// whole source, which is what the author pastes back (issue 19:
// "boddy.items" suggested "body").
func TestSuggestsTheWholeSource(t *testing.T) {
	for got, want := range map[string]string{
		"boddy.items":            ` (did you mean "body.items"?)`,
		"boddy":                  ` (did you mean "body"?)`,
		"heder.X-Customer.extra": ` (did you mean "header.X-Customer.extra"?)`,
		"bod.":                   ` (did you mean "body"?)`,
		"nowhere.items":          "",
	} {
		if s := suggestWhole(got, locations); s != want {
			t.Errorf("suggestWhole(%q) = %q, want %q", got, s, want)
		}
	}
}
