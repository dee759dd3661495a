package vtl

import (
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
	old, oldErr := tpl.render(req, Variant{}, nil)
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
// escaped, replaced, written between the request's other members) makes
// the rendered body in the room of the replaced value, so the rendering
// allocates the escaped and the replaced value and nothing of their size
// more (it made a third copy, the rendered body); every other use of
// such a value (written twice, in a string literal and then again, with
// more text around it than its room holds) renders as before.
func TestLargeValuesAreTakenInPlace(t *testing.T) {
	req := roomRequest(2 << 20)
	body, n := renderBoth(t, roomQuote+
		`#set($v = $util.escapeJavaScript($input.body).replaceAll($q, "$1'")){"arn": "a", "input": "{\"order\":[$v]}"}`, req)
	if n > uint64(2*len(body)+len(body)/4) {
		t.Errorf("%d bytes allocated for a body of %d: want two copies (escaped, replaced), not three", n, len(body))
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
