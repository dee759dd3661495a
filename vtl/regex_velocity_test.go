package vtl

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"
)

// randomRegex writes a java.util.regex pattern from most of the syntax the
// engine implements, with a few broken ones mixed in so that errors are
// compared too. groups counts the capturing groups written so far.
func randomRegex(r *rand.Rand, depth int, groups *int) string {
	atoms := []string{"a", "b", "A", "1", " ", "-", "é", "😀", `\.`, ".", `\d`, `\w`, `\s`, `\W`, `\D`,
		"[ab]", "[^a]", "[a-c]", "[a-c&&[^b]]", "[[:alpha:]]", "[]a]", `[\w-]`, `[^\s]`, `\p{Alpha}`, `\p{L}`, `\p{Lu}`, `\P{Lower}`,
		`\h`, `\v`, `\R`, `\x41`, `\u00e9`, `\0141`, `\Qa.\E`, `\t`, `\n`}
	anchors := []string{"^", "$", `\b`, `\B`, `\A`, `\z`, `\Z`, `\G`}
	broken := []string{"(", ")", "[", "{", "*", `\`, `\k<zz>`, "a{2,1}", `\y`, "[b-a]", "(?<n>", "(?Q)"}
	var b strings.Builder
	for n := r.Intn(4) + 1; n > 0; n-- {
		switch k := r.Intn(20); {
		case k < 8:
			b.WriteString(atoms[r.Intn(len(atoms))])
		case k < 10:
			b.WriteString(anchors[r.Intn(len(anchors))])
		case k < 14 && depth < 3:
			open := []string{"(", "(?:", "(?=", "(?!", "(?>", "(?i:", "(?<g%d>"}[r.Intn(7)]
			if strings.Contains(open, "%d") {
				open = fmt.Sprintf(open, *groups+1)
			}
			if open == "(" || strings.HasPrefix(open, "(?<g") {
				*groups++
			}
			inner := randomRegex(r, depth+1, groups)
			if r.Intn(3) == 0 {
				inner += "|" + randomRegex(r, depth+1, groups)
			}
			b.WriteString(open + inner + ")")
		case k < 15:
			b.WriteString([]string{"(?<=a)", "(?<!b)", "(?<=[ab]{1,2})", "(?<!\\w)"}[r.Intn(4)])
		case k < 16 && *groups > 0:
			fmt.Fprintf(&b, `\%d`, r.Intn(*groups)+1)
		case k < 17:
			b.WriteString([]string{"(?i)", "(?m)", "(?s)", "(?x) ", "(?-i)", "(?d)"}[r.Intn(6)])
		case k < 18:
			b.WriteString(broken[r.Intn(len(broken))])
		default:
			b.WriteString(atoms[r.Intn(len(atoms))])
		}
		if r.Intn(3) == 0 {
			b.WriteString([]string{"*", "+", "?", "{2}", "{1,2}", "{0,}", "*?", "+?", "??", "*+", "++", "{1,3}?"}[r.Intn(12)])
		}
	}
	return b.String()
}

func randomSubject(r *rand.Rand) string {
	pieces := []string{"a", "b", "A", "B", "1", " ", "-", ".", "é", "É", "😀", "\n", "\r\n", "\r", "_", "ab", "aa", "\u2028"}
	var b strings.Builder
	for n := r.Intn(8); n > 0; n-- {
		b.WriteString(pieces[r.Intn(len(pieces))])
	}
	return b.String()
}

// TestRandomRegexesAgainstVelocity runs generated patterns through
// replaceAll, replaceFirst, matches and split in both engines: the same
// result, or both refuse (a syntax error, a bad group reference). Pattern,
// subject and replacement travel as query parameters, so no Velocity string
// quoting stands between them and the methods.
func TestRandomRegexesAgainstVelocity(t *testing.T) {
	render := referenceEngine(t)
	r := rand.New(rand.NewSource(11))
	calls := []string{
		`[$s.replaceAll($p, $r)]`,
		`[$s.replaceFirst($p, $r)]`,
		`[$s.matches($p)]`,
		`[#foreach($x in $s.split($p))($x)#end]`,
		`[#foreach($x in $s.split($p, 2))($x)#end|#foreach($x in $s.split($p, -1))($x)#end]`,
	}
	var cases []velocityCase
	for i := 0; i < 1000; i++ {
		groups := 0
		p := randomRegex(r, 0, &groups)
		q := map[string]string{"p": p, "s": randomSubject(r),
			"r": []string{"<$0>", "x", "$1", `\$`, "${g1}", "$", "$12", "<$10>", `\\`}[r.Intn(9)]}
		for _, call := range calls {
			cases = append(cases, velocityCase{T: "#set($p = $input.params('p'))#set($s = $input.params('s'))#set($r = $input.params('r'))" + call, Query: q})
		}
	}
	want := render(cases)
	bad := 0
	for i, c := range cases {
		if got, ok := agree(c, want[i]); !ok {
			if bad++; bad <= 10 {
				t.Errorf("pattern %q on %q (replacement %q): %s\nvtl:  %q\nJava: %q", c.Query["p"], c.Query["s"], c.Query["r"], c.T[strings.LastIndex(c.T, ")")+1:], got, describeResult(want[i]))
			}
		}
	}
	t.Logf("%d of %d regex calls agree", len(cases)-bad, len(cases))
}

// A pattern that backtracks exponentially, or repeats a group once per
// character of a long input, stops with an error within its budget.
func TestRegexBudgets(t *testing.T) {
	for _, c := range []struct{ pattern, input string }{
		{`(a+)+b`, strings.Repeat("a", 40)},
		{`(x|xx)+y`, strings.Repeat("x", 60)},
		{`(?:ab)*c`, strings.Repeat("ab", 30_000)},
	} {
		r, err := compileJava(c.pattern)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.replace(c.input, "-", true); err == nil {
			t.Errorf("%s on %d characters: no error", c.pattern, len(c.input))
		}
	}
	// A long input through single-character loops is fine: they keep no
	// frame per character.
	r, _ := compileJava(`[a-z]*\d+.*`)
	if ok, err := r.matchesWhole(strings.Repeat("a", 1_000_000) + "1" + strings.Repeat("z", 1_000_000)); !ok || err != nil {
		t.Errorf("long input: %v %v", ok, err)
	}
}

func FuzzJavaRegex(f *testing.F) {
	for _, s := range []string{`(?<!\\)((?:\\\\)*)\\'`, `^a`, `\b`, `[a-c&&[^b]]`, `(a)\1`, `a(?=b)`, `\Qa.\E+`, `(?i)\p{Lu}`, `x{2,3}?`, `[[:alpha:]]`} {
		f.Add(s, "aab ab\\'x😀")
	}
	f.Fuzz(func(t *testing.T, pattern, input string) {
		r, err := parseJavaRegex(pattern)
		if err != nil {
			return
		}
		_, _ = r.replace(input, "<$0>", true)
		_, _ = r.split(input, -1)
		_, _ = r.matchesWhole(input)
	})
}
