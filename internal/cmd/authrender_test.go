package cmd

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// claimsSpec is an API whose one route reads a Cognito claim, a Lambda
// authorizer's context key and its principal into the execution input.
const claimsSpec = `version: 1
api:
  name: claims
stateMachines:
  orders:
    definition: {StartAt: Done, States: {Done: {Type: Pass, End: true}}}
routes:
  POST /orders:
    stateMachine: orders
    input:
      user: context.authorizer.claims.sub
      email: context.authorizer.claims.email
      tenant: context.authorizer.tenant
      principal: context.authorizer.principalId
`

// TestRenderClaims: render --claims, --authorizer-context and
// --principal-id reach the template as $context.authorizer, escaped as
// any request value is; without them the authorizer's values are empty,
// as API Gateway renders them for a route no authorizer ran on. Render
// notes when the route's authorization type would not pass them on, and
// says nothing when it would (a template whose method is
// COGNITO_USER_POOLS or CUSTOM).
func TestRenderClaims(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "claims.yaml")
	writeTestFile(t, spec, claimsSpec)
	code, out, stderr := run(t, "build", spec)
	if code != 0 {
		t.Fatalf("build: exit %d %s", code, stderr)
	}
	cognito, custom := filepath.Join(dir, "cognito.json"), filepath.Join(dir, "custom.json")
	writeTestFile(t, cognito, strings.Replace(out, `"AuthorizationType": "NONE"`, `"AuthorizationType": "COGNITO_USER_POOLS"`, 1))
	writeTestFile(t, custom, strings.Replace(out, `"AuthorizationType": "NONE"`, `"AuthorizationType": "CUSTOM"`, 1))

	all := []string{"--claims", "sub=u-1", "--claims", `email=it's "x"@example.com`, "--authorizer-context", "tenant=acme", "--principal-id", "p-9"}
	want := map[string]any{"user": "u-1", "email": `it's "x"@example.com`, "tenant": "acme", "principal": "p-9"}
	for _, tc := range []struct {
		name  string
		where []string
		flags []string
		input map[string]any
		notes []string
	}{
		{"no authorizer", []string{spec}, nil, map[string]any{"user": "", "email": "", "tenant": "", "principal": ""}, nil},
		{"all on a NONE route", []string{spec}, all, want, []string{"is NONE, not COGNITO_USER_POOLS", "is NONE, not CUSTOM"}},
		{"claims on a Cognito route", []string{"--template", cognito}, all[:4], map[string]any{"user": "u-1", "email": `it's "x"@example.com`, "tenant": "", "principal": ""}, nil},
		{"context on a Cognito route", []string{"--template", cognito}, all, want, []string{"is COGNITO_USER_POOLS, not CUSTOM"}},
		{"context on a Lambda route", []string{"--template", custom}, all[4:], map[string]any{"user": "", "email": "", "tenant": "acme", "principal": "p-9"}, nil},
	} {
		args := append(append(append([]string{"render"}, tc.where...), "POST /orders", "-d", "{}", "--output", "json"), tc.flags...)
		code, stdout, stderr := run(t, args...)
		var res renderResult
		if err := json.Unmarshal([]byte(stdout), &res); err != nil || code != 0 {
			t.Fatalf("%s: exit %d %v\n%s\n%s", tc.name, code, err, stdout, stderr)
		}
		if got := jsonOf(t, string(res.Input)); !reflect.DeepEqual(got, tc.input) {
			t.Errorf("%s: input %v, want %v", tc.name, got, tc.input)
		}
		if n := strings.Count(stderr, "$context.authorizer") + strings.Count(stderr, "no authorizer context"); n != len(tc.notes) {
			t.Errorf("%s: %d notes about the authorizer, want %d:\n%s", tc.name, n, len(tc.notes), stderr)
		}
		for _, note := range tc.notes {
			if !strings.Contains(stderr, note) {
				t.Errorf("%s: no note %q:\n%s", tc.name, note, stderr)
			}
		}
	}
}

// TestRenderClaimsRefused: malformed authorizer flags are usage errors,
// all reported at once.
func TestRenderClaimsRefused(t *testing.T) {
	code, _, stderr := run(t, "render", "../../golden/orders-open/spec.yaml", "POST /orders", "--claims", "sub", "--claims", "=x",
		"--claims", "a=1", "--claims", "a=2", "--authorizer-context", "claims=1", "--authorizer-context", "principalId=p")
	for _, want := range []string{`--claims "sub": write NAME=VALUE`, `--claims "=x"`, "--claims a is given twice",
		"give each with --claims NAME=VALUE", "give the principal with --principal-id ID"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("no %q in:\n%s", want, stderr)
		}
	}
	if code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
}
