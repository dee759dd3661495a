//go:build unix

package cmd

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestWriteFileUmask: a new file that -o writes gets 0666 less the
// umask, as any file a program creates; an existing file keeps its own
// mode whatever the umask. The umask is the process's: this test must
// not run in parallel with others.
func TestWriteFileUmask(t *testing.T) {
	dir := t.TempDir()
	withUmask := func(mask int, f func()) {
		old := syscall.Umask(mask)
		defer syscall.Umask(old)
		f()
	}
	mode := func(name string) fs.FileMode {
		fi, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Mode().Perm()
	}
	for mask, want := range map[int]fs.FileMode{0o077: 0o600, 0o022: 0o644, 0o002: 0o664, 0o027: 0o640} {
		name := filepath.Join(dir, fmt.Sprintf("new-%03o.json", mask))
		withUmask(mask, func() {
			if err := writeFile(name, []byte("{}")); err != nil {
				t.Fatal(err)
			}
		})
		if got := mode(name); got != want {
			t.Errorf("umask %03o: a new file got %v, want %v", mask, got, want)
		}
	}

	// build -o, end to end.
	out := filepath.Join(dir, "template.json")
	var code int
	var stderr string
	withUmask(0o077, func() { code, _, stderr = run(t, "build", "../../examples/item-api.yaml", "-o", out) })
	if code != 0 {
		t.Fatalf("build -o: exit %d: %s", code, stderr)
	}
	if got := mode(out); got != 0o600 {
		t.Errorf("build -o under umask 077 wrote %v, want -rw-------", got)
	}

	// An existing file keeps its mode, wider or narrower than the umask.
	for _, keep := range []fs.FileMode{0o640, 0o604} {
		name := filepath.Join(dir, fmt.Sprintf("old-%03o.json", keep))
		if err := os.WriteFile(name, []byte("old"), keep); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(name, keep); err != nil {
			t.Fatal(err)
		}
		withUmask(0o077, func() {
			if err := writeFile(name, []byte("new")); err != nil {
				t.Fatal(err)
			}
		})
		if got := mode(name); got != keep {
			t.Errorf("an existing %v file became %v", keep, got)
		}
	}
}
