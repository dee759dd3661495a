package compile

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
)

func encodeBase64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// JSON returns the template as indented JSON, ending in a newline.
//
// goformation's own Template.JSON re-parses its output into interface{}
// values and resolves every intrinsic map it finds with fake values, which
// would mangle a {"Ref": ...} in a user's state machine definition; it also
// HTML-escapes <, > and &, which VTL is full of. This serializer marshals the
// typed structs once, swaps the placeholders that this package created (and
// only those) for their intrinsic objects, restores <, > and &, and indents.
// Key order is deterministic: struct fields in declaration order, map keys
// sorted, the user's definition in the order it was written.
func (t *Template) JSON() ([]byte, error) {
	compact, err := t.compact()
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	out.Grow(len(compact) * 2)
	if err := json.Indent(&out, compact, "", "  "); err != nil {
		return nil, fmt.Errorf("indenting template: %w", err)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// compact returns the template as compact JSON with intrinsics restored.
func (t *Template) compact() ([]byte, error) {
	var raw bytes.Buffer
	enc := json.NewEncoder(&raw)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(t.CFN); err != nil {
		return nil, fmt.Errorf("encoding template: %w", err)
	}
	return t.restore(bytes.TrimSuffix(raw.Bytes(), []byte("\n"))), nil
}

// restore copies compact JSON, replacing every string that is one of this
// template's intrinsic placeholders with the intrinsic object, and writing
// the \u003c, \u003e and \u0026 escapes that goformation's own marshalling
// adds back as <, > and &.
func (t *Template) restore(in []byte) []byte {
	out := make([]byte, 0, len(in)+len(in)/8)
	for i := 0; i < len(in); {
		c := in[i]
		if c != '"' {
			out = append(out, c)
			i++
			continue
		}
		// Find the end of the string.
		j := i + 1
		escaped := false
		for ; j < len(in); j++ {
			if in[j] == '\\' {
				escaped = true
				j++
				continue
			}
			if in[j] == '"' {
				break
			}
		}
		str := in[i+1 : j]
		i = j + 1
		if !escaped && len(str) > 8 && str[0] == 'e' && str[1] == 'y' {
			if obj, ok := t.intrinsics[string(str)]; ok {
				out = append(out, obj...)
				continue
			}
		}
		out = append(out, '"')
		if !escaped {
			out = append(out, str...)
		} else {
			out = unescapeHTML(out, str)
		}
		out = append(out, '"')
	}
	return out
}

// unescapeHTML appends s, a JSON string body, turning the escapes \u003c,
// \u003e and \u0026 into the characters they stand for. Other escapes are
// copied whole, so \\u003c (a backslash, then text) is left alone.
func unescapeHTML(out, s []byte) []byte {
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
