package cfn

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
)

var htmlEscapePrefix = []byte(`\u00`)

// The template is serialized here rather than by goformation's
// Template.JSON, which re-parses its output into interface{} values and
// resolves every intrinsic map it finds with fake values (a {"Ref": ...} in
// a user's state machine definition would be mangled), HTML-escapes the <,
// > and & that VTL is full of, and costs three encoding passes. Here each
// resource is marshalled once with its typed goformation struct, the
// placeholders this package created (and only those) are swapped for their
// intrinsic objects, and indentation is added in the same pass.
//
// Key order is deterministic: sections and struct fields in declaration
// order, map keys sorted, the user's definition as written.

// ResourceJSON returns the compact JSON of one resource with its
// intrinsics restored, marshalling it at most once: a hash of the
// resources and the output share the bytes.
func (t *Template) ResourceJSON(id string) ([]byte, error) {
	if b, ok := t.marshalled[id]; ok {
		return b, nil
	}
	b, err := t.resolved1(t.CFN.Resources[id], t.props[id])
	if err != nil {
		return nil, fmt.Errorf("encoding resource %s: %w", id, err)
	}
	t.marshalled[id] = b
	return b, nil
}

// Resolved marshals a value (a resource, or part of one) to compact JSON
// and restores the template's intrinsics in it.
func (t *Template) Resolved(v any) ([]byte, error) { return t.resolved1(v, nil) }

// resolved1 is Resolved, writing extra properties into the resource v.
func (t *Template) resolved1(v any, extra []property) ([]byte, error) {
	// The encoding is copied by the writer below, so its buffer is the
	// template's to reuse (a fresh buffer per resource would add a sixth
	// to what a 1000-route build allocates).
	e := encoder{out: t.scratch[:0], extra: extra}
	err := e.value(reflect.ValueOf(v))
	b := e.out
	if err != nil {
		return nil, err
	}
	t.scratch = b
	w := &jsonWriter{t: t, prefix: []byte(t.prefix), out: make([]byte, 0, len(b)+len(b)/2)}
	w.write(b)
	return w.out, nil
}

