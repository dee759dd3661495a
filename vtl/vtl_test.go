package vtl

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func render(t *testing.T, src string, req *Request, v Variant) string {
	t.Helper()
	if req == nil {
		req = &Request{}
	}
	res, err := RenderString(src, req, v)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	return res.Body
}

// Known answers from documentation, not from our own output.
func TestKnownAnswers(t *testing.T) {
	req := &Request{
		Path:   map[string]string{"id": "42"},
		Query:  map[string]string{"id": "q", "name": "n"},
		Header: map[string]string{"name": "h", "X-Only": "x"},
		Body:   `{"a": {"b": [1, "two", {"c": null}]}, "s": "He didn't say, \"Stop!\""}`,
		Context: map[string]any{"requestId": "r-1", "stage": "prod",
			"identity": map[string]any{"sourceIp": "192.0.2.1"}},
		StageVariables: map[string]string{"env": "test"},
	}
	for _, c := range []struct{ tpl, want string }{
		// Commons Lang StringEscapeUtils.escapeJavaScript javadoc example.
		{`#set($x = 'He didn''t say, "Stop!"')$util.escapeJavaScript($x)`, `He didn\'t say, \"Stop!\"`},
		// The API Gateway mapping-template reference's fix for \'.
		{`#set($x = 'He didn''t say, "Stop!"')$util.escapeJavaScript($x).replaceAll("\\'","'")`, `He didn't say, \"Stop!\"`},
		// java.net.URLEncoder javadoc rules: a b&c=d/é.
		{`$util.urlEncode("a b&c=d/é")`, `a+b%26c%3Dd%2F%C3%A9`},
		{`$util.urlDecode("a+b%26c%3Dd%2F%C3%A9")`, `a b&c=d/é`},
		{`$util.base64Encode("é!")`, `w6kh`},
		{`$util.base64Decode("w6kh")`, `é!`},
		// $input.params(name): path, then query string, then header; missing is "".
		{`$input.params('id')|$input.params('name')|$input.params('X-Only')|$input.params('nope')|`, `42|n|x||`},
		{`$input.params().querystring.get('id')`, `q`},
		{`$input.json('$.a.b')`, `[1,"two",{"c":null}]`},
		{`$input.json('$.a.b[1]')`, `"two"`},
		{`$input.json('$')`, `{"a":{"b":[1,"two",{"c":null}]},"s":"He didn't say, \"Stop!\""}`},
		{`$input.path('$.a.b').size()`, `3`},
		{`$input.path('$.s')`, `He didn't say, "Stop!"`},
		{`#set($o = $util.parseJson('{"k": [true, 2.5]}'))$o.k[1]`, `2.5`},
		{`$context.requestId $context.identity.sourceIp $stageVariables.env`, `r-1 192.0.2.1 test`},
		// Velocity: a null reference renders as written, a quiet one as nothing.
		{`$nothing|$!nothing|${nothing}|$!{nothing}`, `|||`}, // as API Gateway is reported to
		// Velocity string literals: a backslash is not an escape; "" is a quote.
		{`#set($s = "a\nb""c")$s`, `a\nb"c`},
		{`#set($s = 'it''s')$s`, `it's`},
		{`#set($n = "x")#set($s = "[$n]")$s`, `[x]`},
		// Java String methods.
		{`#set($s = "a,b,,c,,")$s.split(",").size()`, `4`},
		{`#set($s = "k=v=w")$s.split("=", 2).get(1)|$s.split("=", 2).size()`, `v=w|2`},
		{`#set($m = {})#set($x = $m.put("a", 1))$m.a $m.size()`, `1 1`},
		{`#set($s = "a1b22c")$s.replaceAll("[0-9]+", "<$0>")`, `a<1>b<22>c`},
		{`#set($s = "a.b.c")$s.replace(".", "/")|$s.replaceFirst("\.", "-")`, `a/b/c|a-b.c`},
		{`#set($s = "abc")$s.matches("a.c")|$s.matches("b")|$s.length()|$s.substring(1)|$s.indexOf("c")`, `true|false|3|bc|2`},
		{`#set($s = "😀x")$s.length()|$s.substring(2)`, `3|x`},
		// Directives.
		{"#foreach($i in [1..3])$i#if($foreach.hasNext),#end#end", `1,2,3`},
		{"#if(false)a#elseif($input.params('id') == '42')b#{else}c#end", `b`},
		{"#set($m = {\"k\": \"v\"})$m.k $m.get('k')", `v v`},
		{"## a comment\n#* block *#x", `x`},
		{"#set($a = 7)#set($b = $a / 2)$b $a % 4 #if($a > 5 && $a <= 7)in#end", `3 7 % 4 in`},
		{"#set($m = 7 % 4)#set($d = 7.5 / 2)#set($z = 1 / 0)$m $d $!z|", `3 3.75 |`},
	} {
		if got := render(t, c.tpl, req, Variant{}); got != c.want {
			t.Errorf("%s\n got %q\nwant %q", c.tpl, got, c.want)
		}
	}
}

