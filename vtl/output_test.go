package vtl

import (
	"strings"
	"testing"
	"unsafe"
)

// TestBigValuesAreCopiedOnce: a template that writes a 10 MB value
// between small texts copies it once, at the output's size (a
// strings.Builder copied it in, then again as it doubled), and one that
// writes only the value, or a string literal of it, gives the value
// itself.
func TestBigValuesAreCopiedOnce(t *testing.T) {
	req := &Request{Body: strings.Repeat("it's ", 2<<20)}
	for _, c := range []struct {
		src  string
		same bool // the result is the body itself
	}{
		{`{"a": "$input.body", "b": 1}`, false},
		{`#foreach($i in [1..3])<$i>#end$input.body#foreach($i in [1..3])<$i>#end`, false},
		{`$input.body`, true},
		{`#set($v = "$!input.body")$v`, true},
	} {
		tpl, err := Parse(c.src)
		if err != nil {
			t.Fatal(err)
		}
		var res *Result
		n := allocated(func() { res, err = tpl.Render(req, Variant{}) })
		switch {
		case err != nil:
			t.Fatal(err)
		case c.same && unsafe.StringData(res.Body) != unsafe.StringData(req.Body):
			t.Errorf("%s: the body was copied (%d bytes allocated)", c.src, n)
		case n > uint64(len(res.Body)+len(res.Body)/8):
			t.Errorf("%s: %d bytes allocated for %d written; want one copy", c.src, n, len(res.Body))
		}
	}
}

// TestEscapeJavaScriptIsSized: escaping a 10 MB value allocates its
// result once, at its size.
func TestEscapeJavaScriptIsSized(t *testing.T) {
	s := strings.Repeat(`it's "é" \ </b> 😀`+"\x01\n", 1<<19)
	var out string
	n := allocated(func() { out = escapeJavaScript(s, Variant{}, nil) })
	if n > uint64(len(out)+len(out)/16) {
		t.Errorf("escapeJavaScript of %d bytes allocated %d for a result of %d", len(s), n, len(out))
	}
}
