package vtl

// replaceAll on a value that is fresh (room.go: built by the step before
// it in the same reference, so held by nothing else) and ASCII rewrites
// that value's buffer in place instead of building a second one: the
// generated templates' $util.escapeJavaScript(...).replaceAll($q, "$1'")
// over a 10 MB body cost 12 MB more. It is safe while no byte that is
// still to be read has changed. What is still to be read lies at or
// after limit: while a match's replacement may yet copy one of its groups,
// from the match's start on; once it has copied its last one, from the
// match's end on, where the next search begins; each less the pattern's
// reach back (a lookbehind's longest text, the character before a word
// boundary or a line's start or end; for ASCII, which is all this path
// takes, no more). A write that changes a byte at or after limit is not
// made there: what was written moves to a buffer of its own first, and
// the rest is built there, as replace always did (leave). The output is
// never longer than what was read until it leaves, so it only writes
// over bytes already read.

// inPlace is the state of a replacement written over its own input.
type inPlace struct {
	in    string // the input, whose buffer is written
	limit int    // bytes from here on are still to be read
	reach int
}

// reach is how far before a search's start the pattern may read.
func (r *javaRegex) reach() int {
	var walk func(n *rxNode) int
	walk = func(n *rxNode) int {
		back := 0
		switch {
		case n.op == rxLook && n.behind:
			back = n.maxLen
		case n.op == rxAssert && n.assert != atBegin && n.assert != atEnd && n.assert != atLastEnd:
			back = 1
		}
		for _, s := range n.subs {
			back += walk(s)
		}
		return back
	}
	return walk(r.prog)
}

// startInPlace sets w to write over s's own buffer, when s is fresh and
// untaken in w.rs.
func (w *unitWriter) startInPlace(r *javaRegex, s string) {
	rm, buf := w.rs.find(s)
	if rm == nil || rm.taken {
		return
	}
	rm.taken = true // its bytes will change: no rendering takes its room now
	w.b = roomWriter{buf: buf[:roomSize], head: roomSize, rs: w.rs}
	w.started = true
	w.place = &inPlace{in: s, reach: r.reach()}
}

// readFrom sets where the matcher reads next.
func (w *unitWriter) readFrom(at int) {
	if w.place != nil {
		w.place.limit = at - w.place.reach
	}
}

// copyOK says whether in[from:to] may be written at out, the output's
// end, in place (a copy onto itself changes nothing; the copy itself is
// a memmove, so its source may overlap where it goes).
func (p *inPlace) copyOK(out, from, to int) bool {
	return from == out || from == to || out+to-from <= p.limit
}

// unitOK says whether c may be written at out in place.
func (p *inPlace) unitOK(out int, c byte) bool {
	return out < len(p.in) && p.in[out] == c || out+1 <= p.limit
}

// leave moves what was written over the input to a buffer of its own.
func (w *unitWriter) leave() {
	b := newRoomWriter(w.rs, len(w.place.in)+16)
	b.Write(w.b.buf[w.b.head:])
	w.b, w.place = b, nil
}
