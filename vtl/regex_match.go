package vtl

import (
	"errors"
	"unicode"
	"unicode/utf16"
)

// The matcher backtracks as java.util.regex does: continuation passing,
// leftmost alternative first, greedy loops longest first. Each call counts
// against a budget of steps and of nested loop iterations, so that a
// pattern that would backtrack exponentially, or loop over a huge input
// one group at a time, stops with an error instead of exhausting the
// machine (Java would spin or overflow its stack, and API Gateway fail the
// request).

const (
	// maxRegexSteps bounds the work of one call (replaceAll, split, ...).
	maxRegexSteps = 5_000_000
	// maxRegexDepth bounds nested group iterations: each needs a frame.
	maxRegexDepth = 20_000
)

var (
	errRegexSteps = errors.New("the pattern backtracks too much on this input (more than 5,000,000 steps)")
	errRegexDepth = errors.New("the pattern repeats a group more than 20,000 times in one match")
)

// The input is UTF-16, as Java's: one element per code unit, a
// supplementary character as two surrogates. A character test reads the
// code point at a position (a pair when one starts there), and searching
// steps one unit at a time, so an empty match can fall between the halves
// of a pair, as in Java.
type machine struct {
	r       *javaRegex
	in      []rune // UTF-16 code units
	caps    []int
	lastEnd int // where the previous match ended, for \G
	steps   int
	depth   int
	err     error
}

func newMachine(r *javaRegex, in []rune) *machine {
	return &machine{r: r, in: in, caps: make([]int, 2*(r.groups+1))}
}

// charAt is the code point at i and how many units it takes.
func (m *machine) charAt(i int) (rune, int) {
	c := m.in[i]
	if utf16.IsSurrogate(c) && c < 0xdc00 && i+1 < len(m.in) && 0xdc00 <= m.in[i+1] && m.in[i+1] <= 0xdfff {
		return utf16.DecodeRune(c, m.in[i+1]), 2
	}
	return c, 1
}

// charBefore is the code point that ends at i and how many units it takes.
func (m *machine) charBefore(i int) (rune, int) {
	c := m.in[i-1]
	if 0xdc00 <= c && c <= 0xdfff && i >= 2 && 0xd800 <= m.in[i-2] && m.in[i-2] < 0xdc00 {
		return utf16.DecodeRune(m.in[i-2], c), 2
	}
	return c, 1
}

// search finds the first match starting at or after start. Like Java, it
// tries every unit, halves of pairs included, unless the pattern holds a
// supplementary character itself: then it steps over pairs whole (though
// it still tries start, wherever that falls).
func (m *machine) search(start int) ([]int, error) {
	for s := start; s <= len(m.in); s++ {
		if m.r.supplementary && s > start && s < len(m.in) && 0xdc00 <= m.in[s] && m.in[s] <= 0xdfff && 0xd800 <= m.in[s-1] && m.in[s-1] < 0xdc00 {
			continue
		}
		caps, err := m.at(s, false)
		if caps != nil || err != nil {
			return caps, err
		}
	}
	return nil, nil
}

// at matches at exactly start; whole requires the match to reach the end.
func (m *machine) at(start int, whole bool) ([]int, error) {
	for i := range m.caps {
		m.caps[i] = -1
	}
	end := -1
	ok := m.match(m.r.prog, start, func(j int) bool {
		if whole && j != len(m.in) {
			return false
		}
		end = j
		return true
	})
	if m.err != nil {
		return nil, m.err
	}
	if !ok {
		return nil, nil
	}
	caps := append([]int(nil), m.caps...)
	caps[0], caps[1] = start, end
	return caps, nil
}

