package vtl

import (
	"runtime"
	"strings"
	"testing"
)

// goldenQuote is the pattern every generated template runs after
// $util.escapeJavaScript: an escaped apostrophe (\') loses its backslash.
const goldenQuote = `(?<!\\)((?:\\\\)*)\\'`

// allocated is the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestRegexScansLongValues: the templates' own replaceAll over values of
// megabytes (a 10 MB body mapped whole, a long header) finishes within the
// budget, which grows with the input, and allocates about the result
// only: the input is read in place, not copied to UTF-16.
func TestRegexScansLongValues(t *testing.T) {
	r, err := compileJava(goldenQuote)
	if err != nil {
		t.Fatal(err)
	}
	piece := `{\"sku\": \"it\'s \\\\\\\"x\\\"\", \"qty\": 2, \"note\": \"<\/script> \\\\ $x\"}, `
	in := strings.Repeat(piece, 10_000_000/len(piece))
	want := strings.ReplaceAll(in, `it\'s`, `it's`)
	var got string
	bytes := allocated(func() { got, err = r.replace(in, "$1'", true) })
	if err != nil {
		t.Fatalf("%d bytes: %v", len(in), err)
	}
	if got != want {
		t.Fatalf("%d bytes: the result differs", len(in))
	}
	if bytes > 3*uint64(len(in)) {
		t.Errorf("replaceAll over %d bytes allocated %d MB", len(in), bytes>>20)
	}
	// Without an apostrophe, nothing to replace, nothing to copy.
	plain := strings.Repeat(`{\"a\": \"b\\\\c\"}, `, 500_000)
	if bytes = allocated(func() { got, err = r.replace(plain, "$1'", true) }); err != nil || got != plain || bytes > 1<<20 {
		t.Errorf("no match in %d bytes: %v, %d bytes allocated", len(plain), err, bytes)
	}
	// A run of backslashes longer than the loop's nesting bound: (?:\\\\)*
	// iterates in place, as Java's GroupCurly does.
	run := "x" + strings.Repeat(`\\`, 100_000) + `\'y`
	if got, err = r.replace(run, "$1'", true); err != nil || got != "x"+strings.Repeat(`\\`, 100_000)+"'y" {
		t.Errorf("a run of 200,000 backslashes: %v %.40q", err, got)
	}
	// Not ASCII: the input is converted once, to two bytes a unit.
	wide := strings.Repeat(`é\'😀 `, 500_000)
	if got, err = r.replace(wide, "$1'", true); err != nil || got != strings.ReplaceAll(wide, `\'`, `'`) {
		t.Errorf("%d bytes not ASCII: %v", len(wide), err)
	}
}

// TestRegexBudgetGrowsWithInput: the budget is linear in the input, so a
// pattern that backtracks exponentially is still cut off on a long input,
// with the same error, and a linear scan never is.
func TestRegexBudgetGrowsWithInput(t *testing.T) {
	r, err := compileJava(`(a+)+b`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.replace(strings.Repeat("a", 200_000), "-", true); err != errRegexSteps {
		t.Errorf("(a+)+b on 200,000 characters: %v, want %v", err, errRegexSteps)
	}
	if got, want := regexBudget(10<<20), maxRegexSteps+regexStepsPerUnit*(10<<20); got != want {
		t.Errorf("budget for 10 MiB: %d, want %d", got, want)
	}
}
