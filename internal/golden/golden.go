// Package golden holds the test helpers shared by the tests of several
// packages: the update switch, the compare-or-rewrite check, and JSON
// normalisation.
package golden

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"reflect"
	"testing"

	"github.com/rogpeppe/go-internal/diff"
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
