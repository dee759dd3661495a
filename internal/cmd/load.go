package cmd

import (
	"fmt"
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
func loadSpec(name string) (*spec.Spec, spec.ErrorList, error) {
	src, err := os.ReadFile(name)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read spec: %w", err)
	}
	s, diags := spec.Parse(filepath.ToSlash(name), src, os.DirFS(filepath.Dir(name)))
	return s, diags, nil
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
