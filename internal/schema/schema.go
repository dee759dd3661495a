// Package schema holds the JSON Schema (draft 2020-12) of the sfnapic spec,
// for editors' completion and inline checks. spec.schema.json is generated
// from the spec package's field tables (go generate ./internal/schema runs ./gen),
// so the schema and the parser know the same keys; the spec package stays
// the authority on everything else, and tests keep the two in agreement.
package schema

//go:generate go run ./gen

import _ "embed"

// JSON is the schema document.
//
//go:embed spec.schema.json
var JSON []byte
