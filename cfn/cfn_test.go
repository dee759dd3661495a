package cfn

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/apigateway"
	"github.com/awslabs/goformation/v7/cloudformation/stepfunctions"

	"github.com/sfnapic/sfnapic/internal/golden"
)

// TestReadBack reads every committed golden template back and writes it
// out again: the bytes must not change, in JSON and in YAML.
func TestReadBack(t *testing.T) {
	n := 0
	for _, dir := range golden.Cases(t) {
		for _, name := range []string{"template.json", "template.yaml"} {
			want, err := os.ReadFile(filepath.Join(dir, name))
			if os.IsNotExist(err) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			n++
			tpl, err := Parse(want)
			if err != nil {
				t.Fatalf("%s/%s: %v", dir, name, err)
			}
			var got []byte
			if strings.HasSuffix(name, ".yaml") {
				got, err = tpl.YAML()
			} else {
				got, err = tpl.JSON()
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s/%s changes when read back and written again:\n%s", dir, name, got)
			}
		}
	}
	if n < 10 {
		t.Fatalf("read back only %d templates", n)
	}
}

// TestPlaceholdersAreUnforgeable: a user string that looks exactly like a
// placeholder of another template, or has the placeholder mark, stays
// the string it is.
func TestPlaceholdersAreUnforgeable(t *testing.T) {
	other := New()
	forged := other.Ref("Api")
	tpl := New()
	real := tpl.Ref("Api")
	for _, s := range []string{forged, placeholderMark + "0", placeholderMark, tpl.prefix + "99"} {
		tpl.CFN.Resources["R"] = &apigateway.Resource{RestApiId: real, ParentId: real, PathPart: s}
		tpl.marshalled = map[string][]byte{}
		out, err := tpl.JSON()
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Resources map[string]struct {
				Properties struct {
					RestApiId any
					PathPart  any
				}
			}
		}
		if err := json.Unmarshal(out, &doc); err != nil {
			t.Fatal(err)
		}
		p := doc.Resources["R"].Properties
		if p.PathPart != s {
			t.Errorf("the user string %q became %v", s, p.PathPart)
		}
		if ref, ok := p.RestApiId.(map[string]any); !ok || ref["Ref"] != "Api" {
			t.Errorf("the template's own Ref became %v", p.RestApiId)
		}
		if _, ok := tpl.Intrinsic(s); ok {
			t.Errorf("Intrinsic(%q) took a user string for a function", s)
		}
	}
}

func TestIntrinsicsInUserMaps(t *testing.T) {
	// A state machine definition holding what looks like an intrinsic is
	// written exactly as given, and read back unchanged.
	tpl := New()
	def := map[string]any{"StartAt": "A", "States": map[string]any{"A": map[string]any{"Type": "Pass", "Result": map[string]any{"Ref": "NotMine"}, "End": true}}}
	tpl.CFN.Resources["M"] = &stepfunctions.StateMachine{Definition: def, RoleArn: tpl.GetAtt("Role", "Arn")}
	out, err := tpl.JSON()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte(`"Ref": "NotMine"`)) || !bytes.Contains(out, []byte(`"Fn::GetAtt": [`)) {
		t.Fatalf("definition or role mangled:\n%s", out)
	}
	back, err := Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	again, err := back.JSON()
	if err != nil || !bytes.Equal(again, out) {
		t.Fatalf("read back: %v\n%s", err, again)
	}
}

