package vtl

import (
	"encoding/json"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

var jsonSeeds = []string{
	`{"a": 1, "b": [true, false, null], "c": {"d": "e"}}`,
	`{"a": 1, "a": 2, "b": 3}`,
	`"it's \"quoted\" \\ \/ \u00e9 \ud83d\ude00 \ud800 x"`,
	"\"caf\xc3\xa9 \xff bad\"",
	`[1, -0, 1.5, 1e3, 1E-2, 12345678901234567890, -12345678901234567890, 9223372036854775807]`,
	`  {"nested": [[[[{"x": []}]]]], "empty": {}, "s": ""}  `,
	`{"\u0000key": "v", "k\"q": "\n"}`,
	`["\ud83d\u0041", "\udc00", "\ud83d", "\ud83d\ud83d\ude00", "\b\f\r\t\u00FF\uABCD"]`,
}

// TestParseJSONAgrees: the one-pass parser of valid JSON gives exactly
// what encoding/json's token decoder gives.
func TestParseJSONAgrees(t *testing.T) {
	for _, s := range jsonSeeds {
		checkParseJSON(t, s)
	}
}

func FuzzParseJSON(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add(s)
	}
	f.Fuzz(checkParseJSON)
}

func checkParseJSON(t *testing.T, s string) {
	if !json.Valid([]byte(s)) {
		return
	}
	want, werr := decodeJSON(s)
	got, gerr := (&validParser{s: s}).value(0)
	if (werr == nil) != (gerr == nil) || werr == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: parsed %#v (%v); the decoder gives %#v (%v)", s, got, gerr, want, werr)
	}
}

// TestParseJSONLargeBodyIsCheap: a large body's strings are not copied:
// parsing a 10 MB body with one big field allocates a small fraction of
// it (the decoder allocated many times its size).
func TestParseJSONLargeBodyIsCheap(t *testing.T) {
	body := `{"id": "o-1", "note": "` + strings.Repeat("x", 10<<20) + `", "items": [1, 2]}`
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	v, err := parseJSON(body)
	runtime.ReadMemStats(&after)
	if err != nil || v.(*Map).get("note").(string) != strings.Repeat("x", 10<<20) {
		t.Fatalf("parse: %v", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("parsing a 10 MB body allocated %d bytes; want under 1 MiB (its strings are not copied)", n)
	}
}
