// Command docgen writes the reference docs that must not drift from the code:
// the field tables of docs/spec.md, from the spec package's field tables (the
// ones the parser takes its keys from and the JSON Schema is generated from),
// and docs/commands (Markdown) and docs/man (man pages), from the cobra
// command tree with cobra's own generator. go generate ./... runs it from
// this folder, with the repository root as its argument.
//
//go:generate go run . ../..
package main

import (
	"fmt"
	"os"
	"path/filepath"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: docgen REPOSITORY-ROOT")
		os.Exit(2)
	}
	if err := write(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "docgen:", err)
		os.Exit(1)
	}
}

// write regenerates every generated doc under root.
func write(root string) error {
	specPath := filepath.Join(root, "docs", "spec.md")
	old, err := os.ReadFile(specPath)
	if err != nil {
		return err
	}
	spec, err := fillSpec(specPath, string(old))
	if err != nil {
		return err
	}
	if err := os.WriteFile(specPath, []byte(spec), 0o644); err != nil {
		return err
	}
	for dir, files := range commandDocs() {
		if err := replaceDir(filepath.Join(root, "docs", dir), files); err != nil {
			return err
		}
	}
	return nil
}

// replaceDir makes dir hold exactly files, so that the page of a command
// that is gone goes too.
func replaceDir(dir string, files map[string][]byte) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}
