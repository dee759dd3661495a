package spec

import (
	"strings"
	"testing"
)

// TestTagLengthsAreCharacters: AWS counts a tag key's 128 and a value's
// 256 in characters, so 128 ü (256 bytes) make a key and 256 ü (512
// bytes) a value; one character more is still refused.
func TestTagLengthsAreCharacters(t *testing.T) {
	k, v := strings.Repeat("ü", 128), strings.Repeat("ü", 256)
	spec := func(key, value string) string {
		return "version: 1\napi:\n  name: a\n  tags: {" + key + ": " + value + "}\n" +
			"stateMachines:\n  m: {definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}}\n" +
			"routes:\n  POST /a: {stateMachine: m}\n"
	}
	if _, errs := Parse("s.yaml", []byte(spec(k, v)), nil); len(errs) != 0 {
		t.Fatalf("128-character key and 256-character value refused:\n%s", errs.String())
	}
	_, errs := Parse("s.yaml", []byte(spec(k+"ü", v+"ü")), nil)
	got := errs.String()
	for _, w := range []string{"a tag key must be 1 to 128 characters", "a tag value must be 1 to 256 characters"} {
		if !strings.Contains(got, w) {
			t.Errorf("missing %q in:\n%s", w, got)
		}
	}
}
