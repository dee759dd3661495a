package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/spec"
)

// TestDocsAreFresh fails when docs/spec.md's field tables, docs/commands or
// docs/man are not what the field tables and the command tree generate:
// run go generate ./internal/docgen and commit the docs.
func TestDocsAreFresh(t *testing.T) {
	have, err := os.ReadFile("../../docs/spec.md")
	if err != nil {
		t.Fatal(err)
	}
	want, err := fillSpec("docs/spec.md", string(have))
	if err != nil {
		t.Fatal(err)
	}
	if string(have) != want {
		t.Error("docs/spec.md is stale: run go generate ./internal/docgen and commit it")
	}
	for dir, files := range commandDocs() {
		entries, err := os.ReadDir(filepath.Join("../../docs", dir))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
			b, err := os.ReadFile(filepath.Join("../../docs", dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			if w, ok := files[e.Name()]; !ok || !bytes.Equal(b, w) {
				t.Errorf("docs/%s/%s is stale or no command's page: run go generate ./internal/docgen", dir, e.Name())
			}
		}
		if len(names) != len(files) {
			t.Errorf("docs/%s has %d pages, the commands make %d: run go generate ./internal/docgen", dir, len(names), len(files))
		}
	}
}

// TestSpecDocsEveryField checks that the generated reference names every
// field of every table, each once, in its table's block.
func TestSpecDocsEveryField(t *testing.T) {
	b, err := os.ReadFile("../../docs/spec.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	for _, table := range spec.Tables {
		start := strings.Index(text, startMark+"table "+table.Name+editNote)
		if start < 0 {
			t.Errorf("docs/spec.md has no block for the %s table", table.Name)
			continue
		}
		block := text[start : start+strings.Index(text[start:], endMark)]
		var documented []string
		for _, line := range strings.Split(block, "\n") {
			if name, ok := strings.CutPrefix(line, "| `"); ok {
				documented = append(documented, name[:strings.Index(name, "`")])
			}
		}
		if !slices.Equal(documented, table.Keys()) {
			t.Errorf("docs/spec.md documents %v for %s; the table has %v", documented, table.Name, table.Keys())
		}
	}
}

// TestFillSpecRefusesMissingAndUnknownBlocks: a table without a block, a
// block naming nothing, and a block without its end are errors, so that a
// new table cannot go undocumented and a typo cannot eat the prose.
func TestFillSpecRefusesMissingAndUnknownBlocks(t *testing.T) {
	good, err := os.ReadFile("../../docs/spec.md")
	if err != nil {
		t.Fatal(err)
	}
	routeStart := startMark + "table route" + editNote
	for name, tc := range map[string]struct{ text, want string }{
		"missing": {strings.Replace(string(good), routeStart, "", 1), "no block documents the table route"},
		"unknown": {strings.Replace(string(good), routeStart, startMark+"table rout"+editNote, 1), `"table rout" names no table`},
		"twice":   {string(good) + "\n" + routeStart + "\n" + endMark + "\n", `"table route" names no table or def of spec/fields.go, or a second time`},
		"no end":  {"# Spec\n" + routeStart + "\n| stale |\n", "has no " + endMark},
	} {
		_, err := fillSpec("docs/spec.md", tc.text)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error with %q", name, err, tc.want)
		}
	}
}

// TestTableBlockNeedsDocs: a field with no Doc stops the generator, since
// the reference and the schema's description would both be empty.
func TestTableBlockNeedsDocs(t *testing.T) {
	table := &spec.Table{Name: "x", Fields: []spec.Field{{Name: "a", Doc: "A | B.", Schema: `{"default": "d"}`}, {Name: "b"}}}
	if _, err := tableBlock(table); err == nil || !strings.Contains(err.Error(), "x.b has no Doc") {
		t.Errorf("got %v, want x.b has no Doc", err)
	}
	table.Fields = table.Fields[:1]
	got, err := tableBlock(table)
	if err != nil {
		t.Fatal(err)
	}
	if want := "| `a` |  | `d` | A \\| B. |\n"; !strings.HasSuffix(got, want) {
		t.Errorf("got %q, want a row %q (the | escaped, the schema's default shown)", got, want)
	}
}
