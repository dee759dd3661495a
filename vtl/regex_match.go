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
	// maxRegexSteps and regexStepsPerUnit bound the work of one call
	// (replaceAll, split, ...): a fixed allowance plus so many steps for
	// each code unit of the input, so that a pattern that scans a long
	// value once is never cut off, while one that backtracks
	// exponentially still is, after work linear in the input.
	maxRegexSteps     = 5_000_000
	regexStepsPerUnit = 50
	// maxRegexDepth bounds nested group iterations: each needs a frame.
	maxRegexDepth = 20_000
)

// errRegexSteps is the error of a call that spent its budget.
var errRegexSteps = errors.New("the pattern backtracks too much on this input")

var errRegexDepth = errors.New("the pattern repeats a group more than 20,000 times in one match")

// regexBudget is the steps a call may take on n code units.
func regexBudget(n int) int { return maxRegexSteps + regexStepsPerUnit*n }

// The input is UTF-16, as Java's: one element per code unit, a
// supplementary character as two surrogates. A character test reads the
// code point at a position (a pair when one starts there), and searching
// steps one unit at a time, so an empty match can fall between the halves
// of a pair, as in Java. An ASCII string is its own code units and is read
// in place (str); any other is converted once (u16), at two bytes a unit.
type machine struct {
	r       *javaRegex
	in      rxInput
	n       int // code units
	caps    []int
	lastEnd int // where the previous match ended, for \G
	steps   int
	limit   int // steps allowed
	depth   int
	err     error
	saved   []int // a stack of saved captures (save, restore, drop)
	ends    []int // repeatFixed's iteration ends
	found   []int // the last match's captures, reused
	// endsBehind is a lookbehind's continuation: the body must end
	// where the lookbehind stands (behindEnd).
	endsBehind func(int) bool
	behindEnd  int
}

// rxInput is a string as code units: str itself when it is ASCII, else
// u16.
type rxInput struct {
	str string
	u16 []uint16
}

func newInput(s string) rxInput {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return rxInput{u16: utf16.Encode([]rune(s))}
		}
	}
	return rxInput{str: s}
}

func (in rxInput) len() int {
	if in.u16 != nil {
		return len(in.u16)
	}
	return len(in.str)
}

// unit is the code unit at i.
func (in rxInput) unit(i int) rune {
	if in.u16 != nil {
		return rune(in.u16[i])
	}
	return rune(in.str[i])
}

// text is the units from to to as a string; a surrogate without its
// other half becomes '?', as Java's UTF-8 encoder writes it.
func (in rxInput) text(from, to int) string {
	if in.u16 == nil {
		return in.str[from:to]
	}
	return unitString(in.u16[from:to])
}

func newMachine(r *javaRegex, in rxInput) *machine {
	n := in.len()
	m := &machine{r: r, in: in, n: n, limit: regexBudget(n), caps: make([]int, 2*(r.groups+1))}
	m.endsBehind = func(j int) bool { return j == m.behindEnd }
	return m
}

func (m *machine) u(i int) rune { return m.in.unit(i) }

// charAt is the code point at i and how many units it takes.
func (m *machine) charAt(i int) (rune, int) {
	c := m.u(i)
	if utf16.IsSurrogate(c) && c < 0xdc00 && i+1 < m.n && 0xdc00 <= m.u(i+1) && m.u(i+1) <= 0xdfff {
		return utf16.DecodeRune(c, m.u(i+1)), 2
	}
	return c, 1
}

// charBefore is the code point that ends at i and how many units it takes.
func (m *machine) charBefore(i int) (rune, int) {
	c := m.u(i - 1)
	if 0xdc00 <= c && c <= 0xdfff && i >= 2 && 0xd800 <= m.u(i-2) && m.u(i-2) < 0xdc00 {
		return utf16.DecodeRune(m.u(i-2), c), 2
	}
	return c, 1
}