func (m *machine) match(n *rxNode, i int, k func(int) bool) bool {
	if m.err != nil {
		return false
	}
	if m.steps++; m.steps > maxRegexSteps {
		m.err = errRegexSteps
		return false
	}
	switch n.op {
	case rxEmpty:
		return k(i)
	case rxChar:
		if i >= len(m.in) {
			return false
		}
		c, w := m.charAt(i)
		return n.set(c) && k(i+w)
	case rxConcat:
		return m.sequence(n.subs, i, k)
	case rxAlt:
		for _, s := range n.subs {
			if m.match(s, i, k) {
				return true
			}
		}
		return false
	case rxGroup:
		return m.group(n, i, k)
	case rxRepeat:
		if n.subs[0].op == rxChar {
			return m.repeatChar(n, i, k)
		}
		return m.repeat(n, i, 0, k)
	case rxLook:
		return m.look(n, i, k)
	case rxAtomic:
		saved := m.save()
		end := -1
		if !m.match(n.subs[0], i, func(j int) bool { end = j; return true }) {
			m.restore(saved)
			return false
		}
		if k(end) {
			return true
		}
		m.restore(saved)
		return false
	case rxBackref:
		return m.backref(n, i, k)
	case rxAssert:
		return m.assert(n, i) && k(i)
	case rxLinebreak:
		// \r\n first, then \r alone: Java 17 backtracks into \R.
		if i+1 < len(m.in) && m.in[i] == '\r' && m.in[i+1] == '\n' && k(i+2) {
			return true
		}
		return i < len(m.in) && predefined['v'](m.in[i]) && k(i+1)
	}
	return false
}

func (m *machine) sequence(subs []*rxNode, i int, k func(int) bool) bool {
	if len(subs) == 0 {
		return k(i)
	}
	return m.match(subs[0], i, func(j int) bool { return m.sequence(subs[1:], j, k) })
}

func (m *machine) save() []int { return append([]int(nil), m.caps...) }

func (m *machine) restore(saved []int) { copy(m.caps, saved) }

func (m *machine) group(n *rxNode, i int, k func(int) bool) bool {
	g := n.n
	return m.match(n.subs[0], i, func(j int) bool {
		s, e := m.caps[2*g], m.caps[2*g+1]
		m.caps[2*g], m.caps[2*g+1] = i, j
		if k(j) {
			return true
		}
		m.caps[2*g], m.caps[2*g+1] = s, e
		return false
	})
}

// repeatChar is a loop over one character test: it counts the run once and
// backs off (or, lazily, extends) without a frame per character.
func (m *machine) repeatChar(n *rxNode, i int, k func(int) bool) bool {
	set := n.subs[0].set
	count, end := 0, i
	for end < len(m.in) && (n.max < 0 || count < n.max) {
		c, w := m.charAt(end)
		if !set(c) {
			break
		}
		count++
		end += w
	}
	if m.steps += count; m.steps > maxRegexSteps {
		m.err = errRegexSteps
		return false
	}
	if count < n.min {
		return false
	}
	if n.quant == lazy {
		j := i
		for c := 0; c < n.min; c++ {
			_, w := m.charAt(j)
			j += w
		}
		for c := n.min; ; c++ {
			if k(j) || m.err != nil {
				return m.err == nil
			}
			if c == count {
				return false
			}
			_, w := m.charAt(j)
			j += w
		}
	}
	for j, c := end, count; c >= n.min; c-- {
		if k(j) || m.err != nil {
			return m.err == nil
		}
		if c > 0 {
			// Back off one character; a pair is one unless it would reach
			// before where the run began.
			if _, w := m.charBefore(j); w == 2 && j-2 >= i {
				j -= 2
			} else {
				j--
			}
		}
	}
	return false
}

// repeat is a loop over anything else, count iterations done so far. An
// iteration that matches nothing ends the loop there, whatever the count,
// as Java's loops do, so that (a*)* cannot spin and (x*?)++ stays empty.
func (m *machine) repeat(n *rxNode, i, count int, k func(int) bool) bool {
	if m.depth++; m.depth > maxRegexDepth {
		m.err = errRegexDepth
		m.depth--
		return false
	}
	defer func() { m.depth-- }()
	more := n.max < 0 || count < n.max
	again := func(j int) bool {
		if j == i {
			return k(j)
		}
		return m.repeat(n, j, count+1, k)
	}
	if count < n.min {
		return m.match(n.subs[0], i, again)
	}
	if n.quant == lazy {
		if k(i) {
			return true
		}
		return more && m.err == nil && m.match(n.subs[0], i, again)
	}
	if more && m.match(n.subs[0], i, again) {
		return true
	}
	return m.err == nil && k(i)
}

