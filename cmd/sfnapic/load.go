package main

import (
	"fmt"
	"os"
	"path/filepath"

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
