package spec

import (
	"fmt"
	"strings"
	"testing"
)

// TestHostileSizes: inputs built to exhaust memory or time get a
// positioned error instead.
func TestHostileSizes(t *testing.T) {
	big := strings.Repeat("x", 1<<20)
	// An unknown top-level key holds the anchor; the definition repeats it.
	anchor := "anchors: &big \"" + big + "\"\n"
	var routes strings.Builder
	for i := 0; i < 20000; i++ {
		fmt.Fprintf(&routes, "  POST /r%d: {stateMachine: m}\n", i)
	}
	head := "version: 1\napi: {name: a}\nstateMachines:\n  m:\n    definition:\n      StartAt: A\n      States:\n        A: {Type: Pass, End: true, Result: [" +
		strings.TrimSuffix(strings.Repeat("*big, ", 20), ", ") + "]}\n"
	for name, c := range map[string]struct{ src, want string }{
		"alias bytes": {anchor + head + "routes:\n  POST /a: {stateMachine: m}\n",
			"expand to more than 8388608 bytes"},
		"file size":     {"version: 1\n#" + strings.Repeat("x", MaxFileBytes), "a spec file may have at most"},
		"flow nesting":  {"version: 1\napi: " + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "\n", "nests deeper than 512 levels"},
		"block nesting": {"version: 1\napi:\n" + strings.Repeat(" ", 600) + "name: a\n", "nests deeper than 512 levels"},
		"20000 routes": {"version: 1\napi: {name: a}\nstateMachines:\n  m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}}\nroutes:\n" + routes.String(),
			"the spec has 20000 routes; a stack holds at most 500 resources"},
	} {
		_, errs := Parse("s.yaml", []byte(c.src), nil)
		if !strings.Contains(errs.String(), c.want) || !strings.HasPrefix(errs.String(), "s.yaml:") {
			t.Errorf("%s: %.300s", name, errs.String())
		}
	}
}

// TestNestingCheckIgnoresQuotesAndComments: brackets inside quoted
// strings and comments do not count.
func TestNestingCheckIgnoresQuotesAndComments(t *testing.T) {
	deep := strings.Repeat("[", 600)
	for _, src := range []string{
		"a: '" + deep + "'\n", "a: \"" + deep + "\\\"\"\n", "a: 1 # " + deep + "\n", "a: \"x\n" + deep + "\"\n",
	} {
		if line, ok := nestingWithin([]byte(src), maxNesting); !ok {
			t.Errorf("%.40q: flagged at line %d", src, line)
		}
	}
	if _, ok := nestingWithin([]byte("a: "+deep), maxNesting); ok {
		t.Error("600 open brackets passed")
	}
}
