package cmd

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/sfnapic/sfnapic/compile"
	"github.com/sfnapic/sfnapic/spec"
)

// compiled is a spec compiled and serialized, with every diagnostic.
type compiled struct {
	spec  *spec.Spec
	out   []byte
	diags spec.ErrorList
}

// compileFile reads, parses, compiles and serializes one spec. Definition
// files are read relative to the spec's directory. It returns an error only
// for problems that are not diagnostics (the spec cannot be read).
func compileFile(name, format string) (*compiled, error) {
	s, diags, err := loadSpec(name)
	if err != nil {
		return nil, err
	}
	c := &compiled{spec: s, diags: diags}
	if s == nil {
		return c, nil
	}
	out, limits, err := compile.Build(s, format)
	if err != nil {
		return nil, err
	}
	c.out = out
	c.diags = append(c.diags, limits...)
	c.diags.Sort()
	return c, nil
}

// loadSpec reads and parses one spec, with definition files read relative
// to its directory and diagnostics naming it as given.
//
// Definition files are read through an os.Root of the spec's directory, so
// no path and no symbolic link can reach a file outside it.
func loadSpec(name string) (*spec.Spec, spec.ErrorList, error) {
	src, err := readInput(name, spec.MaxFileBytes)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read spec: %w", err)
	}
	root, err := os.OpenRoot(filepath.Dir(name))
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read the spec's directory: %w", err)
	}
	defer root.Close()
	s, diags := spec.Parse(filepath.ToSlash(name), src, root.FS())
	return s, diags, nil
}

// readInput reads a file the user names as input: a regular file (or a
// link to one) of at most limit bytes. A device such as /dev/zero, a FIFO
// (which would block) or a directory is refused.
func readInput(name string, limit int64) ([]byte, error) {
	// Stat before opening: opening a FIFO blocks until someone writes.
	if info, err := os.Stat(name); err == nil && !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file (%s)", name, info.Mode().Type())
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file (%s)", name, info.Mode().Type())
	}
	if info.Size() > limit {
		return nil, fmt.Errorf("%s is %d bytes; at most %d are read", name, info.Size(), limit)
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err == nil && int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is over %d bytes", name, limit)
	}
	return b, err
}

// templateFormat decides the format of a template: the --format flag when
// given (in any case), else the extension of the file it goes to or is
// compared with (.yaml or .yml for YAML), else JSON.
func templateFormat(flag string, flagSet bool, file string) (string, error) {
	if flagSet {
		switch f := strings.ToLower(flag); f {
		case "json", "yaml":
			return f, nil
		}
		return "", usagef("--format must be json or yaml, not %q", flag)
	}
	switch strings.ToLower(filepath.Ext(file)) {
	case ".yaml", ".yml":
		return "yaml", nil
	}
	return "json", nil
}

// maxReadBytes bounds the other files commands read: a template to check
// or render, a request body (API Gateway takes at most 10 MB), a reply.
const maxReadBytes = 16 << 20

// writeFile replaces name atomically, so an interrupted write never leaves
// a half-written file behind.
func writeFile(name string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}
