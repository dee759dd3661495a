package compile

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestFitCutsProseAtACharacter: prose around a long name fits its limit,
// cut at a character boundary, and short prose is left as it is.
func TestFitCutsProseAtACharacter(t *testing.T) {
	if got := fit("short", 256); got != "short" {
		t.Errorf("fit(short) = %q", got)
	}
	long := "The version the routes of " + strings.Repeat("é", 300) + " start"
	got := fit(long, maxVersionDescription)
	if len(got) > maxVersionDescription || !utf8.ValidString(got) || !strings.HasSuffix(got, "...") {
		t.Errorf("fit gave %d bytes, valid %v: %q", len(got), utf8.ValidString(got), got)
	}
}

// TestEscapeUnprintable: DEL, the C1 controls and U+FFFE/U+FFFF leave
// the JSON as \u escapes, and the JSON still means the same text.
func TestEscapeUnprintable(t *testing.T) {
	text := "a\x7fb\u0080c\u0085d\u009fe\ufffef\uffffg é☃𝄞"
	js, _ := json.Marshal(map[string]string{"k": text})
	out := escapeUnprintable(js)
	for _, r := range string(out) {
		if unprintable(r) {
			t.Fatalf("%U left raw in %s", r, out)
		}
	}
	var back map[string]string
	if err := json.Unmarshal(out, &back); err != nil || back["k"] != text {
		t.Errorf("escaped JSON reads back as %q (%v)", back["k"], err)
	}
	if plain := []byte(`{"k":"é☃"}`); &escapeUnprintable(plain)[0] != &plain[0] {
		t.Error("a template without unprintable characters was copied")
	}
}