func TestText(t *testing.T) {
	tpl := New()
	vars := func(name string) (string, bool) {
		v, ok := map[string]string{"M": "arn:m", "AWS::Region": "eu-west-1"}[name]
		return v, ok
	}
	for in, want := range map[string]string{
		"plain ${M} text":          "plain ${M} text", // not an Fn::Sub: as it is
		tpl.Sub("a ${M} b"):        "a arn:m b",
		tpl.Sub("${!M} ${!}x${M}"): "${M} ${}xarn:m",
		tpl.Sub("${AWS::Region}"):  "eu-west-1",
		tpl.Sub("no close ${M"):    "no close ${M",
	} {
		got, err := tpl.Text(in, vars)
		if err != nil || got != want {
			t.Errorf("Text(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := tpl.Text(tpl.Sub("${Nope}"), vars); err == nil || !strings.Contains(err.Error(), "${Nope} has no value") {
		t.Errorf("an unknown variable: %v", err)
	}
	if _, err := tpl.Text(tpl.Ref("M"), vars); err == nil {
		t.Error("a Ref is not text")
	}
	// The list form brings its own variables, which win.
	back, err := Parse([]byte(`{"Resources": {"R": {"Type": "AWS::ApiGateway::Resource", "Properties": {"RestApiId": "a", "ParentId": "b", "PathPart": {"Fn::Sub": ["${M}-${X}", {"X": "x", "M": "local"}]}}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	part := back.CFN.Resources["R"].(*apigateway.Resource).PathPart
	if got, err := back.Text(part, vars); err != nil || got != "local-x" {
		t.Errorf("list form: %q, %v", got, err)
	}
}

func TestParseShortForms(t *testing.T) {
	src := `Resources:
  R:
    Type: AWS::ApiGateway::Resource
    Properties:
      RestApiId: !Ref Api
      ParentId: !GetAtt Api.RootResourceId
      PathPart: !Sub "${AWS::Region}"
`
	tpl, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	r := tpl.CFN.Resources["R"].(*apigateway.Resource)
	if id, ok := tpl.RefTarget(r.RestApiId); !ok || id != "Api" {
		t.Errorf("!Ref: %q %v", id, ok)
	}
	if id, attr, ok := tpl.GetAttTarget(r.ParentId); !ok || id != "Api" || attr != "RootResourceId" {
		t.Errorf("!GetAtt: %q %q %v", id, attr, ok)
	}
	if fn, ok := tpl.Intrinsic(r.PathPart); !ok || fn.Name != "Fn::Sub" {
		t.Errorf("!Sub: %+v %v", fn, ok)
	}
	for _, bad := range []string{"", "[1, 2]", "Resources: 3", "{", "Resources: {R: {Type: AWS::ApiGateway::Resource, Properties: {Nope: 1}}}"} {
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("Parse(%q) accepted it", bad)
		}
	}
}

// FuzzYAMLRoundTrip writes templates holding arbitrary strings, as keys and
// values, with the YAML writer and reads them back with yaml.v3: the YAML
// must say exactly what the JSON says.
//
//	go test ./cfn -run '^$' -fuzz FuzzYAMLRoundTrip -fuzztime 5m
func FuzzYAMLRoundTrip(f *testing.F) {
	for _, s := range golden.HandPicked {
		f.Add(s, s+"\n"+s)
	}
	f.Add("a\nb", "- x\n  y: z")
	f.Add("", "\u0085\u2028")
	f.Add(strings.Repeat("k", 1100), strings.Repeat("é", 1100)) // keys over YAML's 1024-character limit
	f.Fuzz(func(t *testing.T, key, value string) {
		tpl := New()
		tpl.CFN.Description = value
		def := map[string]any{"StartAt": key, "States": map[string]any{key: map[string]any{"Type": "Pass", "Result": []any{value, key, map[string]any{value: key}}, "End": true}}}
		tpl.CFN.Resources["M"] = &stepfunctions.StateMachine{Definition: def, RoleArn: tpl.Sub(value)}
		golden.SameYAMLAndJSON(t, "fuzz", tpl)
	})
}

// TestParseBounds: an alias bomb, deep nesting and an oversized input are
// refused quickly, with an error.
func TestParseBounds(t *testing.T) {
	bomb := "a: &a [\"" + strings.Repeat("x", 1000) + "\"]\n"
	for i, prev := 0, "a"; i < 12; i++ {
		name := fmt.Sprintf("b%d", i)
		bomb += fmt.Sprintf("%s: &%s [*%s, *%s, *%s, *%s]\n", name, name, prev, prev, prev, prev)
		prev = name
	}
	bomb += "Resources: {R: {Type: AWS::SNS::Topic, Properties: {TopicName: *b11}}}\n"
	for name, src := range map[string]string{
		"alias bomb":   bomb,
		"deep":         "Resources: " + strings.Repeat("[", 5000) + strings.Repeat("]", 5000),
		"oversized":    "Resources: {}\n#" + strings.Repeat("x", maxReadBytes),
		"deep in JSON": `{"Resources": ` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`,
	} {
		if _, err := Parse([]byte(src)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// FuzzParse reads arbitrary bytes as a template. Nothing may panic, and a
// template that reads must write out and read back to the same bytes.
//
//	go test ./cfn -run '^$' -fuzz FuzzParse -fuzztime 5m
func FuzzParse(f *testing.F) {
	for _, p := range golden.Files(f, "template.*") {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("Resources:\n  R:\n    Type: AWS::ApiGateway::Resource\n    Properties: {RestApiId: !Ref A, ParentId: !GetAtt A.RootResourceId, PathPart: !Sub x}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tpl, err := Parse(data)
		if err != nil {
			return
		}
		j, err := tpl.JSON()
		if err != nil {
			return // goformation types it cannot write back (an unknown shape)
		}
		back, err := Parse(j)
		if err != nil {
			t.Fatalf("the JSON it wrote does not read back: %v\n%s", err, j)
		}
		again, err := back.JSON()
		if err != nil || !bytes.Equal(again, j) {
			t.Fatalf("read back and written again, it changes: %v\n%s\nversus\n%s", err, j, again)
		}
	})
}

// TestParseScalarsForStrings: CloudFormation takes true and numbers where
// a property is a string, and the CDK and the API Gateway console write
// them so (a method's required parameters, its response headers, a
// status code); goformation's types say string. Parse reads them as
// CloudFormation does.
func TestParseScalarsForStrings(t *testing.T) {
	tpl, err := Parse([]byte(`{"Resources": {"M": {"Type": "AWS::ApiGateway::Method", "Properties": {
		"HttpMethod": "OPTIONS", "ResourceId": "r", "RestApiId": "a",
		"RequestParameters": {"method.request.querystring.q": true, "method.request.header.h": false},
		"ApiKeyRequired": "true",
		"Integration": {"Type": "MOCK", "TimeoutInMillis": "5000", "IntegrationResponses": [{"StatusCode": 200}]},
		"MethodResponses": [{"StatusCode": 200, "ResponseParameters": {"method.response.header.Access-Control-Allow-Origin": true}}]}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	m := tpl.CFN.Resources["M"].(*apigateway.Method)
	if m.RequestParameters["method.request.querystring.q"] != "true" || m.RequestParameters["method.request.header.h"] != "false" {
		t.Errorf("RequestParameters %v", m.RequestParameters)
	}
	if m.Integration.IntegrationResponses[0].StatusCode != "200" || *m.Integration.TimeoutInMillis != 5000 || !*m.ApiKeyRequired {
		t.Errorf("Integration %+v", m.Integration)
	}
	if r := m.MethodResponses[0]; r.StatusCode != "200" || r.ResponseParameters["method.response.header.Access-Control-Allow-Origin"] != "true" {
		t.Errorf("MethodResponses %+v", m.MethodResponses)
	}
}

// TestParseCustomResourceAsWritten: a custom resource's properties are
// its own, not goformation's: nothing is coerced.
func TestParseCustomResourceAsWritten(t *testing.T) {
	tpl, err := Parse([]byte(`{"Resources": {"C": {"Type": "Custom::Thing", "Properties": {"ServiceToken": "arn:x", "Version": 2}}}}`))
	if err != nil {
		t.Fatal(err)
	}
	c := tpl.CFN.Resources["C"].(*cloudformation.CustomResource)
	if v, ok := c.Properties["Version"].(float64); !ok || v != 2 {
		t.Errorf("Version = %#v; want the number as written", c.Properties["Version"])
	}
}
