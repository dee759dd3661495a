package spec_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"gopkg.in/yaml.v3"

	"github.com/sfnapic/sfnapic/compile"
	"github.com/sfnapic/sfnapic/internal/golden"
	"github.com/sfnapic/sfnapic/spec"
)

// FuzzParse feeds arbitrary bytes to the parser and, when it accepts them,
// to the compiler. Nothing may panic, every diagnostic must carry a
// position, and an accepted spec must compile to valid JSON. Crashers found
// are kept under testdata/fuzz/FuzzParse as seed cases.
//
//	go test ./spec -run '^$' -fuzz FuzzParse -fuzztime 5m
func FuzzParse(f *testing.F) {
	seeds := golden.Files(f, "spec.yaml")
	examples, _ := filepath.Glob("../examples/*.yaml")
	for _, p := range append(seeds, examples...) {
		src, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	// Who may call a route (issue 18): every access field, valid, so
	// that mutations reach their checks past the unknown-key one.
	f.Add([]byte(accessSeed))
	files := fstest.MapFS{
		"order.schema.json": {Data: []byte(`{"type": "object", "definitions": {"i": {"type": "string"}}, "properties": {"i": {"$ref": "#/definitions/i"}}}`)},
		"flow.asl.json":     {Data: []byte(`{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}`)},
		"flow.asl.yaml":     {Data: []byte("StartAt: A\nStates:\n  A: {Type: Succeed}\n")},
		"bad.asl.json":      {Data: []byte(`{"StartAt":`)},
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		s, diags := spec.Parse("spec.yaml", src, files)
		for _, d := range diags {
			if d.Pos.File == "" || d.Pos.Line < 1 || d.Pos.Col < 1 {
				t.Fatalf("diagnostic without a position: %q", d.Error())
			}
		}
		if s == nil {
			if !diags.HasErrors() {
				t.Fatal("no spec and no error")
			}
			return
		}
		out, _, err := compile.Build(s, "json")
		if err != nil {
			t.Fatalf("accepted spec does not compile: %v", err)
		}
		if !json.Valid(out) {
			t.Fatalf("template is not JSON:\n%s", out)
		}
		y, _, err := compile.Build(s, "yaml")
		if err != nil {
			t.Fatalf("accepted spec does not compile to YAML: %v", err)
		}
		var fromJSON, fromYAML any
		if err := json.Unmarshal(out, &fromJSON); err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal(y, &fromYAML); err != nil {
			t.Fatalf("YAML output does not parse: %v\n%s", err, y)
		}
		if !golden.Same(t, fromJSON, fromYAML) {
			t.Fatalf("YAML and JSON outputs differ:\n%s", y)
		}
	})
}

const accessSeed = `version: 1
api:
  name: a
  auth: users
  authorizers:
    users: {type: cognito, userPools: ["arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf"]}
    partners: {type: lambda, function: "arn:aws:lambda:eu-west-1:123456789012:function:f", identity: [header.X, query.q, context.identity.sourceIp, stageVariables.v], ttl: 5m}
  cors: {origins: ["https://a.example.com", "http://localhost:3000"], headers: [Content-Type], expose: [Location], credentials: true, maxAge: 10m}
  usagePlans:
    p: {keys: [acme], throttle: {rate: 0.5, burst: 10}, quota: {limit: 100, period: DAY}}
stateMachines:
  m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}}
routes:
  POST /a: {stateMachine: m, scopes: [a/b], body: {schema: {type: object, required: [x], properties: {x: {type: array, minItems: 1}}}}}
  PUT /a: {stateMachine: m, auth: partners, apiKey: p, body: {schemaFile: order.schema.json}}
  GET /a: {stateMachine: m, auth: iam}
`
