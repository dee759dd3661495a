package compile

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/internal/golden"
)

// TestCfnLint runs AWS's CloudFormation linter over every golden template
// and YAML golden template (the examples' among them) and over the YAML
// form of the reddit-api case, and
// requires zero findings: errors and warnings alike.
func TestCfnLint(t *testing.T) {
	bin, err := exec.LookPath("cfn-lint")
	if err != nil {
		t.Skip("cfn-lint is not on PATH; install it with `pip install cfn-lint` (CI requires it)")
	}
	var files []string
	for _, dir := range golden.Cases(t) {
		for _, name := range []string{"template.json", "template.yaml"} {
			if f := filepath.Join(dir, name); fileExists(f) {
				files = append(files, f)
			}
		}
	}
	y, _ := buildCase(t, filepath.Join(golden.Root(), "reddit-api"), "yaml")
	yf := filepath.Join(t.TempDir(), "reddit-api.yaml")
	if err := os.WriteFile(yf, y, 0o644); err != nil {
		t.Fatal(err)
	}
	files = append(files, yf)
	if len(files) < 5 {
		t.Fatalf("only %d templates to lint", len(files))
	}
	out, err := exec.Command(bin, append([]string{"--format", "parseable", "--"}, files...)...).CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "" {
		t.Fatalf("cfn-lint found problems (%v):\n%s", err, out)
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
