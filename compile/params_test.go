package compile

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/internal/golden"
	"github.com/sfnapic/sfnapic/spec"
)

// TestParameterNamesCannotCollide: every logical ID the golden templates
// give a resource starts with one of spec.ReservedIDPrefixes, which no
// parameter name may start with, so a parameter never shares a resource's
// name (CloudFormation refuses a template where they do).
func TestParameterNamesCannotCollide(t *testing.T) {
	for _, dir := range golden.Cases(t) {
		out, diags := buildCase(t, dir, "json")
		if diags.HasErrors() || out == nil {
			continue
		}
		src, _ := readSpec(dir)
		s, _ := spec.Parse("spec.yaml", src, os.DirFS(dir))
		if s == nil {
			continue
		}
		for id := range Compile(s).CFN.Resources {
			if !hasReservedPrefix(id) {
				t.Errorf("%s: resource %s starts with none of spec.ReservedIDPrefixes: add its prefix there", filepath.Base(dir), id)
			}
		}
	}
}

func hasReservedPrefix(id string) bool {
	for _, pre := range spec.ReservedIDPrefixes {
		if strings.HasPrefix(id, pre) {
			return true
		}
	}
	return false
}

func readSpec(dir string) ([]byte, error) { return os.ReadFile(filepath.Join(dir, "spec.yaml")) }
