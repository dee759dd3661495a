package vtl

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
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
	// first is the characters a match can begin with (nil: any).
	first *firstSet
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
	// The key is a copy: the cache outlives the request, and a pattern
	// may be a view of a value the renderer rewrites in place.
	regexCache.m[strings.Clone(pattern)] = r
	return r, nil
}

// unitString turns code units back into a string. A surrogate without its
// other half becomes '?', as Java's UTF-8 encoder writes it.
func unitString(u []uint16) string {
	var b strings.Builder
	b.Grow(len(u))
	for i := 0; i < len(u); i++ {
		c := rune(u[i])
		switch {
		case 0xd800 <= c && c < 0xdc00 && i+1 < len(u) && 0xdc00 <= u[i+1] && u[i+1] <= 0xdfff:
			b.WriteRune(utf16.DecodeRune(c, rune(u[i+1])))
			i++
		case utf16.IsSurrogate(c):
			b.WriteByte('?')
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// findAll calls each with the matches Matcher.find would find, left to
// right, until each returns false. A match's group g spans units
// caps[2g] to caps[2g+1], -1 when the group took no part; caps is the
// matcher's own, valid during the call. After an empty match the next
// search starts one character later; after any other, where it ended,
// where an empty match may then be found (unlike RE2, which skips it).
func (r *javaRegex) findAll(m *machine, each func(caps []int) bool) error {
	prevStart, prevEnd := -1, 0
	for {
		start := prevEnd
		if prevEnd == prevStart {
			start++
		}
		if start > m.n {
			return nil
		}
		m.lastEnd = prevEnd
		caps, err := m.search(start)
		if err != nil {
			return err
		}
		if caps == nil || !each(caps) {
			return nil
		}
		prevStart, prevEnd = caps[0], caps[1]
	}
}

// matchesWhole is String.matches: the whole string must match.
func (r *javaRegex) matchesWhole(s string) (bool, error) {
	m := newMachine(r, newInput(s))
	caps, err := m.at(0, true)
	return caps != nil, err
}

// replace implements String.replaceAll and replaceFirst, with Java's
// replacement syntax: $n (as many digits as name a group) and ${name} are
// groups, \x is a literal x. The result is built in code units and
// decoded once, so that a pair that matches fell between comes back
// together, as in Java; when the input and the replacement are ASCII, the
// units are bytes and the result is built as a string at once.
func (r *javaRegex) replace(s, repl string, all bool) (string, error) {
	return r.replaceIn(nil, s, repl, all, false)
}

// replaceIn is replace, its result built with room in rs when large
// (room.go), and over s itself when s is fresh (regex_place.go).
func (r *javaRegex) replaceIn(rs rooms, s, repl string, all, fresh bool) (string, error) {
	in := newInput(s)
	text := newInput(repl)
	if in.u16 == nil && text.u16 != nil {
		in = rxInput{u16: utf16.Encode([]rune(s))}
	}
	m := newMachine(r, in)
	out := unitWriter{ascii: in.u16 == nil, rs: rs}
	if fresh && out.ascii {
		out.startInPlace(r, s)
	}
	last, lastRef := 0, lastGroupRef(text)
	matched := false
	var err error
	ferr := r.findAll(m, func(caps []int) bool {
		matched = true
		out.readFrom(caps[0]) // the replacement may read the match's groups
		out.units(in, last, caps[0])
		if err = r.expand(&out, in, caps, text, repl, lastRef); err != nil {
			return false
		}
		last = caps[1]
		return all
	})
	if ferr != nil {
		return "", ferr
	}
	if err != nil {
		return "", err
	}
	if !matched && (out.ascii || utf8.ValidString(s)) {
		return s, nil // no match: the input as it is
	}
	out.readFrom(math.MaxInt) // the matcher reads no more
	out.units(in, last, in.len())
	return out.String(), nil
}

// unitWriter collects code units: bytes of a string when every one is
// ASCII, else UTF-16.
type unitWriter struct {
	ascii   bool
	started bool
	b       roomWriter
	u       []uint16
	rs      rooms
	place   *inPlace // writing over the input (regex_place.go)
}

// units appends in's units from to to.
func (w *unitWriter) units(in rxInput, from, to int) {
	if !w.started {
		// The result is about as long as the input.
		if w.ascii {
			w.b = newRoomWriter(w.rs, in.len()+16)
		} else {
			w.u = make([]uint16, 0, in.len()+16)
		}
		w.started = true
	}
	if w.ascii {
		if w.place != nil && !w.place.copyOK(w.b.Len(), from, to) {
			w.leave()
		}
		w.b.WriteString(in.str[from:to])
		return
	}
	w.u = append(w.u, in.u16[from:to]...)
}

func (w *unitWriter) unit(c rune) {
	if w.ascii {
		if w.place != nil && !w.place.unitOK(w.b.Len(), byte(c)) {
			w.leave()
		}
		w.b.writeByte(byte(c))
		return
	}
	w.u = append(w.u, uint16(c))
}

func (w *unitWriter) String() string {
	if w.ascii {
		return w.b.String()
	}
	return unitString(w.u)
}

// expand appends one replacement, as Matcher.appendReplacement does.
// Once it reaches the last group reference (lastRef, lastGroupRef), only
// the next search reads the input.
func (r *javaRegex) expand(out *unitWriter, in rxInput, caps []int, text rxInput, repl string, lastRef int) error {
	group := func(g int) {
		if caps[2*g] >= 0 {
			out.units(in, caps[2*g], caps[2*g+1])
		}
	}
	n := text.len()
	for i := 0; i < n; i++ {
		if i == lastRef {
			out.readFrom(caps[1])
		}
		c := text.unit(i)
		switch c {
		case '\\':
			if i+1 >= n {
				return errors.New("character to be escaped is missing")
			}
			i++
			out.unit(text.unit(i))
		case '$':
			if i+1 >= n {
				return errors.New("illegal group reference: group index is missing")
			}
			if text.unit(i+1) == '{' {
				end := i + 2
				for end < n && text.unit(end) != '}' {
					end++
				}
				if end >= n {
					return errors.New("named capturing group is missing trailing '}'")
				}
				name := text.text(i+2, end)
				g, ok := r.names[name]
				if !ok {
					return fmt.Errorf("no group with name {%s}", name)
				}
				group(g)
				i = end
				continue
			}
			if d := text.unit(i + 1); d < '0' || d > '9' {
				return fmt.Errorf("illegal group reference in replacement %q", repl)
			}
			// The first digit always counts; each further one only while
			// the number still names a group.
			g := int(text.unit(i+1) - '0')
			i++
			for i+1 < n && text.unit(i+1) >= '0' && text.unit(i+1) <= '9' {
				next := g*10 + int(text.unit(i+1)-'0')
				if next > r.groups {
					break
				}
				g = next
				i++
			}
			if g > r.groups {
				return fmt.Errorf("no group %d", g)
			}
			group(g)
		default:
			out.unit(c)
		}
	}
	return nil
}

// lastGroupRef is where the last group reference of a replacement
// starts (0 when it has none).
func lastGroupRef(text rxInput) int {
	last := 0
	for i := 0; i < text.len(); i++ {
		switch text.unit(i) {
		case '\\':
			i++
		case '$':
			last = i
		}
	}
	return last
}

// split implements String.split(regex, limit) as Pattern.split does: with
// limit > 0 at most limit parts, the last holding the rest; with limit 0
// trailing empty strings are dropped; a zero-width match at the start
// gives no leading empty string; no match at all gives the input.
func (r *javaRegex) split(s string, limit int) ([]string, error) {
	in := newInput(s)
	m := newMachine(r, in)
	var out []string
	index := 0
	err := r.findAll(m, func(caps []int) bool {
		start, end := caps[0], caps[1]
		if limit > 0 && len(out) >= limit-1 {
			return false
		}
		if index == 0 && start == 0 && start == end {
			return true
		}
		out = append(out, in.text(index, start))
		index = end
		return true
	})
	if err != nil {
		return nil, err
	}
	if index == 0 {
		return []string{s}, nil
	}
	out = append(out, in.text(index, in.len()))
	if limit == 0 {
		for len(out) > 0 && out[len(out)-1] == "" {
			out = out[:len(out)-1]
		}
	}
	return out, nil
}
