package console

import (
	"fmt"
	"slices"
	"unicode/utf8"
)

// The console's bounds are on what it sends, JSON: a value of control
// characters is six times as long there (\u0001), so counting a value's
// own bytes let one record grow to a megabyte. Each value is cut at
// MaxValue bytes of JSON, and a record's values together at
// MaxRecordJSON, the longest cut further (fitRecord).

// noteRoom is the most the note a cut value ends with takes.
const noteRoom = 48

// jsonLen is the length of s in encoding/json's output (without its
// quotes): HTML characters, control characters, invalid UTF-8, U+2028
// and U+2029 are \u escapes.
func jsonLen(s string) int {
	n := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		n += runeJSONLen(r, size)
		i += size
	}
	return n
}

func runeJSONLen(r rune, size int) int {
	switch {
	case r == '"' || r == '\\' || r == '\n' || r == '\r' || r == '\t':
		return 2
	case r < 0x20 || r == '<' || r == '>' || r == '&' || r == '\u2028' || r == '\u2029' || r == utf8.RuneError && size == 1:
		return 6
	}
	return size
}

// cutJSON cuts s, at a character's start, so that with its note it takes
// at most limit bytes of JSON, and says how much it left out.
func cutJSON(s string, limit int) string {
	if jsonLen(s) <= limit {
		return s
	}
	n, i := 0, 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if n += runeJSONLen(r, size); n > limit-noteRoom {
			break
		}
		i += size
	}
	return s[:i] + fmt.Sprintf("… (%d more bytes not shown)", len(s)-i)
}

// capped cuts a value to MaxValue bytes of JSON.
func capped(s string) string { return cutJSON(s, MaxValue) }

// recordOverhead is what a record's JSON takes besides its strings (its
// keys and numbers), and pairOverhead what each header pair adds.
const recordOverhead, pairOverhead = 512, 8

// fitRecord cuts the longest values of a record whose values come to
// more than MaxRecordJSON, each to the same length, the shortest that
// fits them all, and says so in the record.
func fitRecord(r *Record) {
	vals := []*string{&r.Method, &r.Path, &r.Query, &r.Body, &r.Input, &r.Response, &r.Exec, &r.Reason}
	if r.Reply != nil {
		vals = append(vals, &r.Reply.Body)
	}
	for _, list := range [][][]string{r.Header, r.RespHdr} {
		for _, p := range list {
			vals = append(vals, &p[0], &p[1])
		}
	}
	sizes := make([]int, len(vals))
	total := recordOverhead + pairOverhead*(len(r.Header)+len(r.RespHdr))
	fixed := total
	for i, v := range vals {
		sizes[i] = jsonLen(*v)
		total += sizes[i]
	}
	if total <= MaxRecordJSON {
		return
	}
	limit := level(sizes, MaxRecordJSON-fixed)
	for i, v := range vals {
		if sizes[i] > limit {
			*v = cutJSON(*v, limit)
		}
	}
	r.Cut = fmt.Sprintf("this request's values come to %d bytes of JSON, more than the %d the console keeps of one: the longest are cut at %d bytes", total, MaxRecordJSON, limit)
}

// level is the largest length L such that the sizes, each cut to L, add
// up to at most budget.
func level(sizes []int, budget int) int {
	sorted := slices.Clone(sizes)
	slices.Sort(sorted)
	for i, s := range sorted {
		if n := len(sorted) - i; s*n > budget {
			return max(budget/n, 0)
		}
		budget -= s
	}
	return budget
}
