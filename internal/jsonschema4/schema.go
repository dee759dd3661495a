// Package jsonschema4 validates JSON values against JSON Schema draft-04,
// the draft of API Gateway's models, and checks that a schema is one.
//
// It is sfnapic's own so that no command pays for a general validator's
// start-up (github.com/santhosh-tekuri/jsonschema/v6 compiles every
// draft's metaschema in its package init: 2.7 ms and 1.7 MB at every
// start). It keeps that library's behaviour, which its tests hold it to:
// the same errors, at the same places, with the same numbers; patterns are Go
// regular expressions (RE2), so an ECMA 262 feature RE2 lacks (lookahead,
// lookbehind, backreferences) makes the schema invalid, as it did.
//
// It asserts only the six formats draft-04 defines, as their RFCs write
// them (format.go), and regex, which the metaschema uses for "pattern".
//
// It differs where the library was not deterministic: the properties of
// an object, patternProperties and dependencies are visited in sorted
// order, not in Go's map order. "id" does not change the base URL of
// $ref (sfnapic refuses id in a body schema).
//
// Values are what encoding/json decodes with UseNumber: nil, bool,
// json.Number (float64 and Go's integers are taken too), string, []any
// and map[string]any.
package jsonschema4

import (
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Schema is a compiled schema.
type Schema struct {
	loc string // its URL, with the JSON pointer as fragment

	ref *Schema // draft-04: a $ref replaces every other keyword

	types         []string
	enum          []any
	format        func(any) error
	formatName    string
	multipleOf    *big.Rat
	maximum       *big.Rat
	exclusiveMax  bool
	minimum       *big.Rat
	exclusiveMin  bool
	maxLength     *int
	minLength     *int
	pattern       *regexp.Regexp
	items         *Schema
	itemsList     []*Schema
	additionalItm any // nil, bool or *Schema
	maxItems      *int
	minItems      *int
	uniqueItems   bool
	maxProps      *int
	minProps      *int
	required      []string
	properties    map[string]*Schema
	patternProps  []patternProp
	additionalPrp any // nil, bool or *Schema
	dependencies  []dependency
	allOf         []*Schema
	anyOf         []*Schema
	oneOf         []*Schema
	not           *Schema
}

type patternProp struct {
	re     *regexp.Regexp
	schema *Schema
}

type dependency struct {
	prop     string
	required []string // when the dependency is a list of names
	schema   *Schema  // when it is a schema
}

// Loader gives the document at an absolute URL (without fragment).
type Loader func(url string) (any, error)

// Compile compiles the schema doc, found at base (an absolute URL);
// load gives the documents its $refs name at other URLs (nil: none).
//
// Each document is first checked against draft-04's metaschema: an
// *InvalidSchemaError says where it is no draft-04 schema.
func Compile(base string, doc any, load Loader) (*Schema, error) {
	if err := checkDoc(base, doc); err != nil {
		return nil, err
	}
	c := &compiler{docs: map[string]any{base: doc}, load: load, done: map[string]*Schema{}, check: true}
	return c.root(base + "#")
}

// CompileURL compiles the schema that load gives for u.
func CompileURL(u string, load Loader) (*Schema, error) {
	c := &compiler{docs: map[string]any{}, load: load, done: map[string]*Schema{}, check: true}
	return c.root(u)
}

// Unmarshal decodes one JSON value with numbers as json.Number, as
// the validator takes it; text after it is an error.
func Unmarshal(r io.Reader) (any, error) {
	d := json.NewDecoder(r)
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, fmt.Errorf("invalid character after top-level value")
	}
	return v, nil
}

type compiler struct {
	docs map[string]any
	load Loader
	done map[string]*Schema // by URL#pointer: shared, and cycles end
	// check checks each loaded document against the metaschema.
	check bool
	queue []*Schema // met, not compiled yet
}

// root compiles the schema at u and all it leads to.
func (c *compiler) root(u string) (*Schema, error) {
	s, err := c.at(u)
	if err == nil {
		err = c.drain()
	}
	if err != nil {
		return nil, err
	}
	return s, nil
}

