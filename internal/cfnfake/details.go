package cfnfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// This file gives a Modify change its details as DescribeChangeSet does
// (ResourceChange, ResourceChangeDetail and ResourceTargetDefinition in
// the CloudFormation API Reference): one per changed property, with its
// Attribute, Name and RequiresRecreation always, and with
// IncludePropertyValues its Path, AttributeChangeType, BeforeValue and
// AfterValue, and the resource's BeforeContext and AfterContext. The fake
// compares the old and new templates' properties, down to the leaves:
// objects key by key, lists of the same length item by item; an intrinsic
// function ({"Ref": ...}, {"Fn::...": ...}) is one value. A Ref to a
// template parameter shows the parameter's value, masked as "****" when
// the parameter is NoEcho, as CloudFormation masks it. Other intrinsics
// are shown as written (CloudFormation resolves what it can), and every
// detail's ChangeSource is DirectModification, Evaluation Static (the
// fake does not tell a parameter's new value from an edit).

// detail is one ResourceChangeDetail.
type detail struct {
	path, name, changeType, recreation string
	before, after                      *string
}

// resourceContext is a resource's context: {"Properties": {...}}, with
// parameter references resolved: in value and text with NoEcho
// parameters masked, as CloudFormation shows them, in raw with their
// values, as it compares them.
type resourceContext struct {
	value, raw map[string]any
	text       string
}

// parameters are the ParameterKey/ParameterValue pairs of a request.
func parameters(form url.Values) map[string]string {
	out := map[string]string{}
	for i := 1; form.Get(fmt.Sprintf("Parameters.member.%d.ParameterKey", i)) != ""; i++ {
		out[form.Get(fmt.Sprintf("Parameters.member.%d.ParameterKey", i))] = form.Get(fmt.Sprintf("Parameters.member.%d.ParameterValue", i))
	}
	return out
}

// contexts are the template's resources' contexts by logical ID.
func contexts(tpl map[string]any, given map[string]string) map[string]resourceContext {
	masked, raw := map[string]any{}, map[string]any{}
	decl, _ := tpl["Parameters"].(map[string]any)
	for name, d := range decl {
		m, _ := d.(map[string]any)
		v, ok := given[name]
		if !ok {
			v = fmt.Sprint(m["Default"])
		}
		raw[name], masked[name] = v, v
		if noEcho, _ := m["NoEcho"].(bool); noEcho || m["NoEcho"] == "true" {
			masked[name] = "****"
		}
	}
	out := map[string]resourceContext{}
	res, _ := tpl["Resources"].(map[string]any)
	for id, r := range res {
		m, _ := r.(map[string]any)
		props, _ := m["Properties"].(map[string]any)
		ctx := map[string]any{"Properties": resolve(props, masked)}
		out[id] = resourceContext{value: ctx, raw: map[string]any{"Properties": resolve(props, raw)}, text: jsonText(ctx)}
	}
	return out
}

