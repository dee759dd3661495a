package cfn

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/awslabs/goformation/v7/cloudformation"
)

// encode writes v as compact JSON, byte for byte as encoding/json.Marshal
// would, except that with html false it leaves <, > and & unescaped, as
// json.Encoder does after SetEscapeHTML(false). TestEncodeMatchesEncodingJSON
// holds it to both, for the shapes that goformation's structs and compile's
// policy maps use.
//
// It exists for start-up time. encoding/json builds an encoder for every
// type reachable from a struct the first time it meets the struct, and a
// goformation resource reaches dozens of property types that sfnapic never
// sets: in a one-shot `sfnapic build` that compilation was an eighth of the
// whole process. This encoder walks only the values that are present.
// Anything outside the shapes it knows (floats, embedded structs, unusual
// tag options, non-string map keys, types with their own MarshalJSON) goes
// to encoding/json, so it is never wrong, only sometimes no faster.
func encode(v any, html bool) ([]byte, error) {
	return appendEncoded(nil, v, html)
}

// appendEncoded is encode appending to out.
func appendEncoded(out []byte, v any, html bool) ([]byte, error) {
	e := encoder{out: out, html: html}
	if err := e.value(reflect.ValueOf(v)); err != nil {
		return nil, err
	}
	return e.out, nil
}

type encoder struct {
	out   []byte
	html  bool
	depth int
	// extra are properties the first resource written gets after its
	// struct's (property.go).
	extra []property
}

// maxEncodeDepth stops a cyclic value, as encoding/json does, with an error
// rather than a stack overflow. No template comes near it.
const maxEncodeDepth = 1000

var (
	marshalerType     = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[interface{ MarshalText() ([]byte, error) }]()
	resourceType      = reflect.TypeFor[cloudformation.Resource]()
)

// How a type is written, decided once per type.
type plan struct {
	how    how
	fields []field // structs and resources: the serialized fields
	attrs  []field // resources: DependsOn and the other attributes
}

type how uint8

const (
	byKind       how = iota // by its reflect.Kind
	byEncoding              // encoding/json's own rules: left to it
	byPointerDef            // a pointer whose target marshals itself
	byAddress               // a value whose pointer marshals itself
	asResource              // a goformation resource
)

var plans sync.Map // reflect.Type -> *plan

func planFor(t reflect.Type) *plan {
	if p, ok := plans.Load(t); ok {
		return p.(*plan)
	}
	p := &plan{}
	switch {
	case t.Kind() == reflect.Struct && t.Implements(marshalerType) && reflect.PointerTo(t).Implements(resourceType):
		p.how = asResource
		p.fields, _ = structFields(t)
		p.attrs = resourceAttrs(t)
		if p.fields == nil || p.attrs == nil {
			p.how = byEncoding
		}
	case t.Implements(marshalerType):
		p.how = byEncoding
		if t.Kind() == reflect.Pointer && t.Elem().Implements(marshalerType) {
			p.how = byPointerDef
		}
	case reflect.PointerTo(t).Implements(marshalerType):
		p.how = byAddress
	case t.Kind() == reflect.Struct:
		var ok bool
		if p.fields, ok = structFields(t); !ok {
			p.how = byEncoding
		}
	case t.Kind() == reflect.Map:
		if t.Key().Kind() != reflect.String || t.Key().Implements(textMarshalerType) {
			p.how = byEncoding
		}
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8:
		p.how = byEncoding // []byte is base64
	}
	switch t.Kind() {
	case reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128,
		reflect.Chan, reflect.Func, reflect.UnsafePointer, reflect.Uintptr:
		p.how = byEncoding
	}
	plans.Store(t, p)
	return p
}

func (e *encoder) value(v reflect.Value) error {
	if !v.IsValid() {
		e.out = append(e.out, "null"...)
		return nil
	}
	if e.depth++; e.depth > maxEncodeDepth {
		return fmt.Errorf("value nested more than %d levels deep (a cycle?)", maxEncodeDepth)
	}
	err := e.planned(v, planFor(v.Type()))
	e.depth--
	return err
}

