package spec

// A route's body schema: read inline or from a file next to the spec,
// checked to be a JSON Schema that API Gateway's models take as it is
// written. API Gateway speaks draft-04 ("Data models for REST APIs": "In
// API Gateway, models are defined using the JSON schema draft 4"), so a
// keyword of a later draft, or a misspelt one, would be ignored without a
// word: both are refused here, with the position inside the schema.

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/sfnapic/sfnapic/internal/jsonschema4"
)

// draft04Keywords are the keywords of JSON Schema draft-04 (the core and
// validation specifications and the hyper-schema's media and links are
// left out: API Gateway's models validate and describe).
var draft04Keywords = []string{
	"$schema", "$ref", "id", "title", "description", "default", "format",
	"multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
	"maxLength", "minLength", "pattern",
	"items", "additionalItems", "maxItems", "minItems", "uniqueItems",
	"maxProperties", "minProperties", "required", "properties", "patternProperties", "additionalProperties", "dependencies",
	"enum", "type", "allOf", "anyOf", "oneOf", "not", "definitions",
}

// laterKeywords are keywords of later drafts (and of OpenAPI) that a
// draft-04 validator ignores, each with what to write instead.
var laterKeywords = map[string]string{
	"const":                 "write enum: [VALUE]",
	"if":                    "express it with oneOf, anyOf or not",
	"then":                  "express it with oneOf, anyOf or not",
	"else":                  "express it with oneOf, anyOf or not",
	"$defs":                 "write definitions (and $ref: \"#/definitions/NAME\")",
	"$id":                   "remove it: API Gateway names the model",
	"$anchor":               "use $ref: \"#/definitions/NAME\"",
	"$comment":              "use description",
	"examples":              "remove it, or put the examples in description",
	"example":               "remove it, or put the example in description",
	"contains":              "there is no draft-04 equivalent; check it in the workflow",
	"minContains":           "there is no draft-04 equivalent; check it in the workflow",
	"maxContains":           "there is no draft-04 equivalent; check it in the workflow",
	"propertyNames":         "use patternProperties with additionalProperties: false",
	"prefixItems":           "write items as a list of schemas",
	"dependentRequired":     "write dependencies: {NAME: [REQUIRED, ...]}",
	"dependentSchemas":      "write dependencies: {NAME: SCHEMA}",
	"unevaluatedProperties": "use additionalProperties",
	"unevaluatedItems":      "use additionalItems",
	"readOnly":              "remove it",
	"writeOnly":             "remove it",
	"deprecated":            "remove it, or say so in description",
	"contentEncoding":       "remove it",
	"contentMediaType":      "remove it",
	"nullable":              "write type: [TYPE, \"null\"]",
	"discriminator":         "use oneOf",
}

// body reads a route's body: {schema: ...} or {schemaFile: ...}.
func (p *parser) body(n *yaml.Node, at string) *Body {
	b := &Body{Pos: p.pos(resolve(n))}
	var inline, file *yaml.Node
	p.mapping(n, at, BodyFields.Keys(), nil, func(key string, k, v *yaml.Node) {
		if key == "schema" {
			inline = v
		} else {
			file = v
		}
	})
	switch {
	case resolve(n).Kind != yaml.MappingNode:
		return nil
	case (inline == nil) == (file == nil):
		p.errs.Add(b.Pos, at, "give exactly one of schema (a JSON Schema inline) or schemaFile (a .json or .yaml file next to the spec)")
		return nil
	case inline != nil:
		b.Schema = p.schema(inline, p.file, at+".schema")
	default:
		name, ok := p.str(file, at+".schemaFile")
		if !ok {
			return nil
		}
		b.File = name
		if f, root := p.fileNextTo(resolve(file), name, at+".schemaFile", "schema file"); root != nil {
			b.Schema = p.schema(root, f, "")
		}
	}
	if b.Schema == nil {
		return nil
	}
	return b
}

// schema converts a body schema to its JSON value and checks it; nil when
// it has errors.
func (p *parser) schema(n *yaml.Node, file, at string) any {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		p.errs.Add(p.posIn(file, n), at, "a JSON Schema is an object (a mapping), got %s", describe(n))
		return nil
	}
	before := len(p.errs)
	v := p.value(n, file, at, 0)
	if len(p.errs) > before {
		return nil
	}
	c := schemaChecker{p: p, file: file, root: v}
	c.walk(n, at, 0)
	// The metaschema runs after keyword errors too, so that every problem
	// is reported at once; its other complaints (a $ref it cannot
	// follow) then repeat what the walk said.
	c.meta(n, at, len(p.errs) == before)
	if len(p.errs) > before {
		return nil
	}
	return v
}

type schemaChecker struct {
	p    *parser
	file string
	root any
}

func (c schemaChecker) err(n *yaml.Node, at, format string, args ...any) {
	c.p.errs.Add(c.p.posIn(c.file, n), at, format, args...)
}

// walk checks the keywords of the schema at n and of its subschemas.
// Depth is bounded by value's maxDepth, which ran first.
func (c schemaChecker) walk(n *yaml.Node, at string, depth int) {
	n = resolve(n)
	if n.Kind != yaml.MappingNode || depth > maxDepth {
		return // the metaschema reports a subschema that is no object
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		kat := child(at, k.Value)
		switch key := k.Value; {
		case laterKeywords[key] != "":
			c.err(k, kat, "%q is not a keyword of JSON Schema draft-04, which API Gateway's models speak: it would be ignored; %s", key, laterKeywords[key])
		case strings.HasPrefix(key, "x-"): // an extension, ignored by design
		case !contains(draft04Keywords, key):
			c.err(k, kat, "unknown JSON Schema draft-04 keyword %q%s: API Gateway would ignore it", key, suggest(key, draft04Keywords))
		case key == "id":
			c.err(k, kat, "id changes how $ref resolves, and API Gateway names the model itself: remove it")
		case key == "$schema":
			c.draft(v, kat)
		case key == "$ref":
			c.ref(v, kat)
		default:
			c.subschemas(key, v, kat, depth)
		}
	}
}