// at is the value at a JSON pointer in v.
func at(v any, pointer string) any {
	for _, tok := range strings.Split(strings.TrimPrefix(pointer, "/"), "/") {
		switch x := v.(type) {
		case map[string]any:
			v = x[unescapePointer(tok)]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// resolve replaces {"Ref": PARAMETER} with the parameter's value, and
// {"Fn::Sub": STRING} with the string, its parameters' ${NAME}s
// replaced: CloudFormation shows a Sub as the string it makes (a mapping
// template, for sfnapic). The fake leaves the ${NAME}s of resources as
// written, not knowing their physical IDs.
func resolve(v any, params map[string]any) any {
	switch v := v.(type) {
	case map[string]any:
		if ref, ok := v["Ref"].(string); ok && len(v) == 1 {
			if p, ok := params[ref]; ok {
				return p
			}
			return v
		}
		if sub, ok := v["Fn::Sub"].(string); ok && len(v) == 1 {
			for name, p := range params {
				sub = strings.ReplaceAll(sub, "${"+name+"}", fmt.Sprint(p))
			}
			return sub
		}
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = resolve(x, params)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = resolve(x, params)
		}
		return out
	}
	return v
}

// details compares two contexts' properties, with the values they stand
// for, and shows them as CloudFormation does (masked). recreation gives,
// by property name, what changing it does to the resource.
func details(before, after resourceContext, recreation func(name string) string) []detail {
	var out []detail
	walk("/Properties", before.raw["Properties"], after.raw["Properties"], func(path string, _, _ any, hasB, hasA bool) {
		name, _, _ := strings.Cut(strings.TrimPrefix(path, "/Properties/"), "/")
		d := detail{path: path, name: unescapePointer(name), changeType: "Modify", recreation: recreation(unescapePointer(name))}
		if hasB {
			t := valueText(at(before.value, path))
			d.before = &t
		}
		if hasA {
			t := valueText(at(after.value, path))
			d.after = &t
		}
		switch {
		case !hasB:
			d.changeType = "Add"
		case !hasA:
			d.changeType = "Remove"
		}
		out = append(out, d)
	})
	return out
}

// walk calls changed for each leaf that differs between b and a, in path
// order.
func walk(path string, b, a any, changed func(path string, b, a any, hasB, hasA bool)) {
	if reflect.DeepEqual(b, a) {
		return
	}
	bm, bok := b.(map[string]any)
	am, aok := a.(map[string]any)
	if bok && aok && !intrinsic(bm) && !intrinsic(am) {
		keys := map[string]bool{}
		for k := range bm {
			keys[k] = true
		}
		for k := range am {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			bv, hasB := bm[k]
			av, hasA := am[k]
			sub := path + "/" + escapePointer(k)
			if hasB && hasA {
				walk(sub, bv, av, changed)
			} else {
				changed(sub, bv, av, hasB, hasA)
			}
		}
		return
	}
	bl, bok := b.([]any)
	al, aok := a.([]any)
	if bok && aok && len(bl) == len(al) {
		for i := range bl {
			walk(path+"/"+strconv.Itoa(i), bl[i], al[i], changed)
		}
		return
	}
	changed(path, b, a, b != nil, a != nil)
}

// intrinsic reports whether m is an intrinsic function call.
func intrinsic(m map[string]any) bool {
	if len(m) != 1 {
		return false
	}
	for k := range m {
		return k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::")
	}
	return false
}

// valueText is a value as CloudFormation gives it: a string as it is,
// anything else as JSON.
func valueText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return jsonText(v)
}

func jsonText(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return strings.TrimSuffix(b.String(), "\n")
}

// escapePointer and unescapePointer write a key as a JSON pointer
// (RFC 6901) token: "application/json" is "application~1json".
func escapePointer(k string) string {
	return strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
}

func unescapePointer(k string) string {
	return strings.ReplaceAll(strings.ReplaceAll(k, "~1", "/"), "~0", "~")
}

// replacement is the ResourceChange's Replacement its details imply: True
// when one requires recreation always, Conditional when one may.
func replacement(ds []detail) string {
	out := "False"
	for _, d := range ds {
		switch d.recreation {
		case "Always":
			return "True"
		case "Conditionally":
			out = "Conditional"
		}
	}
	return out
}

// writeDetails writes a change's Scope, Details and, with values, its
// contexts.
func writeDetails(b *strings.Builder, c change, values bool) {
	if len(c.details) > 0 {
		b.WriteString("<Scope><member>Properties</member></Scope><Details>")
		for _, d := range c.details {
			fmt.Fprintf(b, "<member><Target><Attribute>Properties</Attribute><Name>%s</Name><RequiresRecreation>%s</RequiresRecreation>", esc(d.name), d.recreation)
			if values {
				fmt.Fprintf(b, "<Path>%s</Path><AttributeChangeType>%s</AttributeChangeType>", esc(d.path), d.changeType)
				if d.before != nil {
					fmt.Fprintf(b, "<BeforeValue>%s</BeforeValue>", esc(*d.before))
				}
				if d.after != nil {
					fmt.Fprintf(b, "<AfterValue>%s</AfterValue>", esc(*d.after))
				}
			}
			b.WriteString("</Target><Evaluation>Static</Evaluation><ChangeSource>DirectModification</ChangeSource></member>")
		}
		b.WriteString("</Details>")
	}
	if !values {
		return
	}
	if c.before != "" {
		fmt.Fprintf(b, "<BeforeContext>%s</BeforeContext>", esc(c.before))
	}
	if c.after != "" {
		fmt.Fprintf(b, "<AfterContext>%s</AfterContext>", esc(c.after))
	}
}
