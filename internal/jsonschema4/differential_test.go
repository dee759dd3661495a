package jsonschema4_test

// The differential tests hold the validator to
// github.com/santhosh-tekuri/jsonschema/v6 in draft-04 mode, which sfnapic
// used before and whose errors its messages are written from: the same
// verdict on each schema and each instance, and the same errors (kind,
// place, numbers and names). The library is a test dependency only.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"gopkg.in/yaml.v3"

	"github.com/sfnapic/sfnapic/internal/jsonschema4"
)

const loc = "sfnapic:///body.json"

var printer = message.NewPrinter(language.English)

func parse(t testing.TB, text string) any {
	t.Helper()
	v, err := jsonschema4.Unmarshal(strings.NewReader(text))
	if err != nil {
		t.Fatalf("%s: %v", text, err)
	}
	return v
}

type noLoader struct{}

func (noLoader) Load(u string) (any, error) { return nil, fmt.Errorf("%s: no loading", u) }

func libCompile(text string) (*jsonschema.Schema, error) {
	doc, _ := jsonschema.UnmarshalJSON(strings.NewReader(text))
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft4)
	c.UseLoader(noLoader{})
	if err := c.AddResource(loc, doc); err != nil {
		return nil, err
	}
	return c.Compile(loc)
}

// libLeaves writes the library's errors, one line each: every leaf
// (deep), and the leaves the gateway reads (Group, Schema, Reference and
// AllOf opened; the others with their number of causes), sorted, since
// the library visits an object's members in Go's map order.
func libLeaves(e *jsonschema.ValidationError, deep bool, out *[]string) {
	switch e.ErrorKind.(type) {
	case *kind.Group, *kind.Schema, *kind.Reference, *kind.AllOf:
		for _, c := range e.Causes {
			libLeaves(c, deep, out)
		}
		return
	}
	if deep && len(e.Causes) > 0 {
		for _, c := range e.Causes {
			libLeaves(c, deep, out)
		}
		return
	}
	msg := e.ErrorKind.LocalizedString(printer)
	switch k := e.ErrorKind.(type) {
	case *kind.Format:
		msg = strings.TrimSuffix(msg, ": "+k.Err.Error()) // why: each validator's own words
	case *kind.AdditionalProperties:
		sort.Strings(k.Properties)
		msg = k.LocalizedString(printer)
	case *kind.RefCycle:
		msg = "reference cycle" // said in other words
	}
	*out = append(*out, fmt.Sprintf("%q [%s]: %s (%d)", e.InstanceLocation, libKeyword(e.ErrorKind), msg, len(e.Causes)))
}

// libKeyword is the keyword of a library error, as this package names it.
func libKeyword(k jsonschema.ErrorKind) string {
	switch k.(type) {
	case *kind.Not:
		return "not"
	case *kind.Dependency:
		return "dependencies"
	case *kind.RefCycle:
		return "$ref"
	}
	if p := k.KeywordPath(); len(p) > 0 {
		return p[0]
	}
	return ""
}

func ourLeaves(e *jsonschema4.Error, deep bool, out *[]string) {
	switch e.Kind {
	case jsonschema4.Group, jsonschema4.Reference, jsonschema4.AllOf:
		for _, c := range e.Causes {
			ourLeaves(c, deep, out)
		}
		return
	}
	if deep && len(e.Causes) > 0 {
		for _, c := range e.Causes {
			ourLeaves(c, deep, out)
		}
		return
	}
	msg := e.Message()
	if e.Kind == jsonschema4.Format {
		msg = strings.TrimSuffix(msg, ": "+e.FormatErr.Error()) // why: each validator's own words
	}
	if e.Kind == jsonschema4.RefCycle {
		msg = "reference cycle"
	}
	*out = append(*out, fmt.Sprintf("%q [%s]: %s (%d)", e.InstanceLocation, e.Kind.Keyword(), msg, len(e.Causes)))
}

func leaves(lib *jsonschema.ValidationError, ours *jsonschema4.Error) (want, got []string) {
	for _, deep := range []bool{false, true} {
		libLeaves(lib, deep, &want)
		ourLeaves(ours, deep, &got)
	}
	sort.Strings(want)
	sort.Strings(got)
	return want, got
}

