package vtl

import (
	"runtime"
	"strings"
	"testing"
)

// roomRequest is a request whose body is large enough to be built with
// room once escaped: apostrophes, quotes, backslashes and a character
// beyond ASCII, as in an order.
func roomRequest(size int) *Request {
	item := `{"sku": "it's \"x\" \\ é", "note": "l'article <\/b>"}, `
	return &Request{Body: strings.Repeat(item, size/len(item)), Header: map[string]string{"h": "it's"}}
}

// renderBoth renders src with rooms and without (the path before them)
// and fails unless both give the same body; it answers the body and the
// bytes the rendering with rooms allocated.
func renderBoth(t *testing.T, src string, req *Request) (string, uint64) {
	t.Helper()
	tpl, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	old, oldErr := tpl.render(req, Variant{}, false)
	var res *Result
	n := allocated(func() { res, err = tpl.Render(req, Variant{}) })
	if (err == nil) != (oldErr == nil) || err != nil && err.Error() != oldErr.Error() {
		t.Fatalf("%.80s: error %v, without rooms %v", src, err, oldErr)
	}
	if err != nil {
		return "", n
	}
	if res.Body != old.Body {
		t.Fatalf("%.80s: the body differs from the rendering without rooms", src)
	}
	return res.Body, n
}

const roomQuote = `#set($q = "(?<!\\)((?:\\\\)*)\\'")`

// TestLargeValuesAreTakenInPlace: the orders template's shape (a body
// escaped, replaced, written between the request's other members)
// replaces the escaped value in its own buffer and makes the rendered
// body in its room, so the rendering allocates the escaped value and
// nothing of its size more (it made three copies: escaped, replaced, the
// rendered body); every other use of such a value (written twice, in a
// string literal and then again, with more text around it than its room
// holds, replaced when a variable holds it, replaced so that it grows)
// renders as before.
func TestLargeValuesAreTakenInPlace(t *testing.T) {
	req := roomRequest(bigTestBody())
	body, n := renderBoth(t, roomQuote+
		`#set($v = $util.escapeJavaScript($input.body).replaceAll($q, "$1'")){"arn": "a", "input": "{\"order\":[$v]}"}`, req)
	if n > uint64(len(body)+len(body)/4) {
		t.Errorf("%d bytes allocated for a body of %d: want one copy (escaped, then replaced in place), not three", n, len(body))
	}
	for _, src := range []string{
		`#set($v = $util.escapeJavaScript($input.body))<$v>|<$v>`,
		`#set($v = $util.escapeJavaScript($input.body))#set($x = "<$v>")#set($y = "[$v]")$x$y$v`,
		`#set($v = $util.escapeJavaScript($input.body))` + strings.Repeat("a", roomSize+1) + `$v.`,
		`#set($v = $util.escapeJavaScript($input.body))` + strings.Repeat("a", roomSize) + `$v` + strings.Repeat("b", roomSize),
		`#set($v = $util.escapeJavaScript($input.body))$v` + strings.Repeat("b", roomSize+1),
		`#set($v = $util.escapeJavaScript($input.body))#foreach($i in [1..3])$i,#end$v#foreach($i in [1..3])$i,#end$v.length()`,
		roomQuote + `#set($v = $util.escapeJavaScript($input.body).replaceAll($q, "$1'"))$v.substring(0, 9)$v`,
		`#set($v = $util.escapeJavaScript($input.body))$util.escapeJavaScript($v)$v`,
		`#set($v = $util.escapeJavaScript("short"))<$v>`,
		`#set($v = $util.escapeJavaScript($input.body))$v.substring(0, 200000)$v`,
		roomQuote + `#set($v = $util.escapeJavaScript($input.body))$v.replaceAll($q, "$1'")$v`,
		roomQuote + `#set($v = $util.escapeJavaScript($input.body).toString().replaceAll($q, "$1'"))$v`,
		roomQuote + `$util.escapeJavaScript($input.body).replaceAll($q, "$1'").replaceAll("\\\\", "/").replaceFirst("u", "U")`,
		`$util.escapeJavaScript($input.body).replaceAll("\\'", "$0$0$0")`,
		`$util.escapeJavaScript($input.body).replaceAll("(\\)(')", "$2$2")`,
		`$util.escapeJavaScript($input.body).replaceAll("(?<=it)\\'", "")`,
		`$util.escapeJavaScript($input.body).replaceAll("\b", "")`,
		`$util.escapeJavaScript($input.body).replaceAll("\b", "-")`,
		`$util.escapeJavaScript($input.body).replaceAll("(?<=\\u00)(E)(9)", "$2$1")`,
		`$util.escapeJavaScript($input.body).replaceAll("zzz", "")`,
		`$util.escapeJavaScript($input.body).replaceAll("(?<!\\)\\", "/")`,
		`$util.escapeJavaScript($input.body).replaceAll("(?<=\\)\\", "/")`,
		`$util.escapeJavaScript($input.body).replaceAll("[^x]", "")`,
		`$util.escapeJavaScript($input.body).replaceAll("(?s).*", "")`,
	} {
		renderBoth(t, src, req)
	}
}

