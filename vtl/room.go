package vtl

import (
	"unicode/utf8"
	"unsafe"
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

const (
	// roomFrom is the size from which a built value gets room: the room
	// then costs under a sixteenth of it.
	roomFrom = 128 << 10
	// roomSize is the room on each side: more than the request around a
	// mapped value takes in the generated templates.
	roomSize = 4 << 10
)

// rooms are the buffers with room of one rendering, by the address of
// the value each holds.
type rooms map[*byte]*room

type room struct {
	buf   []byte // room, the value, room (up to cap)
	taken bool
}

// roomWriter builds a string of about n bytes, with room when it is
// large and rs keeps rooms (nil: a plain buffer).
type roomWriter struct {
	buf  []byte
	head int
	rs   rooms
}

func newRoomWriter(rs rooms, n int) *roomWriter {
	if rs == nil || n < roomFrom {
		return &roomWriter{buf: make([]byte, 0, n)}
	}
	return &roomWriter{buf: make([]byte, roomSize, roomSize+n+roomSize), head: roomSize, rs: rs}
}

func (w *roomWriter) WriteString(s string) { w.buf = append(w.buf, s...) }
func (w *roomWriter) Write(p []byte)       { w.buf = append(w.buf, p...) }
func (w *roomWriter) writeByte(c byte)     { w.buf = append(w.buf, c) }
func (w *roomWriter) WriteRune(r rune)     { w.buf = utf8.AppendRune(w.buf, r) }

// String is what was written (not a copy), kept in rs when it has room.
func (w *roomWriter) String() string {
	n := len(w.buf) - w.head
	if n == 0 {
		return ""
	}
	s := unsafe.String(&w.buf[w.head], n)
	if w.head > 0 {
		w.rs[unsafe.StringData(s)] = &room{buf: w.buf}
	}
	return s
}

// around is before+s+after, written into the room of s and taken in
// place, or false when s has no room for them (then nothing changes).
func (rs rooms) around(before []string, s string, after []string) (string, bool) {
	r := rs[unsafe.StringData(s)]
	if len(s) == 0 || r == nil || r.taken {
		return "", false
	}
	b, a := total(before), total(after)
	end := roomSize + len(s)
	if b > roomSize || a > cap(r.buf)-end {
		return "", false
	}
	r.taken = true
	full := r.buf[:end+a]
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
