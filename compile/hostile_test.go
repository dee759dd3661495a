package compile

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/sfnapic/sfnapic/internal/golden"
	"github.com/sfnapic/sfnapic/spec"
)

// hostileMutation turns one string of a spec into a hostile one.
type hostileMutation struct {
	name  string
	apply func(string) string
}

// hostileMutations are put, one at a time, into every string of every
// success golden. Most append to the value rather than replace it, so that
// the spec keeps building and the hostile text reaches the template.
var hostileMutations = []hostileMutation{
	{"dollar-brace", func(v string) string { return v + "${x}" }},
	{"quote", func(v string) string { return v + "'" }},
	{"backslash", func(v string) string { return v + `\` }},
	{"unicode", func(v string) string { return v + "é☃𝄞" }},
	{"empty", func(string) string { return "" }},
	{"control", func(v string) string { return v + "\x01\t\x7f" }},
	// 300 characters passes most names' 255 and tags' 256.
	{"long", func(v string) string { return v + strings.Repeat("x", 300) }},
	// 1,100 characters passes descriptions' 1,024.
	{"longer", func(v string) string { return v + strings.Repeat("y", 1100) }},
	{"huge", func(v string) string { return v + strings.Repeat("z", 100000) }},
}

// hostileSite is one string of a spec's YAML tree: a value or a key.
type hostileSite struct {
	node *yaml.Node
	path string
}

// hostileSites lists a document's string scalars, values and keys alike,
// in document order, each with a readable path.
func hostileSites(n *yaml.Node, path string, out []hostileSite) []hostileSite {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			out = hostileSites(c, path, out)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := strings.TrimPrefix(path+"."+k.Value, ".")
			out = append(out, hostileSite{k, p + " (key)"})
			out = hostileSites(v, p, out)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			out = hostileSites(c, path+"["+strconv.Itoa(i)+"]", out)
		}
	case yaml.ScalarNode:
		if n.Tag == "!!str" {
			out = append(out, hostileSite{n, path})
		}
	}
	return out
}

// hostileSpec is one mutated spec that built, with its template.
type hostileSpec struct {
	what     string // case: path mutation
	template []byte
}

// hostileCorpus mutates every string of every success golden with every
// mutation named in only (all when empty), takes every every-th mutant
// (rotating through sites and mutations) and keeps those that build
// without an error.
func hostileCorpus(t *testing.T, every int, only string) (built []hostileSpec, tried int) {
	k := 0
	for _, dir := range golden.Cases(t) {
		if golden.Failing(dir) {
			continue
		}
		src, err := os.ReadFile(filepath.Join(dir, "spec.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(src, &doc); err != nil {
			t.Fatal(err)
		}
		files := os.DirFS(dir)
		for _, site := range hostileSites(&doc, "", nil) {
			orig, style := site.node.Value, site.node.Style
			for _, m := range hostileMutations {
				if only != "" && m.name != only {
					continue
				}
				k++
				if k%every != 0 {
					continue
				}
				tried++
				site.node.Value, site.node.Style = m.apply(orig), yaml.DoubleQuotedStyle
				mutated, err := yaml.Marshal(&doc)
				site.node.Value, site.node.Style = orig, style
				if err != nil {
					t.Fatal(err)
				}
				s, diags := spec.Parse("spec.yaml", mutated, files)
				if s == nil || diags.HasErrors() {
					continue
				}
				out, limits, err := Build(s, "json")
				if err != nil {
					t.Fatal(err)
				}
				if limits.HasErrors() {
					continue
				}
				built = append(built, hostileSpec{filepath.Base(dir) + ": " + site.path + " " + m.name, out})
			}
		}
	}
	return built, tried
}

// hostileKnownGaps are findings the spec cannot refuse yet, each with
// why; a finding matches when its text holds both strings. Every other
// error-level finding fails the test.
var hostileKnownGaps = []struct{ mutation, finding, why string }{
	// A policy's Ref to a name that looks like one of compile's logical
	// IDs (StateMachineShippingxxx) passes spec's check, which cannot know
	// the IDs compile will give (compile/machines.go MachineIDs); compile
	// does not report errors.
	{".policies[", "E1020", "a Ref to a logical ID that compile does not make"},
}

// TestHostileSpecsDeploy: every spec that builds makes a template that
// cfn-lint accepts, for specs made hostile by mutating each string of
// each golden (see hostileMutations). A rejected template names the
// mutation that made it. The default corpus takes every 7th mutant
// (about 1,900, of which some 230 build; under a minute, most of it
// cfn-lint's); SFNAPIC_HOSTILE=all lints all 13,500 (several minutes),
// SFNAPIC_HOSTILE=NAME all of one mutation (dollar-brace, say), and
// SFNAPIC_HOSTILE_KEEP=DIR keeps the templates in DIR.
func TestHostileSpecsDeploy(t *testing.T) {
	bin, err := exec.LookPath("cfn-lint")
	if err != nil {
		t.Skip("cfn-lint is not on PATH; install it with `pip install cfn-lint` (.ci/run has it)")
	}
	if raceEnabled {
		// One goroutine, nothing for the detector to find, and five times
		// slower under it: CI's run without -race lints the corpus.
		t.Skip("the hostile corpus is linted in the run without -race")
	}
	every, only := 7, ""
	switch v := os.Getenv("SFNAPIC_HOSTILE"); v {
	case "":
	case "all":
		every = 1
	default:
		every, only = 1, v
		if !slices.ContainsFunc(hostileMutations, func(m hostileMutation) bool { return m.name == v }) {
			t.Fatalf("SFNAPIC_HOSTILE=%s: give all or one mutation's name", v)
		}
	}
	built, tried := hostileCorpus(t, every, only)
	t.Logf("%d of %d hostile specs build", len(built), tried)
	if only == "" && len(built) < 100 {
		t.Fatalf("only %d of %d hostile specs build: the corpus no longer tests much", len(built), tried)
	}
	files, what := writeHostile(t, built)
	out, err := exec.Command(bin, append([]string{"--format", "parseable", "--"}, files...)...).CombinedOutput()
	// Exit codes 2, 4, 6 and 8 are findings; anything else but 0 is
	// cfn-lint failing to run.
	if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode()%2 == 1) {
		t.Fatalf("cfn-lint did not run (%v):\n%.2000s", err, out)
	}
	var found []string
	for _, f := range lintErrors(out, what) {
		if gap := knownGap(f); gap != "" {
			t.Logf("known gap (%s): %.200s", gap, f)
			continue
		}
		found = append(found, f)
	}
	if len(found) > 0 {
		t.Errorf("%d error findings of cfn-lint in the templates of hostile specs that build:\n%s", len(found), strings.Join(found, "\n"))
	}
}

// writeHostile writes the templates for cfn-lint, saying for each file
// which mutation made it.
func writeHostile(t *testing.T, built []hostileSpec) ([]string, map[string]string) {
	dir := t.TempDir()
	keep := os.Getenv("SFNAPIC_HOSTILE_KEEP")
	if keep != "" {
		dir = keep
	}
	var files []string
	what := map[string]string{}
	for i, h := range built {
		f := filepath.Join(dir, fmt.Sprintf("h%05d.json", i))
		if keep != "" {
			t.Logf("%s: %s", f, h.what)
		}
		if err := os.WriteFile(f, h.template, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
		what[f] = h.what
	}
	return files, what
}

// lintErrors reads cfn-lint's parseable output (file:line:col:endline:
// endcol:rule:message, one a line) and returns its error-level findings,
// each named by the mutation whose template it is in, sorted.
func lintErrors(out []byte, what map[string]string) []string {
	var found []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		parts := strings.SplitN(sc.Text(), ":", 7)
		if len(parts) < 7 || !strings.HasPrefix(parts[5], "E") {
			continue
		}
		found = append(found, fmt.Sprintf("%s: %s %.300s", what[parts[0]], parts[5], parts[6]))
	}
	sort.Strings(found)
	return found
}

func knownGap(finding string) string {
	for _, g := range hostileKnownGaps {
		if strings.Contains(finding, g.mutation) && strings.Contains(finding, g.finding) {
			return g.why
		}
	}
	return ""
}
