package jsonschema4_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/internal/jsonschema4"
)

// cases are draft-04's rules one by one: the errors each gives (every
// leaf, "location keyword: message"), "" when the instance passes.
var cases = []struct {
	name, schema, instance, want string
}{
	{"integer is a number without fraction", `{"type": "integer"}`, `1.0`, ``},
	{"integer refuses a fraction", `{"type": "integer"}`, `1.5`, `/ type: got number, want integer`},
	{"type list", `{"type": ["string", "null"]}`, `1`, `/ type: got number, want null or string`},
	{"enum by JSON equality", `{"enum": [1, {"a": [2]}]}`, `{"a": [2.0]}`, ``},
	{"enum", `{"enum": ["a", 1]}`, `"b"`, `/ enum: value must be one of 'a', 1`},
	{"multipleOf", `{"multipleOf": 0.1}`, `0.3`, ``},
	{"multipleOf fails", `{"multipleOf": 2}`, `3`, `/ multipleOf: multipleOf: got 3, want 2`},
	{"exclusiveMaximum is a boolean", `{"maximum": 3, "exclusiveMaximum": true}`, `3`, `/ exclusiveMaximum: exclusiveMaximum: got 3, want 3`},
	{"maximum", `{"maximum": 3}`, `3`, ``},
	{"exclusiveMinimum", `{"minimum": 3, "exclusiveMinimum": true}`, `3`, `/ exclusiveMinimum: exclusiveMinimum: got 3, want 3`},
	{"minimum", `{"minimum": 3}`, `2.5`, `/ minimum: minimum: got 2.5, want 3`},
	{"numbers in English", `{"maximum": 1000.5}`, `1e7`, "/ maximum: maximum: got 1\u202f×\u202f10⁰⁷, want 1,000.5"},
	{"numbers past float64", `{"maximum": 1.5, "minimum": -1}`, `1E700`, `/ maximum: maximum: got ∞, want 1.5`},
	{"numbers below float64", `{"minimum": -1}`, `-1E700`, `/ minimum: minimum: got -∞, want -1`},
	{"counts in English", `{"minLength": 1000}`, `"a"`, `/ minLength: minLength: got 1, want 1,000`},
	{"lengths count code points", `{"minLength": 2, "maxLength": 2}`, `"éé"`, ``},
	{"minLength", `{"minLength": 2}`, `"é"`, `/ minLength: minLength: got 1, want 2`},
	{"pattern is not anchored", `{"pattern": "b"}`, `"abc"`, ``},
	{"pattern", `{"pattern": "^b"}`, `"abc"`, `/ pattern: 'abc' does not match pattern '^b'`},
	{"items list and additionalItems", `{"items": [{"type": "string"}], "additionalItems": false}`, `["a", 1, 2]`, `/ additionalItems: last 2 additionalItem(s) not allowed`},
	{"items schema", `{"items": {"type": "string"}}`, `["a", 1]`, `/1 type: got number, want string`},
	{"additionalItems schema", `{"items": [{}], "additionalItems": {"type": "string"}}`, `[1, 2]`, `/1 type: got number, want string`},
	{"uniqueItems: 1 == 1.0", `{"uniqueItems": true}`, `[1, "1", 1.0]`, `/ uniqueItems: items at 0 and 2 are equal`},
	{"uniqueItems in long arrays", `{"uniqueItems": true}`, `[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,{"a":1},{"a":1.0}]`, `/ uniqueItems: items at 21 and 22 are equal`},
	{"maxItems", `{"maxItems": 1}`, `[1, 2]`, `/ maxItems: maxItems: got 2, want 1`},
	{"properties counted", `{"minProperties": 2, "maxProperties": 0}`, `{"a": 1}`, "/ minProperties: minProperties: got 1, want 2\n/ maxProperties: maxProperties: got 1, want 0"},
	{"required", `{"required": ["a", "b"]}`, `{"a": 1}`, `/ required: missing property 'b'`},
	{"properties, patternProperties, additionalProperties", `{"properties": {"a": {"type": "string"}}, "patternProperties": {"^x": {"type": "integer"}}, "additionalProperties": false}`, `{"a": 1, "xy": "s", "z": 1, "b": 2}`,
		"/a type: got number, want string\n/xy type: got string, want integer\n/ additionalProperties: additional properties 'b', 'z' not allowed"},
	{"dependencies by names", `{"dependencies": {"a": ["b", "c"]}}`, `{"a": 1}`, `/ dependencies: properties 'b', 'c' required, if 'a' exists`},
	{"dependencies by schema", `{"dependencies": {"a": {"required": ["b"]}}}`, `{"a": 1}`, `/ required: missing property 'b'`},
	{"allOf", `{"allOf": [{"type": "string"}, {"minimum": 1}]}`, `0`, "/ type: got number, want string\n/ minimum: minimum: got 0, want 1"},
	{"anyOf", `{"anyOf": [{"type": "string"}, {"minimum": 1}]}`, `0`, "/ type: got number, want string\n/ minimum: minimum: got 0, want 1"},
	{"oneOf, two matched", `{"oneOf": [{}, {"minimum": 0}]}`, `1`, `/ oneOf: 'oneOf' failed, subschemas 0, 1 matched`},
	{"not", `{"not": {"type": "string"}}`, `"a"`, `/ not: 'not' failed`},
	{"$ref with pointer escapes", `{"definitions": {"a/b": {"type": "string"}, "c~d": {"$ref": "#/definitions/a~1b"}}, "$ref": "#/definitions/c~0d"}`, `1`, `/ type: got number, want string`},
	{"$ref to the root", `{"properties": {"next": {"$ref": "#"}}, "type": "object"}`, `{"next": {"next": 1}}`, `/next/next type: got number, want object`},
	{"$ref percent-encoded", `{"definitions": {"a b": {"type": "string"}}, "$ref": "#/definitions/a%20b"}`, `1`, `/ type: got number, want string`},
	{"$ref ignores its siblings", `{"definitions": {"s": {}}, "$ref": "#/definitions/s", "type": "string"}`, `1`, ``},
	{"format is asserted, as the library does", `{"format": "email"}`, `"nope"`, `/ format: 'nope' is not valid email: missing @`},
	{"unknown format is ignored", `{"format": "made-up"}`, `"x"`, ``},
}

