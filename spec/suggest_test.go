package spec

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

// fullDistance is the plain Levenshtein distance, to check the banded one.
func fullDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

func TestDistanceWithin(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	word := func() string {
		b := make([]byte, r.Intn(12))
		for i := range b {
			b[i] = "abcd"[r.Intn(4)]
		}
		return string(b)
	}
	for i := 0; i < 20000; i++ {
		a, b, k := word(), word(), r.Intn(5)
		want := min(fullDistance(a, b), k+1)
		if got := distanceWithin(a, b, k); got != want {
			t.Fatalf("distanceWithin(%q, %q, %d) = %d, want %d", a, b, k, got, want)
		}
	}
}

func TestSuggest(t *testing.T) {
	for _, c := range []struct {
		got  string
		cand []string
		want string
	}{
		{"nmae", []string{"name", "description"}, "name"},
		{"PSOT", []string{"GET", "POST", "PUT"}, "POST"},
		{"stateMachien", []string{"stateMachine", "input"}, "stateMachine"},
		{"x", []string{"y"}, ""},                                           // as far as it is long: no suggestion
		{"abcdefgh", []string{"zzzzzzzz"}, ""},                             // too far
		{strings.Repeat("a", 200), []string{strings.Repeat("a", 199)}, ""}, // too long to compare
	} {
		want := ""
		if c.want != "" {
			want = fmt.Sprintf(" (did you mean %q?)", c.want)
		}
		if got := suggest(c.got, c.cand); got != want {
			t.Errorf("suggest(%q) = %q, want %q", c.got, got, want)
		}
	}
}

// TestSuggestBudget: did-you-mean stops after its budget of comparisons,
// so that it cannot be made quadratic. A close name early in a long list
// is found; one past the budget is not.
func TestSuggestBudget(t *testing.T) {
	target, probe := strings.Repeat("z", 96)+"abcd", strings.Repeat("z", 96)+"abce"
	names := func(at int) []string {
		var out []string
		for i := 0; i < 10000; i++ {
			if i == at {
				out = append(out, target)
			}
			out = append(out, fmt.Sprintf("%0100d", i))
		}
		return out
	}
	if got := suggest(probe, names(10)); got == "" {
		t.Errorf("a close name among the first ones was not found")
	}
	if got := suggest(probe, names(9000)); got != "" {
		t.Errorf("a name past the budget was compared: %s", got)
	}
}

// hostileSpecs are specs built to make the checks quadratic.
func hostileSpecs() map[string]string {
	long := strings.Repeat("S", 30000)
	var states strings.Builder
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&states, "      State%04d: {Type: Pass}\n", i) // each lacks Next or End
	}
	var routes strings.Builder
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&routes, "  POST /r%d: {stateMachine: nope%d}\n", i, i)
	}
	var machines strings.Builder
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&machines, "  m%d: {definition: {StartAt: A, States: {A: {Type: Succeed}}}}\n", i)
	}
	return map[string]string{
		"long StartAt":                       "version: 1\napi: {name: a}\nstateMachines:\n  m:\n    definition:\n      StartAt: " + long + "\n      States:\n        " + long + "x: {Type: Succeed}\nroutes:\n  POST /a: {stateMachine: m}\n",
		"1000 states without Next":           "version: 1\napi: {name: a}\nstateMachines:\n  m:\n    definition:\n      StartAt: State0000\n      States:\n" + states.String() + "routes:\n  POST /a: {stateMachine: m}\n",
		"1000 routes to undeclared machines": "version: 1\napi: {name: a}\nstateMachines:\n" + machines.String() + "routes:\n" + routes.String(),
	}
}

// TestHostileSpecs: each gets its errors, and messages list a bounded
// number of names (a list of every declared name in each of a thousand
// errors was megabytes).
func TestHostileSpecs(t *testing.T) {
	for name, src := range hostileSpecs() {
		_, errs := Parse("s.yaml", []byte(src), nil)
		if !errs.HasErrors() {
			t.Errorf("%s: no error", name)
		}
		if n := len(errs.String()); n > 1_000_000 {
			t.Errorf("%s: %d bytes of diagnostics", name, n)
		}
	}
}

// BenchmarkHostileSpecs measures the specs that took from 7 s to 64 s
// before did-you-mean was bounded.
//
//	go test ./spec -run '^$' -bench Hostile
func BenchmarkHostileSpecs(b *testing.B) {
	for name, src := range hostileSpecs() {
		b.Run(strings.ReplaceAll(name, " ", "-"), func(b *testing.B) {
			for b.Loop() {
				Parse("s.yaml", []byte(src), nil)
			}
		})
	}
}
