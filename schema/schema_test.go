package schema

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/sfnapic/sfnapic/internal/golden"
	"github.com/sfnapic/sfnapic/spec"
)

func compiled(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(JSON))
	if err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	if err := c.AddResource("spec.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("spec.schema.json")
	if err != nil {
		t.Fatalf("schema does not compile: %v", err)
	}
	return s
}

// instance turns YAML into the JSON value the schema validates.
func instance(t *testing.T, src []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(src, &v); err != nil {
		t.Fatal(err)
	}
	j, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(j))
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

// validSpecs lists every example and every golden spec that compiles.
func validSpecs(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	files, _ := filepath.Glob("../examples/*.yaml")
	for _, dir := range golden.Cases(t) {
		if !golden.Failing(dir) {
			files = append(files, filepath.Join(dir, "spec.yaml"))
		}
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[f] = src
	}
	if len(out) < 3 {
		t.Fatalf("found only %d valid specs", len(out))
	}
	return out
}

func TestValidSpecsValidate(t *testing.T) {
	s := compiled(t)
	for name, src := range validSpecs(t) {
		if err := s.Validate(instance(t, src)); err != nil {
			t.Errorf("%s: the parser accepts it but the schema rejects it:\n%v", name, err)
		}
	}
}

// TestUnknownKeysRejectedByBoth adds an unknown key to every mapping the
// spec language defines, in every valid spec, and checks that the parser
// and the schema both reject it.
func TestUnknownKeysRejectedByBoth(t *testing.T) {
	s := compiled(t)
	checked := 0
	for name, src := range validSpecs(t) {
		var root yaml.Node
		if err := yaml.Unmarshal(src, &root); err != nil {
			t.Fatal(err)
		}
		for _, target := range specMappings(root.Content[0]) {
			target.node.Content = append(target.node.Content,
				&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "bogusKey"},
				&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "x"})
			mutated, err := yaml.Marshal(&root)
			target.node.Content = target.node.Content[:len(target.node.Content)-2]
			if err != nil {
				t.Fatal(err)
			}
			checked++
			dir := filepath.Dir(name)
			_, errs := spec.Parse("spec.yaml", mutated, os.DirFS(dir))
			if !errs.HasErrors() || !strings.Contains(errs.String(), `unknown field "bogusKey"`) {
				t.Errorf("%s: parser accepts bogusKey in %s", name, target.path)
			}
			if err := s.Validate(instance(t, mutated)); err == nil {
				t.Errorf("%s: schema accepts bogusKey in %s", name, target.path)
			}
		}
	}
	if checked < 20 {
		t.Fatalf("only %d mutations checked", checked)
	}
}

type mappingAt struct {
	path string
	node *yaml.Node
}

// specMappings returns the mappings whose keys the spec language fixes:
// the root, api, each state machine, each route and each object-form input.
func specMappings(root *yaml.Node) []mappingAt {
	out := []mappingAt{{"(root)", root}}
	get := func(n *yaml.Node, key string) *yaml.Node {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				return n.Content[i+1]
			}
		}
		return nil
	}
	if api := get(root, "api"); api != nil {
		out = append(out, mappingAt{"api", api})
	}
	if sms := get(root, "stateMachines"); sms != nil {
		for i := 0; i+1 < len(sms.Content); i += 2 {
			out = append(out, mappingAt{"stateMachines." + sms.Content[i].Value, sms.Content[i+1]})
		}
	}
	if routes := get(root, "routes"); routes != nil {
		for i := 0; i+1 < len(routes.Content); i += 2 {
			r := routes.Content[i+1]
			out = append(out, mappingAt{"routes." + routes.Content[i].Value, r})
			if in := get(r, "input"); in != nil {
				for j := 0; j+1 < len(in.Content); j += 2 {
					if v := in.Content[j+1]; v.Kind == yaml.MappingNode {
						out = append(out, mappingAt{"input." + in.Content[j].Value, v})
					}
				}
			}
		}
	}
	return out
}

// TestErrorCasesRejectedBySchema checks the golden error cases that are
// about the spec's shape (unknown keys, wrong types, missing fields): the
// schema rejects them too.
func TestErrorCasesRejectedBySchema(t *testing.T) {
	s := compiled(t)
	for _, c := range []string{"error-unknown-keys", "error-wrong-types", "error-missing-fields", "error-routes", "error-state-machines"} {
		src, err := os.ReadFile(filepath.Join("../golden", c, "spec.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Validate(instance(t, src)); err == nil {
			t.Errorf("%s: the parser rejects it but the schema accepts it", c)
		}
	}
}