func TestCases(t *testing.T) {
	for _, c := range cases {
		s, err := jsonschema4.Compile("sfnapic:///body.json", parse(t, c.schema), nil)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		var got []string
		if e, ok := s.Validate(parse(t, c.instance)).(*jsonschema4.Error); ok {
			got = flat(e)
		}
		if strings.Join(got, "\n") != c.want {
			t.Errorf("%s: got\n%s\nwant\n%s", c.name, strings.Join(got, "\n"), c.want)
		}
		agree(t, c.schema, c.instance)
	}
}

func flat(e *jsonschema4.Error) []string {
	if len(e.Causes) > 0 && e.Kind != jsonschema4.OneOf {
		var out []string
		for _, c := range e.Causes {
			out = append(out, flat(c)...)
		}
		return out
	}
	return []string{"/" + strings.Join(e.InstanceLocation, "/") + " " + e.Kind.Keyword() + ": " + e.Message()}
}

// badSchemas are what draft-04's metaschema refuses, each with the place
// and message of its first error; and what does not compile.
var badSchemas = []struct{ schema, want string }{
	{`{"minLength": -1}`, `/minLength: minimum: got -1, want 0`},
	{`{"maxItems": 1.5}`, `/maxItems: got number, want integer`},
	{`{"required": []}`, `/required: minItems: got 0, want 1`},
	{`{"required": ["a", "a"]}`, `/required: items at 0 and 1 are equal`},
	{`{"required": [1]}`, `/required/0: got number, want string`},
	{`{"type": "strin"}`, `/type: value must be one of 'array', 'boolean', 'integer', 'null', 'number', 'object', 'string'`},
	{`{"pattern": "(?=a)"}`, "/pattern: '(?=a)' is not valid regex: error parsing regexp: invalid or unsupported Perl syntax: `(?=`"},
	{`{"exclusiveMaximum": true}`, `/: properties 'maximum' required, if 'exclusiveMaximum' exists`},
	{`{"multipleOf": 0}`, `/multipleOf: exclusiveMinimum: got 0, want 0`},
	{`{"properties": {"a": 1}}`, `/properties/a: got number, want object`},
	// What a $ref points at is a schema too; the place is inside it.
	{`{"$ref": "#/required", "required": ["a"]}`, `/: got array, want object`},
	{`{"items": {"$ref": "#/properties/a/type"}, "properties": {"a": {"type": "string"}}}`, `/: got string, want object`},
}

func TestBadSchemas(t *testing.T) {
	for _, c := range badSchemas {
		_, err := jsonschema4.Compile("sfnapic:///body.json", parse(t, c.schema), nil)
		var invalid *jsonschema4.InvalidSchemaError
		if !errors.As(err, &invalid) {
			t.Errorf("%s: %v", c.schema, err)
			continue
		}
		first := invalid.Err
		for len(first.Causes) > 0 {
			first = first.Causes[0]
		}
		if got := "/" + strings.Join(first.InstanceLocation, "/") + ": " + first.Message(); got != c.want {
			t.Errorf("%s: got %s, want %s", c.schema, got, c.want)
		}
		agree(t, c.schema, `{}`)
	}
	for _, schema := range []string{`{"patternProperties": {"(": {}}}`, `{"$ref": "#/definitions/none"}`, `{"$ref": "https://example.com/x"}`} {
		if _, err := jsonschema4.Compile("sfnapic:///body.json", parse(t, schema), nil); err == nil {
			t.Errorf("%s compiles", schema)
		}
		agree(t, schema, `{}`)
	}
}

// BenchmarkFirstCheck is what a command that checks one body schema pays:
// the metaschema's compilation (once per process) and the check.
func BenchmarkFirstCheck(b *testing.B) {
	doc := parse(b, `{"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "minItems": 1, "items": {"type": "object", "properties": {"sku": {"type": "string"}, "qty": {"type": "integer", "minimum": 1}}}}}}`)
	for b.Loop() {
		jsonschema4.ResetMetaschema()
		if _, err := jsonschema4.Compile("sfnapic:///body.json", doc, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// TestHugeNumbers: a number whose exponent big.Rat cannot read does not
// crash the validator (the library it replaced panicked); the numeric
// keywords leave it unchecked, the others still apply.
func TestHugeNumbers(t *testing.T) {
	s, err := jsonschema4.Compile("sfnapic:///body.json", parse(t, `{"type": "integer", "maximum": 1, "multipleOf": 3}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{`1e1000001`, `-1e1000001`, `1e-1000001`} {
		if err := s.Validate(parse(t, v)); err != nil && !strings.Contains(err.Error(), "want integer") {
			t.Errorf("%s: %v", v, err)
		}
	}
	if err := s.Validate(parse(t, `"x"`)); err == nil {
		t.Error("a string passes type: integer")
	}
}
