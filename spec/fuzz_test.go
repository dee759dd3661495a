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
	files := fstest.MapFS{
		"flow.asl.json": {Data: []byte(`{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}`)},
		"flow.asl.yaml": {Data: []byte("StartAt: A\nStates:\n  A: {Type: Succeed}\n")},
		"bad.asl.json":  {Data: []byte(`{"StartAt":`)},
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
