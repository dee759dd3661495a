package vtl

import "testing"

// FuzzRender parses and renders arbitrary templates against a fixed
// request: errors are fine, panics and hangs are not.
//
//	go test ./vtl -run '^$' -fuzz FuzzRender -fuzztime 5m
func FuzzRender(f *testing.F) {
	for _, s := range []string{
		`#set($q = "(?<!\\)((?:\\\\)*)\\'")$util.escapeJavaScript($input.params('a')).replaceAll($q, "$1'")`,
		`#foreach($k in $input.path('$').keySet())$k=$input.json("$.$k") #end`,
		`#if($input.params().header.containsKey('x'))a#elseif(1 < 2)b#{else}c#end`,
		`#set($m = {"a": [1..3]})$m.a.get(1) $m.a[0] ${m}`,
		`$input.body.split("&").size() $util.urlDecode("a%20b") $util.base64Encode('x')`,
	} {
		f.Add(s)
	}
	req := &Request{
		Path:   map[string]string{"a": "it's"},
		Query:  map[string]string{"q": "1"},
		Header: map[string]string{"x": "y"},
		Body:   `{"k": "v", "n": [1, 2]}`,
	}
	f.Fuzz(func(t *testing.T, src string) {
		tpl, err := Parse(src)
		if err != nil {
			return
		}
		for _, v := range []Variant{{}, {Velocity2: true}} {
			_, _ = tpl.Render(req, v)
		}
	})
}
