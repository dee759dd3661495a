package cfn

import "fmt"

// A property goformation's struct for a resource lacks: goformation v7's
// last release (v7.14.9) has no EncryptionConfiguration on
// AWS::StepFunctions::StateMachine, which CloudFormation added in 2024.
// SetProperty keeps such a property beside the resource, and the encoder
// writes it after the struct's own properties.

// property is one extra property of a resource.
type property struct {
	key   string
	value any
}

// SetProperty sets a property of resource id that its goformation struct
// has no field for. Set it before the resource is serialized; a key the
// struct has would be written twice.
func (t *Template) SetProperty(id, key string, value any) {
	if _, done := t.marshalled[id]; done {
		panic(fmt.Sprintf("cfn: SetProperty(%q, %q) after the resource was serialized", id, key))
	}
	if t.props == nil {
		t.props = map[string][]property{}
	}
	for i, p := range t.props[id] {
		if p.key == key {
			t.props[id][i].value = value
			return
		}
	}
	t.props[id] = append(t.props[id], property{key, value})
}

// Property returns the property SetProperty set, if any.
func (t *Template) Property(id, key string) (any, bool) {
	for _, p := range t.props[id] {
		if p.key == key {
			return p.value, true
		}
	}
	return nil, false
}
