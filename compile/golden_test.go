package compile

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/internal/golden"
	"github.com/sfnapic/sfnapic/spec"
)

const updateHint = "if the change is intended, run SFNAPIC_UPDATE=1 go test ./compile and review the diff"

// buildCase does what `sfnapic build spec.yaml` does inside dir.
func buildCase(t testing.TB, dir, format string) ([]byte, spec.ErrorList) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(dir, "spec.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s, diags := spec.Parse("spec.yaml", src, os.DirFS(dir))
	if s == nil {
		return nil, diags
	}
	out, limits, err := Build(s, format)
	if err != nil {
		t.Fatal(err)
	}
	diags = append(diags, limits...)
	diags.Sort()
	return out, diags
}

func TestGolden(t *testing.T) {
	for _, dir := range golden.Cases(t) {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			src, _ := os.ReadFile(filepath.Join(dir, "spec.yaml"))
			if !bytes.HasPrefix(src, []byte("# ")) {
				t.Errorf("spec.yaml must start with a comment saying what the case covers")
			}
			out, diags := buildCase(t, dir, "json")
			if diags.HasErrors() {
				golden.Check(t, filepath.Join(dir, "errors.txt"), []byte(diags.String()), updateHint)
				golden.Check(t, filepath.Join(dir, "template.json"), nil, "a failing case has errors.txt instead")
				return
			}
			golden.Check(t, filepath.Join(dir, "errors.txt"), nil, updateHint)
			golden.Check(t, filepath.Join(dir, "template.json"), out, updateHint)
			var warnings []byte
			if len(diags) > 0 {
				warnings = []byte(diags.String())
			}
			golden.Check(t, filepath.Join(dir, "warnings.txt"), warnings, updateHint)

			// Deterministic: a second run gives the same bytes.
			again, _ := buildCase(t, dir, "json")
			if !bytes.Equal(out, again) {
				t.Errorf("two builds of the same spec differ")
			}
			// A YAML golden is kept where one exists.
			if _, err := os.Stat(filepath.Join(dir, "template.yaml")); err == nil {
				y, _ := buildCase(t, dir, "yaml")
				golden.Check(t, filepath.Join(dir, "template.yaml"), y, updateHint)
			}
		})
	}
}

// TestExamples pins every example: each examples/NAME.yaml compiles without
// errors and is identical to golden/NAME/spec.yaml, so its template is
// reviewed there.
func TestExamples(t *testing.T) {
	examples, err := filepath.Glob("../examples/*.yaml")
	if err != nil || len(examples) == 0 {
		t.Fatalf("no examples found: %v", err)
	}
	for _, ex := range examples {
		name := strings.TrimSuffix(filepath.Base(ex), ".yaml")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(ex)
			if err != nil {
				t.Fatal(err)
			}
			g, err := os.ReadFile(filepath.Join(golden.Root(), name, "spec.yaml"))
			if err != nil {
				t.Fatalf("every example needs a golden case golden/%s/spec.yaml identical to it: %v", name, err)
			}
			if !bytes.Equal(src, g) {
				t.Errorf("examples/%s.yaml and golden/%s/spec.yaml differ; keep them identical", name, name)
			}
			s, diags := spec.Parse(ex, src, os.DirFS("../examples"))
			if diags.HasErrors() || s == nil {
				t.Fatalf("example does not compile:\n%s", diags)
			}
			if !bytes.HasPrefix(src, []byte("# "+name+":")) {
				t.Errorf("an example starts with a comment \"# %s: what it shows\"", name)
			}
		})
	}
}
