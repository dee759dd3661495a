package compile

import (
	"encoding/json"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/sfnapic/sfnapic/internal/golden"
)

func checkYAMLMatchesJSON(t *testing.T, name string, tpl *Template) {
	t.Helper()
	j, err := tpl.JSON()
	if err != nil {
		t.Fatal(err)
	}
	y, err := tpl.YAML()
	if err != nil {
		t.Fatal(err)
	}
	var fromJSON, fromYAML any
	if err := json.Unmarshal(j, &fromJSON); err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(y, &fromYAML); err != nil {
		t.Fatalf("%s: yaml.v3 cannot read the YAML output: %v\n%s", name, err, y)
	}
	if !golden.Same(t, fromJSON, fromYAML) {
		t.Fatalf("%s: the YAML output does not say what the JSON output says:\n%s", name, y)
	}
}

// TestYAMLMatchesJSON decodes the YAML of every golden template, and of a
// 100-route spec, with yaml.v3 and requires it to equal the JSON.
func TestYAMLMatchesJSON(t *testing.T) {
	for name, s := range validGoldenSpecs(t) {
		checkYAMLMatchesJSON(t, name, Compile(s))
	}
	checkYAMLMatchesJSON(t, "bench-100", Compile(benchSpec(t, 100)))
}

// TestYAMLScalars writes every tricky value as a key and as a value (and
// as a multi-line value) and reads it back with yaml.v3.
func TestYAMLScalars(t *testing.T) {
	vals := append(trickyValues(), "a\nb", "a\nb\n", "a\nb\n\n", "\na", " a\nb", "a\n b", "a\r\nb", "#x\n- y\n",
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
	for _, v := range trickyValues() {
		q, _ := json.Marshal(v)
		var want string
		_ = json.Unmarshal(q, &want)
		if got := decodeString(q); got != want {
			t.Fatalf("decodeString(%s) = %q, want %q", q, got, want)
		}
	}
}
