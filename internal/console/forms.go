package console

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation/stepfunctions"

	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/restapi"
)

// Form is what the page needs to build a route's form.
type Form struct {
	Route  string   `json:"route"`
	Verb   string   `json:"verb"`
	Path   string   `json:"path"`
	Params []string `json:"pathParams"`
	Query  []Field  `json:"query"`
	Header []Field  `json:"header"`
	// ContentType and Body pre-fill the body: an example of the route's
	// model, else the body fields its request template reads.
	ContentType string `json:"contentType"`
	Body        string `json:"body"`
	Auth        string `json:"auth"` // NONE, AWS_IAM, COGNITO_USER_POOLS or CUSTOM
	Machine     string `json:"machine"`
}

// Field is a query string or header a route reads.
type Field struct {
	Name     string `json:"name"`
	Required bool   `json:"required"`
	Why      string `json:"why"` // a parameter, the authorizer's, the API key
}

// forms lists a form for each route that calls Step Functions or is a
// MOCK (CORS preflights aside).
func forms(g *gateway.Gateway) []Form {
	var out []Form
	for _, m := range g.API.Methods {
		if m.Verb == "OPTIONS" && m.Kind == restapi.Mock {
			continue
		}
		out = append(out, form(g, m))
	}
	return out
}

func form(g *gateway.Gateway, m *restapi.Method) Form {
	f := Form{Route: m.Route(), Verb: m.Verb, Path: m.Path, Auth: m.Auth.Type, Query: []Field{}, Header: []Field{}, Params: []string{}}
	for _, seg := range m.Segments {
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			f.Params = append(f.Params, strings.TrimSuffix(strings.Trim(seg, "{}"), "+"))
		}
	}
	keys := make([]string, 0, len(m.Resource.RequestParameters))
	for k := range m.Resource.RequestParameters {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if name, ok := strings.CutPrefix(k, "method.request.querystring."); ok {
			f.Query = append(f.Query, Field{Name: name, Required: m.Resource.RequestParameters[k] == "true", Why: "a parameter of the route"})
		} else if name, ok := strings.CutPrefix(k, "method.request.header."); ok {
			f.Header = append(f.Header, Field{Name: name, Required: m.Resource.RequestParameters[k] == "true", Why: "a parameter of the route"})
		}
	}
	f.Header = append(f.Header, authFields(m)...)
	f.ContentType, f.Body = exampleBody(m)
	f.Machine = machineOfMethod(g, m)
	return f
}

// authFields are the headers the route's caller proves itself with: its
// authorizer's identity sources, the API key, a SigV4 signature.
func authFields(m *restapi.Method) []Field {
	var out []Field
	if a := m.Auth.Authorizer; a != nil {
		for _, src := range a.Identity {
			if src.Where == "header" {
				out = append(out, Field{Name: src.Name, Required: true, Why: "authorizer " + a.Name + " (" + a.Type + ")"})
			}
		}
	}
	if m.Auth.Type == "AWS_IAM" {
		out = append(out, Field{Name: "Authorization", Required: true, Why: "a SigV4 signature (AWS_IAM): sfnapic invoke signs requests"})
	}
	if m.APIKeyRequired {
		out = append(out, Field{Name: "x-api-key", Required: true, Why: "an API key of the stage's usage plans"})
	}
	return out
}

// inputPath finds the body fields a request template reads.
var inputPath = regexp.MustCompile(`\$input\.(?:path|json)\(\s*'\$\.([A-Za-z0-9_.]+)'`)

// exampleBody is a body to start from: an example of the route's JSON
// model when it has one, else an object of the fields its request
// template reads from the body (with empty strings), else nothing.
func exampleBody(m *restapi.Method) (string, string) {
	for typ, model := range m.Models {
		var schema map[string]any
		if json.Unmarshal(model.Schema, &schema) == nil {
			b, _ := json.MarshalIndent(example(schema, 0), "", "  ")
			return typ, string(b)
		}
	}
	in := m.Resource.Integration
	if in == nil || m.Verb == "GET" || m.Verb == "HEAD" {
		return "", ""
	}
	tpl := in.RequestTemplates["application/json"]
	root := map[string]any{}
	for _, match := range inputPath.FindAllStringSubmatch(tpl, -1) {
		setPath(root, strings.Split(match[1], "."))
	}
	b, _ := json.MarshalIndent(root, "", "  ")
	return "application/json", string(b)
}

func setPath(obj map[string]any, keys []string) {
	for i, k := range keys {
		if i == len(keys)-1 {
			if _, ok := obj[k]; !ok {
				obj[k] = ""
			}
			return
		}
		next, ok := obj[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			obj[k] = next
		}
		obj = next
	}
}

// example is a value a JSON Schema takes: its example or default, its
// first enum, else one of its type with its required properties.
func example(schema map[string]any, depth int) any {
	for _, k := range []string{"example", "default"} {
		if v, ok := schema[k]; ok {
			return v
		}
	}
	if e, ok := schema["enum"].([]any); ok && len(e) > 0 {
		return e[0]
	}
	typ, _ := schema["type"].(string)
	switch typ {
	case "string":
		return ""
	case "integer", "number":
		return 0
	case "boolean":
		return false
	case "array":
		items, _ := schema["items"].(map[string]any)
		if items == nil || depth > 8 {
			return []any{}
		}
		return []any{example(items, depth+1)}
	}
	obj := map[string]any{}
	props, _ := schema["properties"].(map[string]any)
	for k, v := range props {
		if p, ok := v.(map[string]any); ok && depth <= 8 {
			obj[k] = example(p, depth+1)
		}
	}
	return obj
}

// machineOfMethod is the logical ID of the state machine a route's
// request template names, if any.
func machineOfMethod(g *gateway.Gateway, m *restapi.Method) string {
	in := m.Resource.Integration
	if in == nil {
		return ""
	}
	// The template names its machine's ARN through an Fn::Sub variable:
	// write each variable back as ${Name} to find it.
	named := func(name string) (string, bool) { return "${" + name + "}", true }
	for _, typ := range sortedStrings(in.RequestTemplates) {
		text, err := g.Template.Text(in.RequestTemplates[typ], named)
		if err != nil {
			continue
		}
		for _, id := range machines(g) {
			if strings.Contains(text, "${"+id+"}") {
				return id
			}
		}
	}
	return ""
}

// machines are the template's state machines' logical IDs, sorted.
func machines(g *gateway.Gateway) []string {
	var ids []string
	for id, r := range g.Template.CFN.Resources {
		if _, ok := r.(*stepfunctions.StateMachine); ok {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// definition is a machine's definition as JSON.
func definition(g *gateway.Gateway, id string) ([]byte, bool) {
	m, ok := g.Template.CFN.Resources[id].(*stepfunctions.StateMachine)
	switch {
	case !ok:
		return nil, false
	case m.Definition != nil:
		b, err := json.Marshal(m.Definition)
		return b, err == nil
	case m.DefinitionString != nil:
		return []byte(*m.DefinitionString), true
	}
	return nil, false
}

// machineOfExecution is the logical ID of an execution's machine: the
// one whose ARN (Vars) its ARN names.
func machineOfExecution(g *gateway.Gateway, arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) < 8 || (parts[5] != "execution" && parts[5] != "express") {
		return ""
	}
	machine := strings.Join(append(append([]string{}, parts[:5]...), "stateMachine", parts[6]), ":")
	for _, id := range machines(g) {
		if g.Vars[id] == machine {
			return id
		}
	}
	return ""
}

func sortedStrings(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
