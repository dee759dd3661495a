package cfn

import (
	"encoding/json"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/sfnapic/sfnapic/internal/golden"
)

// TestYAMLScalars writes every tricky value as a key and as a value (and
// as a multi-line value) and reads it back with yaml.v3.
func TestYAMLScalars(t *testing.T) {
	vals := append(golden.TrickyStrings(), "a\nb", "a\nb\n", "a\nb\n\n", "\na", " a\nb", "a\n b", "a\r\nb", "#x\n- y\n",
		"x: y", "x #y", "- x", "yes", "No", "~", "null", "0x1F", "1e3", ".inf", "2012-10-17", "@x", "`x", "a:", "a: b",
		"*x", "&x", "!x", "%x", "|x", ">x", "{x}", "[x]", "x,y", "x\ty", "\u0085", "a\u2028b\nc")
	for _, v := range vals {
		if v == "the-value" {
			continue
		}
		for _, block := range []bool{false, true} {
			y := &yamlWriter{}
			y.out = append(y.out, "the-value:"...)
			y.out = append(y.out, ' ')
			y.scalar(v, block, 2)
			y.out = append(y.out, '\n')
			y.scalar(v, false, 0)
			y.out = append(y.out, ": x\n"...)
			var got map[string]string
			if err := yaml.Unmarshal(y.out, &got); err != nil {
				t.Fatalf("%q: yaml.v3 cannot read %q: %v", v, y.out, err)
			}
			if got["the-value"] != v {
				t.Fatalf("%q written as value %q reads back as %q", v, y.out, got["the-value"])
			}
			if _, ok := got[v]; !ok {
				t.Fatalf("%q written as key %q does not read back: %q", v, y.out, got)
			}
		}
	}
}

func TestDecodeString(t *testing.T) {
	for _, v := range golden.TrickyStrings() {
		q, _ := json.Marshal(v)
		var want string
		_ = json.Unmarshal(q, &want)
		if got := decodeString(q); got != want {
			t.Fatalf("decodeString(%s) = %q, want %q", q, got, want)
		}
	}
}
