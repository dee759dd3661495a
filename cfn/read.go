package cfn

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/awslabs/goformation/v7/cloudformation"
	"gopkg.in/yaml.v3"
)

// Parse reads a template back from JSON or YAML (long-form intrinsics, or
// the short forms !Ref, !GetAtt, !Sub and the other !Fn tags). Every
// intrinsic function object becomes a placeholder of the new template, so
// that the typed goformation resources can hold it, and writing the
// template out gives the function back as it was. Parse does not evaluate
// anything.
func Parse(data []byte) (*Template, error) {
	if len(data) > maxReadBytes {
		return nil, fmt.Errorf("the template is %d bytes; a template may have at most %d (CloudFormation takes %d)", len(data), maxReadBytes, MaxURLBytes)
	}
	if trimmed := bytes.TrimLeft(data, " \t\r\n"); len(trimmed) == 0 || trimmed[0] != '{' {
		var n yaml.Node
		if err := yaml.Unmarshal(data, &n); err != nil {
			return nil, fmt.Errorf("reading the template as YAML: %w", err)
		}
		if len(n.Content) == 0 {
			return nil, fmt.Errorf("the template is empty")
		}
		var buf bytes.Buffer
		if err := writeJSON(&buf, n.Content[0], 0); err != nil {
			return nil, fmt.Errorf("reading the template as YAML: %w", err)
		}
		data = buf.Bytes()
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, fmt.Errorf("reading the template: a template is a mapping with a Resources section: %w", err)
	}
	var resources map[string]json.RawMessage
	if err := json.Unmarshal(top["Resources"], &resources); err != nil || len(resources) == 0 {
		return nil, fmt.Errorf("the template has no Resources section")
	}
	t := New()
	doc := map[string]any{}
	for k, raw := range top {
		if k == "Resources" {
			continue
		}
		v, err := decodeNumbers(raw)
		if err != nil {
			return nil, err
		}
		doc[k] = t.hold(v)
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	c := &cloudformation.Template{}
	if err := json.Unmarshal(b, c); err != nil {
		return nil, fmt.Errorf("reading the template: %w", err)
	}
	c.Resources = cloudformation.Resources{}
	for id, raw := range resources {
		r, extra, err := t.resource(raw)
		if err != nil {
			return nil, fmt.Errorf("reading resource %s: %w", id, err)
		}
		c.Resources[id] = r
		for _, p := range extra {
			t.SetProperty(id, p.key, p.value)
		}
	}
	t.CFN = c
	// Each resource is written out as it was read, key order included
	// (goformation decodes free-form properties, such as a state machine
	// definition, into maps).
	for id, raw := range resources {
		var compact bytes.Buffer
		if err := json.Compact(&compact, raw); err != nil {
			return nil, err
		}
		t.marshalled[id] = compact.Bytes()
	}
	return t, nil
}

// resourceTypes maps each resource type goformation knows to its Go type.
// (goformation's own reader builds its registry of every type anew for
// each resource it reads: 1,400 allocations a resource.)
var resourceTypes = sync.OnceValue(func() map[string]reflect.Type {
	m := map[string]reflect.Type{}
	for name, r := range cloudformation.AllResources() {
		m[name] = reflect.TypeOf(r).Elem()
	}
	return m
})

// resource reads one resource into its typed goformation struct, with its
// intrinsics held as placeholders.
func (t *Template) resource(raw []byte) (cloudformation.Resource, []property, error) {
	v, err := decodeNumbers(raw)
	if err != nil {
		return nil, nil, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, nil, fmt.Errorf("a resource is a mapping with a Type")
	}
	typ, _ := m["Type"].(string)
	var r cloudformation.Resource
	switch gt, known := resourceTypes()[typ]; {
	case strings.HasPrefix(typ, "Custom::"):
		r = &cloudformation.CustomResource{Type: typ}
	case known:
		r = reflect.New(gt).Interface().(cloudformation.Resource)
	case typ == "":
		return nil, nil, fmt.Errorf("a resource needs a Type")
	default:
		return nil, nil, fmt.Errorf("unknown resource type %q", typ)
	}
	var extra []property
	if props, ok := m["Properties"]; ok && !isCustom(r) {
		m["Properties"] = coerce(props, reflect.TypeOf(r).Elem())
		extra = t.liftMissing(typ, m["Properties"])
	}
	b, err := json.Marshal(t.hold(m))
	if err != nil {
		return nil, nil, err
	}
	if err := json.Unmarshal(b, r); err != nil {
		return nil, nil, err
	}
	return r, extra, nil
}

// missingProperties are the properties CloudFormation has and goformation
// v7's structs lack, by resource type (property.go).
var missingProperties = map[string][]string{
	"AWS::StepFunctions::StateMachine": {"EncryptionConfiguration"},
}

// liftMissing takes the properties goformation's struct lacks out of a
// resource's properties, which the struct would refuse, to be kept beside
// it (SetProperty), intrinsics held as placeholders.
func (t *Template) liftMissing(typ string, props any) []property {
	m, _ := props.(map[string]any)
	var out []property
	for _, key := range missingProperties[typ] {
		if v, ok := m[key]; ok {
			out = append(out, property{key, t.hold(v)})
			delete(m, key)
		}
	}
	return out
}

// coerce turns the scalars that CloudFormation takes in place of one
// another into what goformation's type has: a template that says
// "method.request.querystring.q": true, as the CDK and the API Gateway
// console write it, "StatusCode": 200, or "TimeoutInMillis": "5000", is
// valid, and is read as CloudFormation reads it. A custom resource's
// properties are left as they are.
func coerce(v any, t reflect.Type) any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch x := v.(type) {
	case bool:
		if t.Kind() == reflect.String {
			return strconv.FormatBool(x)
		}
	case json.Number:
		if t.Kind() == reflect.String {
			return x.String()
		}
	case string:
		return fromString(x, t)
	case []any:
		if t.Kind() == reflect.Slice {
			for i := range x {
				x[i] = coerce(x[i], t.Elem())
			}
		}
	case map[string]any:
		coerceMap(x, t)
	}
	return v
}

