package vtl

import (
	"encoding/json"
	"strings"
	"testing"
)

// sameAsWithoutRooms renders src both ways, with the rooms and lazy body
// JSON and without, and fails where they differ.
func sameAsWithoutRooms(t *testing.T, name, src string, req *Request) {
	t.Helper()
	tpl, err := Parse(src)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	old, oldErr := tpl.render(req, Variant{}, false)
	res, err := tpl.Render(req, Variant{})
	if (err == nil) != (oldErr == nil) || (err != nil && err.Error() != oldErr.Error()) {
		t.Errorf("%s: error %v, without rooms %v", name, err, oldErr)
		return
	}
	if err == nil && res.Body != old.Body {
		t.Errorf("%s: the output differs from the rendering without rooms (%d and %d bytes)", name, len(res.Body), len(old.Body))
	}
}

// TestEscapedBodyIsNotRewrittenOnceHeld: the escaped form of the body's
// JSON is fresh for the next step of its reference only; once a variable,
// a map, a list or the output holds it, a later replaceAll (through any
// method that hands back the same string) builds a new value.
func TestEscapedBodyIsNotRewrittenOnceHeld(t *testing.T) {
	req := lazyRequest(300 << 10)
	for name, src := range map[string]string{
		"toString": `#set($a = $util.escapeJavaScript($input.json('$')))$a.toString().replaceAll("a", "b").length()|$a.substring(0,60)`,
		"trim":     `#set($a = $util.escapeJavaScript($input.json('$')))#set($b = $a.trim().replaceAll("i", "I"))$a.substring(0,60)`,
		"map":      `#set($a = $util.escapeJavaScript($input.json('$')))#set($m = {"k": $a})#set($x = $m.get("k").replaceAll("s", "S"))$a.substring(0,60)`,
		"list":     `#set($a = $util.escapeJavaScript($input.json('$')))#set($l = [$a])#set($x = $l.get(0).replaceAll("s", "S"))$a.substring(0,60)`,
		"no match": `#set($a = $util.escapeJavaScript($input.json('$')))#set($x = $a.replaceAll("zzz", "").replaceAll("s", "S"))$a.substring(0,60)`,
		"written":  `#set($a = $util.escapeJavaScript($input.json('$')))<$a>#set($y = $a.toString().replaceAll("s", "S"))`,
	} {
		sameAsWithoutRooms(t, name, src, req)
	}
}

// TestRegexCacheKeepsItsOwnPattern: a pattern that is the escaped body
// goes into the process-wide regex cache as a copy, so no later rewrite of
// that value can give another request the wrong compiled pattern. (It
// fails only when both protections are gone: the copy, and the escaped
// body being fresh for one step only.)
func TestRegexCacheKeepsItsOwnPattern(t *testing.T) {
	n := 200 << 10
	first := &Request{Body: ` "` + strings.Repeat("a", n) + `" `}
	src := `#set($a = $util.escapeJavaScript($input.json('$')))#set($s = "q")#set($x = $s.replaceAll($a, ""))#set($y = $a.trim().replaceAll("a", "b"))ok`
	if _, err := RenderString(src, first, Variant{}); err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]string{"p": `\"` + strings.Repeat("b", n) + `\"`, "s": `"` + strings.Repeat("b", n) + `"`})
	res, err := RenderString(`#set($p = $input.path('$.p'))#set($s = $input.path('$.s'))$s.replaceAll($p, "X")`, &Request{Body: string(body)}, Variant{})
	if err != nil || res.Body != "X" {
		t.Errorf("the second request rendered %.20q (%d bytes), %v; want X", res.Body, len(res.Body), err)
	}
}

// TestFailingReferenceInAStringIsAnError: a string literal holding one
// reference that fails, wherever it is evaluated, is the template's error
// (API Gateway's 500), never a panic.
func TestFailingReferenceInAStringIsAnError(t *testing.T) {
	req := &Request{Body: `{"a":1}`, Query: map[string]string{"x": "ab"}}
	for name, src := range map[string]string{
		"if":    `#if("$input.params('x').substring(3)")yes#end`,
		"set":   `#set($m = {})#set($m.k = "$input.params('x').substring(3)")$m.k`,
		"list":  `#set($l = ["$input.params('x').substring(3)"])$l`,
		"path":  `#if("$input.json('$[')")yes#end`,
		"arith": `#set($n = "$input.params('x').substring(3)" + 1)$n`,
	} {
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("%s: panic %v", name, p)
				}
			}()
			sameAsWithoutRooms(t, name, src, req)
		}()
	}
}