// search finds the first match starting at or after start. Like Java, it
// tries every unit, halves of pairs included, unless the pattern holds a
// supplementary character itself: then it steps over pairs whole (though
// it still tries start, wherever that falls).
// A position where no match can begin (the pattern's first set holds
// not its character) is skipped without trying.
func (m *machine) search(start int) ([]int, error) {
	first := m.r.first
	for s := start; s <= m.n; s++ {
		if m.r.supplementary && s > start && s < m.n && 0xdc00 <= m.u(s) && m.u(s) <= 0xdfff && 0xd800 <= m.u(s-1) && m.u(s-1) < 0xdc00 {
			continue
		}
		if first != nil {
			if s == m.n {
				break
			}
			if c, _ := m.charAt(s); !first.has(c) {
				continue
			}
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
		if whole && j != m.n {
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
	m.found = append(m.found[:0], m.caps...)
	m.found[0], m.found[1] = start, end
	return m.found, nil
}

func (m *machine) match(n *rxNode, i int, k func(int) bool) bool {
	if m.err != nil {
		return false
	}
	if m.steps++; m.steps > m.limit {
		m.err = errRegexSteps
		return false
	}
	switch n.op {
	case rxEmpty:
		return k(i)
	case rxChar:
		if i >= m.n {
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
		if n.fixed {
			return m.repeatFixed(n, i, k)
		}
		return m.repeat(n, i, 0, k)
	case rxLook:
		return m.look(n, i, k)
	case rxAtomic:
		return m.atomic(n, i, k)
	case rxBackref:
		return m.backref(n, i, k)
	case rxAssert:
		return m.assert(n, i) && k(i)
	case rxLinebreak:
		// \r\n first, then \r alone: Java 17 backtracks into \R.
		if i+1 < m.n && m.u(i) == '\r' && m.u(i+1) == '\n' && k(i+2) {
			return true
		}
		return i < m.n && predefined['v'](m.u(i)) && k(i+1)
	}
	return false
}

func (m *machine) sequence(subs []*rxNode, i int, k func(int) bool) bool {
	if len(subs) == 0 {
		return k(i)
	}
	return m.match(subs[0], i, func(j int) bool { return m.sequence(subs[1:], j, k) })
}

// save pushes the captures on a stack, for a node whose body may set
// groups, and returns where; restore reads them back, and drop pops them
// (each node drops what it saved before it returns). A body without
// groups leaves the captures as they were, so nothing is saved for it
// (-1).
func (m *machine) save(n *rxNode) int {
	if !n.capture {
		return -1
	}
	at := len(m.saved)
	m.saved = append(m.saved, m.caps...)
	return at
}

func (m *machine) restore(at int) {
	if at >= 0 {
		copy(m.caps, m.saved[at:at+len(m.caps)])
	}
}

func (m *machine) drop(at int) {
	if at >= 0 {
		m.saved = m.saved[:at]
	}
}

func (m *machine) atomic(n *rxNode, i int, k func(int) bool) bool {
	saved := m.save(n)
	defer m.drop(saved)
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
}

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
	for end < m.n && (n.max < 0 || count < n.max) {
		c, w := m.charAt(end)
		if !set(c) {
			break
		}
		count++
		end += w
	}
	if m.steps += count; m.steps > m.limit {
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

// repeatFixed is a loop over a run of character tests, such as (?:ab)*:
// each iteration can match in one way only, so the loop is iterated in
// place, its ends kept on a stack, and backed off (or, lazily, extended)
// one iteration at a time, without a frame per iteration.
func (m *machine) repeatFixed(n *rxNode, i int, k func(int) bool) bool {
	base := len(m.ends)
	defer func() { m.ends = m.ends[:base] }()
	j := i
	for count := 0; ; count++ {
		if n.quant == lazy && count >= n.min {
			if k(j) || m.err != nil {
				return m.err == nil
			}
		} else if n.quant != lazy {
			m.ends = append(m.ends, j)
		}
		if n.max >= 0 && count >= n.max {
			break
		}
		next, ok := m.chars(n.subs[0].subs, j)
		if !ok {
			break
		}
		j = next
	}
	if n.quant == lazy || m.err != nil {
		return false
	}
	for c := len(m.ends) - base - 1; c >= n.min; c-- {
		if k(m.ends[base+c]) || m.err != nil {
			return m.err == nil
		}
	}
	return false
}

// chars matches a run of character tests at i: where it ends, and
// whether it matched.
func (m *machine) chars(tests []*rxNode, i int) (int, bool) {
	if m.steps += len(tests); m.steps > m.limit {
		m.err = errRegexSteps
		return i, false
	}
	for _, t := range tests {
		if i >= m.n {
			return i, false
		}
		c, w := m.charAt(i)
		if !t.set(c) {
			return i, false
		}
		i += w
	}
	return i, true
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

func anyEnd(int) bool { return true }

func (m *machine) look(n *rxNode, i int, k func(int) bool) bool {
	saved := m.save(n)
	defer m.drop(saved)
	found := false
	if n.behind {
		// The body must end at i: m.behindEnd holds it for the
		// continuation made once per machine (a closure per call would
		// cost an allocation at each position a search tries).
		prev := m.behindEnd
		m.behindEnd = i
		for start := i - n.minLen; start >= 0 && start >= i-n.maxLen && !found; start-- {
			found = m.match(n.subs[0], start, m.endsBehind)
		}
		m.behindEnd = prev
	} else {
		found = m.match(n.subs[0], i, anyEnd)
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
	from, size := m.caps[2*g], m.caps[2*g+1]-m.caps[2*g]
	if i+size > m.n {
		return false
	}
	for j := 0; j < size; j++ {
		c, r := m.u(i+j), m.u(from+j)
		if c != r && !(n.fold && foldEqual(c, r, n.unicd)) {
			return false
		}
	}
	return k(i + size)
}

func (m *machine) assert(n *rxNode, i int) bool {
	switch n.assert {
	case atBegin:
		return i == 0
	case atEnd:
		return i == m.n
	case atLastEnd:
		return i == m.lastEnd
	case atLineBegin:
		// Not at the very end, even after a line terminator (as Perl),
		// and not between \r and \n.
		if i == m.n {
			return false
		}
		if i == 0 {
			return true
		}
		prev := m.u(i - 1)
		if !isLineTerminator(prev, n.unix) {
			return false
		}
		return n.unix || !(prev == '\r' && m.u(i) == '\n')
	case atEndOrFinal, atLineEnd:
		return m.dollar(i, n.assert == atLineEnd, n.unix)
	case atWordBound, atNonWordBound:
		left := i > 0 && m.wordBefore(i)
		right := i < m.n && m.wordAt(i)
		return (left != right) == (n.assert == atWordBound)
	}
	return false
}

// dollar is Java's $: the end of input, or before a final line terminator;
// under MULTILINE before any line terminator too, but never between \r
// and \n.
func (m *machine) dollar(i int, multiline, unix bool) bool {
	n := m.n
	if unix {
		if i < n {
			return m.u(i) == '\n' && (multiline || i == n-1)
		}
		return true
	}
	if !multiline {
		if i < n-2 {
			return false
		}
		if i == n-2 && !(m.u(i) == '\r' && m.u(i+1) == '\n') {
			return false
		}
	}
	if i < n {
		switch c := m.u(i); {
		case c == '\n':
			return !(i > 0 && m.u(i-1) == '\r')
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
		c := m.u(i)
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
