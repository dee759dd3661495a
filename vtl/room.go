package vtl

import (
	"unicode/utf8"
	"unsafe"
	"weak"
)

// A large string that a rendering builds (a value escaped or replaced) is
// allocated with room before and after it. When the rendering then writes
// it between short texts (a Step Functions request's other members around
// a body's JSON), output writes those texts into that room and takes the
// whole in place, so the value is not copied once more into the rendered
// body: for a 10 MB body that copy was 12 MB of serve's peak. The room is
// taken at most once, and only by the rendering that built the value (the
// rooms are the env's), so no string's bytes ever change: the texts go
// into bytes that no string covers yet. A value written twice, or with
// texts that do not fit around it, is copied as before.
//
// A value is fresh from when its method builds it until the next step of
// the same reference: only then is it certain that nothing else holds it
// (a method chain such as $util.escapeJavaScript($v).replaceAll(...)
// hands it straight on), and replaceAll may rewrite it in place
// (regex_place.go).

const (
	// roomFrom is the size from which a built value gets room: the room
	// then costs under a sixteenth of it.
	roomFrom = 128 << 10
	// roomSize is the room on each side: more than the request around a
	// mapped value takes in the generated templates.
	roomSize = 4 << 10
)

// rooms are the buffers with room of one rendering (nil: none kept), by
// the address of the value each holds, in a map made at the first: a
// rendering of small values allocates nothing more. They hold their
// buffers weakly: a value the rendering no longer holds is collected as
// before.
type rooms = *roomSet

type roomSet struct{ m map[uintptr]*room }

type room struct {
	buf   weak.Pointer[byte] // room, the value, room
	cap   int
	n     int // the value's length
	taken bool
	fresh bool
}

// keep records the value buf[roomSize:roomSize+n], fresh.
func (rs rooms) keep(buf []byte, n int) {
	if rs.m == nil {
		rs.m = map[uintptr]*room{}
	}
	rs.m[uintptr(unsafe.Pointer(&buf[roomSize]))] = &room{buf: weak.Make(&buf[0]), cap: cap(buf), n: n, fresh: true}
}

// find is the room of s and its buffer, or nil when s is no value built
// with room (a substring at its start is not: its length differs).
func (rs rooms) find(s string) (*room, []byte) {
	if rs == nil || len(s) < roomFrom {
		return nil, nil
	}
	key := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	r := rs.m[key]
	if r == nil || r.n != len(s) {
		return nil, nil
	}
	p := r.buf.Value()
	if p == nil {
		delete(rs.m, key)
		return nil, nil
	}
	return r, unsafe.Slice(p, r.cap)
}

// unfresh ends v's freshness and says whether it was fresh.
func (rs rooms) unfresh(v any) bool {
	s, ok := v.(string)
	if !ok {
		return false
	}
	r, _ := rs.find(s)
	if r == nil || !r.fresh {
		return false
	}
	r.fresh = false
	return true
}

// roomWriter builds a string of about n bytes, with room when it is
// large and rs keeps rooms (nil: a plain buffer).
type roomWriter struct {
	buf  []byte
	head int
	rs   rooms
}

func newRoomWriter(rs rooms, n int) roomWriter {
	if rs == nil || n < roomFrom {
		return roomWriter{buf: make([]byte, 0, n)}
	}
	return roomWriter{buf: make([]byte, roomSize, roomSize+n+roomSize), head: roomSize, rs: rs}
}

func (w *roomWriter) WriteString(s string) { w.buf = append(w.buf, s...) }
func (w *roomWriter) Write(p []byte)       { w.buf = append(w.buf, p...) }
func (w *roomWriter) writeByte(c byte)     { w.buf = append(w.buf, c) }
func (w *roomWriter) WriteRune(r rune)     { w.buf = utf8.AppendRune(w.buf, r) }
func (w *roomWriter) Len() int             { return len(w.buf) - w.head }

// String is what was written (not a copy), kept in rs when it has room.
func (w *roomWriter) String() string {
	n := w.Len()
	if n == 0 {
		return ""
	}
	if w.head > 0 && n >= roomFrom {
		w.rs.keep(w.buf, n)
	}
	return unsafe.String(&w.buf[w.head], n)
}

// around is before+s+after, written into the room of s and taken in
// place, or false when s has no room for them (then nothing changes).
func (rs rooms) around(before []string, s string, after []string) (string, bool) {
	r, buf := rs.find(s)
	if r == nil || r.taken {
		return "", false
	}
	b, a := total(before), total(after)
	end := roomSize + len(s)
	if b > roomSize || a > cap(buf)-end {
		return "", false
	}
	r.taken = true
	full := buf[:end+a]
	at := roomSize - b
	for _, p := range before {
		at += copy(full[at:], p)
	}
	at = end
	for _, p := range after {
		at += copy(full[at:], p)
	}
	return unsafe.String(&full[roomSize-b], b+len(s)+a), true
}

func total(texts []string) int {
	n := 0
	for _, t := range texts {
		n += len(t)
	}
	return n
}
