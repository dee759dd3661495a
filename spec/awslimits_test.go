package spec

import (
	"strings"
	"testing"
)

// TestAWSLimits: text past what AWS takes is refused where it is written:
// an empty tag value, a parameter's description, default and environment
// value past CloudFormation's lengths, and a key too long for a template.
func TestAWSLimits(t *testing.T) {
	long := strings.Repeat("v", maxParamValue+1)
	src := `version: 1
api: {name: a, tags: {team: ""}}
parameters:
  P: {description: "` + strings.Repeat("d", maxParamDescription+1) + `", default: "` + long + `"}
  Q: {type: String}
environments:
  prod: {Q: "` + long + `"}
stateMachines:
  m:
    definition:
      StartAt: A
      States:
        A:
          Type: Pass
          End: true
          Result:
            "${P}${Q}": 1
            # YAML itself reads a key this long only after "? ".
            ? ` + strings.Repeat("k", maxTemplateKey) + `
            : 1
routes:
  POST /a: {stateMachine: m}
`
	_, errs := Parse("s.yaml", []byte(src), nil)
	want := []string{
		`s.yaml:2:29: api.tags.team: a tag value must be 1 to 256 characters`,
		`s.yaml:4:3: parameters.P.default: the value is 4097 bytes; CloudFormation takes a parameter value of at most 4096`,
		`s.yaml:4:20: parameters.P.description: the description is 4001 characters; CloudFormation takes at most 4000`,
		`s.yaml:7:13: environments.prod.Q: the value is 4097 bytes`,
		`s.yaml:19:15: stateMachines.m.definition.States.A.Result["kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk..."]: this key is 1026 characters written as JSON; a template's keys may have at most 1024`,
	}
	got := errs.String()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("missing %q in\n%.3000s", w, got)
		}
	}
	if len(errs) != len(want) {
		t.Errorf("got %d diagnostics, want %d:\n%.3000s", len(errs), len(want), got)
	}
}

// TestJSONKeyChars counts a key as the template writes it: the quotes,
// two characters for a short escape, six for a \u one.
func TestJSONKeyChars(t *testing.T) {
	for s, want := range map[string]int{
		"":             2,
		"abc":          5,
		"é☃𝄞":          5,
		`a"b\c`:        9,
		"\n\t":         6,
		"\x01\x7f":     14,
		"\u0085\u0080": 9,
		"\u2028":       8,
		"\xff":         8,
		"\ufffd":       3,
	} {
		if got := jsonKeyChars(s); got != want {
			t.Errorf("jsonKeyChars(%q) = %d, want %d", s, got, want)
		}
	}
}

// TestTemplateKeysAtTheLimit: a key whose JSON form is exactly the limit
// passes; one with escapes that push it over does not.
func TestTemplateKeysAtTheLimit(t *testing.T) {
	doc := func(key string) string {
		return "version: 1\napi: {name: a}\nstateMachines:\n  m:\n    definition:\n      StartAt: A\n      States:\n        A:\n          Type: Pass\n          End: true\n          Result:\n            ? \"" + key + "\"\n            : 1\nroutes:\n  POST /a: {stateMachine: m}\n"
	}
	if _, errs := Parse("s.yaml", []byte(doc(strings.Repeat("k", maxTemplateKey-2))), nil); errs.HasErrors() {
		t.Errorf("a key at the limit: %s", errs)
	}
	if _, errs := Parse("s.yaml", []byte(doc(strings.Repeat("k", maxTemplateKey-3)+`\t`)), nil); !strings.Contains(errs.String(), "this key is 1025 characters") {
		t.Errorf("a key pushed over by an escape: %.500s", errs)
	}
}
