package cmd

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// indentReference is what writeIndented wrote before: json.Indent's text
// (or s as it is when it is not JSON) and a newline.
func indentReference(s string) string {
	var b bytes.Buffer
	if json.Indent(&b, []byte(strings.TrimSpace(s)), "", "  ") != nil {
		b.Reset()
		b.WriteString(s)
	}
	b.WriteByte('\n')
	return b.String()
}

var indentSeeds = []string{
	`{}`, `[]`, `{"a":[]}`, ` { "a" : [ 1 , 2.5e3 , true , null , { } , "x\"y\\\\" ] , "b" : { "c" : "d" } } `,
	"\n[\"\\u00e9 </b>\", -0, {\"k\": [[], [{}]]}]\n", `"just a string"`, `12`, `not json`, `{"a":}`, "",
	"\u00a0{}", `{"a": "\u2028"}`, "[1,\t2]", `{"a":1}garbage`,
}

// TestIndentAgreesWithJSONIndent: writeIndented writes what json.Indent
// wrote, for JSON and for text that is not.
func TestIndentAgreesWithJSONIndent(t *testing.T) {
	for _, s := range indentSeeds {
		var b bytes.Buffer
		writeIndented(&b, s)
		if want := indentReference(s); b.String() != want {
			t.Errorf("%q:\n%q\nwant\n%q", s, b.String(), want)
		}
	}
}

// FuzzIndent: writeIndented agrees with json.Indent on any text.
//
//	go test ./internal/cmd -run '^$' -fuzz FuzzIndent -fuzztime 1m
func FuzzIndent(f *testing.F) {
	for _, s := range indentSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var b bytes.Buffer
		writeIndented(&b, s)
		if want := indentReference(s); b.String() != want {
			t.Errorf("%q:\n%q\nwant\n%q", s, b.String(), want)
		}
	})
}
