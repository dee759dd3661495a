package compile

import (
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/spec"
)

func TestExposure(t *testing.T) {
	base := `version: 1
api: {name: x%s}
stateMachines:
  m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}}
routes:
  POST /a: {stateMachine: m}
  GET /b/{id}: {stateMachine: m}
`
	for extra, want := range map[string]string{
		"": "x.yaml:5:1: routes: warning: 2 of 2 routes have no authorization, so anyone with the invoke URL can call them: POST /a, GET /b/{id}\n",
		", endpoint: PRIVATE, vpcEndpoints: [vpce-0123456789abcdef0]": "",
	} {
		s, diags := spec.Parse("x.yaml", []byte(strings.Replace(base, "%s", extra, 1)), nil)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		if got := Exposure(s).String(); got != want {
			t.Errorf("api %q: got %q, want %q", extra, got, want)
		}
	}
}

func TestIAMDescription(t *testing.T) {
	for in, want := range map[string]string{
		"items api":               "items api",
		"café\tAPI":               "café\tAPI",
		"日本API":                   "??API",
		strings.Repeat("é", 1200): strings.Repeat("é", 1000),
		"a\u2063b\u0000c":         "a?b?c",
	} {
		if got := iamDescription(in); got != want {
			t.Errorf("iamDescription(%.20q) = %.20q, want %.20q", in, got, want)
		}
	}
}
