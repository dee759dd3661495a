package vtl

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
)

func sortStrings(s []string) { sort.Strings(s) }

// javaRegex is a java.util.regex pattern run on RE2. The translation keeps
// Java's meaning where the two differ ('.' excludes every Java line
// terminator) and supports one lookaround, a negative or positive
// lookbehind of one character class at the very start, checked by hand at
// each match. Other lookarounds, backreferences, possessive and atomic
// groups are errors.
type javaRegex struct {
	re        *regexp.Regexp
	whole     *regexp.Regexp // re anchored at both ends, for matches()
	behind    *regexp.Regexp // one-character class the match must (not) follow
	behindNeg bool
}

// regexCache keeps translated patterns: templates use the same few again
// and again. It is bounded, because a template may build a pattern from
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
	r, err := translate(pattern)
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

func translate(p string) (*javaRegex, error) {
	out := &javaRegex{}
	if strings.HasPrefix(p, "(?<!") || strings.HasPrefix(p, "(?<=") {
		neg := p[3] == '!'
		body, rest, ok := oneClass(p[4:])
		if !ok || !strings.HasPrefix(rest, ")") {
			return nil, fmt.Errorf("only a lookbehind of one character at the start is supported")
		}
		b, err := regexp.Compile(`^(?:` + body + `)$`)
		if err != nil {
			return nil, err
		}
		out.behind, out.behindNeg = b, neg
		p = rest[1:]
	}
	var b strings.Builder
	inClass := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\\' && i+1 < len(p):
			n := p[i+1]
			if '1' <= n && n <= '9' && !inClass {
				return nil, fmt.Errorf("backreferences are not supported")
			}
			b.WriteByte(c)
			b.WriteByte(n)
			i++
		case inClass:
			if c == ']' {
				inClass = false
			}
			b.WriteByte(c)
		case c == '[':
			inClass = true
			b.WriteByte(c)
			if i+1 < len(p) && p[i+1] == '^' {
				b.WriteByte('^')
				i++
			}
			if i+1 < len(p) && p[i+1] == ']' {
				b.WriteString(`\]`)
				i++
			}
		case c == '(' && strings.HasPrefix(p[i:], "(?<") && !strings.HasPrefix(p[i:], "(?<!") && !strings.HasPrefix(p[i:], "(?<="):
			b.WriteString("(?P<") // a named group
			i += 2
		case c == '(' && (strings.HasPrefix(p[i:], "(?=") || strings.HasPrefix(p[i:], "(?!") || strings.HasPrefix(p[i:], "(?<") || strings.HasPrefix(p[i:], "(?>")):
			return nil, fmt.Errorf("lookaround and atomic groups are not supported here")
		case (c == '+' || c == '*' || c == '?' || c == '}') && i+1 < len(p) && p[i+1] == '+':
			return nil, fmt.Errorf("possessive quantifiers are not supported")
		case c == '.':
			b.WriteString(`[^\n\r\x{85}\x{2028}\x{2029}]`)
		default:
			b.WriteByte(c)
		}
	}
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, err
	}
	out.re = re
	// For matches(), the pattern anchored at both ends. A \Q that runs to
	// the end of the pattern must be closed before the anchor.
	whole, err := regexp.Compile(`^(?:` + b.String() + `)$`)
	if err != nil {
		whole, err = regexp.Compile(`^(?:` + b.String() + `\E)$`)
	}
	if err != nil {
		return nil, err
	}
	out.whole = whole
	return out, nil
}

// oneClass reads one character or class from the start of p: x, \x or [...].
func oneClass(p string) (string, string, bool) {
	switch {
	case p == "":
		return "", "", false
	case p[0] == '\\' && len(p) > 1:
		return p[:2], p[2:], true
	case p[0] == '[':
		end := strings.IndexByte(p[1:], ']')
		if end < 0 {
			return "", "", false
		}
		return p[:end+2], p[end+2:], true
	case p[0] == '(' || p[0] == ')':
		return "", "", false
	}
	return p[:1], p[1:], true
}

