package cmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/rogpeppe/go-internal/diff"

	"github.com/sfnapic/sfnapic/internal/deploy"
)

// This file renders a change set's property-level changes, before and
// after, as cdk diff and rain do: for each modified resource, each
// changed property's path with its old and new values, and whether
// changing it replaces the resource. Values are CloudFormation's
// (DescribeChangeSet with IncludePropertyValues), so NoEcho parameters
// stay masked as it masks them; every line is escaped, since a template's
// strings can hold control characters.

// compactWidth is how long a JSON value may be on one line; longer
// objects and lists are indented, one member a line.
const compactWidth = 60

// propertyChanges prints the changed properties of each modified resource
// that has any, in the change set's order, then names the modified
// resources the service gave no details of (moto gives none).
func (r *textReporter) propertyChanges(changes []deploy.Change) {
	header := false
	var bare []string
	for _, c := range changes {
		if c.Action == types.ChangeActionModify && len(c.Properties) == 0 {
			bare = append(bare, escapeText(c.LogicalID))
		}
		if c.Action != types.ChangeActionModify || len(c.Properties) == 0 {
			continue
		}
		if !header {
			r.printf("\nProperty changes:\n")
			header = true
		}
		mark := ""
		switch c.Replacement {
		case types.ReplacementTrue:
			mark = "  <- REPLACED"
		case types.ReplacementConditional:
			mark = "  <- may be replaced"
		}
		r.printf("\n  ~ %s (%s)%s\n", escapeText(c.LogicalID), escapeText(c.ResourceType), mark)
		for _, p := range c.Properties {
			r.printf("%s", propertyText(p, c.BeforeContext, c.AfterContext))
		}
	}
	if len(bare) > 0 {
		r.printf("\nThe service gave no property details for %s.\n", strings.Join(bare, ", "))
	}
}

// propertyText is one changed property: its path and what changes it,
// then its values.
func propertyText(p deploy.PropertyChange, beforeCtx, afterCtx string) string {
	var b strings.Builder
	sign := map[types.AttributeChangeType]string{types.AttributeChangeTypeAdd: "+", types.AttributeChangeTypeRemove: "-", types.AttributeChangeTypeModify: "~"}[p.ChangeType]
	if sign == "" {
		sign = "~"
	}
	fmt.Fprintf(&b, "      %s %s", sign, escapeText(propertyPath(p)))
	switch p.Recreation {
	case types.RequiresRecreationAlways:
		b.WriteString("  <- replaces the resource")
	case types.RequiresRecreationConditionally:
		b.WriteString("  <- may replace the resource")
	}
	if p.Source != "" && p.Source != types.ChangeSourceDirectModification {
		fmt.Fprintf(&b, "  (%s %s)", p.Source, escapeText(p.CausingEntity))
	}
	if p.Evaluation == types.EvaluationTypeDynamic {
		b.WriteString("  (the new value is known only during the update)")
	}
	b.WriteString("\n")
	var before, after []string
	if p.HasBefore {
		before = valueLines(p.Before, beforeCtx, p.Path)
	}
	if p.HasAfter {
		after = valueLines(p.After, afterCtx, p.Path)
	}
	for _, line := range valueDiff(before, after) {
		fmt.Fprintf(&b, "          %s\n", strings.TrimRight(escapeLines(line), " "))
	}
	return b.String()
}

// propertyPath is where a change is: its path, or for services that give
// none, the property's name or the attribute.
func propertyPath(p deploy.PropertyChange) string {
	switch {
	case p.Path != "":
		return p.Path
	case p.Name != "":
		return "/" + string(p.Attribute) + "/" + p.Name
	}
	return "/" + string(p.Attribute)
}