// agree fails t unless both validators give the same verdict on the
// schema, and on the instance when the schema compiles.
func agree(t testing.TB, schemaText, instanceText string) {
	t.Helper()
	if !draft04(parse(t, schemaText)) || !formatsAgree(parse(t, schemaText), parse(t, instanceText)) {
		return
	}
	libSchema, libErr := libCompile(schemaText)
	ours, err := jsonschema4.Compile(loc, parse(t, schemaText), nil)
	var libInvalid *jsonschema.SchemaValidationError
	var invalid *jsonschema4.InvalidSchemaError
	switch {
	case (libErr == nil) != (err == nil):
		t.Fatalf("schema %s: library says %v, we say %v", schemaText, libErr, err)
	case errors.As(libErr, &libInvalid) != errors.As(err, &invalid):
		t.Fatalf("schema %s: library says %v, we say %v", schemaText, libErr, err)
	case invalid != nil:
		want, got := leaves(libInvalid.Err.(*jsonschema.ValidationError), invalid.Err)
		if !slices.Equal(want, got) {
			t.Fatalf("schema %s: the metaschema's errors differ:\nlibrary %s\nours    %s", schemaText, strings.Join(want, "\n        "), strings.Join(got, "\n        "))
		}
	}
	if err != nil {
		return
	}
	libV, _ := jsonschema.UnmarshalJSON(strings.NewReader(instanceText))
	res := ours.Validate(parse(t, instanceText))
	libRes, crashed := libValidate(libSchema, libV)
	if crashed {
		return // a number past big.Rat's reach (1e1000001) with a numeric keyword: see libValidate
	}
	if (libRes == nil) != (res == nil) {
		t.Fatalf("schema %s, instance %s: library says %v, we say %v", schemaText, instanceText, libRes, res)
	}
	if res == nil {
		return
	}
	want, got := leaves(libRes.(*jsonschema.ValidationError), res.(*jsonschema4.Error))
	if !slices.Equal(want, got) {
		t.Fatalf("schema %s, instance %s: errors differ:\nlibrary %s\nours    %s", schemaText, instanceText, strings.Join(want, "\n        "), strings.Join(got, "\n        "))
	}
}

// draft04 tells whether the library reads a schema as draft-04: it
// reads a root $schema naming another draft (or anything else) as that
// draft, or fails to load it; this package reads every schema as
// draft-04, which is all API Gateway speaks (and spec refuses another
// $schema).
func draft04(doc any) bool {
	obj, ok := doc.(map[string]any)
	if !ok {
		return true
	}
	v, ok := obj["$schema"]
	if !ok {
		return true
	}
	s, _ := v.(string)
	_, rest, _ := strings.Cut(s, "://")
	return strings.TrimSuffix(rest, "#") == "json-schema.org/draft-04/schema"
}

// comparedFormats are the formats compared with the library: draft-04's
// six and regex (the metaschema's, for "pattern"), which both assert, and
// names neither asserts. The library asserts more in draft-04 (uuid,
// date, duration, ...), which draft-04 lets a validator ignore and this
// package ignores, so a schema naming one is not compared.
var comparedFormats = map[string]bool{
	"date-time": true, "email": true, "hostname": true, "ipv4": true, "ipv6": true, "uri": true,
	"regex": true, "uriref": true, "made-up": true,
}

// formatsAgree tells whether both validators should agree on schema's
// formats for instance: every format is compared, and no string of the
// instance is of a class where the library's verdict is not the RFC's.
func formatsAgree(schema, instance any) bool {
	var names, strs []string
	collectStrings(schema, "format", &names)
	collectStrings(instance, "", &strs)
	for _, n := range names {
		if !comparedFormats[n] {
			return false
		}
		for _, s := range strs {
			if rfcDiffers(n, s) {
				return false
			}
		}
	}
	return true
}

// collectStrings gathers the strings in v: all of them when key is "",
// else the values of members named key.
func collectStrings(v any, key string, out *[]string) {
	switch x := v.(type) {
	case string:
		if key == "" {
			*out = append(*out, x)
		}
	case map[string]any:
		for k, sub := range x {
			if s, ok := sub.(string); ok && key != "" && k == key {
				*out = append(*out, s)
			}
			collectStrings(sub, key, out)
		}
	case []any:
		for _, sub := range x {
			collectStrings(sub, key, out)
		}
	}
}