func (e *encoder) planned(v reflect.Value, p *plan) error {
	switch p.how {
	case byEncoding:
		if v.Kind() == reflect.Pointer && v.IsNil() {
			e.out = append(e.out, "null"...)
			return nil
		}
		return e.fallback(v)
	case byAddress:
		// Addressable, encoding/json calls the pointer method; otherwise it
		// writes the fields. Either way, it decides.
		return e.fallback(v)
	case asResource:
		return e.resource(v, p)
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			e.out = append(e.out, "null"...)
			return nil
		}
		return e.value(v.Elem())
	case reflect.String:
		e.out = appendString(e.out, v.String(), e.html)
	case reflect.Bool:
		e.out = strconv.AppendBool(e.out, v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.out = strconv.AppendInt(e.out, v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		e.out = strconv.AppendUint(e.out, v.Uint(), 10)
	case reflect.Slice:
		if v.IsNil() {
			e.out = append(e.out, "null"...)
			return nil
		}
		return e.array(v)
	case reflect.Array:
		return e.array(v)
	case reflect.Map:
		return e.mapping(v)
	case reflect.Struct:
		return e.structure(v, p.fields)
	}
	return nil
}

// fallback leaves v to encoding/json. The HTML escapes it writes are
// undone by the template writer (jsonWriter), as they always were.
func (e *encoder) fallback(v reflect.Value) error {
	if v.CanAddr() {
		// Addressable values keep their pointer methods in encoding/json.
		v = v.Addr()
	}
	var b []byte
	var err error
	if e.html {
		b, err = json.Marshal(v.Interface())
	} else {
		b, err = marshalNoHTML(v.Interface())
	}
	if err != nil {
		return err
	}
	e.out = append(e.out, b...)
	return nil
}

func (e *encoder) array(v reflect.Value) error {
	e.out = append(e.out, '[')
	for i := range v.Len() {
		if i > 0 {
			e.out = append(e.out, ',')
		}
		if err := e.value(v.Index(i)); err != nil {
			return err
		}
	}
	e.out = append(e.out, ']')
	return nil
}

func (e *encoder) mapping(v reflect.Value) error {
	if v.IsNil() {
		e.out = append(e.out, "null"...)
		return nil
	}
	type entry struct {
		key   string
		value reflect.Value
	}
	entries := make([]entry, 0, v.Len())
	for it := v.MapRange(); it.Next(); {
		entries = append(entries, entry{it.Key().String(), it.Value()})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].key < entries[j].key })
	e.out = append(e.out, '{')
	for i, en := range entries {
		if i > 0 {
			e.out = append(e.out, ',')
		}
		e.out = appendString(e.out, en.key, e.html)
		e.out = append(e.out, ':')
		if err := e.value(en.value); err != nil {
			return err
		}
	}
	e.out = append(e.out, '}')
	return nil
}

// resourceAttrs finds the resource attributes that goformation's generated
// MarshalJSON writes after Properties, in its order, or nil when the type
// lacks one (a resource this encoder does not know how to write).
func resourceAttrs(t reflect.Type) []field {
	names := []struct{ key, field string }{
		{"DependsOn", "AWSCloudFormationDependsOn"},
		{"Metadata", "AWSCloudFormationMetadata"},
		{"DeletionPolicy", "AWSCloudFormationDeletionPolicy"},
		{"UpdateReplacePolicy", "AWSCloudFormationUpdateReplacePolicy"},
		{"Condition", "AWSCloudFormationCondition"},
	}
	attrs := make([]field, 0, len(names))
	for _, n := range names {
		sf, ok := t.FieldByName(n.field)
		if !ok || len(sf.Index) != 1 {
			return nil
		}
		attrs = append(attrs, field{index: sf.Index[0], key: `,"` + n.key + `":`, omitEmpty: true})
	}
	return attrs
}

