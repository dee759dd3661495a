// Package golden holds the test helpers shared by the golden tests of
// several packages: the update switch and the compare-or-rewrite check.
package golden

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
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