// at is the schema at an absolute URL with a fragment. It is compiled
// later, by drain: the schemas are compiled breadth first, as the library
// did, so that the first error of a schema with several is the one it
// reported.
func (c *compiler) at(u string) (*Schema, error) {
	doc, frag, _ := strings.Cut(u, "#")
	if frag, err := url.PathUnescape(frag); err == nil {
		u = doc + "#" + frag
	}
	if s := c.done[u]; s != nil {
		return s, nil
	}
	if _, ok := c.docs[doc]; !ok {
		if c.load == nil {
			return nil, fmt.Errorf("%s: no schema is loaded from elsewhere", doc)
		}
		v, err := c.load(doc)
		if err != nil {
			return nil, err
		}
		if c.check {
			if err := checkDoc(doc, v); err != nil {
				return nil, err
			}
		}
		c.docs[doc] = v
	}
	s := &Schema{loc: u}
	c.done[u] = s
	c.queue = append(c.queue, s)
	return s, nil
}

// drain compiles the schemas met so far, and those they lead to.
func (c *compiler) drain() error {
	for len(c.queue) > 0 {
		s := c.queue[0]
		c.queue = c.queue[1:]
		doc, frag, _ := strings.Cut(s.loc, "#")
		v, ok := Pointer(c.docs[doc], frag)
		if !ok {
			return fmt.Errorf("$ref %q: the schema has nothing at %q", s.loc, frag)
		}
		obj, ok := v.(map[string]any)
		if !ok {
			// What a $ref points at is checked as a schema of its own.
			if err := metaschema().Validate(v); err != nil {
				return &InvalidSchemaError{URL: s.loc, Err: err.(*Error)}
			}
			return fmt.Errorf("%s: a schema is an object, got %s", s.loc, typeName(v))
		}
		if err := c.compile(s, obj); err != nil {
			return err
		}
	}
	return nil
}

