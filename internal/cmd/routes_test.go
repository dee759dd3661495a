package cmd

import (
	"encoding/json"
	"testing"

	"github.com/sfnapic/sfnapic/compile"
	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/spec"
)

// routeGateway compiles a spec and serves its template locally, as the
// tests that send rendered requests to an emulator need it.
func routeGateway(t *testing.T, src []byte) *gateway.Gateway {
	t.Helper()
	s, errs := spec.Parse("spec.yaml", src, nil)
	if s == nil || errs.HasErrors() {
		t.Fatal(errs)
	}
	g, err := gateway.New(compile.Compile(s))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// renderRoute renders a JSON request on a route and decodes the body it
// would send to Step Functions into in, an SDK input.
func renderRoute(t *testing.T, g *gateway.Gateway, method, path, body string, in any) *gateway.Call {
	t.Helper()
	call, err := g.Start(&gateway.Request{Method: method, Path: path, Body: body, Header: gateway.Header{"Content-Type": {"application/json"}}})
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	if err := json.Unmarshal([]byte(call.Body), in); err != nil {
		t.Fatalf("%s %s: the request %s: %v", method, path, call.Body, err)
	}
	return call
}