// rfcDiffers tells whether s is of a class of strings where the library
// and the RFC disagree about format; this package follows the RFC, and
// TestFormatsWhereTheLibraryDiffers lists a case of each class.
func rfcDiffers(format, s string) bool {
	switch format {
	case "uri":
		// RFC 3986 section 2 allows only some ASCII, and % only before two
		// hex digits; net/url, which the library asks alone, takes more.
		return strings.ContainsFunc(s, func(c rune) bool {
			return c <= ' ' || c > '~' || strings.ContainsRune("\"<>\\^`{|}%", c)
		})
	case "email":
		// The library refuses a quoted-pair (RFC 5322 section 3.2.1) in a
		// quoted local part, takes an empty local part, and takes a domain
		// with a trailing dot.
		return strings.Contains(s, `\`) || strings.HasPrefix(s, "@") || strings.HasSuffix(s, ".")
	case "hostname":
		// RFC 1123 has no trailing dot (that is DNS's root); the library
		// takes one.
		return strings.HasSuffix(s, ".")
	case "ipv4":
		// strconv.Atoi, which the library reads decimals with, takes a sign.
		return strings.ContainsAny(s, "+-")
	}
	return false
}

// libValidate validates with the library, which panics on a number
// big.Rat cannot read (1e1000001) when a numeric keyword applies; this
// package then leaves the numeric keywords unchecked (TestHugeNumbers).
func libValidate(s *jsonschema.Schema, v any) (err error, crashed bool) {
	defer func() {
		if recover() != nil {
			crashed = true
		}
	}()
	return s.Validate(v), false
}

// goldenSchemas are the body schemas of every golden spec (inline and
// files), good or bad, as JSON.
func goldenSchemas(t testing.TB) []string {
	var out []string
	specs, _ := filepath.Glob("../../golden/*/spec.yaml")
	examples, _ := filepath.Glob("../../examples/*.yaml")
	for _, name := range append(specs, examples...) {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		if yaml.Unmarshal(b, &doc) != nil {
			continue
		}
		collectSchemas(doc, false, &out)
	}
	files, _ := filepath.Glob("../../golden/*/*.json")
	more, _ := filepath.Glob("../../golden/*/schemas/*.json")
	for _, name := range append(files, more...) {
		if b, err := os.ReadFile(name); err == nil && bytes.Contains(b, []byte(`"type"`)) && !strings.HasSuffix(name, "template.json") {
			out = append(out, string(b))
		}
	}
	// The metaschema is a schema too, and a large one.
	if b, err := os.ReadFile("draft-04.json"); err == nil {
		out = append(out, string(b))
	}
	return out
}

func collectSchemas(v any, inBody bool, out *[]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, sub := range x {
			if inBody && k == "schema" {
				if b, err := json.Marshal(sub); err == nil {
					*out = append(*out, string(b))
				}
				continue
			}
			collectSchemas(sub, k == "body", out)
		}
	case []any:
		for _, sub := range x {
			collectSchemas(sub, false, out)
		}
	}
}

// goldenBodies are the request bodies of golden/orders-open's requests.
func goldenBodies(t testing.TB) []string {
	out := []string{`{}`, `[]`, `null`, `1`, `1.5`, `"x"`, `true`}
	files, _ := filepath.Glob("../../golden/orders-open/requests/*.json")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var req struct{ Body any }
		if json.Unmarshal(b, &req) == nil && req.Body != nil {
			if s, ok := req.Body.(string); ok {
				out = append(out, s)
			} else if b, err := json.Marshal(req.Body); err == nil {
				out = append(out, string(b))
			}
		}
	}
	return out
}

func TestGoldenSchemasAgree(t *testing.T) {
	schemas := goldenSchemas(t)
	if len(schemas) < 6 {
		t.Fatalf("found only %d golden body schemas", len(schemas))
	}
	bodies := goldenBodies(t)
	for _, s := range schemas {
		for _, b := range bodies {
			if _, err := jsonschema4.Unmarshal(strings.NewReader(b)); err == nil {
				agree(t, s, b)
			}
		}
	}
}

// TestRandomAgree: schemas and instances drawn by gen, many.
func TestRandomAgree(t *testing.T) {
	n := 20000
	if testing.Short() {
		n = 2000
	}
	for seed := range int64(n) {
		s, v := gen(seed)
		agree(t, s, v)
	}
}

func FuzzAgreesWithLibrary(f *testing.F) {
	bodies := goldenBodies(f)
	for i, s := range goldenSchemas(f) {
		f.Add(s, bodies[i%len(bodies)], int64(i))
	}
	for _, c := range cases {
		f.Add(c.schema, c.instance, int64(0))
	}
	f.Fuzz(func(t *testing.T, schema, instance string, seed int64) {
		// Text that is no JSON becomes a drawn schema or instance: the
		// mutator seldom writes JSON.
		gs, gv := gen(seed)
		if _, err := jsonschema4.Unmarshal(strings.NewReader(schema)); err != nil {
			schema = gs
		}
		if _, err := jsonschema4.Unmarshal(strings.NewReader(instance)); err != nil {
			instance = gv
		}
		if d, _ := jsonschema.UnmarshalJSON(strings.NewReader(schema)); d == nil {
			return
		}
		agree(t, schema, instance)
	})
}

// gen draws a small schema and a small instance from seed.
func gen(seed int64) (string, string) {
	r := rand.New(rand.NewSource(seed))
	s, _ := json.Marshal(genSchema(r, 0))
	v, _ := json.Marshal(genValue(r, 0))
	return string(s), string(v)
}

var (
	names    = []string{"a", "b", "c", "a/b", "~x"}
	typeList = []any{"null", "boolean", "number", "integer", "string", "array", "object", "strin"}
	numbers  = []any{0, 1, 2, -1, 1.5, 2.0, 0.1, 1e3}
	patterns = []any{"^a", "b$", "[0-9]+", "(?=a)", "a{2}", "(", "\\d"}
	formats  = []any{"email", "date-time", "ipv4", "uri", "regex", "hostname", "ipv6", "made-up"}
)

func pick[T any](r *rand.Rand, list []T) T { return list[r.Intn(len(list))] }

func genSchema(r *rand.Rand, depth int) map[string]any {
	s := map[string]any{}
	for range r.Intn(4) {
		kw, v := genKeyword(r, depth)
		s[kw] = v
	}
	return s
}

func genKeyword(r *rand.Rand, depth int) (string, any) {
	sub := func() any {
		if depth > 2 {
			return map[string]any{}
		}
		return genSchema(r, depth+1)
	}
	subs := func() []any {
		var out []any
		for range r.Intn(3) {
			out = append(out, sub())
		}
		return out
	}
	switch r.Intn(26) {
	case 0:
		if r.Intn(3) == 0 {
			return "type", []any{pick(r, typeList), pick(r, typeList)}
		}
		return "type", pick(r, typeList)
	case 1:
		return "enum", []any{genValue(r, 2), genValue(r, 2)}
	case 2:
		return "multipleOf", pick(r, numbers)
	case 3:
		return "maximum", pick(r, numbers)
	case 4:
		return "minimum", pick(r, numbers)
	case 5:
		return pick(r, []string{"exclusiveMaximum", "exclusiveMinimum"}), r.Intn(2) == 0
	case 6, 7:
		return pick(r, []string{"maxLength", "minLength", "maxItems", "minItems", "maxProperties", "minProperties"}), pick(r, numbers)
	case 8:
		return "pattern", pick(r, patterns)
	case 9:
		if r.Intn(2) == 0 {
			return "items", subs()
		}
		return "items", sub()
	case 10:
		if r.Intn(2) == 0 {
			return "additionalItems", r.Intn(2) == 0
		}
		return "additionalItems", sub()
	case 11:
		return "uniqueItems", r.Intn(3) != 0
	case 12:
		return "required", []any{pick(r, names), pick(r, names)}
	case 13, 14:
		return "properties", map[string]any{pick(r, names): sub(), pick(r, names): sub()}
	case 15:
		return "patternProperties", map[string]any{pick(r, patterns).(string): sub()}
	case 16:
		if r.Intn(2) == 0 {
			return "additionalProperties", r.Intn(2) == 0
		}
		return "additionalProperties", sub()
	case 17:
		if r.Intn(2) == 0 {
			return "dependencies", map[string]any{pick(r, names): []any{pick(r, names)}}
		}
		return "dependencies", map[string]any{pick(r, names): sub()}
	case 18:
		return "allOf", subs()
	case 19:
		return "anyOf", subs()
	case 20:
		return "oneOf", subs()
	case 21:
		return "not", sub()
	case 22:
		return "format", pick(r, formats)
	case 23:
		return "definitions", map[string]any{"d": sub()}
	case 24:
		return "$ref", pick(r, []any{"#", "#/definitions/d", "#/properties/a", "#/properties/a~1b", "#/required", "#/properties/a/type", "#/definitions"})
	}
	return pick(r, []string{"title", "description", "default", "required", "enum", "type", "items"}), genValue(r, 1)
}

func genValue(r *rand.Rand, depth int) any {
	switch r.Intn(8) {
	case 0:
		return nil
	case 1:
		return r.Intn(2) == 0
	case 2:
		return pick(r, numbers)
	case 3:
		return pick(r, []any{"", "a", "ab", "aa", "é", "0", "12", "a@b.c", "127.0.0.1", "2020-01-01T00:00:00Z", "http://x/y", "(", "::1", "a-b.c", "x:y"})
	case 4, 5:
		if depth > 2 {
			return []any{}
		}
		var out []any
		for range r.Intn(4) {
			out = append(out, genValue(r, depth+1))
		}
		return out
	}
	if depth > 2 {
		return map[string]any{}
	}
	m := map[string]any{}
	for range r.Intn(4) {
		m[pick(r, names)] = genValue(r, depth+1)
	}
	return m
}