// valueLines is a value as lines to print. CloudFormation gives a string
// as it is and any other value as JSON; the resource's context, where the
// path leads to the same string, tells a string that looks like JSON from
// JSON. A string shows quoted on one line, or as its own lines when it
// has several (a mapping template); JSON shows compact, or indented when
// long.
func valueLines(v, context, path string) []string {
	isString := stringInContext(v, context, path)
	if !isString && json.Valid([]byte(v)) {
		var compact bytes.Buffer
		if err := json.Compact(&compact, []byte(v)); err == nil && (compact.Len() <= compactWidth || !strings.ContainsAny(compact.String()[:1], "{[")) {
			return []string{compact.String()}
		}
		var indented bytes.Buffer
		_ = json.Indent(&indented, []byte(v), "", "  ")
		return strings.Split(indented.String(), "\n")
	}
	if strings.Contains(v, "\n") {
		return strings.Split(strings.TrimSuffix(v, "\n"), "\n")
	}
	return []string{quoteJSON(v)}
}

// stringInContext reports whether the context's value at path is the
// string v.
func stringInContext(v, context, path string) bool {
	var doc any
	if context == "" || path == "" || json.Unmarshal([]byte(context), &doc) != nil {
		return false
	}
	for _, tok := range strings.Split(strings.TrimPrefix(path, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch x := doc.(type) {
		case map[string]any:
			doc = x[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return false
			}
			doc = x[i]
		default:
			return false
		}
	}
	s, ok := doc.(string)
	return ok && s == v
}

// quoteJSON is s as a JSON string, <, > and & as they are.
func quoteJSON(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

// valueDiff shows a value's change: "- before" and "+ after" when each is
// one line (or one side is absent), else a unified line diff.
func valueDiff(before, after []string) []string {
	var out []string
	if len(before) <= 1 || len(after) <= 1 || before == nil || after == nil {
		for _, l := range before {
			out = append(out, "- "+l)
		}
		for _, l := range after {
			out = append(out, "+ "+l)
		}
		return out
	}
	// The anchored diff go-internal ships (and the golden tests use): its
	// hunks, without the file header.
	d := diff.Diff("before", []byte(strings.Join(before, "\n")+"\n"), "after", []byte(strings.Join(after, "\n")+"\n"))
	if len(d) == 0 {
		// The lines are the same: the values differ only in the line
		// break that valueLines takes off the end.
		return []string{"  (the same lines: only a final line break was added or removed)"}
	}
	lines := strings.Split(strings.TrimSuffix(string(d), "\n"), "\n")
	for len(lines) > 0 && !strings.HasPrefix(lines[0], "@@") {
		lines = lines[1:]
	}
	return lines
}

// changeJSON is a change in deploy's CHANGESET line.
type changeJSON struct {
	Action      string         `json:"action"`
	LogicalID   string         `json:"logicalId"`
	Type        string         `json:"type"`
	Replacement string         `json:"replacement,omitempty"`
	Properties  []propertyJSON `json:"properties,omitempty"`
}

// propertyJSON is a changed property, its values as CloudFormation gives
// them (absent when it gives none).
type propertyJSON struct {
	Path               string  `json:"path"`
	ChangeType         string  `json:"changeType,omitempty"`
	Before             *string `json:"before,omitempty"`
	After              *string `json:"after,omitempty"`
	RequiresRecreation string  `json:"requiresRecreation,omitempty"`
	ChangeSource       string  `json:"changeSource,omitempty"`
	CausingEntity      string  `json:"causingEntity,omitempty"`
}

func changesJSON(changes []deploy.Change) []changeJSON {
	out := make([]changeJSON, 0, len(changes))
	for _, c := range changes {
		cj := changeJSON{Action: string(c.Action), LogicalID: c.LogicalID, Type: c.ResourceType, Replacement: string(c.Replacement)}
		for _, p := range c.Properties {
			pj := propertyJSON{Path: propertyPath(p), ChangeType: string(p.ChangeType), RequiresRecreation: string(p.Recreation),
				ChangeSource: string(p.Source), CausingEntity: p.CausingEntity}
			if p.HasBefore {
				pj.Before = &p.Before
			}
			if p.HasAfter {
				pj.After = &p.After
			}
			cj.Properties = append(cj.Properties, pj)
		}
		out = append(out, cj)
	}
	return out
}
