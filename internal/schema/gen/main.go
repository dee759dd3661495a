// Command gen writes spec.schema.json, the JSON Schema of the sfnapic spec,
// from the spec package's field tables: go generate ./internal/schema.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/sfnapic/sfnapic/spec"
)

func main() {
	out, err := generate()
	if err == nil {
		err = os.WriteFile("spec.schema.json", out, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// obj is a JSON object that keeps its key order.
type obj []kv

type kv struct {
	k string
	v any
}

func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, e := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(e.k)
		b.Write(k)
		b.WriteByte(':')
		v, err := json.Marshal(e.v)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// parse reads a JSON fragment keeping the key order of its objects.
func parse(text string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	v, err := value(dec)
	if err != nil {
		return nil, fmt.Errorf("%w in %s", err, text)
	}
	return v, nil
}

func value(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '[' {
			arr := []any{}
			for dec.More() {
				v, err := value(dec)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			_, err := dec.Token()
			return arr, err
		}
		o := obj{}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := value(dec)
			if err != nil {
				return nil, err
			}
			o = append(o, kv{k.(string), v})
		}
		_, err := dec.Token()
		return o, err
	}
	return tok, nil
}

// described is a schema fragment with a description in front.
func described(doc, schema string) (obj, error) {
	o := obj{}
	if doc != "" {
		o = append(o, kv{"description", doc})
	}
	if schema == "" {
		return o, nil
	}
	v, err := parse(schema)
	if err != nil {
		return nil, err
	}
	frag, ok := v.(obj)
	if !ok {
		return nil, fmt.Errorf("schema %s is not an object", schema)
	}
	return append(o, frag...), nil
}

// object is the schema of the mapping whose fields are given.
func object(fields []spec.Field, required []string) (obj, error) {
	o := obj{{"type", "object"}, {"additionalProperties", false}}
	if len(required) > 0 {
		o = append(o, kv{"required", required})
	}
	props := obj{}
	for _, f := range fields {
		p, err := described(f.Doc, f.Schema)
		if err != nil {
			return nil, fmt.Errorf("field %s: %w", f.Name, err)
		}
		props = append(props, kv{f.Name, p})
	}
	return append(o, kv{"properties", props}), nil
}

// table is the schema of a table's mapping: one object, or with variants
// one object per variant (each requiring its first field).
func table(t *spec.Table) (obj, error) {
	var variants []string
	byVariant := map[string][]spec.Field{}
	for _, f := range t.Fields {
		if _, ok := byVariant[f.Variant]; !ok {
			variants = append(variants, f.Variant)
		}
		byVariant[f.Variant] = append(byVariant[f.Variant], f)
	}
	var o obj
	var err error
	if len(variants) == 1 && variants[0] == "" {
		o, err = object(t.Fields, t.RequiredKeys())
	} else {
		var alts []any
		for _, v := range variants {
			fs := byVariant[v]
			alt, err := object(fs, []string{fs[0].Name})
			if err != nil {
				return nil, err
			}
			alts = append(alts, alt)
		}
		o = obj{{"oneOf", alts}}
	}
	if err != nil {
		return nil, err
	}
	if t.Rules != "" {
		rules, err := described("", t.Rules)
		if err != nil {
			return nil, fmt.Errorf("rules of %s: %w", t.Name, err)
		}
		o = append(o, rules...)
	}
	return o, nil
}

func generate() ([]byte, error) {
	top, err := table(&spec.TopFields)
	if err != nil {
		return nil, err
	}
	doc := append(obj{
		{"$schema", "https://json-schema.org/draft/2020-12/schema"},
		{"$id", "https://github.com/sfnapic/sfnapic/schema/spec.schema.json"},
		{"title", "sfnapic spec"},
		{"description", "An HTTP API on API Gateway whose routes start AWS Step Functions executions. Compile it with `sfnapic build`."},
	}, top...)
	defs := obj{}
	for _, t := range spec.Tables {
		if t == &spec.TopFields {
			continue
		}
		d, err := table(t)
		if err != nil {
			return nil, err
		}
		defs = append(defs, kv{t.Name, d})
	}
	for _, d := range spec.Defs {
		s, err := described(d.Doc, d.Schema)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", d.Name, err)
		}
		defs = append(defs, kv{d.Name, s})
	}
	doc = append(doc, kv{"$defs", defs})
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
