// Package cfn is sfnapic's CloudFormation template model, a library: a goformation template plus the intrinsic functions (Ref,
// Fn::GetAtt, Fn::Sub) that its string-typed fields hold, written out as
// deterministic JSON or YAML, and read back from either. It also states
// the CloudFormation limits that templates must respect.
//
// goformation's typed resources hold intrinsics in plain string fields.
// Its own helpers encode them as base64 text and its serializer resolves
// every intrinsic-shaped map it finds (a {"Ref": ...} inside a state
// machine definition would be mangled). Here an intrinsic is a
// placeholder string that carries a random nonce of its template, so no
// user string can be taken for one, and only the template's own
// placeholders are swapped for their function objects on output.
package cfn

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
)

// CloudFormation's limits on a template.
const (
	MaxResources = 500       // resources per stack
	MaxBodyBytes = 51_200    // a template sent inline (TemplateBody); larger ones go through S3
	MaxURLBytes  = 1_000_000 // a template read from S3 (TemplateURL)
)

// Template is a CloudFormation template under construction or read back.
// Resources must not change once they have been serialized: each is
// marshalled once and the bytes are reused.
type Template struct {
	// CFN is the goformation template: resources, outputs, description.
	CFN *cloudformation.Template

	prefix     string                     // starts every placeholder of this template
	intrinsics map[string]json.RawMessage // placeholder -> the function object
	memo       map[string]string          // a call's arguments -> its placeholder
	marshalled map[string][]byte          // compact JSON of resources, by logical ID
	props      map[string][]property      // properties goformation lacks, by logical ID (property.go)
	scratch    []byte                     // Resolved's encoding buffer, reused
}

// placeholderMark starts every placeholder. It is only a fast filter: what
// makes a placeholder is the template's nonce after it.
const placeholderMark = "\u2063cfn-"

// New returns an empty template (AWSTemplateFormatVersion 2010-09-09).
func New() *Template {
	var nonce [12]byte
	_, _ = rand.Read(nonce[:]) // crypto/rand.Read never fails
	return &Template{
		CFN:        cloudformation.NewTemplate(),
		prefix:     placeholderMark + hex.EncodeToString(nonce[:]) + "-",
		intrinsics: map[string]json.RawMessage{},
		memo:       map[string]string{},
		marshalled: map[string][]byte{},
	}
}

// Ref stands for {"Ref": id}: a resource's primary value, or a parameter
// or pseudo parameter.
func (t *Template) Ref(id string) string { return t.intrinsic("Ref", id) }

// GetAtt stands for {"Fn::GetAtt": [id, attr]}.
func (t *Template) GetAtt(id, attr string) string {
	return t.intrinsic("Fn::GetAtt", []string{id, attr})
}

// Sub stands for {"Fn::Sub": text}. In text, ${Name} is a logical ID,
// parameter or pseudo parameter and ${!x} is the literal ${x}.
func (t *Template) Sub(text string) string { return t.intrinsic("Fn::Sub", text) }

// intrinsic returns the placeholder of one function call, encoding each
// distinct call once.
func (t *Template) intrinsic(name string, arg any) string {
	var key string
	switch a := arg.(type) {
	case string:
		key = name + "\x00" + a
	case []string:
		key = name + "\x00" + strings.Join(a, "\x00")
	}
	if p, ok := t.memo[key]; ok {
		return p
	}
	raw, err := encode(map[string]any{name: arg}, false)
	if err != nil {
		panic(err) // strings and string slices always marshal
	}
	p := t.register(raw)
	t.memo[key] = p
	return p
}

// register records a function object and returns its new placeholder.
func (t *Template) register(raw json.RawMessage) string {
	p := t.prefix + itoa(len(t.intrinsics))
	t.intrinsics[p] = raw
	return p
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for ; n > 0; n /= 10 {
		i--
		b[i] = byte('0' + n%10)
	}
	return string(b[i:])
}

func marshalNoHTML(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// Intrinsic is a decoded intrinsic function call.
type Intrinsic struct {
	// Name is the function: Ref, Fn::GetAtt, Fn::Sub, ...
	Name string
	// Arg is its argument as JSON.
	Arg json.RawMessage
}

// Intrinsic returns the function call that a property value stands for,
// when it is one of this template's placeholders.
func (t *Template) Intrinsic(value string) (Intrinsic, bool) {
	if !strings.HasPrefix(value, t.prefix) {
		return Intrinsic{}, false
	}
	raw, ok := t.intrinsics[value]
	if !ok {
		return Intrinsic{}, false
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || len(obj) != 1 {
		return Intrinsic{}, false
	}
	for name, arg := range obj {
		return Intrinsic{Name: name, Arg: arg}, true
	}
	return Intrinsic{}, false
}

// RefTarget returns the logical ID that a {"Ref": id} value names.
func (t *Template) RefTarget(value string) (string, bool) {
	fn, ok := t.Intrinsic(value)
	if !ok || fn.Name != "Ref" {
		return "", false
	}
	var id string
	if json.Unmarshal(fn.Arg, &id) != nil {
		return "", false
	}
	return id, true
}

// GetAttTarget returns the logical ID and attribute that a
// {"Fn::GetAtt": [id, attr]} value names (also in its "id.attr" form).
func (t *Template) GetAttTarget(value string) (id, attr string, ok bool) {
	fn, ok := t.Intrinsic(value)
	if !ok || fn.Name != "Fn::GetAtt" {
		return "", "", false
	}
	var pair []string
	if json.Unmarshal(fn.Arg, &pair) == nil && len(pair) == 2 {
		return pair[0], pair[1], true
	}
	var dotted string
	if json.Unmarshal(fn.Arg, &dotted) == nil {
		id, attr, ok := strings.Cut(dotted, ".")
		return id, attr, ok
	}
	return "", "", false
}