// Pointer resolves a JSON pointer (RFC 6901, already unescaped from a
// URL fragment) in v.
func Pointer(v any, ptr string) (any, bool) {
	if ptr == "" {
		return v, true
	}
	if !strings.HasPrefix(ptr, "/") {
		return nil, false
	}
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch x := v.(type) {
		case map[string]any:
			next, ok := x[tok]
			if !ok {
				return nil, false
			}
			v = next
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) || strconv.Itoa(i) != tok {
				return nil, false
			}
			v = x[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// child compiles the subschema at a keyword's path below s.
func (c *compiler) child(s *Schema, path ...string) (*Schema, error) {
	u := s.loc
	for _, tok := range path {
		u += "/" + escape(tok)
	}
	return c.at(u)
}

func (c *compiler) compile(s *Schema, obj map[string]any) error {
	if ref, ok := obj["$ref"].(string); ok {
		target, err := resolveRef(s.loc, ref)
		if err != nil {
			return err
		}
		s.ref, err = c.at(target)
		return err
	}
	// The library compiled a schema's applicators (and the expressions
	// naming patternProperties) before its own checks (pattern).
	if err := c.compileApplicators(s, obj); err != nil {
		return err
	}
	return c.compileChecks(s, obj)
}

// resolveRef resolves a $ref against the URL of the schema holding it;
// the result always has a fragment ("#" for the whole document).
func resolveRef(loc, ref string) (string, error) {
	doc, _, _ := strings.Cut(loc, "#")
	refDoc, frag, _ := strings.Cut(ref, "#")
	if refDoc != "" {
		base, err := url.Parse(doc)
		if err != nil {
			return "", err
		}
		r, err := url.Parse(refDoc)
		if err != nil {
			return "", fmt.Errorf("$ref %q at %s: %v", ref, loc, err)
		}
		doc = base.ResolveReference(r).String()
	}
	return doc + "#" + frag, nil
}

// compileChecks reads the keywords that check the value itself.
func (c *compiler) compileChecks(s *Schema, obj map[string]any) error {
	s.types = types(obj["type"])
	s.enum, _ = obj["enum"].([]any)
	if f, ok := obj["format"].(string); ok {
		if f == "regex" {
			s.format, s.formatName = validateRegex, f
		} else if check := formats[f]; check != nil {
			s.format, s.formatName = stringFormat(check), f
		}
	}
	s.multipleOf, s.maximum, s.minimum = number(obj["multipleOf"]), number(obj["maximum"]), number(obj["minimum"])
	s.exclusiveMax, _ = obj["exclusiveMaximum"].(bool)
	s.exclusiveMin, _ = obj["exclusiveMinimum"].(bool)
	s.maxLength, s.minLength = integer(obj["maxLength"]), integer(obj["minLength"])
	s.maxItems, s.minItems = integer(obj["maxItems"]), integer(obj["minItems"])
	s.maxProps, s.minProps = integer(obj["maxProperties"]), integer(obj["minProperties"])
	s.uniqueItems, _ = obj["uniqueItems"].(bool)
	s.required = stringsOf(obj["required"])
	if p, ok := obj["pattern"].(string); ok {
		re, err := regexp.Compile(p)
		if err != nil {
			return fmt.Errorf("invalid regex %q at %q: %v", p, s.loc+"/pattern", err)
		}
		s.pattern = re
	}
	return nil
}

// compileApplicators reads the keywords that hold subschemas.
func (c *compiler) compileApplicators(s *Schema, obj map[string]any) error {
	var err error
	list := func(kw string) []*Schema {
		arr, _ := obj[kw].([]any)
		var out []*Schema
		for i := range arr {
			if err == nil {
				var sub *Schema
				sub, err = c.child(s, kw, strconv.Itoa(i))
				out = append(out, sub)
			}
		}
		return out
	}
	one := func(kw string) *Schema {
		if _, ok := obj[kw].(map[string]any); !ok || err != nil {
			return nil
		}
		var sub *Schema
		sub, err = c.child(s, kw)
		return sub
	}
	s.allOf, s.anyOf, s.oneOf, s.not = list("allOf"), list("anyOf"), list("oneOf"), one("not")
	if _, ok := obj["items"].([]any); ok {
		s.itemsList = list("items")
		s.additionalItm = c.additional(s, obj, "additionalItems", &err)
	} else {
		s.items = one("items")
	}
	s.additionalPrp = c.additional(s, obj, "additionalProperties", &err)
	if err != nil {
		return err
	}
	return c.compileObject(s, obj)
}

// additional reads additionalItems or additionalProperties: a boolean
// or a schema.
func (c *compiler) additional(s *Schema, obj map[string]any, kw string, errp *error) any {
	switch v := obj[kw].(type) {
	case bool:
		return v
	case map[string]any:
		sub, err := c.child(s, kw)
		if *errp == nil {
			*errp = err
		}
		return sub
	}
	return nil
}

// compileObject reads properties, patternProperties and dependencies.
func (c *compiler) compileObject(s *Schema, obj map[string]any) error {
	if props, ok := obj["properties"].(map[string]any); ok {
		s.properties = map[string]*Schema{}
		for _, name := range sortedKeys(props) {
			sub, err := c.child(s, "properties", name)
			if err != nil {
				return err
			}
			s.properties[name] = sub
		}
	}
	if props, ok := obj["patternProperties"].(map[string]any); ok {
		for _, pat := range sortedKeys(props) {
			re, err := regexp.Compile(pat)
			if err != nil {
				return fmt.Errorf("invalid regex %q at %q: %v", pat, s.loc+"/patternProperties", err)
			}
			sub, err := c.child(s, "patternProperties", pat)
			if err != nil {
				return err
			}
			s.patternProps = append(s.patternProps, patternProp{re, sub})
		}
	}
	deps, _ := obj["dependencies"].(map[string]any)
	for _, name := range sortedKeys(deps) {
		d := dependency{prop: name}
		if arr, ok := deps[name].([]any); ok {
			d.required = stringsOf(arr)
		} else if _, ok := deps[name].(map[string]any); ok {
			sub, err := c.child(s, "dependencies", name)
			if err != nil {
				return err
			}
			d.schema = sub
		} else {
			continue
		}
		s.dependencies = append(s.dependencies, d)
	}
	return nil
}

func validateRegex(v any) error {
	if s, ok := v.(string); ok {
		_, err := regexp.Compile(s)
		return err
	}
	return nil
}

// typeOrder is draft-04's order of the type names, which messages keep.
var typeOrder = []string{"null", "boolean", "number", "integer", "string", "array", "object"}

func types(v any) []string {
	names := map[string]bool{}
	switch v := v.(type) {
	case string:
		names[v] = true
	case []any:
		for _, it := range v {
			if s, ok := it.(string); ok {
				names[s] = true
			}
		}
	}
	var out []string
	for _, t := range typeOrder {
		if names[t] {
			out = append(out, t)
		}
	}
	return out
}

func number(v any) *big.Rat {
	if typeName(v) != "number" {
		return nil
	}
	n, ok := new(big.Rat).SetString(fmt.Sprint(v))
	if !ok {
		return nil
	}
	return n
}

func integer(v any) *int {
	if n := number(v); n != nil && n.IsInt() {
		i := int(n.Num().Int64())
		return &i
	}
	return nil
}

func stringsOf(v any) []string {
	arr, _ := v.([]any)
	var out []string
	for _, it := range arr {
		if s, ok := it.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
