package integration

import (
	"encoding/json"
	"runtime"
	"strings"
	"testing"
)

var stringSeeds = []string{
	`""`, `"plain"`, `"caf\u00e9 \ud83d\ude00 \ud800 \udc00x \ud83d\u0041 \" \\ \/ \b\f\n\r\t"`,
	"\"caf\xc3\xa9 \xff\xfe raw \xf0\x9f\x98\x80 \xed\xa0\x80\"", `"\u0000\u001f\uFFFF\uD83D\uDE00\uDBFF\uDFFF"`, `"" `,
}

// TestStringsAgreeWithEncodingJSON: StringLen and unquote give what json.Unmarshal
// gives for the literal.
func TestStringsAgreeWithEncodingJSON(t *testing.T) {
	for _, s := range stringSeeds {
		checkString(t, s)
	}
}

func FuzzStringsAgreeWithEncodingJSON(f *testing.F) {
	for _, s := range stringSeeds {
		f.Add(s)
	}
	f.Fuzz(checkString)
}

func checkString(t *testing.T, lit string) {
	var want string
	lit = strings.Trim(lit, " \t\r\n") // what an UnmarshalJSON is given
	if len(lit) < 2 || lit[0] != '"' || json.Unmarshal([]byte(lit), &want) != nil {
		return
	}
	inside := []byte(lit[1 : len(lit)-1])
	if got := unquote(inside); got != want {
		t.Fatalf("%q: unquoted %q, encoding/json gives %q", lit, got, want)
	}
	if got := StringLen(inside); got != len(want) {
		t.Fatalf("%q: measured %d bytes, decodes to %d", lit, got, len(want))
	}
}

// TestUnquoteAllocatesOnce: a 10 MB literal full of escapes costs its
// decoded text once (encoding/json: a buffer of the literal's size, then
// a copy).
func TestUnquoteAllocatesOnce(t *testing.T) {
	lit, _ := json.Marshal(strings.Repeat(`{"it's": "\"x\" é"}`, 10<<20/20))
	inside := lit[1 : len(lit)-1]
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	out := unquote(inside)
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > uint64(len(out)+len(out)/64) {
		t.Errorf("unquoting %d bytes allocated %d for %d", len(inside), n, len(out))
	}
}