// allowed reports whether a match may start at i, given the lookbehind.
func (r *javaRegex) allowed(s string, i int) bool {
	if r.behind == nil {
		return true
	}
	prev := ""
	if i > 0 {
		j := i - 1
		for j > 0 && s[j]&0xC0 == 0x80 {
			j--
		}
		prev = s[j:i]
	}
	hit := prev != "" && r.behind.MatchString(prev)
	return hit != r.behindNeg
}

// matches finds the matches java.util.regex would, left to right.
func (r *javaRegex) matches(s string, limit int) [][]int {
	var out [][]int
	for pos := 0; pos <= len(s) && (limit < 0 || len(out) < limit); {
		loc := r.re.FindStringSubmatchIndex(s[pos:])
		if loc == nil {
			break
		}
		for i := range loc {
			if loc[i] >= 0 {
				loc[i] += pos
			}
		}
		if !r.allowed(s, loc[0]) {
			pos = loc[0] + 1
			for pos < len(s) && s[pos]&0xC0 == 0x80 {
				pos++
			}
			continue
		}
		out = append(out, loc)
		pos = loc[1]
		if loc[1] == loc[0] {
			pos++
			for pos < len(s) && s[pos]&0xC0 == 0x80 {
				pos++
			}
		}
	}
	return out
}

// matchesWhole is String.matches: the whole string must match.
func (r *javaRegex) matchesWhole(s string) bool {
	return r.whole.MatchString(s) && r.allowed(s, 0)
}

// replace implements String.replaceAll and replaceFirst, with Java's
// replacement syntax: $n and ${name} are groups, \x is a literal x.
func (r *javaRegex) replace(s, repl string, all bool) (string, error) {
	limit := 1
	if all {
		limit = -1
	}
	var b strings.Builder
	last := 0
	for _, m := range r.matches(s, limit) {
		b.WriteString(s[last:m[0]])
		for i := 0; i < len(repl); i++ {
			c := repl[i]
			switch {
			case c == '\\':
				if i+1 >= len(repl) {
					return "", fmt.Errorf("character to be escaped is missing")
				}
				i++
				b.WriteByte(repl[i])
			case c == '$':
				if i+1 < len(repl) && repl[i+1] == '{' {
					end := strings.IndexByte(repl[i:], '}')
					if end < 0 {
						return "", fmt.Errorf("named capturing group is missing trailing '}'")
					}
					name := repl[i+2 : i+end]
					g := r.re.SubexpIndex(name)
					if g < 0 {
						return "", fmt.Errorf("no group with name {%s}", name)
					}
					if m[2*g] >= 0 {
						b.WriteString(s[m[2*g]:m[2*g+1]])
					}
					i += end
					continue
				}
				if i+1 >= len(repl) || repl[i+1] < '0' || repl[i+1] > '9' {
					return "", fmt.Errorf("illegal group reference in replacement %q", repl)
				}
				g := int(repl[i+1] - '0')
				if g > r.re.NumSubexp() {
					return "", fmt.Errorf("no group %d", g)
				}
				i++
				if m[2*g] >= 0 {
					b.WriteString(s[m[2*g]:m[2*g+1]])
				}
			default:
				b.WriteByte(c)
			}
		}
		last = m[1]
	}
	b.WriteString(s[last:])
	return b.String(), nil
}

// split implements String.split(regex, limit): with limit > 0 at most
// limit parts, the last holding the rest; with limit 0 trailing empty
// strings are dropped; a zero-width match at the start gives no leading
// empty string.
func (r *javaRegex) split(s string, limit int) []string {
	var out []string
	last := 0
	for _, m := range r.matches(s, -1) {
		if limit > 0 && len(out) == limit-1 {
			break
		}
		if m[1] == 0 {
			continue
		}
		out = append(out, s[last:m[0]])
		last = m[1]
	}
	out = append(out, s[last:])
	if len(out) == 1 || limit != 0 {
		return out
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}
