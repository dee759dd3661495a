//go:build unix

package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	read := func(p string) string {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	// A private file stays private.
	private := filepath.Join(dir, "private.json")
	if err := os.WriteFile(private, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(private, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(private); fi.Mode().Perm() != 0o600 || read(private) != "new" {
		t.Errorf("private file: mode %v, %q", fi.Mode(), read(private))
	}
	// A link is followed, and stays a link.
	real := filepath.Join(dir, "real.json")
	link := filepath.Join(dir, "link.json")
	if err := os.WriteFile(real, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("real.json", link); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if li, _ := os.Lstat(link); li.Mode()&os.ModeSymlink == 0 || read(real) != "new" {
		t.Errorf("link: mode %v, target %q", li.Mode(), read(real))
	}
	// Refused: read-only, not regular, a dangling link.
	readonly := filepath.Join(dir, "readonly.json")
	if err := os.WriteFile(readonly, []byte("old"), 0o444); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	dangling := filepath.Join(dir, "dangling.json")
	if err := os.Symlink("nowhere.json", dangling); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{readonly: "is read-only", fifo: "not a regular file", "/dev/null": "not a regular file", dir: "not a regular file", dangling: "symbolic link to nothing"} {
		if err := writeFile(name, []byte("new")); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if read(readonly) != "old" {
		t.Error("the read-only file changed")
	}
	// Interrupted: the old file stays, and no temporary file is left.
	err := writeFileWatched(private, []byte("newer"), func() func() bool { return func() bool { return true } })
	if err != errWriteInterrupted || read(private) != "new" {
		t.Errorf("interrupted: %v, %q", err, read(private))
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}