// resource writes a goformation resource the way its generated MarshalJSON
// does: Type, the struct's own fields as Properties, then the resource
// attributes that are set.
func (e *encoder) resource(v reflect.Value, p *plan) error {
	if !v.CanAddr() {
		c := reflect.New(v.Type())
		c.Elem().Set(v)
		v = c.Elem()
	}
	r := v.Addr().Interface().(cloudformation.Resource)
	e.out = append(e.out, `{"Type":`...)
	e.out = appendString(e.out, r.AWSCloudFormationType(), e.html)
	e.out = append(e.out, `,"Properties":`...)
	if err := e.structure(v, p.fields); err != nil {
		return err
	}
	if err := e.extraProperties(); err != nil {
		return err
	}
	for _, a := range p.attrs {
		av := v.Field(a.index)
		if empty(av) {
			continue
		}
		e.out = append(e.out, a.key...)
		if err := e.value(av); err != nil {
			return err
		}
	}
	e.out = append(e.out, '}')
	return nil
}

func (e *encoder) structure(v reflect.Value, fields []field) error {
	e.out = append(e.out, '{')
	first := true
	for _, f := range fields {
		fv := v.Field(f.index)
		if f.omitEmpty && empty(fv) {
			continue
		}
		if !first {
			e.out = append(e.out, ',')
		}
		first = false
		e.out = append(e.out, f.key...)
		if err := e.value(fv); err != nil {
			return err
		}
	}
	e.out = append(e.out, '}')
	return nil
}

// field is one serialized struct field.
type field struct {
	index     int
	key       string // the quoted name and its colon
	omitEmpty bool
}

// structFields lists a struct's serialized fields, or reports false for a
// struct that encoding/json treats in ways this encoder does not copy.
func structFields(t reflect.Type) ([]field, bool) {
	fs := []field{}
	seen := map[string]bool{}
	for i := range t.NumField() {
		sf := t.Field(i)
		if sf.Anonymous {
			fs = nil
			break
		}
		if !sf.IsExported() {
			continue
		}
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if opts != "" && opts != "omitempty" || !validTagName(name) {
			fs = nil
			break
		}
		if name == "" {
			name = sf.Name
		}
		if seen[name] {
			fs = nil // encoding/json drops both; let it
			break
		}
		seen[name] = true
		fs = append(fs, field{index: i, key: string(appendString(nil, name, true)) + ":", omitEmpty: opts == "omitempty"})
	}
	return fs, fs != nil
}

// validTagName accepts the tag names that encoding/json takes as written;
// anything else sends the struct to encoding/json.
func validTagName(name string) bool {
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// empty is encoding/json's omitempty test.
func empty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64,
		reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}

// appendString appends s quoted as encoding/json quotes it: control
// characters, quotes and backslashes escaped, invalid UTF-8 as U+FFFD,
// U+2028 and U+2029 escaped for JavaScript, and, when html is set, <, >
// and & as \u003c, \u003e and \u0026.
func appendString(out []byte, s string, html bool) []byte {
	const hex = "0123456789abcdef"
	out = append(out, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && (!html || c != '<' && c != '>' && c != '&') {
				i++
				continue
			}
			out = append(out, s[start:i]...)
			switch c {
			case '"', '\\':
				out = append(out, '\\', c)
			case '\b':
				out = append(out, '\\', 'b')
			case '\f':
				out = append(out, '\\', 'f')
			case '\n':
				out = append(out, '\\', 'n')
			case '\r':
				out = append(out, '\\', 'r')
			case '\t':
				out = append(out, '\\', 't')
			default:
				out = append(out, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			out = append(out, s[start:i]...)
			out = append(out, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			out = append(out, s[start:i]...)
			out = append(out, '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	out = append(out, s[start:]...)
	return append(out, '"')
}

// extraProperties writes the properties SetProperty kept into the
// Properties object just written (its closing brace is the last byte).
func (e *encoder) extraProperties() error {
	extra := e.extra
	e.extra = nil
	for _, p := range extra {
		e.out = e.out[:len(e.out)-1]
		if e.out[len(e.out)-1] != '{' {
			e.out = append(e.out, ',')
		}
		e.out = appendString(e.out, p.key, e.html)
		e.out = append(e.out, ':')
		if err := e.value(reflect.ValueOf(p.value)); err != nil {
			return err
		}
		e.out = append(e.out, '}')
	}
	return nil
}