func isCustom(r cloudformation.Resource) bool {
	_, ok := r.(*cloudformation.CustomResource)
	return ok
}

// fromString reads a string as the number or boolean a property wants,
// when it spells one; anything else is left for the decoder to refuse.
func fromString(s string, t reflect.Type) any {
	switch t.Kind() {
	case reflect.Bool:
		if s == "true" || s == "false" {
			return s == "true"
		}
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Float64:
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return json.Number(s)
		}
	}
	return s
}

// coerceMap coerces the members of a mapping read into a map or a struct.
func coerceMap(m map[string]any, t reflect.Type) {
	switch t.Kind() {
	case reflect.Map:
		for k := range m {
			m[k] = coerce(m[k], t.Elem())
		}
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if e, ok := m[name]; ok && name != "" && name != "-" {
				m[name] = coerce(e, f.Type)
			}
		}
	}
}

func decodeNumbers(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("reading the template: %w", err)
	}
	return v, nil
}

// hold replaces every intrinsic function object in v with a placeholder.
func (t *Template) hold(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 1 {
			for k := range x {
				if k == "Ref" || strings.HasPrefix(k, "Fn::") {
					raw, err := marshalNoHTML(x)
					if err == nil {
						return t.register(raw)
					}
				}
			}
		}
		for k, e := range x {
			x[k] = t.hold(e)
		}
	case []any:
		for i, e := range x {
			x[i] = t.hold(e)
		}
	}
	return v
}

// Bounds on what Parse reads: the input, the nesting of a YAML template,
// and the JSON that YAML aliases may expand to (an alias can repeat a
// large node many times over).
const (
	maxReadBytes  = 4 * MaxURLBytes
	maxYAMLDepth  = 200
	maxJSONBuffer = 4 * MaxURLBytes
)

// writeJSON writes a YAML node as JSON, keeping key order and turning
// short-form intrinsic tags into their long form.
func writeJSON(buf *bytes.Buffer, n *yaml.Node, depth int) error {
	if depth > maxYAMLDepth {
		return fmt.Errorf("line %d: nested too deeply", n.Line)
	}
	if buf.Len() > maxJSONBuffer {
		return fmt.Errorf("line %d: the template's aliases expand it beyond %d bytes", n.Line, maxJSONBuffer)
	}
	if tag := n.Tag; strings.HasPrefix(tag, "!") && !strings.HasPrefix(tag, "!!") {
		name := "Fn::" + tag[1:]
		switch tag {
		case "!Ref", "!Condition":
			name = tag[1:]
		case "!GetAtt":
			if n.Kind == yaml.ScalarNode {
				id, attr, _ := strings.Cut(n.Value, ".")
				buf.WriteString(`{"Fn::GetAtt":[`)
				writeString(buf, id)
				buf.WriteByte(',')
				writeString(buf, attr)
				buf.WriteString(`]}`)
				return nil
			}
		}
		buf.WriteString(`{`)
		writeString(buf, name)
		buf.WriteByte(':')
		plain := *n
		plain.Tag = ""
		if n.Kind == yaml.ScalarNode {
			plain.Tag = "!!str"
		}
		if err := writeJSON(buf, &plain, depth+1); err != nil {
			return err
		}
		buf.WriteByte('}')
		return nil
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			buf.WriteString("null")
			return nil
		}
		return writeJSON(buf, n.Content[0], depth+1)
	case yaml.AliasNode:
		return writeJSON(buf, n.Alias, depth+1)
	case yaml.MappingNode:
		buf.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeString(buf, n.Content[i].Value)
			buf.WriteByte(':')
			if err := writeJSON(buf, n.Content[i+1], depth+1); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
	case yaml.SequenceNode:
		buf.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := writeJSON(buf, c, depth+1); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
	case yaml.ScalarNode:
		b, err := marshalNoHTML(scalar(n))
		if err != nil {
			return fmt.Errorf("line %d: %v", n.Line, err)
		}
		buf.Write(b)
	}
	return nil
}

func writeString(buf *bytes.Buffer, s string) {
	b, _ := marshalNoHTML(s)
	buf.Write(b)
}

// scalar is a YAML scalar as JSON would hold it.
func scalar(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		var b bool
		if n.Decode(&b) == nil {
			return b
		}
	case "!!int", "!!float":
		if _, err := strconv.ParseFloat(n.Value, 64); err == nil {
			return json.Number(n.Value)
		}
		var f float64
		if n.Decode(&f) == nil {
			return f
		}
	}
	return n.Value
}
