package spec

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestBadIndentAtItsLine: a mis-indented line is reported on its own line
// and column, where yaml.v3 names the block it ends (issue 19: "31:1",
// even "1:1"); each case's line is where PyYAML points.
func TestBadIndentAtItsLine(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"key short of its siblings", "version: 1\napi:\n  name: x\n description: y\nroutes: {}\n", "s.yaml:4:2: invalid YAML: this line is indented 1 space, which lines up with no block above it; indent it like the lines it belongs with: 2 spaces (as line 3) or 0 spaces (as line 2)"},
		{"deep key one short", "a:\n  b:\n    c:\n      d: 1\n     e: 2\n", "s.yaml:5:6:"},
		{"list item short", "a:\n  tags:\n    - x\n   - y\n", "s.yaml:4:4:"},
		{"key in a list item", "routes:\n  - a: 1\n    b: 2\n   c: 3\n", "s.yaml:4:4:"},
		{"under a key with a value", "a:\n  b: 1\n    c: 2\n", "s.yaml:3:5: invalid YAML: this line is indented 4 spaces, deeper than the key on line 2 (2 spaces), which already has its value"},
		{"after a block scalar", "a:\n  b: |\n    text\n\n   more\n  c: 1\n", "s.yaml:5:4:"},
		{"after a flow on two lines", "a: {b: 1,\n  c: 2}\n d: 3\n", "s.yaml:3:2:"},
		{"after a quoted string on two lines", "a: \"one\n  two\"\nb:\n  c: 1\n d: 2\n", "s.yaml:5:2:"},
		{"first line indented", "  a: 1\nb: 2\n", "s.yaml:2:1:"},
	} {
		_, errs := Parse("s.yaml", []byte(c.src), nil)
		if got := errs.String(); !strings.HasPrefix(got, c.want) || strings.Count(got, "\n") != 1 {
			t.Errorf("%s: got\n%s\nwant one error starting %s", c.name, got, c.want)
		}
	}
}

// TestBadIndentNotInValidYAML: the indentation scan finds nothing in any
// YAML file of the repository's examples and golden cases that yaml.v3
// reads, so that it never moves a syntax error to a line that is right
// (block scalars, lists, flows and quoted strings over several lines, plain
// strings that go on), nor in a value made only of an anchor and/or a tag
// whose node is the block below it.
func TestBadIndentNotInValidYAML(t *testing.T) {
	for _, src := range []string{
		"a: &x\n  b: 1\nc: *x\n",
		"a: !t\n  b: 1\n",
		"a: !!map\n  b: 1\n",
		"a: &x !t\n  b: 1\n",
		"a:\n  - &x\n    b: 1\n  - c: &y # comment\n      d: 1\n",
	} {
		var v yaml.Node
		if err := yaml.Unmarshal([]byte(src), &v); err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		if bad, ok := misIndent([]byte(src)); ok {
			t.Errorf("%q:%d:%d: %s", src, bad.line, bad.indent+1, bad.message())
		}
	}
	n := 0
	for _, root := range []string{"../examples", "../golden"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") && !strings.HasSuffix(path, ".yml") {
				return err
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			var v yaml.Node
			if yaml.Unmarshal(src, &v) != nil {
				return nil
			}
			n++
			if bad, ok := misIndent(src); ok {
				t.Errorf("%s:%d:%d: %s", path, bad.line, bad.indent+1, bad.message())
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n < 20 {
		t.Fatalf("only %d YAML files read", n)
	}
}

// TestYAMLErrorNotHiddenByIndent: an error a bad indent does not cause
// (a backtick cannot start a token) is reported where yaml.v3 finds it,
// not moved to a mis-indented line further on.
func TestYAMLErrorNotHiddenByIndent(t *testing.T) {
	src := "version: 1\napi:\n  name: x\n  description: `x`\nroutes:\n  a: 1\n    b: 2\n"
	_, errs := Parse("s.yaml", []byte(src), nil)
	want := "s.yaml:4:1: invalid YAML: found character that cannot start any token"
	if got := errs.String(); !strings.HasPrefix(got, want) || strings.Count(got, "\n") != 1 {
		t.Errorf("got\n%s\nwant one error starting %s", got, want)
	}
}
