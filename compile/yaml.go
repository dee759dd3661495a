package compile

import (
	"bytes"
	"fmt"

	"gopkg.in/yaml.v3"
)

// YAML returns the template as block-style YAML with the same content and
// key order as JSON. Intrinsics use their long form (Fn::Sub:, Ref:), and
// multi-line strings such as request templates become readable literal
// blocks.
func (t *Template) YAML() ([]byte, error) {
	compact, err := t.resolved()
	if err != nil {
		return nil, err
	}
	// JSON is YAML, so yaml.v3 reads it into a node tree that keeps key
	// order; clearing the flow and quoting styles then lets the encoder pick
	// block style and quote only where YAML needs it.
	var doc yaml.Node
	if err := yaml.Unmarshal(compact, &doc); err != nil {
		return nil, fmt.Errorf("converting template to YAML: %w", err)
	}
	restyle(&doc)
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, fmt.Errorf("encoding YAML: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func restyle(n *yaml.Node) {
	n.Style = 0
	if n.Kind == yaml.ScalarNode && n.Tag == "!!str" && bytes.ContainsRune([]byte(n.Value), '\n') {
		n.Style = yaml.LiteralStyle
	}
	for _, c := range n.Content {
		restyle(c)
	}
}
