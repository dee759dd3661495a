// Package schema owns the JSON Schema (draft 2020-12) of the sfnapic spec.
// Editors use it for completion and inline checks; the spec package remains
// the authority, and tests keep the two in agreement: every example and
// golden spec validates against the schema, and unknown keys are rejected
// by both.
package schema

import _ "embed"

// JSON is the schema document.
//
//go:embed spec.schema.json
var JSON []byte
