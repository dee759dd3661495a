package spec

import (
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// TestReadmeFieldTables keeps the README's spec reference and the field
// tables the parser and the schema use in step: each table under its
// heading names exactly the fields of its Table, no more and no fewer.
func TestReadmeFieldTables(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	name := regexp.MustCompile("`([A-Za-z]+)`")
	for heading, table := range map[string]*Table{
		"### Top level":               &TopFields,
		"### `api`":                   &APIFields,
		"### `stateMachines.NAME`":    &StateMachineFields,
		"### `routes.\"VERB /path\"`": &RouteFields,
	} {
		i := strings.Index(readme, "\n"+heading+"\n")
		if i < 0 {
			t.Errorf("the README has no heading %s", heading)
			continue
		}
		section := readme[i+len(heading)+2:]
		if j := strings.Index(section, "\n### "); j >= 0 {
			section = section[:j]
		}
		var documented []string
		inTable := false
		for _, line := range strings.Split(section, "\n") {
			switch {
			case strings.HasPrefix(line, "| field "):
				inTable = true
			case inTable && strings.HasPrefix(line, "| `"):
				first := strings.SplitN(line, "|", 3)[1]
				for _, m := range name.FindAllStringSubmatch(first, -1) {
					documented = append(documented, m[1])
				}
			case inTable && !strings.HasPrefix(line, "|"):
				inTable = false
			}
		}
		sort.Strings(documented)
		keys := table.Keys()
		sort.Strings(keys)
		if !slices.Equal(documented, keys) {
			t.Errorf("README %s documents %v; the %s table has %v", heading, documented, table.Name, keys)
		}
	}
}
