package vtl

import "strings"

// output collects what a template writes. Small writes are copied into a
// buffer; a large value (a mapped body) is kept as it is, as a piece, and
// only the whole is copied once, at its exact size: a strings.Builder
// copied a 10 MB value in, then again each time it doubled. A rendering
// of a single value (the string literal "$v") is that value, not a copy.
type output struct {
	pieces []string
	small  strings.Builder
	n      int
}

// bigPiece is the length from which a write is kept as a piece rather
// than copied.
const bigPiece = 4 << 10

func (o *output) WriteString(s string) {
	o.n += len(s)
	if len(s) < bigPiece {
		o.small.WriteString(s)
		return
	}
	o.flush()
	o.pieces = append(o.pieces, s)
}

// flush turns the buffer into a piece (its string, not a copy).
func (o *output) flush() {
	if o.small.Len() > 0 {
		o.pieces = append(o.pieces, o.small.String())
		o.small = strings.Builder{}
	}
}

// String is everything written, copied once.
func (o *output) String() string { return o.join(nil) }

// join is String, taken in place when a large value in rs has room for
// the rest (room.go).
func (o *output) join(rs rooms) string {
	switch {
	case len(o.pieces) == 0:
		return o.small.String()
	case len(o.pieces) == 1 && o.small.Len() == 0:
		return o.pieces[0]
	}
	all := o.pieces
	if o.small.Len() > 0 {
		all = append(all, o.small.String())
	}
	if s, ok := inRoom(rs, all); ok {
		return s
	}
	var b strings.Builder
	b.Grow(o.n)
	for _, p := range all {
		b.WriteString(p)
	}
	return b.String()
}

// inRoom is the pieces written around the one large value that has room
// for the others (room.go), or false.
func inRoom(rs rooms, all []string) (string, bool) {
	for k, p := range all {
		if len(p) >= roomFrom {
			if s, ok := rs.around(all[:k], p, all[k+1:]); ok {
				return s, true
			}
		}
	}
	return "", false
}