// FuzzRoomsKeepOutput: any template renders a large body the same with
// rooms and without.
//
//	go test ./vtl -run '^$' -fuzz FuzzRoomsKeepOutput -fuzztime 2m
func FuzzRoomsKeepOutput(f *testing.F) {
	for _, s := range []string{
		roomQuote + `#set($v = $util.escapeJavaScript($input.body).replaceAll($q, "$1'")){"input": "{\"order\":$v}"}`,
		`#set($v = $util.escapeJavaScript($input.body))#set($x = "<$v>")$x$v$x`,
		`#set($v = $util.escapeJavaScript($input.json('$')))$v.replace("a", "b")$v`,
	} {
		f.Add(s)
	}
	req := roomRequest(200 << 10)
	f.Fuzz(func(t *testing.T, src string) {
		if _, err := Parse(src); err == nil {
			renderBoth(t, src, req)
		}
	})
}

// FuzzReplaceInPlace: any pattern and replacement give the same over a
// fresh value (rewritten in place) as over a new buffer.
//
//	go test ./vtl -run '^$' -fuzz FuzzReplaceInPlace -fuzztime 2m
func FuzzReplaceInPlace(f *testing.F) {
	for _, c := range [][2]string{
		{`(?<!\\)((?:\\\\)*)\\'`, "$1'"}, {`\\'`, "$0$0"}, {`\b`, "-"}, {`(?<=ab?c)\\`, ""},
		{`(.)(.)`, "$2$1"}, {`(?m)^`, ">"}, {`\\u00E9`, "e"}, {`"`, ""}, {`(a|\\)\1`, "$1"},
	} {
		f.Add(c[0], c[1])
	}
	req := roomRequest(200 << 10)
	tpl, err := Parse(`#set($p = $input.params('p'))#set($r = $input.params('r'))[$util.escapeJavaScript($input.body).replaceAll($p, $r)]`)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, pattern, repl string) {
		r := *req
		r.Query = map[string]string{"p": pattern, "r": repl}
		old, oldErr := tpl.render(&r, Variant{}, false)
		res, err := tpl.Render(&r, Variant{})
		if (err == nil) != (oldErr == nil) || err == nil && res.Body != old.Body {
			t.Fatalf("%q %q: %v / %v, or the bodies differ", pattern, repl, err, oldErr)
		}
	})
}

// TestRoomsHoldValuesWeakly: the rooms of a rendering do not keep a
// value alive that the rendering no longer holds.
func TestRoomsHoldValuesWeakly(t *testing.T) {
	rs := &roomSet{}
	func() {
		w := newRoomWriter(rs, 1<<20)
		w.WriteString(strings.Repeat("x", 1<<20))
		_ = w.String()
	}()
	runtime.GC()
	runtime.GC()
	for _, r := range rs.m {
		if r.buf.Value() != nil {
			t.Error("a value no one holds is kept alive by its room")
		}
	}
	if len(rs.m) != 1 {
		t.Errorf("%d rooms, want 1", len(rs.m))
	}
}

// TestRegexReach: how far back of a search's start each pattern reads.
func TestRegexReach(t *testing.T) {
	for p, want := range map[string]int{goldenQuote: 1, `abc`: 0, `\b`: 1, `(?<=ab|c)x(?<!d)`: 3, `^a\z\G`: 0, `a$`: 1, `(?m)^`: 1, `(?=(?<=ab)c)`: 2} {
		r, err := compileJava(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.reach(); got != want {
			t.Errorf("reach of %s: %d, want %d", p, got, want)
		}
	}
}