func (m *machine) look(n *rxNode, i int, k func(int) bool) bool {
	saved := m.save()
	found := false
	if n.behind {
		for start := i - n.minLen; start >= 0 && start >= i-n.maxLen && !found; start-- {
			found = m.match(n.subs[0], start, func(j int) bool { return j == i })
		}
	} else {
		found = m.match(n.subs[0], i, func(int) bool { return true })
	}
	if m.err != nil {
		return false
	}
	if found == n.neg {
		m.restore(saved)
		return false
	}
	if n.neg {
		m.restore(saved)
	}
	if k(i) {
		return true
	}
	m.restore(saved)
	return false
}

func (m *machine) backref(n *rxNode, i int, k func(int) bool) bool {
	g := n.n
	if g > m.r.groups || m.caps[2*g] < 0 {
		return false
	}
	text := m.in[m.caps[2*g]:m.caps[2*g+1]]
	if i+len(text) > len(m.in) {
		return false
	}
	for j, r := range text {
		c := m.in[i+j]
		if c != r && !(n.fold && foldEqual(c, r, n.unicd)) {
			return false
		}
	}
	return k(i + len(text))
}

func (m *machine) assert(n *rxNode, i int) bool {
	in := m.in
	switch n.assert {
	case atBegin:
		return i == 0
	case atEnd:
		return i == len(in)
	case atLastEnd:
		return i == m.lastEnd
	case atLineBegin:
		// Not at the very end, even after a line terminator (as Perl),
		// and not between \r and \n.
		if i == len(in) {
			return false
		}
		if i == 0 {
			return true
		}
		prev := in[i-1]
		if !isLineTerminator(prev, n.unix) {
			return false
		}
		return n.unix || !(prev == '\r' && in[i] == '\n')
	case atEndOrFinal, atLineEnd:
		return m.dollar(i, n.assert == atLineEnd, n.unix)
	case atWordBound, atNonWordBound:
		left := i > 0 && m.wordBefore(i)
		right := i < len(in) && m.wordAt(i)
		return (left != right) == (n.assert == atWordBound)
	}
	return false
}

// dollar is Java's $: the end of input, or before a final line terminator;
// under MULTILINE before any line terminator too, but never between \r
// and \n.
func (m *machine) dollar(i int, multiline, unix bool) bool {
	in, n := m.in, len(m.in)
	if unix {
		if i < n {
			return in[i] == '\n' && (multiline || i == n-1)
		}
		return true
	}
	if !multiline {
		if i < n-2 {
			return false
		}
		if i == n-2 && !(in[i] == '\r' && in[i+1] == '\n') {
			return false
		}
	}
	if i < n {
		switch c := in[i]; {
		case c == '\n':
			return !(i > 0 && in[i-1] == '\r')
		case c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029':
			return true
		default:
			return false
		}
	}
	return true
}

// wordAt and wordBefore are Java 17's \b test of the character at or
// before i: a letter, a digit or _, or a non-spacing mark after one.
func (m *machine) wordAt(i int) bool {
	c, _ := m.charAt(i)
	if isWordChar(c) {
		return true
	}
	return unicode.Is(unicode.Mn, c) && m.baseIsWord(i)
}

func (m *machine) wordBefore(i int) bool {
	c, _ := m.charBefore(i)
	if isWordChar(c) {
		return true
	}
	return unicode.Is(unicode.Mn, c) && m.baseIsWord(i-1)
}

// baseIsWord reports whether the first character at or before i that is
// not a non-spacing mark is a letter or digit (not _: Java's
// hasBaseCharacter).
func (m *machine) baseIsWord(i int) bool {
	for ; i >= 0; i-- {
		c := m.in[i]
		if unicode.IsLetter(c) || unicode.IsDigit(c) {
			return true
		}
		if !unicode.Is(unicode.Mn, c) {
			return false
		}
	}
	return false
}

func isWordChar(c rune) bool { return c == '_' || unicode.IsLetter(c) || unicode.IsDigit(c) }
