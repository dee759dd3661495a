package vtl

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

// randomFilter writes a JSONPath filter over objects with a numeric n, a
// string s, a nested o.n and a list l, comparing like with like: where the
// types differ, Jayway 2.0.0 (the reference) throws or compares text,
// and newer releases (which vtl follows) do neither. Nor does it group
// with parentheses, which 2.0.0 misreads (TestFilterGrouping pins vtl's
// reading).
func randomFilter(r *rand.Rand) string {
	term := func() string {
		switch r.Intn(7) {
		case 0, 1:
			op := []string{"==", "!=", "<", "<=", ">", ">="}[r.Intn(6)]
			return fmt.Sprintf("@%s %s %s", []string{".n", ".o.n", "['n']"}[r.Intn(3)], op, []string{"1", "2", "-3", "2.5", "0", "100", "1e1", "+2"}[r.Intn(8)])
		case 2, 3:
			op := []string{"==", "!=", "<", "<=", ">", ">="}[r.Intn(6)]
			return fmt.Sprintf("@.s %s '%s'", op, []string{"a", "b", "ab", "", "é", "B", "a b"}[r.Intn(7)])
		case 4:
			return fmt.Sprintf("@.s =~ /%s/%s", []string{"a.*", "[ab]+", "A", "é?", ".", "a b"}[r.Intn(6)], []string{"", "i"}[r.Intn(2)])
		case 5:
			return []string{"@.n", "@.s", "@.o", "@.o.n", "@.l", "@.nope", "!@.n", "!@.s", "!@.nope"}[r.Intn(9)]
		case 6:
			return []string{"@.n == null", "@.s != null", "@.o.n == $.k", "@.n > $.k", "@.s == $.w"}[r.Intn(5)]
		}
		return "@.n"
	}
	var b strings.Builder
	b.WriteString(term())
	for n := r.Intn(3); n > 0; n-- {
		b.WriteString([]string{" && ", " || ", "&&", " ||"}[r.Intn(4)])
		b.WriteString(term())
	}
	return b.String()
}

// TestRandomFiltersAgainstVelocity runs generated filters through
// $input.json and $input.path in both engines.
func TestRandomFiltersAgainstVelocity(t *testing.T) {
	render := referenceEngine(t)
	body := `{"k": 2, "w": "ab", "items": [` +
		`{"n": 1, "s": "a", "o": {"n": 2}, "l": [1]}, {"n": 2, "s": "b"}, {"n": -3, "s": "ab", "o": {"n": -3}}, {"n": 2.5, "s": ""},` +
		`{"n": 100, "s": "é"}, {"s": "B"}, {"n": null, "s": null}, {"n": 0, "s": "a b", "o": {}}, {"n": 20, "s": "ba", "l": []}],` +
		` "one": {"n": 1, "s": "a"}}`
	r := rand.New(rand.NewSource(3))
	var cases []velocityCase
	for i := 0; i < 400; i++ {
		f := randomFilter(r)
		for _, p := range []string{"$.items[?(" + f + ")]", "$.one[?(" + f + ")]"} {
			cases = append(cases,
				velocityCase{T: "#set($p = $input.params('p'))$input.json($p)", Query: map[string]string{"p": p}, Body: body},
				velocityCase{T: "#set($p = $input.params('p'))$input.path($p).size()", Query: map[string]string{"p": p}, Body: body})
		}
	}
	want := render(cases)
	bad := 0
	for i, c := range cases {
		if got, ok := agree(c, want[i]); !ok {
			if bad++; bad <= 10 {
				t.Errorf("%s with %s\nvtl:  %s\nJava: %s", c.Query["p"], c.T[strings.LastIndex(c.T, ")")+1:], got, describeResult(want[i]))
			}
		}
	}
	t.Logf("%d of %d filter evaluations agree", len(cases)-bad, len(cases))
}

// TestFilterGrouping: && binds tighter than ||, parentheses group, and !
// negates a group, as in Jayway since 2.1 (2.0.0 misreads the last two).
func TestFilterGrouping(t *testing.T) {
	body := `{"items": [{"n": 1, "s": "a"}, {"n": 2, "s": "b"}, {"n": 3}, {"s": "c"}]}`
	for path, want := range map[string]string{
		`$.items[?(@.n == 1 || @.n == 2 && @.s == 'a')]`:   `[{"n":1,"s":"a"}]`,
		`$.items[?((@.n == 1 || @.n == 2) && @.s == 'b')]`: `[{"n":2,"s":"b"}]`,
		`$.items[?(!(@.n > 1) && @.s)]`:                    `[{"n":1,"s":"a"},{"s":"c"}]`,
		`$.items[?(!@.n || (@.n >= 3))]`:                   `[{"n":3},{"s":"c"}]`,
		`$.items[?(@.n != 1)]`:                             `[{"n":2,"s":"b"},{"n":3}]`,
		`$.items[?(@.s < 'b')].n`:                          `[1]`,
	} {
		res, err := RenderString(`$input.json("`+path+`")`, &Request{Body: body}, Variant{})
		if err != nil || res.Body != want {
			t.Errorf("%s: %q, %v; want %s", path, res.Body, err, want)
		}
	}
}

// FuzzJSONPath: no path, filters included, panics or runs away.
func FuzzJSONPath(f *testing.F) {
	for _, p := range []string{`$.items[?(@.n > 1 && @.s =~ /a.*/i || !@.o)]`, `$..a`, `$.x[*]`, `$['a'][0]`, `$.items[?((@.n == $.k))].s`, `$[?(@ == 'x')]`} {
		f.Add(p)
	}
	root, err := parseJSON(`{"k": 2, "items": [{"n": 1, "s": "a", "o": {"n": [1, {"a": null}]}}, {"n": 2.5}, "x", [true]]}`)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, path string) {
		_, _, _ = jsonPath(root, path)
	})
}
