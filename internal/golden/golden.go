// Package golden holds the test helpers shared by the tests of several
// packages: the update switch, the compare-or-rewrite check, the one
// discovery of golden cases, JSON normalisation, and the request values
// that break templates.
package golden

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/rogpeppe/go-internal/diff"
	"gopkg.in/yaml.v3"
)

// Update reports whether golden files are being refreshed
// (SFNAPIC_UPDATE=1). It is read at test time, not in init, so that the go
// test cache sees the variable.
func Update() bool { return os.Getenv("SFNAPIC_UPDATE") != "" }

// Check compares got with the golden file at path, or rewrites the file in
// update mode. A nil got means the file must not exist (and is removed in
// update mode).
func Check(t *testing.T, path string, got []byte, hint string) {
	t.Helper()
	want, err := os.ReadFile(path)
	missing := errors.Is(err, fs.ErrNotExist)
	if err != nil && !missing {
		t.Fatal(err)
	}
	if Update() {
		switch {
		case got == nil && !missing:
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
		case got != nil && (missing || !bytes.Equal(want, got)):
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	switch {
	case got == nil && !missing:
		t.Errorf("%s should not exist; %s", path, hint)
	case got != nil && missing:
		t.Errorf("%s is missing; %s", path, hint)
	case got != nil && !bytes.Equal(want, got):
		t.Errorf("%s differs (-want +got):\n%s\n%s", path, diff.Diff("want", want, "got", got), hint)
	}
}

// Normalize brings a decoded JSON or YAML document (or a spec value) to the
// shapes encoding/json decodes into, float64 numbers and map[string]any
// objects, by a JSON round trip, so that two documents compare with
// reflect.DeepEqual.
func Normalize(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	err = json.Unmarshal(b, &out)
	return out, err
}

// Same reports whether two decoded documents hold the same JSON.
func Same(t testing.TB, a, b any) bool {
	t.Helper()
	na, err := Normalize(a)
	if err != nil {
		t.Fatal(err)
	}
	nb, err := Normalize(b)
	if err != nil {
		t.Fatal(err)
	}
	return reflect.DeepEqual(na, nb)
}

// Root is the golden directory, relative to the directory of the package
// under test (tests run there): the module root's golden/.
func Root() string { return filepath.Join(moduleRoot(), "golden") }

// Examples is the examples directory, relative like Root.
func Examples() string { return filepath.Join(moduleRoot(), "examples") }

// moduleRoot is the relative path up to the directory holding go.mod.
func moduleRoot() string {
	up := "."
	for i := 0; i < 8; i++ {
		if _, err := os.Stat(filepath.Join(up, "go.mod")); err == nil {
			return up
		}
		up = filepath.Join(up, "..")
	}
	return "."
}

// Cases finds every golden case: each directory under Root that holds a
// spec.yaml, sorted. Adding a case is adding a directory; every test that
// reads the cases finds them here.
func Cases(t testing.TB) []string {
	t.Helper()
	var dirs []string
	err := filepath.WalkDir(Root(), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && d.Name() == "spec.yaml" {
			dirs = append(dirs, filepath.Dir(p))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(dirs)
	if len(dirs) == 0 {
		t.Fatalf("no golden cases found under %s", Root())
	}
	return dirs
}

// Failing reports whether a case expects errors (it holds errors.txt)
// rather than a template.
func Failing(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "errors.txt"))
	return err == nil
}

// Files lists the files of every case that match a pattern such as
// "requests/*.json", sorted.
func Files(t testing.TB, pattern string) []string {
	t.Helper()
	var out []string
	for _, dir := range Cases(t) {
		m, err := filepath.Glob(filepath.Join(dir, pattern))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m...)
	}
	return out
}

// Writer is a template that writes itself as JSON and as YAML.
type Writer interface {
	JSON() ([]byte, error)
	YAML() ([]byte, error)
}

// SameYAMLAndJSON fails the test unless yaml.v3 reads the template's YAML
// as the same document that encoding/json reads its JSON as.
func SameYAMLAndJSON(t testing.TB, name string, tpl Writer) {
	t.Helper()
	j, err := tpl.JSON()
	if err != nil {
		t.Fatal(err)
	}
	y, err := tpl.YAML()
	if err != nil {
		t.Fatal(err)
	}
	var fromJSON, fromYAML any
	if err := json.Unmarshal(j, &fromJSON); err != nil {
		t.Fatalf("%s: the JSON output is not JSON: %v", name, err)
	}
	if err := yaml.Unmarshal(y, &fromYAML); err != nil {
		t.Fatalf("%s: yaml.v3 cannot read the YAML output: %v\n%s", name, err, y)
	}
	if !Same(t, fromJSON, fromYAML) {
		t.Fatalf("%s: the YAML output does not say what the JSON output says:\n%s\nJSON:\n%s", name, y, j)
	}
}
