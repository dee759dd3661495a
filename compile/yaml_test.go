package compile

import (
	"testing"

	"github.com/sfnapic/sfnapic/cfn"

	"github.com/sfnapic/sfnapic/internal/golden"
)

func checkYAMLMatchesJSON(t *testing.T, name string, tpl *cfn.Template) {
	t.Helper()
	j, err := tpl.JSON()
	if err != nil {
		t.Fatal(err)
	}
	y, err := tpl.YAML()
	if err != nil {
		t.Fatal(err)
	}
	golden.SameYAMLAndJSON(t, name, j, y)
}

// TestYAMLMatchesJSON decodes the YAML of every golden template, and of a
// 100-route spec, with yaml.v3 and requires it to equal the JSON.
func TestYAMLMatchesJSON(t *testing.T) {
	for name, s := range validGoldenSpecs(t) {
		checkYAMLMatchesJSON(t, name, Compile(s))
	}
	checkYAMLMatchesJSON(t, "bench-100", Compile(benchSpec(t, 100)))
}
