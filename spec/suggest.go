package spec

import (
	"fmt"
	"strings"
)

// Bounds on did-you-mean, which runs once per misspelt name against every
// candidate: a hostile spec (a 30,000-character name, or a thousand
// states each with a missing target) must not make it quadratic.
const (
	maxSuggestLen = 128     // longer names get no suggestion
	suggestBudget = 200_000 // edit-distance cells per suggestion
)

// Suggest returns ` (did you mean "x"?)` for the candidate closest to got
// (names compared without ASCII case), or "": the spec's did-you-mean, for
// the commands' own names (an API key's, an authorizer's) too.
func Suggest(got string, candidates []string) string { return suggest(got, candidates) }

// suggest returns ` (did you mean "x"?)` for the closest candidate within a
// small edit distance, or "" when none is close: a wrong suggestion is
// worse than none. Among equally close candidates the first wins.
func suggest(got string, candidates []string) string {
	return didYouMean("", closest(got, candidates))
}

// suggestWhole is suggest for the first part of a dotted source such as
// "boddy.items": it suggests the whole source corrected ("body.items"),
// which is what the author will paste, not the part alone.
func suggestWhole(got string, candidates []string) string {
	part, rest, dotted := strings.Cut(got, ".")
	best := closest(part, candidates)
	if best == "" || !dotted || rest == "" {
		return didYouMean("", best)
	}
	return didYouMean("", best+"."+rest)
}

// didYouMean is ` (did you mean "PREFIXbest"?)`, or "" for no best.
func didYouMean(prefix, best string) string {
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", prefix+best)
}

// closest is the candidate closest to got, or "" when none is close.
func closest(got string, candidates []string) string {
	if len(got) > maxSuggestLen {
		return ""
	}
	limit := 2
	if len(got) > 8 {
		limit = 3
	}
	g := lower(got)
	best, bestD, budget := "", limit+1, suggestBudget
	for _, c := range candidates {
		if len(c) > maxSuggestLen || len(c) < len(got)-limit || len(c) > len(got)+limit {
			continue
		}
		if budget -= (len(g) + 1) * (2*limit + 1); budget < 0 {
			break
		}
		if d := distanceWithin(g, lower(c), bestD-1); d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" || bestD >= len(got) {
		return ""
	}
	return best
}

// guessParam is the path parameter that a source naming one the path lacks
// most likely meant: the closest by spelling, else the only one whose name
// holds the name written (path.id for {orderId}), else the path's only one.
func guessParam(got string, params []string) string {
	if best := closest(got, params); best != "" {
		return best
	}
	var holding []string
	for _, p := range params {
		if len(got) >= 2 && strings.Contains(lower(p), lower(got)) {
			holding = append(holding, p)
		}
	}
	switch {
	case len(holding) == 1:
		return holding[0]
	case len(params) == 1:
		return params[0]
	}
	return ""
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// distanceWithin is the Levenshtein distance between a and b, in bytes,
// when it is at most k, and k+1 otherwise. Only the band of cells within
// k of the diagonal is computed, so the work is len(a)*(2k+1).
func distanceWithin(a, b string, k int) int {
	if k < 0 {
		return k + 1
	}
	if d := len(a) - len(b); d > k || -d > k {
		return k + 1
	}
	const far = 1 << 30
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
		if j > k {
			prev[j] = far
		}
	}
	for i := 1; i <= len(a); i++ {
		lo, hi := max(1, i-k), min(len(b), i+k)
		for j := range cur {
			cur[j] = far
		}
		if i <= k {
			cur[0] = i
		}
		rowMin := cur[0]
		for j := lo; j <= hi; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > k {
			return k + 1
		}
		prev, cur = cur, prev
	}
	return min(prev[len(b)], k+1)
}

// maxListed bounds the names a message lists.
const maxListed = 20

// listNames joins names for a message, the first maxListed of them.
func listNames(names []string) string {
	if len(names) <= maxListed {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s, ... (%d in all)", strings.Join(names[:maxListed], ", "), len(names))
}
