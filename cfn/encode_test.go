package cfn

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/apigateway"
	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/policies"

	"github.com/sfnapic/sfnapic/internal/golden"
)

// encode must agree with encoding/json byte for byte, with HTML escaping
// and without: the templates' bytes, and so their goldens and deployment
// hashes, depend on it.
func assertEncodesLikeJSON(t *testing.T, name string, v any) {
	t.Helper()
	want, wantErr := json.Marshal(v)
	got, err := encode(v, true)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("%s: encode error %v, encoding/json error %v", name, err, wantErr)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s: encode gives\n%s\nencoding/json gives\n%s", name, got, want)
	}
	// Without HTML escapes, the comparison is after the template writer's
	// pass: goformation's MarshalJSON escapes <, > and & whatever the outer
	// encoder says, and the writer turns them back.
	want, wantErr = marshalNoHTML(v)
	got, err = encode(v, false)
	if (err != nil) != (wantErr != nil) {
		t.Fatalf("%s: encode error %v, encoding/json error %v without HTML escapes", name, err, wantErr)
	}
	tpl := New()
	if got, want = written(tpl, got), written(tpl, want); !bytes.Equal(got, want) {
		t.Errorf("%s: encode gives\n%s\nencoding/json gives\n%s without HTML escapes", name, got, want)
	}
}

// written is JSON after the template writer's pass.
func written(t *Template, b []byte) []byte {
	w := &jsonWriter{t: t, prefix: []byte(t.prefix)}
	w.write(b)
	return w.out
}

func TestEncodeMatchesEncodingJSONOnGoldenResources(t *testing.T) {
	n := 0
	for _, dir := range golden.Cases(t) {
		data, err := os.ReadFile(filepath.Join(dir, "template.json"))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		tpl, err := Parse(data)
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		for id, r := range tpl.CFN.Resources {
			n++
			assertEncodesLikeJSON(t, dir+" "+id, r)
		}
		assertEncodesLikeJSON(t, dir+" outputs", tpl.CFN.Outputs)
	}
	if n < 50 {
		t.Fatalf("only %d golden resources compared", n)
	}
}

type ptrMarshaler struct{ S string }

func (p *ptrMarshaler) MarshalJSON() ([]byte, error) { return []byte(`{"ptr" : "` + p.S + `"}`), nil }

type valMarshaler struct{ S string }

func (v valMarshaler) MarshalJSON() ([]byte, error) { return []byte(`[ "<` + v.S + `>" ]`), nil }

type inner struct {
	A string `json:"a,omitempty"`
}

type shapes struct {
	Str       string `json:"Str"`
	Empty     string `json:"Empty,omitempty"`
	Untagged  int
	Skipped   string `json:"-"`
	unexp     string
	Bool      *bool             `json:"Bool,omitempty"`
	False     bool              `json:"False,omitempty"`
	Zero      int               `json:"Zero,omitempty"`
	Float     float64           `json:"Float"`
	Floats    []float64         `json:"Floats"`
	Bytes     []byte            `json:"Bytes"`
	NilSlice  []string          `json:"NilSlice"`
	NilMap    map[string]string `json:"NilMap"`
	EmptyMap  map[string]int    `json:"EmptyMap,omitempty"`
	IntKeys   map[int]string    `json:"IntKeys"`
	Any       any               `json:"Any"`
	NilAny    any               `json:"NilAny,omitempty"`
	Raw       json.RawMessage   `json:"Raw"`
	Ptr       ptrMarshaler      `json:"Ptr"`
	PtrPtr    *ptrMarshaler     `json:"PtrPtr"`
	Val       valMarshaler      `json:"Val"`
	ValPtr    *valMarshaler     `json:"ValPtr"`
	NilValPtr *valMarshaler     `json:"NilValPtr"`
	Inner     inner             `json:"Inner"`
	Inners    []*inner          `json:"Inners"`
	Array     [2]string         `json:"Array"`
}

type tagged struct {
	Quoted int    `json:"Quoted,string"`
	Odd    string `json:"odd-name"`
	Inner  shapes
}

type embedding struct {
	inner
	B string
}

// duplicate has two fields named X, which encoding/json drops; vet
// objects to the tag, so the second X is the untagged field's own name.
type duplicate struct {
	A string `json:"X"`
	X string
	C string
}

func TestEncodeMatchesEncodingJSONOnShapes(t *testing.T) {
	yes := true
	full := shapes{
		Str: "a<b>&c\u2028\u2029\x00\x1f\"\\\xff é 😀", Untagged: -3, Skipped: "no", unexp: "no",
		Bool: &yes, Float: 1e21, Floats: []float64{0.1, 1e-7, 3}, Bytes: []byte("hi"),
		EmptyMap: map[string]int{}, IntKeys: map[int]string{10: "a", 9: "b"},
		Any: map[string]any{"z": 1, "a": []any{nil, "x", 2.5, map[string]any{}}},
		Raw: json.RawMessage(` { "k" : "<&>" } `), Ptr: ptrMarshaler{"p"}, PtrPtr: &ptrMarshaler{"pp"},
		Val: valMarshaler{"v"}, ValPtr: &valMarshaler{"vp"}, Inners: []*inner{nil, {A: "x"}},
		Array: [2]string{"1", "2"},
	}
	cases := map[string]any{
		"zero":      shapes{},
		"full":      full,
		"pointer":   &full,
		"embedding": embedding{inner{"a"}, "b"},
		"duplicate": duplicate{"a", "b", "c"},
		"tagged":    &tagged{Quoted: 7, Odd: "o", Inner: full},
		"nil":       nil,
		"map":       map[string]any{"b": &full, "a": []shapes{{}}},
		"strings":   []string{"", "plain", "tab\there", "<script>", "\u2028", "\xed\xa0\x80"},
		"resource": &apigateway.RestApi{
			Name: cloudformation.String("api"), Policy: map[string]any{"Version": "2012-10-17"},
			AWSCloudFormationDependsOn: []string{"B", "A"}, AWSCloudFormationDeletionPolicy: policies.DeletionPolicy("Retain"),
			AWSCloudFormationMetadata: map[string]any{"k": "v"}, AWSCloudFormationCondition: "C",
		},
		"resource by value": apigateway.Method{HttpMethod: "GET"},
		"empty resource":    &iam.Role{},
		"resources": map[string]cloudformation.Resource{
			"R": &iam.Role{RoleName: cloudformation.String("r"), Policies: []iam.Role_Policy{{PolicyName: "p", PolicyDocument: map[string]any{"S": []any{"x"}}}}},
		},
	}
	for name, v := range cases {
		assertEncodesLikeJSON(t, name, v)
	}
}

func FuzzEncodeString(f *testing.F) {
	for _, s := range []string{"", "a", "<>&", "\u2028", "\xff", "\"\\", "\x7f", "é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		assertEncodesLikeJSON(t, "string", s)
		assertEncodesLikeJSON(t, "map key", map[string]string{s: s})
		if utf8.ValidString(s) && !strings.ContainsAny(s, "\"\\") {
			assertEncodesLikeJSON(t, "any", []any{s, map[string]any{s: nil}})
		}
	})
}