func TestVariants(t *testing.T) {
	if got := render(t, `#set($e = "")#if($e)yes#{else}no#end`, nil, Variant{}); got != "yes" {
		t.Errorf("Velocity 1.7: an empty string is true, got %q", got)
	}
	if got := render(t, `#set($e = "")#if($e)yes#{else}no#end`, nil, Variant{Velocity2: true}); got != "no" {
		t.Errorf("Velocity 2: an empty string is false, got %q", got)
	}
	// Velocity 1.7 asks the node: a literal other than true is false.
	if got := render(t, `#if("x")a#end#if(1)b#end#if([1])c#end#if(true)d#end#if(!"x")e#end#if("x" || true)f#end`, nil, Variant{}); got != "def" {
		t.Errorf("Velocity 1.7: literals in conditions, got %q", got)
	}
	if got := render(t, `#set($a = "x")#set($a = $nothing)$a`, nil, Variant{}); got != "x" {
		t.Errorf("Velocity 1.7: #set of null keeps the value, got %q", got)
	}
	if got := render(t, `#set($a = "x")#set($a = $nothing)$!a`, nil, Variant{Velocity2: true}); got != "" {
		t.Errorf("Velocity 2: #set of null assigns null, got %q", got)
	}
	if got := render(t, `$util.escapeJavaScript("/é'")`, nil, Variant{KeepSlash: true, KeepNonASCII: true, KeepApostrophe: true}); got != `/é'` {
		t.Errorf("keep variants: %q", got)
	}
	if got := render(t, `$util.escapeJavaScript("/é😀'")`, nil, Variant{}); got != `\/\u00E9\uD83D\uDE00\'` {
		t.Errorf("Commons Lang: %q", got)
	}
	if got := render(t, `[$input.json('$.x')]`, nil, Variant{MissingJSONIsNull: true}); got != "[null]" {
		t.Errorf("missing json: %q", got)
	}
	if got := render(t, `$nothing|$!nothing|${nothing}`, nil, Variant{NullAsWritten: true}); got != `$nothing||${nothing}` {
		t.Errorf("null as written: %q", got)
	}
	if len(Variants()) != 64 {
		t.Errorf("Variants() = %d", len(Variants()))
	}
}

func TestLookbehind(t *testing.T) {
	for in, want := range map[string]string{`\'`: `'`, `\\'`: `\\'`, `\\\'`: `\\'`, `a\'b\'`: `a'b'`, `'`: `'`, `x\\\\\'`: `x\\\\'`} {
		r, err := compileJava(`(?<!\\)((?:\\\\)*)\\'`)
		if err != nil {
			t.Fatal(err)
		}
		got, err := r.replace(in, `$1'`, true)
		if err != nil || got != want {
			t.Errorf("replaceAll(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

// Unsupported things are errors, never an empty string.
func TestUnsupported(t *testing.T) {
	for _, tpl := range []string{
		`#include("x")`, `#parse("x")`, `#evaluate("x")`, `#macro(m)#end`,
		`$util.toJson($x)`, `$util.nope("x")`, `$input.nope()`,
		`#set($s = "x")$s.replaceAll("\X", "y")`, `#set($s = "x")$s.replaceAll("(?<=x+)", "y")`,
		`#set($s = "x")$s.replaceAll("(x", "y")`, `#set($s = "x")$s.replaceAll("x)", "y")`, `#set($s = "x")$s.replaceAll("*", "y")`,
		`#set($s = "x")$s.codePointAt(0)`, `#if(true)x`, `#end`, `#set($a = )`, `$input.json('$.x[?(@ in [1])]')`, `$input.json('$..[?(@.a)]')`, `$input.json('$.x[?(@ =~ 'a')]')`,
		`#set($s = "x")$s.replaceAll("x", "$")`,
	} {
		res, err := RenderString(tpl, &Request{}, Variant{})
		if err == nil {
			t.Errorf("%s: no error, rendered %q", tpl, res.Body)
		}
	}
	// A method the value's Java class does not have is null, as in
	// Velocity (it logs a warning); one Java has but vtl lacks is an error.
	if res, err := RenderString(`#set($s = "x")[$s.nosuch()][$!s.nosuch()]`, &Request{}, Variant{}); err != nil || res.Body != "[][]" {
		t.Errorf("no such method: %v %q", err, res.Body)
	}
	_, err := RenderString(`$input.json('$')`, &Request{Body: "not json"}, Variant{})
	if !errors.Is(err, ErrBadJSON) {
		t.Errorf("non-JSON body: %v", err)
	}
}

func TestResponseOverride(t *testing.T) {
	res, err := RenderString("#set($context.responseOverride.status = 409)\n{}", &Request{}, Variant{})
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := res.StatusOverride(); !ok || s != 409 || strings.TrimSpace(res.Body) != "{}" {
		t.Fatalf("override %d %v, body %q", s, ok, res.Body)
	}
}

func TestPositionsInErrors(t *testing.T) {
	_, err := Parse("line one\n  #if($a\n")
	var e *Error
	if !errors.As(err, &e) || e.Line != 2 {
		t.Fatalf("error %v, want one on line 2", err)
	}
}

// TestRegexCacheIsBounded: patterns built from request values must not
// make a long-running renderer grow without end.
func TestRegexCacheIsBounded(t *testing.T) {
	for i := 0; i < 3*maxCachedRegexes; i++ {
		if _, err := compileJava(fmt.Sprintf("a%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	regexCache.Lock()
	n := len(regexCache.m)
	regexCache.Unlock()
	if n > maxCachedRegexes {
		t.Fatalf("the regex cache holds %d patterns, more than %d", n, maxCachedRegexes)
	}
	// Cached or not, a pattern works.
	r, err := compileJava("a{3}")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := r.matchesWhole("aaa"); !ok || err != nil {
		t.Fatalf("%v %v", ok, err)
	}
}