// resolved returns the template as compact JSON with intrinsics restored.
func (t *Template) resolved() ([]byte, error) {
	c := t.CFN
	if c.Transform != nil || len(c.Metadata) > 0 || len(c.Mappings) > 0 || len(c.Conditions) > 0 || len(c.Globals) > 0 {
		return nil, fmt.Errorf("the serializer does not support Transform, Metadata, Mappings, Conditions or Globals")
	}
	ids := make([]string, 0, len(c.Resources))
	size := 0
	for id := range c.Resources {
		ids = append(ids, id)
		size += len(t.marshalled[id])
	}
	sort.Strings(ids)
	buf := bytes.NewBuffer(make([]byte, 0, size+size/4+4096))
	str := func(s string) {
		b, _ := json.Marshal(s)
		buf.Write(b)
	}
	buf.WriteString(`{"AWSTemplateFormatVersion":`)
	str(c.AWSTemplateFormatVersion)
	if c.Description != "" {
		buf.WriteString(`,"Description":`)
		str(c.Description)
	}
	if len(c.Parameters) > 0 {
		// The spec's parameters hold no intrinsics; Resolved sorts them.
		buf.WriteString(`,"Parameters":`)
		b, err := t.Resolved(c.Parameters)
		if err != nil {
			return nil, fmt.Errorf("encoding parameters: %w", err)
		}
		buf.Write(b)
	}
	buf.WriteString(`,"Resources":{`)
	for i, id := range ids {
		if i > 0 {
			buf.WriteByte(',')
		}
		str(id)
		buf.WriteByte(':')
		b, err := t.ResourceJSON(id)
		if err != nil {
			return nil, err
		}
		buf.Write(b)
	}
	buf.WriteByte('}')
	if len(c.Outputs) > 0 {
		buf.WriteString(`,"Outputs":`)
		b, err := t.Resolved(c.Outputs)
		if err != nil {
			return nil, fmt.Errorf("encoding outputs: %w", err)
		}
		buf.Write(b)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// JSON returns the template as JSON indented by two spaces, ending in a
// newline.
func (t *Template) JSON() ([]byte, error) {
	compact, err := t.resolved()
	if err != nil {
		return nil, err
	}
	w := &jsonWriter{indent: true, out: make([]byte, 0, len(compact)*2)}
	w.write(compact)
	w.out = append(w.out, '\n')
	return w.out, nil
}

// jsonWriter copies compact JSON, replacing placeholder strings with their
// intrinsic objects, writing the \u003c, \u003e and \u0026 escapes that
// encoding/json adds back as <, > and &, and optionally indenting exactly
// as json.Indent(dst, src, "", "  ") would.
type jsonWriter struct {
	t      *Template
	prefix []byte // the template's placeholder prefix
	indent bool
	depth  int
	out    []byte
}

func (w *jsonWriter) newline() {
	if !w.indent {
		return
	}
	w.out = append(w.out, '\n')
	for i := 0; i < w.depth; i++ {
		w.out = append(w.out, ' ', ' ')
	}
}

func (w *jsonWriter) write(in []byte) {
	for i := 0; i < len(in); {
		switch c := in[i]; c {
		case '"':
			j := stringEnd(in, i)
			str := in[i+1 : j]
			i = j + 1
			if w.t == nil {
				// Already resolved: copy as it is.
				w.out = append(w.out, in[i-len(str)-2:i]...)
				continue
			}
			if bytes.HasPrefix(str, w.prefix) {
				if obj, ok := w.t.intrinsics[string(str)]; ok {
					w.write(obj)
					continue
				}
			}
			w.out = append(w.out, '"')
			w.out = unescapeHTML(w.out, str)
			w.out = append(w.out, '"')
		case '{', '[':
			if i+1 < len(in) && (in[i+1] == '}' || in[i+1] == ']') {
				w.out = append(w.out, c, in[i+1])
				i += 2
				continue
			}
			w.out = append(w.out, c)
			w.depth++
			w.newline()
			i++
		case '}', ']':
			w.depth--
			w.newline()
			w.out = append(w.out, c)
			i++
		case ',':
			w.out = append(w.out, ',')
			w.newline()
			i++
		case ':':
			w.out = append(w.out, ':')
			if w.indent {
				w.out = append(w.out, ' ')
			}
			i++
		case ' ', '\t', '\n', '\r':
			i++
		default:
			w.out = append(w.out, c)
			i++
		}
	}
}

// stringEnd returns the index of the quote that closes the JSON string
// starting at in[i].
func stringEnd(in []byte, i int) int {
	for j := i + 1; j < len(in); {
		k := bytes.IndexByte(in[j:], '"')
		if k < 0 {
			break
		}
		j += k
		// The quote closes the string unless an odd run of backslashes
		// escapes it.
		n := 0
		for b := j - 1; b > i && in[b] == '\\'; b-- {
			n++
		}
		if n%2 == 0 {
			return j
		}
		j++
	}
	return len(in) - 1
}

// unescapeHTML appends s, a JSON string body, turning the escapes \u003c,
// \u003e and \u0026 into the characters they stand for. Other escapes are
// copied whole, so \\u003c (a backslash, then text) is left alone.
func unescapeHTML(out, s []byte) []byte {
	if !bytes.Contains(s, htmlEscapePrefix) {
		return append(out, s...)
	}
	for k := 0; k < len(s); k++ {
		if s[k] != '\\' {
			out = append(out, s[k])
			continue
		}
		if k+5 < len(s) && s[k+1] == 'u' && s[k+2] == '0' && s[k+3] == '0' {
			switch string(s[k+4 : k+6]) {
			case "3c":
				out = append(out, '<')
				k += 5
				continue
			case "3e":
				out = append(out, '>')
				k += 5
				continue
			case "26":
				out = append(out, '&')
				k += 5
				continue
			}
		}
		out = append(out, s[k], s[k+1])
		k++
	}
	return out
}
