package vtl

import (
	"strings"
	"testing"
)

// lazyRequest is a request whose JSON body is large enough for
// $input.json('$') to be a lazyJSON: spaces to drop, escapes to keep and
// to re-encode, characters beyond ASCII.
func lazyRequest(size int) *Request {
	item := `{"sku": "it's \"x\" \\ é", "qty": 2, "note": "l'article <\/b>"}, `
	return &Request{Body: `{"id": "o-1", "items": [` + strings.Repeat(item, size/len(item)) + `{}]}`}
}

// orderTemplate is the generated templates' shape.
const orderTemplate = roomQuote + `#set($v0 = $input.json('$'))` +
	`#if("$!v0" == "" || "$!v0" == "null")#set($v0 = "null")#end` +
	`#set($v0 = $util.escapeJavaScript($v0).replaceAll($q, "$1'"))` +
	`{"stateMachineArn": "arn", "input": "{\"order\":$v0}"}`

// TestLazyBodyJSON: the generated templates' shape never builds
// $input.json('$') of a large body: the rendering allocates the escaped
// value and nothing of its size more (it built the compact JSON too);
// every other use of that value builds it, and renders as before.
func TestLazyBodyJSON(t *testing.T) {
	req := lazyRequest(bigTestBody())
	body, n := renderBoth(t, orderTemplate, req)
	if n > uint64(len(body)+len(body)/4) {
		t.Errorf("%d bytes allocated for a body of %d: want one copy (escaped), not the compact JSON besides", n, len(body))
	}
	for _, src := range []string{
		`#set($v = $input.json('$'))$v`,
		`#set($v = $input.json('$'))$v.length() $v.substring(0, 30)`,
		`#set($v = $input.json('$'))#set($m = {})#set($m.k = $v)$m.k.length()`,
		`#set($v = $input.json('$'))#if("$!v" == "x")a#end#if("$v" == "$v")b#end#if($v == $v)c#end#if($v != "")d#end`,
		`#set($v = $input.json('$'))#set($w = "$v")#if($w == $v)e#end#if($v.equals($w))f#end$w.length()`,
		`#set($v = $input.json('$'))#if($v)a#end<$v>#foreach($c in [$v])$c.length()#end`,
		`#set($v = $input.json('$'))$util.escapeJavaScript($v)$v`,
		`#set($v = $input.json('$'))$util.urlEncode($v).length() $util.parseJson($v).items.size()`,
		`#set($v = $input.json('$'))#set($w = "$!v")$w`,
		`$input.json('$').length()`,
		`#set($v = $input.json('$'))#set($v = $util.escapeJavaScript($v))$v`,
		`#set($v = $input.json('$'))#set($n = 0)#foreach($i in [1..3])#set($n = $n + $v.length())#end$n`,
		`#set($v = $input.json('$'))#set($l = [$v, $v])$l.get(0).length()`,
		`#set($v = $input.json('$'))#if($v == 5)a#end#if(5 == $v)b#end#if($v == $nope)c#end`,
		orderTemplate + `$v0`,
	} {
		renderBoth(t, src, req)
	}
}

// FuzzLazyJSON: any template renders a large JSON body the same with a
// lazy $input.json('$') as with the text built at once.
//
//	go test ./vtl -run '^$' -fuzz FuzzLazyJSON -fuzztime 2m
func FuzzLazyJSON(f *testing.F) {
	for _, s := range []string{
		orderTemplate,
		`#set($v = $input.json('$'))#if("$!v" == "")a#end$util.escapeJavaScript($v).length()$v.length()`,
		`#set($v = $input.json('$'))#set($w = $v)#set($v = "x")$w.substring(0, 9)`,
	} {
		f.Add(s)
	}
	req := lazyRequest(200 << 10)
	f.Fuzz(func(t *testing.T, src string) {
		if _, err := Parse(src); err == nil {
			renderBoth(t, src, req)
		}
	})
}

// TestJoinRunesAcrossPieces: a character split between two pieces, or
// bytes that are not UTF-8 there, are read as a range over the whole
// text reads them, wherever the text is cut.
func TestJoinRunesAcrossPieces(t *testing.T) {
	text := "aé😀\xffb\xe2\x82c\xf0\x9f\x98"
	var want []rune
	for _, r := range text {
		want = append(want, r)
	}
	for i := 0; i <= len(text); i++ {
		for j := i; j <= len(text); j++ {
			var got []rune
			joinRunes(func(sink func(string)) {
				for _, p := range []string{text[:i], text[i:j], text[j:]} {
					sink(p)
				}
			}, func(r rune, _ *[12]byte) { got = append(got, r) })
			if string(got) != string(want) {
				t.Fatalf("cut at %d and %d: %q, want %q", i, j, got, want)
			}
		}
	}
}

// bigTestBody is the size of the large bodies of the rooms' and the lazy
// JSON's tests: 2 MiB, or, under the race detector (which slows every
// byte the renderer touches some twentyfold), 256 KiB, still past the
// 128 KiB from which large values are handled so.
func bigTestBody() int {
	if raceDetector {
		return 256 << 10
	}
	return 2 << 20
}
