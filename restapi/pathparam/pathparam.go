// Package pathparam is API Gateway's path-parameter syntax, {name} and the
// greedy {name+}, defined once for the language that writes paths (spec)
// and the model that reads them back from a template (restapi). It is a
// leaf: it imports nothing of sfnapic's, so the spec can use it.
package pathparam

import "strings"

// Parse reports whether a path segment is a parameter ({name}, or the
// greedy {name+}, which takes the rest of the path) and returns its name.
func Parse(seg string) (name string, greedy, ok bool) {
	if len(seg) < 3 || seg[0] != '{' || seg[len(seg)-1] != '}' {
		return "", false, false
	}
	name = seg[1 : len(seg)-1]
	greedy = strings.HasSuffix(name, "+")
	name = strings.TrimSuffix(name, "+")
	if name == "" {
		return "", false, false
	}
	return name, greedy, true
}
