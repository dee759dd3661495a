package vtl

import (
	"encoding/json"
	"errors"
	"runtime"
	"strings"
	"testing"
	"unsafe"
)

// compactSeeds are bodies whose compact text differs from their bytes in
// each way the tree's writing can: whitespace, escapes, bytes that are
// not UTF-8, U+2028, numbers that are not plain integers, big integers,
// HTML characters (left alone), deep nesting and many keys.
var compactSeeds = append([]string{
	`{"id":"o-1","items":[{"sku":"a","qty":2}]}`,
	` [ 1 , 2.50 , -0 , 0 , -0.0 , 1e2 , 1E-7 , 1e21 , 123456789012345678901234567890 , -9223372036854775808 ] `,
	`{"html": "<b>&amp;</b>", "ls": "a\u2028b", "raw": "a` + "\u2028\u2029" + `b", "slash": "<\/b>"}`,
	`"just a string"`, `"\u00e9t\u00e9"`, `12`, `-0`, `1.0`, `true`, ` null `,
	`{"a":{"a":{"a":{"a":[]}}},"b":{},"c":[{},[]]}`,
	`{"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k10":10,"k11":11,"k12":12,"k13":13,"k14":14,"k15":15,"k16":16,"k17":17,"k18":18,"k19":19}`,
	"{\"\xff\": \"\xfe\", \"ctl\": \"\\u0001\\u001f\\b\\f\"}",
}, jsonSeeds...)

// duplicateSeeds have a key twice in one object: the tree keeps it once,
// so compactJSON leaves them to the tree.
var duplicateSeeds = []string{
	`{"a": 1, "a": 2, "b": 3}`,
	`{"x": [{"a": 1, "\u0061": 2}]}`,
	`{"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k10":10,"k11":11,"k12":12,"k13":13,"k14":14,"k15":15,"k16":16,"k17":17,"k3":3}`,
}

// TestCompactJSONAgrees: $input.json('$') written from the body's text is
// what writing the parsed tree gives, and only a body with a duplicate
// key (or one the tree refuses) is left to the tree.
func TestCompactJSONAgrees(t *testing.T) {
	for _, s := range compactSeeds {
		if got, ok := checkCompact(t, s); !ok && !strings.Contains(s, `"a": 1, "a": 2`) {
			t.Errorf("%q: left to the tree (got %q)", s, got)
		}
	}
	for _, s := range duplicateSeeds {
		if got, ok := checkCompact(t, s); ok {
			t.Errorf("%q: a duplicate key was written as %q, not left to the tree", s, got)
		}
	}
	deep := strings.Repeat("[", maxJSONDepth+2) + strings.Repeat("]", maxJSONDepth+2)
	if _, ok := compactJSON(deep); ok {
		t.Errorf("nesting past %d levels was written, not left to the tree (which refuses it)", maxJSONDepth)
	}
	if _, ok := compactJSON(`[1e400]`); ok {
		t.Errorf("a number out of range was written, not left to the tree (which refuses it)")
	}
}

func FuzzCompactJSON(f *testing.F) {
	for _, s := range append(compactSeeds, duplicateSeeds...) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkCompact(t, s) })
}

// checkCompact compares compactJSON with the tree for a valid body.
func checkCompact(t *testing.T, s string) (string, bool) {
	t.Helper()
	if !json.Valid([]byte(s)) {
		return "", false
	}
	tree, err := parseJSON(s)
	got, ok := compactJSON(s)
	switch {
	case err != nil && ok:
		t.Fatalf("%q: the tree refuses it (%v), compactJSON wrote %q", s, err, got)
	case ok && got != toJSON(tree):
		t.Fatalf("%q: compactJSON wrote\n%q\nthe tree writes\n%q", s, got, toJSON(tree))
	}
	return got, ok
}

// TestCompactJSONOfABigBody: a compact body is its own $input.json('$')
// (no copy); a 10 MB body with spaces costs one copy of itself, not its
// values (the tree path allocated about 11 times its size).
func TestCompactJSONOfABigBody(t *testing.T) {
	item := `{"sku": "it's \"x\" \\ é", "qty": 2, "note": "l'article <\/b>"}`
	body := `{"id": "o-1", "items": [` + strings.Repeat(item+", ", 10<<20/len(item)) + item + `]}`
	compact, _ := compactJSON(body)
	if got, _ := compactJSON(compact); unsafe.StringData(got) != unsafe.StringData(compact) || got != compact {
		t.Errorf("a compact body was copied")
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	got, ok := compactJSON(body)
	runtime.ReadMemStats(&after)
	if !ok || len(got) >= len(body) {
		t.Fatalf("compactJSON of the body: ok %v, %d bytes of %d", ok, len(got), len(body))
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > uint64(len(body)+len(body)/8) {
		t.Errorf("compactJSON of a %d-byte body allocated %d bytes; want about one copy", len(body), n)
	}
}

// TestWholeBodyJSON: $input.json('$') is written from the body's text
// until the template reads the body as values, and from those values once
// it has (it may have changed them); a body with a key given twice is
// written as the tree keeps it.
func TestWholeBodyJSON(t *testing.T) {
	req := &Request{Body: `{"a": 1, "s": "<\/b>", "n": 1.50}`}
	for _, c := range []struct{ tpl, want string }{
		{`$input.json('$')`, `{"a":1,"s":"</b>","n":1.5}`},
		{`#set($m = $input.path('$'))#set($d = $m.put('z', 2))$input.json('$')`, `{"a":1,"s":"</b>","n":1.5,"z":2}`},
		{`$input.json('$')#set($m = $input.path('$'))#set($d = $m.put('a', 2))$input.json('$')`, `{"a":1,"s":"</b>","n":1.5}{"a":2,"s":"</b>","n":1.5}`},
	} {
		if got := render(t, c.tpl, req, Variant{}); got != c.want {
			t.Errorf("%s: %s, want %s", c.tpl, got, c.want)
		}
	}
	if got := render(t, `$input.json('$')`, &Request{Body: `{"a": 1, "b": 2, "a": 3}`}, Variant{}); got != `{"a":3,"b":2}` {
		t.Errorf("a duplicate key: %s", got)
	}
	if _, err := RenderString(`$input.json('$')`, &Request{Body: `{"a": 1,}`}, Variant{}); !errors.Is(err, ErrBadJSON) {
		t.Errorf("a body that is not JSON: %v", err)
	}
}

// TestWholeBodyJSONOfABigBody: $input.json('$') of a 10 MB body costs
// about one copy of it (its values and their encoding cost about 11).
func TestWholeBodyJSONOfABigBody(t *testing.T) {
	item := `{"sku": "it's \"x\" \\ é", "qty": 2, "note": "l'article <\/b>"}`
	req := &Request{Body: `{"id": "o-1", "items": [` + strings.Repeat(item+", ", 10<<20/len(item)) + item + `]}`}
	tpl, err := Parse(`#set($v = $input.json('$'))$v.length()`)
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err = tpl.Render(req, Variant{})
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; err != nil || n > uint64(2*len(req.Body)) {
		t.Errorf("$input.json('$') of a %d-byte body allocated %d bytes (%v); want about one copy", len(req.Body), n, err)
	}
}

// TestUnitLen: String.length() counts UTF-16 units without making them.
func TestUnitLen(t *testing.T) {
	for _, s := range []string{"", "abc", "é", "😀x", "a\xffb\xed\xa0\x80", "\U0010FFFF"} {
		if got, want := unitLen(s), len(units(s)); got != want {
			t.Errorf("%q: %d units, want %d", s, got, want)
		}
	}
}
