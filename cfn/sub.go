package cfn

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Text returns the text a string property holds once CloudFormation has
// evaluated it: the value itself, or an Fn::Sub with each ${Name} replaced
// by vars(Name) and each ${!x} by ${x}, as CloudFormation substitutes.
// Fn::Sub's list form supplies variables of its own, which win.
func (t *Template) Text(value string, vars func(name string) (string, bool)) (string, error) {
	sub, err := t.ParseSub(value)
	if err != nil {
		return "", err
	}
	return sub.Resolve(vars)
}

// Sub is a string property read once: its Fn::Sub text and the variables
// of its list form, or a literal value. Resolving it again with other
// variables needs no new reading, which a server rendering the same
// templates for every request saves.
type Sub struct {
	text    string
	local   map[string]string
	literal bool
}

// ParseSub reads a string property: a literal, or an Fn::Sub.
func (t *Template) ParseSub(value string) (*Sub, error) {
	fn, ok := t.Intrinsic(value)
	if !ok {
		return &Sub{text: value, literal: true}, nil
	}
	if fn.Name != "Fn::Sub" {
		return nil, fmt.Errorf("%s cannot be evaluated here: only Fn::Sub is", fn.Name)
	}
	var text string
	local := map[string]string{}
	if json.Unmarshal(fn.Arg, &text) != nil {
		var list []json.RawMessage
		if json.Unmarshal(fn.Arg, &list) != nil || len(list) != 2 || json.Unmarshal(list[0], &text) != nil {
			return nil, fmt.Errorf("Fn::Sub takes a string or [string, {variables}], not %s", fn.Arg)
		}
		var m map[string]json.RawMessage
		if json.Unmarshal(list[1], &m) != nil {
			return nil, fmt.Errorf("Fn::Sub variables must be a mapping, not %s", list[1])
		}
		for k, raw := range m {
			var s string
			if json.Unmarshal(raw, &s) != nil {
				return nil, fmt.Errorf("Fn::Sub variable %s must be a string here, not %s", k, raw)
			}
			local[k] = s
		}
	}
	return &Sub{text: text, local: local}, nil
}

// Resolve substitutes vars (after the Fn::Sub's own variables) into the
// text.
func (s *Sub) Resolve(vars func(name string) (string, bool)) (string, error) {
	if s.literal {
		return s.text, nil
	}
	return Substitute(s.text, func(name string) (string, bool) {
		if v, ok := s.local[name]; ok {
			return v, true
		}
		return vars(name)
	})
}

// Substitute evaluates the text of an Fn::Sub: ${Name} becomes vars(Name)
// (an error when it has none) and ${!x} the literal ${x}.
func Substitute(text string, vars func(name string) (string, bool)) (string, error) {
	var b strings.Builder
	for {
		i := strings.Index(text, "${")
		if i < 0 {
			b.WriteString(text)
			return b.String(), nil
		}
		j := strings.IndexByte(text[i:], '}')
		if j < 0 {
			b.WriteString(text)
			return b.String(), nil
		}
		b.WriteString(text[:i])
		name := text[i+2 : i+j]
		if lit, ok := strings.CutPrefix(name, "!"); ok {
			b.WriteString("${" + lit + "}")
		} else if v, ok := vars(name); ok {
			b.WriteString(v)
		} else {
			return "", fmt.Errorf("Fn::Sub variable ${%s} has no value", name)
		}
		text = text[i+j+1:]
	}
}
