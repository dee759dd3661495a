package gateway_test

import (
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/compile"
	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/spec"
)

func TestRouting(t *testing.T) {
	src := []byte(`version: 1
api: {name: r}
stateMachines:
  m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}}
routes:
  GET /items/{id}: {stateMachine: m, input: {id: path.id}}
  GET /items/special: {stateMachine: m}
  ANY /items/{id}: {stateMachine: m, input: {id: path.id}}
  GET /files/{path+}: {stateMachine: m, input: {path: path.path}}
`)
	s, diags := spec.Parse("r.yaml", src, nil)
	if s == nil {
		t.Fatal(diags)
	}
	g, err := gateway.New(compile.Compile(s))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(g.Routes(), ", "); got != "GET /files/{path+}, GET /items/special, ANY /items/{id}, GET /items/{id}" {
		t.Errorf("routes: %s", got)
	}
	for target, want := range map[string]string{
		"GET /items/special": "GET /items/special",
		"GET /items/7":       "GET /items/{id}",
		"DELETE /items/7":    "ANY /items/{id}",
		"GET /files/a/b/c":   "GET /files/{path+}",
		"GET /files":         "403",
		"GET /nowhere":       "403",
	} {
		req, _ := gateway.ParseTarget(target)
		route, params, rej := g.Route(req)
		got := "403"
		if rej == nil {
			got = route
			if strings.Contains(route, "path+") && params["path"] != "a/b/c" {
				t.Errorf("%s: greedy parameter %q", target, params["path"])
			}
		} else if rej.Status != 404 {
			t.Errorf("%s: status %d, want the template's 404", target, rej.Status)
		}
		if got != want {
			t.Errorf("%s routed to %s, want %s", target, got, want)
		}
	}
}