// subschemas walks the schemas a keyword holds.
func (c schemaChecker) subschemas(key string, v *yaml.Node, at string, depth int) {
	switch key {
	case "properties", "patternProperties", "definitions", "dependencies":
		if v.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(v.Content); i += 2 {
				c.walk(v.Content[i+1], child(at, resolve(v.Content[i]).Value), depth+1)
			}
		}
	case "items", "allOf", "anyOf", "oneOf":
		if v.Kind == yaml.SequenceNode {
			for i, s := range v.Content {
				c.walk(s, fmt.Sprintf("%s[%d]", at, i), depth+1)
			}
			return
		}
		c.walk(v, at, depth+1)
	case "not", "additionalProperties", "additionalItems":
		c.walk(v, at, depth+1)
	}
}

func (c schemaChecker) draft(v *yaml.Node, at string) {
	if v.Value != "http://json-schema.org/draft-04/schema#" && v.Value != "http://json-schema.org/draft-04/schema" {
		c.err(v, at, "API Gateway's models are JSON Schema draft-04: write $schema: \"http://json-schema.org/draft-04/schema#\", or leave it out")
	}
}

// ref allows a reference inside the schema only. A route's schema becomes
// a model of its own, and API Gateway takes a reference to another model
// only in the canonical form
// https://apigateway.amazonaws.com/restapis/{restapi_id}/models/{name},
// whose id and names a spec cannot know; it loads nothing remote.
func (c schemaChecker) ref(v *yaml.Node, at string) {
	if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!str" {
		return // the metaschema reports it
	}
	frag, local := strings.CutPrefix(v.Value, "#")
	if !local {
		c.err(v, at, "$ref %q leaves the schema: API Gateway loads no remote schema, and refers to other models only by their canonical URL (https://apigateway.amazonaws.com/restapis/{restapi_id}/models/{name}), which a spec cannot know; put the shared schema under definitions and write $ref: \"#/definitions/NAME\"", v.Value)
		return
	}
	if _, ok := pointer(c.root, frag); !ok {
		c.err(v, at, "$ref %q points at nothing in this schema; write \"#/definitions/NAME\" for a schema under definitions", v.Value)
	}
}

// pointer resolves a JSON pointer (RFC 6901) written as a URI fragment,
// as the validator serve runs resolves it.
func pointer(v any, frag string) (any, bool) {
	frag, err := url.PathUnescape(frag)
	if err != nil {
		return nil, false
	}
	return jsonschema4.Pointer(plain(v), frag)
}

// meta validates the schema against the draft-04 metaschema and compiles
// it as serve's validator will, reporting each problem where it is.
func (c schemaChecker) meta(n *yaml.Node, at string, all bool) {
	_, err := jsonschema4.Compile("sfnapic:///body.json", plain(c.root), nil)
	var invalid *jsonschema4.InvalidSchemaError
	switch {
	case err == nil:
		return
	case !errors.As(err, &invalid):
		if all {
			c.err(n, at, "the schema does not compile: %v", err)
		}
		return
	}
	for _, leaf := range onePerPlace(leaves(invalid.Err)) {
		node, path := locate(n, at, leaf.InstanceLocation)
		c.err(node, path, "not a valid JSON Schema draft-04: %s", leaf.Message())
	}
}

func leaves(e *jsonschema4.Error) []*jsonschema4.Error {
	if len(e.Causes) == 0 {
		return []*jsonschema4.Error{e}
	}
	var out []*jsonschema4.Error
	for _, c := range e.Causes {
		out = append(out, leaves(c)...)
	}
	return out
}

// onePerPlace keeps one error per place: the alternatives of an anyOf in
// the metaschema (type is a name or a list of names) each fail at the
// same value, and the one listing the allowed values says best what to
// write; otherwise the first is kept.
func onePerPlace(errs []*jsonschema4.Error) []*jsonschema4.Error {
	best := map[string]int{}
	for i, e := range errs {
		at := strings.Join(e.InstanceLocation, "\x00")
		j, seen := best[at]
		if !seen || e.Kind == jsonschema4.Enum && errs[j].Kind != jsonschema4.Enum {
			best[at] = i
		}
	}
	var out []*jsonschema4.Error
	for i, e := range errs {
		if best[strings.Join(e.InstanceLocation, "\x00")] == i {
			out = append(out, e)
		}
	}
	return out
}

// locate finds the node at a JSON pointer's tokens below n, and its field
// path; it stops at the deepest node it can reach.
func locate(n *yaml.Node, at string, tokens []string) (*yaml.Node, string) {
	n = resolve(n)
	for _, tok := range tokens {
		var next *yaml.Node
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if resolve(n.Content[i]).Value == tok {
					next, at = resolve(n.Content[i+1]), child(at, tok)
					break
				}
			}
		case yaml.SequenceNode:
			if i, err := strconv.Atoi(tok); err == nil && i >= 0 && i < len(n.Content) {
				next, at = resolve(n.Content[i]), fmt.Sprintf("%s[%d]", at, i)
			}
		}
		if next == nil {
			break
		}
		n = next
	}
	return n, at
}

// plain turns an ordered JSON value into the maps and slices the
// validator takes; numbers stay json.Number.
func plain(v any) any {
	switch x := v.(type) {
	case Object:
		m := make(map[string]any, len(x))
		for _, mem := range x {
			m[mem.Key] = plain(mem.Value)
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, it := range x {
			out[i] = plain(it)
		}
		return out
	}
	return v
}
