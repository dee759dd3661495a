package compile

import (
	"testing"

	"github.com/sfnapic/sfnapic/internal/golden"
)

// TestYAMLMatchesJSON decodes the YAML of every golden template, and of a
// 100-route spec, with yaml.v3 and requires it to equal the JSON.
func TestYAMLMatchesJSON(t *testing.T) {
	for name, s := range validGoldenSpecs(t) {
		golden.SameYAMLAndJSON(t, name, Compile(s))
	}
	golden.SameYAMLAndJSON(t, "bench-100", Compile(benchSpec(t, 100)))
}
