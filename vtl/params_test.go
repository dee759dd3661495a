package vtl

import (
	"fmt"
	"strings"
	"testing"
)

// manyParams is a request with n query parameters and 2n headers.
func manyParams(n int) *Request {
	req := &Request{Path: map[string]string{"id": "42"}, Query: map[string]string{}, Header: map[string]string{}}
	for i := 0; i < n; i++ {
		req.Query[fmt.Sprint("q", i)] = fmt.Sprint(i)
		req.Header[fmt.Sprint("X-Header-", i)] = fmt.Sprint("v", i)
		req.Header[fmt.Sprint("x-lower-", i)] = fmt.Sprint("w", i)
	}
	return req
}

// paramsTemplate reads $input.params() the way API Gateway's example
// template does, calling it again for every name.
const paramsTemplate = `#foreach($type in $input.params().keySet())` +
	`#foreach($name in $input.params().get($type).keySet())$input.params().get($type).get($name);#end#end`

// BenchmarkParams renders a template that walks $input.params() (calling
// it for each name) over 10,000 query parameters and 20,000 headers. It
// took 0.3 s and 0.76 s of CPU when the map was rebuilt at every call and
// its put scanned its keys.
func BenchmarkParams(b *testing.B) {
	tpl, err := Parse(paramsTemplate)
	if err != nil {
		b.Fatal(err)
	}
	req := manyParams(10000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := tpl.Render(req, Variant{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestParamsBuiltOncePerRendering: $input.params() is built once per
// rendering, so calling it 100 times allocates about what one call does,
// not 100 times as much.
func TestParamsBuiltOncePerRendering(t *testing.T) {
	req := manyParams(1000)
	allocs := func(calls int) float64 {
		tpl, err := Parse(strings.Repeat(`$input.params().header.size()`, calls))
		if err != nil {
			t.Fatal(err)
		}
		return testing.AllocsPerRun(5, func() {
			if _, err := tpl.Render(req, Variant{}); err != nil {
				t.Fatal(err)
			}
		})
	}
	one, hundred := allocs(1), allocs(100)
	t.Logf("allocations: %.0f for one call over 3,000 parameters, %.0f for 100 calls", one, hundred)
	if hundred > one+100*20 {
		t.Errorf("100 calls of $input.params() allocate %.0f times, one call %.0f: the map is rebuilt at each call", hundred, one)
	}
}

// TestMapIndexed: a Map past indexAt keys finds a key through its index
// (so that put is O(1), not a scan of its keys: 20,000 headers cost
// 200 million comparisons), and keeps Java's LinkedHashMap order: a new
// key goes last, a known one keeps its place, at every size around the
// point where the index starts.
func TestMapIndexed(t *testing.T) {
	for _, n := range []int{0, 1, indexAt - 1, indexAt, indexAt + 1, 2 * indexAt, 20000} {
		m := &Map{}
		for i := 0; i < n; i++ {
			m.put(fmt.Sprint("k", i), i)
		}
		for i := 0; i < n; i += 2 {
			m.put(fmt.Sprint("k", i), -i) // a known key: its value changes, not its place
		}
		if len(m.keys) != n || len(m.vals) != n {
			t.Fatalf("%d puts of distinct keys: %d keys, %d values", n, len(m.keys), len(m.vals))
		}
		if n > indexAt && len(m.index) != n {
			t.Errorf("a map of %d keys indexes %d of them: put and get scan its keys", n, len(m.index))
		}
		for i := 0; i < n; i++ {
			k, want := fmt.Sprint("k", i), i
			if i%2 == 0 {
				want = -i
			}
			if m.keys[i] != k || m.get(k) != want || !m.has(k) {
				t.Fatalf("n=%d: key %d is %q = %v, want %q = %d", n, i, m.keys[i], m.get(k), k, want)
			}
		}
		if m.has("absent") || m.get("absent") != nil {
			t.Errorf("n=%d: an absent key is found", n)
		}
	}
	if m := stringMap(manyParams(10000).Header); len(m.index) != 20000 {
		t.Errorf("$input.params().header over 20,000 headers indexes %d names", len(m.index))
	}
}

// TestParamsAgainstVelocity: $input.params() answers the same map at
// every call of a rendering, as the Java object behind $input does, over
// many names (past the point where the map keeps an index): a change made
// through one reference shows through another and through a new call.
func TestParamsAgainstVelocity(t *testing.T) {
	render := referenceEngine(t)
	header := map[string]string{}
	for i := 0; i < 3*indexAt; i++ {
		header[fmt.Sprint("X-H", i)] = fmt.Sprint("v", i)
	}
	var cases []velocityCase
	for _, tpl := range []string{
		`#set($a = $input.params())#set($b = $input.params())#set($x = $a.header.put('Added', '1'))$b.header.get('Added') $input.params().header.get('Added') $input.params().header.size()`,
		`$input.params().header.get('X-H17') $input.params().header.containsKey('x-h17') $input.params('X-H3') $input.params().path.get('id')`,
		`#set($x = $input.params().querystring.put('q', 'changed'))$input.params().querystring.get('q')`,
	} {
		cases = append(cases, velocityCase{T: tpl, Path: map[string]string{"id": "42"}, Query: map[string]string{"q": "it's"}, Header: header})
	}
	want := render(cases)
	for i, c := range cases {
		if got, ok := agree(c, want[i]); !ok {
			t.Errorf("vtl and Velocity disagree on\n%s\nvtl:      %s\nVelocity: %s", c.T, got, describeResult(want[i]))
		}
	}
}
