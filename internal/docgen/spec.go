package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/sfnapic/sfnapic/spec"
)

// docs/spec.md is prose written by hand around generated blocks. A block
// starts with a line "<!-- generated: table NAME ... -->" (a spec.Table by
// its Name) or "<!-- generated: def NAME ... -->" (a spec.Def) and ends with
// "<!-- end generated -->"; fillSpec rewrites what is between. Every table
// and def must have exactly one block, so a new table cannot go undocumented.
const (
	startMark = "<!-- generated: "
	endMark   = "<!-- end generated -->"
	editNote  = " from spec/fields.go by go generate: edit the Doc there -->"
)

// fillSpec returns text with every generated block rewritten; file names
// the text in errors.
func fillSpec(file, text string) (string, error) {
	blocks := map[string]string{}
	for _, t := range spec.Tables {
		b, err := tableBlock(t)
		if err != nil {
			return "", err
		}
		blocks["table "+t.Name] = b
	}
	for _, d := range spec.Defs {
		blocks["def "+d.Name] = d.Doc + "\n"
	}
	seen := map[string]bool{}
	var out strings.Builder
	lines := strings.SplitAfter(text, "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		out.WriteString(line)
		if !strings.HasPrefix(line, startMark) {
			continue
		}
		key := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(line), startMark), editNote)
		body, ok := blocks[key]
		if !ok || seen[key] {
			return "", fmt.Errorf("%s:%d: %q names no table or def of spec/fields.go, or a second time; write %s%s", file, i+1, key, startMark+"table NAME", editNote)
		}
		seen[key] = true
		j := i + 1
		for j < len(lines) && strings.TrimSpace(lines[j]) != endMark {
			j++
		}
		if j == len(lines) {
			return "", fmt.Errorf("%s:%d: %s has no %s after it", file, i+1, key, endMark)
		}
		out.WriteString(body)
		out.WriteString(lines[j])
		i = j
	}
	for key := range blocks {
		if !seen[key] {
			return "", fmt.Errorf("%s: no block documents the %s of spec/fields.go: add the lines %s%s%s and %s where it belongs", file, key, startMark, key, editNote, endMark)
		}
	}
	return out.String(), nil
}

// tableBlock writes a field table as Markdown: each field, whether it is
// required (or the first field of one of the mapping's forms), its
// default (the schema's), and its Doc.
func tableBlock(t *spec.Table) (string, error) {
	var b strings.Builder
	b.WriteString("| field | required | default | meaning |\n|---|---|---|---|\n")
	variants := map[string]bool{}
	for _, f := range t.Fields {
		if strings.TrimSpace(f.Doc) == "" {
			return "", fmt.Errorf("spec/fields.go: %s.%s has no Doc: the reference and the schema need one", t.Name, f.Name)
		}
		required := ""
		switch {
		case f.Required:
			required = "yes"
		case f.Variant != "" && !variants[f.Variant]:
			required = "yes, in the " + f.Variant + " form"
		case f.Variant != "":
			required = "no, in the " + f.Variant + " form"
		}
		variants[f.Variant] = true
		def, err := schemaDefault(f.Schema)
		if err != nil {
			return "", fmt.Errorf("spec/fields.go: %s.%s: %w", t.Name, f.Name, err)
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", f.Name, required, def, cell(f.Doc))
	}
	return b.String(), nil
}

// schemaDefault is the schema's "default" as inline code, or "".
func schemaDefault(schema string) (string, error) {
	if schema == "" {
		return "", nil
	}
	var s map[string]json.RawMessage
	if err := json.Unmarshal([]byte(schema), &s); err != nil {
		return "", err
	}
	raw, ok := s["default"]
	if !ok {
		return "", nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", err
	}
	if str, ok := v.(string); ok {
		return "`" + str + "`", nil
	}
	return "`" + string(raw) + "`", nil
}

// cell makes a Doc safe in a Markdown table cell: a | would end the cell.
func cell(doc string) string {
	return strings.ReplaceAll(strings.ReplaceAll(doc, "|", `\|`), "\n", " ")
}
