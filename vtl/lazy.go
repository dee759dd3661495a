package vtl

import (
	"strings"
	"unicode/utf8"
)

// $input.json('$') of a large body is not built when the template only
// tests it and escapes it, as every generated template does:
//
//	#set($v0 = $input.json('$'))
//	#if("$!v0" == "" || "$!v0" == "null") ... #end
//	#set($v0 = $util.escapeJavaScript($v0).replaceAll($q, "$1'"))
//
// Its text (compactJSON of the body, 10 MB for a 10 MB body) stands as a
// lazyJSON, which knows its length: a variable holds it, "$!v0" and == read
// only its length (and its text when the lengths agree), and
// $util.escapeJavaScript writes its escaped form straight from the body.
// Anywhere else (env.eval) it is that text, built once. Only these places
// take one (env.evalAny); FuzzLazyJSON holds them to the text.
type lazyJSON struct {
	body string // a valid JSON body, over roomFrom, not compact already
	n    int    // the length of its text
	text string // its text, once built
	done bool
}

// lazyBodyJSON is $input.json('$') of body as a lazyJSON, or false when
// it is better built at once (small, or compact already: then it is the
// body itself) or cannot be written from the text (compactTo).
func lazyBodyJSON(body string) (*lazyJSON, bool) {
	if len(body) < roomFrom {
		return nil, false
	}
	n, same := 0, true
	ok := compactTo(body, func(s string) {
		same = same && n == 0 && len(s) == len(body)
		n += len(s)
	})
	if !ok || same {
		return nil, false
	}
	return &lazyJSON{body: body, n: n}, true
}

func (l *lazyJSON) String() string {
	if !l.done {
		l.text, _ = compactJSON(l.body)
		l.done = true
	}
	return l.text
}

// plain is v, a lazyJSON turned into its text.
func plain(v any) any {
	if l, ok := v.(*lazyJSON); ok {
		return l.String()
	}
	return v
}

// equalLazy is equal(l, r) where either may be a lazyJSON: a text of
// another length is not equal, and only one of the same length is built.
func equalLazy(l, r any) bool {
	ll, lok := l.(*lazyJSON)
	rl, rok := r.(*lazyJSON)
	switch {
	case lok && !rok && r != nil:
		if len(toString(r)) != ll.n {
			return false
		}
	case rok && !lok && l != nil:
		if len(toString(l)) != rl.n {
			return false
		}
	}
	return equal(plain(l), plain(r))
}

// escapeLazy is escapeJavaScript(l.String(), v), written from the body:
// one pass measures, the next writes, each from compactTo's pieces.
func escapeLazy(l *lazyJSON, v Variant, rs rooms) string {
	if l.done {
		return escapeJavaScript(l.text, v, rs)
	}
	n := 0
	eachRune(l.body, func(r rune, buf *[12]byte) {
		if esc := jsEscape(buf, r, v); esc != nil {
			n += len(esc)
		} else {
			n += utf8.RuneLen(r)
		}
	})
	b := newRoomWriter(rs, n)
	eachRune(l.body, func(r rune, buf *[12]byte) {
		if esc := jsEscape(buf, r, v); esc != nil {
			b.Write(esc)
		} else {
			b.WriteRune(r)
		}
	})
	return b.String()
}

// eachRune calls f for each character of compactJSON(body).
func eachRune(body string, f func(rune, *[12]byte)) {
	joinRunes(func(sink func(string)) { compactTo(body, sink) }, f)
}

// joinRunes calls f for each character of the text that pieces hands
// over in pieces, as a range over the whole text gives them: a character
// that one piece ends and the next begins is put together first.
func joinRunes(pieces func(func(string)), f func(rune, *[12]byte)) {
	var buf [12]byte
	var carry strings.Builder
	pieces(func(s string) {
		if carry.Len() > 0 {
			for len(s) > 0 && !utf8.FullRuneInString(carry.String()) {
				carry.WriteByte(s[0])
				s = s[1:]
			}
			if !utf8.FullRuneInString(carry.String()) {
				return // s was all of it: the next piece may end it
			}
			for _, r := range carry.String() {
				f(r, &buf)
			}
			carry.Reset()
		}
		for i, r := range s {
			if r == utf8.RuneError && !utf8.FullRuneInString(s[i:]) {
				carry.WriteString(s[i:])
				return
			}
			f(r, &buf)
		}
	})
	for _, r := range carry.String() {
		f(r, &buf)
	}
}
