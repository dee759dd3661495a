package vtl

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode/utf16"
)

func sortStrings(s []string) { sort.Strings(s) }

// javaRegex is a java.util.regex pattern, run by a backtracking matcher of
// this package's own (regex_match.go) rather than translated to RE2: RE2
// cannot say where a search starts in a longer input (so ^, \b and \G after
// a match would see the wrong context), has no backreferences or
// lookaround, and reads classes such as [[:alpha:]] and [a-c&&[^b]]
// differently. The parser (regex_parse.go) follows Java 17's syntax and the
// matcher its semantics; TestAgainstVelocity compares both with the real
// engine. Backtracking is bounded in steps and depth: a pattern that would
// take Java exponential time is an error here, never a hang.
type javaRegex struct {
	prog   *rxNode
	groups int            // capturing groups
	names  map[string]int // named groups
	// supplementary is set when the pattern holds a character beyond
	// U+FFFF: Java then never starts a match inside a surrogate pair.
	supplementary bool
}

// regexCache keeps parsed patterns: templates use the same few again and
// again. It is bounded, because a template may build a pattern from
// request values, and a long-running server must not grow without end.
var regexCache = struct {
	sync.Mutex
	m map[string]*javaRegex
}{m: map[string]*javaRegex{}}

// maxCachedRegexes bounds regexCache; when it is full, an arbitrary entry
// makes room.
const maxCachedRegexes = 512

func compileJava(pattern string) (*javaRegex, error) {
	regexCache.Lock()
	r, ok := regexCache.m[pattern]
	regexCache.Unlock()
	if ok {
		return r, nil
	}
	r, err := parseJavaRegex(pattern)
	if err != nil {
		return nil, fmt.Errorf("regex %q: %v", pattern, err)
	}
	regexCache.Lock()
	defer regexCache.Unlock()
	if len(regexCache.m) >= maxCachedRegexes {
		for k := range regexCache.m {
			delete(regexCache.m, k)
			break
		}
	}
	regexCache.m[pattern] = r
	return r, nil
}

// utf16Runes is s as UTF-16 code units, one per element.
func utf16Runes(s string) []rune {
	u := utf16.Encode([]rune(s))
	out := make([]rune, len(u))
	for i, c := range u {
		out[i] = rune(c)
	}
	return out
}

// unitString turns code units back into a string. A surrogate without its
// other half becomes '?', as Java's UTF-8 encoder writes it.
func unitString(u []rune) string {
	var b strings.Builder
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case 0xd800 <= c && c < 0xdc00 && i+1 < len(u) && 0xdc00 <= u[i+1] && u[i+1] <= 0xdfff:
			b.WriteRune(utf16.DecodeRune(c, u[i+1]))
			i++
		case utf16.IsSurrogate(c):
			b.WriteByte('?')
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// match is one match: group g spans runes caps[2g] to caps[2g+1], -1 when
// the group took no part.
type match struct{ caps []int }

// findAll finds the matches Matcher.find would, left to right, at most
// limit of them (all when limit < 0). After an empty match the next search
// starts one character later; after any other, where it ended, where an
// empty match may then be found (unlike RE2, which skips it).
func (r *javaRegex) findAll(in []rune, limit int) ([]match, error) {
	var out []match
	m := newMachine(r, in)
	prevStart, prevEnd := -1, 0
	for limit < 0 || len(out) < limit {
		start := prevEnd
		if prevEnd == prevStart {
			start++
		}
		if start > len(in) {
			break
		}
		m.lastEnd = prevEnd
		caps, err := m.search(start)
		if err != nil {
			return nil, err
		}
		if caps == nil {
			break
		}
		out = append(out, match{caps})
		prevStart, prevEnd = caps[0], caps[1]
	}
	return out, nil
}

// matchesWhole is String.matches: the whole string must match.
func (r *javaRegex) matchesWhole(s string) (bool, error) {
	in := utf16Runes(s)
	m := newMachine(r, in)
	caps, err := m.at(0, true)
	return caps != nil, err
}

// replace implements String.replaceAll and replaceFirst, with Java's
// replacement syntax: $n (as many digits as name a group) and ${name} are
// groups, \x is a literal x.
func (r *javaRegex) replace(s, repl string, all bool) (string, error) {
	limit := 1
	if all {
		limit = -1
	}
	in := utf16Runes(s)
	found, err := r.findAll(in, limit)
	if err != nil {
		return "", err
	}
	// The result is built in code units and decoded once, so that a pair
	// that matches fell between comes back together, as in Java.
	var out []rune
	last := 0
	for _, m := range found {
		out = append(out, in[last:m.caps[0]]...)
		if out, err = r.expand(out, in, m, repl); err != nil {
			return "", err
		}
		last = m.caps[1]
	}
	out = append(out, in[last:]...)
	return unitString(out), nil
}

// expand appends one replacement, as Matcher.appendReplacement does.
func (r *javaRegex) expand(out, in []rune, m match, repl string) ([]rune, error) {
	group := func(g int) {
		if m.caps[2*g] >= 0 {
			out = append(out, in[m.caps[2*g]:m.caps[2*g+1]]...)
		}
	}
	text := utf16Runes(repl)
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch c {
		case '\\':
			if i+1 >= len(text) {
				return nil, errors.New("character to be escaped is missing")
			}
			i++
			out = append(out, text[i])
		case '$':
			if i+1 >= len(text) {
				return nil, errors.New("illegal group reference: group index is missing")
			}
			if text[i+1] == '{' {
				end := i + 2
				for end < len(text) && text[end] != '}' {
					end++
				}
				if end >= len(text) {
					return nil, errors.New("named capturing group is missing trailing '}'")
				}
				name := string(text[i+2 : end])
				g, ok := r.names[name]
				if !ok {
					return nil, fmt.Errorf("no group with name {%s}", name)
				}
				group(g)
				i = end
				continue
			}
			if text[i+1] < '0' || text[i+1] > '9' {
				return nil, fmt.Errorf("illegal group reference in replacement %q", repl)
			}
			// The first digit always counts; each further one only while
			// the number still names a group.
			g := int(text[i+1] - '0')
			i++
			for i+1 < len(text) && text[i+1] >= '0' && text[i+1] <= '9' {
				next := g*10 + int(text[i+1]-'0')
				if next > r.groups {
					break
				}
				g = next
				i++
			}
			if g > r.groups {
				return nil, fmt.Errorf("no group %d", g)
			}
			group(g)
		default:
			out = append(out, c)
		}
	}
	return out, nil
}

// split implements String.split(regex, limit) as Pattern.split does: with
// limit > 0 at most limit parts, the last holding the rest; with limit 0
// trailing empty strings are dropped; a zero-width match at the start
// gives no leading empty string; no match at all gives the input.
func (r *javaRegex) split(s string, limit int) ([]string, error) {
	in := utf16Runes(s)
	found, err := r.findAll(in, -1)
	if err != nil {
		return nil, err
	}
	var out []string
	index := 0
	for _, m := range found {
		start, end := m.caps[0], m.caps[1]
		if limit > 0 && len(out) >= limit-1 {
			break
		}
		if index == 0 && start == 0 && start == end {
			continue
		}
		out = append(out, unitString(in[index:start]))
		index = end
	}
	if index == 0 {
		return []string{s}, nil
	}
	out = append(out, unitString(in[index:]))
	if limit == 0 {
		for len(out) > 0 && out[len(out)-1] == "" {
			out = out[:len(out)-1]
		}
	}
	return out, nil
}
