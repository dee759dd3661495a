package jsonschema4

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"
)

// draft04 is JSON Schema draft-04's metaschema, as published at
// http://json-schema.org/draft-04/schema.
//
//go:embed draft-04.json
var draft04 string

// MetaURL is the metaschema's URL.
const MetaURL = "http://json-schema.org/draft-04/schema"

// metaschema is compiled at its first use, not at start-up: most
// commands check no schema.
func metaschema() *Schema {
	metaOnce.Do(compileMeta)
	return metaSchema
}

var (
	metaOnce   sync.Once
	metaSchema *Schema
)

func compileMeta() {
	doc, err := Unmarshal(strings.NewReader(draft04))
	if err != nil {
		panic(err)
	}
	c := &compiler{docs: map[string]any{MetaURL: doc}, done: map[string]*Schema{}}
	s, err := c.root(MetaURL + "#")
	if err != nil {
		panic(err)
	}
	metaSchema = s
}

// InvalidSchemaError is a schema that draft-04's metaschema refuses.
type InvalidSchemaError struct {
	URL string
	Err *Error // the metaschema's errors, at places in the schema
}

// Error writes the error as the library did.
func (e *InvalidSchemaError) Error() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%q is not valid against metaschema: jsonschema validation failed with %s", e.URL, quote(MetaURL+"#"))
	for _, c := range e.Err.Causes {
		c.display(&sb, 1)
	}
	return sb.String()
}

func (e *InvalidSchemaError) Unwrap() error { return e.Err }

// checkDoc checks a document against the metaschema. Regular
// expressions naming patternProperties are compiled with the schemas
// that are reached, as the library did: one where no $ref leads is not
// looked at.
func checkDoc(u string, doc any) error {
	if err := metaschema().Validate(doc); err != nil {
		return &InvalidSchemaError{URL: u, Err: err.(*Error)}
	}
	return nil
}

// escape writes a JSON pointer's token.
func escape(tok string) string {
	return strings.ReplaceAll(strings.ReplaceAll(tok, "~", "~0"), "/", "~1")
}
