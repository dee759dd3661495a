package schema

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

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
	files, _ := filepath.Glob(filepath.Join(golden.Examples(), "*.yaml"))
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
		out = append(out, accessMappings(api, get)...)
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
			if b := get(r, "body"); b != nil && b.Kind == yaml.MappingNode {
				out = append(out, mappingAt{"routes." + routes.Content[i].Value + ".body", b})
			}
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

// accessMappings returns the mappings of api.authorizers, api.cors and
// api.usagePlans (with their throttles and quotas).
func accessMappings(api *yaml.Node, get func(*yaml.Node, string) *yaml.Node) []mappingAt {
	var out []mappingAt
	if c := get(api, "cors"); c != nil {
		out = append(out, mappingAt{"api.cors", c})
	}
	for _, table := range []string{"authorizers", "usagePlans"} {
		m := get(api, table)
		if m == nil {
			continue
		}
		for i := 0; i+1 < len(m.Content); i += 2 {
			at, v := "api."+table+"."+m.Content[i].Value, m.Content[i+1]
			out = append(out, mappingAt{at, v})
			for _, sub := range []string{"throttle", "quota"} {
				if s := get(v, sub); table == "usagePlans" && s != nil {
					out = append(out, mappingAt{at + "." + sub, s})
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
	for _, c := range []string{"error-unknown-keys", "error-wrong-types", "error-missing-fields", "error-routes", "error-state-machines", "error-access"} {
		src, err := os.ReadFile(filepath.Join(golden.Root(), c, "spec.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Validate(instance(t, src)); err == nil {
			t.Errorf("%s: the parser rejects it but the schema accepts it", c)
		}
	}
}

// placeFor puts a mapping of each table's kind (in YAML flow style) into a
// spec that is otherwise valid.
var placeFor = map[string]func(m string) string{
	"spec": func(m string) string { return m },
	"api": func(m string) string {
		return "version: 1\napi: " + m + "\nstateMachines: {m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}}}\nroutes: {\"POST /a/{id}\": {stateMachine: m, input: {id: path.id}}}\n"
	},
	"stateMachine": func(m string) string {
		return "version: 1\napi: {name: a}\nstateMachines: {m: " + m + "}\nroutes: {\"POST /a/{id}\": {stateMachine: m, input: {id: path.id}}}\n"
	},
	"policyStatement": func(m string) string {
		return "version: 1\napi: {name: a}\nstateMachines: {m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}, policies: [" + m + "]}}\nroutes: {\"POST /a/{id}\": {stateMachine: m, input: {id: path.id}}}\n"
	},
	"route": func(m string) string {
		// x is EXPRESS, for the examples of synchronous routes; users and
		// partners are what the access examples name.
		return "version: 1\napi: " + accessAPI + "\nstateMachines: {m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}}, x: {type: EXPRESS, definition: {StartAt: A, States: {A: {Type: Succeed}}}}}\nroutes: {\"POST /a/{id}\": " + m + "}\n"
	},
	"input": func(m string) string {
		return "version: 1\napi: {name: a}\nstateMachines: {m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}}}\nroutes: {\"POST /a/{id}\": {stateMachine: m, input: {id: path.id, k: " + m + "}}}\n"
	},
	"authorizer": func(m string) string {
		return "version: 1\napi: {name: a, auth: z, authorizers: {z: " + m + "}}\nstateMachines: {m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}}}\nroutes: {\"POST /a\": {stateMachine: m}}\n"
	},
	"cors": func(m string) string {
		return "version: 1\napi: {name: a, cors: " + m + "}\nstateMachines: {m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}}}\nroutes: {\"POST /a\": {stateMachine: m}}\n"
	},
	"usagePlan": func(m string) string {
		return "version: 1\napi: {name: a, usagePlans: {p: " + m + "}}\nstateMachines: {m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}}}\nroutes: {\"POST /a\": {stateMachine: m, apiKey: p}}\n"
	},
	"throttle": func(m string) string {
		return "version: 1\napi: {name: a, usagePlans: {p: {keys: [k], throttle: " + m + "}}}\nstateMachines: {m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}}}\nroutes: {\"POST /a\": {stateMachine: m, apiKey: p}}\n"
	},
	"quota": func(m string) string {
		return "version: 1\napi: {name: a, usagePlans: {p: {keys: [k], quota: " + m + "}}}\nstateMachines: {m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}}}\nroutes: {\"POST /a\": {stateMachine: m, apiKey: p}}\n"
	},
	"body": func(m string) string {
		return "version: 1\napi: {name: a}\nstateMachines: {m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}}}\nroutes: {\"POST /a\": {stateMachine: m, body: " + m + "}}\n"
	},
	"parameter": func(m string) string {
		return "version: 1\napi: {name: a}\nparameters: {P: " + m + "}\nstateMachines: {m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}}}\nroutes: {\"POST /a\": {stateMachine: m}}\n"
	},
	"logs": func(m string) string {
		return "version: 1\napi: {name: a}\nstateMachines: {m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}, logs: " + m + "}}\nroutes: {\"POST /a\": {stateMachine: m}}\n"
	},
	"alias": func(m string) string {
		return "version: 1\napi: {name: a}\nstateMachines: {m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}, publish: true, alias: " + m + "}}\nroutes: {\"POST /a\": {stateMachine: m}}\n"
	},
	"encryption": func(m string) string {
		return "version: 1\napi: {name: a}\nparameters: {OrdersKey: {}}\nstateMachines: {m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}, encryption: " + m + "}}\nroutes: {\"POST /a\": {stateMachine: m}}\n"
	},
	"deployment": func(m string) string {
		return "version: 1\napi: {name: a}\nstateMachines: {m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}, publish: true, alias: {name: live, deployment: " + m + "}}}\nroutes: {\"POST /a\": {stateMachine: m}}\n"
	},
	"executionName": func(m string) string {
		return "version: 1\napi: {name: a}\nstateMachines: {m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}}}\nroutes: {\"POST /a/{id}\": {stateMachine: m, input: {id: path.id}, executionName: " + m + "}}\n"
	},
}

// accessAPI declares the authorizer and the usage plan that the access
// fields' examples of a route name.
const accessAPI = `{name: a, authorizers: {users: {type: cognito, userPools: ["arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf"]}}, usagePlans: {partners: {keys: [acme]}}}`

// TestEveryFieldAgrees covers every field of every table, whether or not a
// golden spec uses it: its example is accepted by the parser and by the
// schema; without a required field, or with an unknown one, it is rejected
// by both.
func TestEveryFieldAgrees(t *testing.T) {
	s := compiled(t)
	files := fstest.MapFS{
		"flow.asl.json":     {Data: []byte(`{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}`)},
		"order.schema.json": {Data: []byte(`{"type": "object", "required": ["items"]}`)},
	}
	check := func(what, src string, ok bool) {
		t.Helper()
		_, diags := spec.Parse("spec.yaml", []byte(src), files)
		schemaErr := s.Validate(instance(t, []byte(src)))
		if ok && (diags.HasErrors() || schemaErr != nil) {
			t.Errorf("%s: want both to accept it; parser: %s; schema: %v\n%s", what, diags, schemaErr, src)
		}
		if !ok && (!diags.HasErrors() || schemaErr == nil) {
			t.Errorf("%s: want both to reject it; parser errors: %v; schema accepts: %v\n%s", what, diags.HasErrors(), schemaErr == nil, src)
		}
	}
	fields := 0
	for _, tab := range spec.Tables {
		place, found := placeFor[tab.Name]
		if !found {
			t.Errorf("table %s has no place in TestEveryFieldAgrees", tab.Name)
			continue
		}
		for _, f := range tab.Fields {
			fields++
			what := tab.Name + "." + f.Name
			var m yaml.Node
			if err := yaml.Unmarshal([]byte(f.Example), &m); err != nil || len(m.Content) == 0 || m.Content[0].Kind != yaml.MappingNode {
				t.Errorf("%s: the example %q is not a YAML mapping", what, f.Example)
				continue
			}
			mapping := m.Content[0]
			if keyIndex(mapping, f.Name) < 0 {
				t.Errorf("%s: the example %q does not use the field", what, f.Example)
				continue
			}
			check(what, place(f.Example), true)
			check(what+" with an unknown field", place(withKey(t, mapping, "bogusKey", "x")), false)
			for _, r := range tab.RequiredKeys() {
				check(what+" without "+r, place(withoutKey(t, mapping, r)), false)
			}
			if f.Variant != "" && f.Name != variantHead(tab, f.Variant) {
				check(what+" without "+variantHead(tab, f.Variant), place(withoutKey(t, mapping, variantHead(tab, f.Variant))), false)
			}
		}
	}
	if fields < 25 {
		t.Fatalf("only %d fields checked", fields)
	}
}

func variantHead(tab *spec.Table, v string) string {
	for _, f := range tab.Fields {
		if f.Variant == v {
			return f.Name
		}
	}
	return ""
}

func keyIndex(m *yaml.Node, key string) int {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return i
		}
	}
	return -1
}

// flow writes a mapping on one line, as JSON (which YAML reads as flow
// style).
func flow(t *testing.T, m *yaml.Node) string {
	t.Helper()
	var v any
	if err := m.Decode(&v); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func withKey(t *testing.T, m *yaml.Node, key, value string) string {
	c := *m
	c.Content = append(append([]*yaml.Node{}, m.Content...),
		&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value})
	return flow(t, &c)
}

func withoutKey(t *testing.T, m *yaml.Node, key string) string {
	c := *m
	c.Content = nil
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value != key {
			c.Content = append(c.Content, m.Content[i], m.Content[i+1])
		}
	}
	return flow(t, &c)
}
