package main

import (
	"bytes"
	"os"
	"testing"
)

// TestSchemaIsFresh fails when spec.schema.json is not what the field
// tables generate: run go generate ./schema.
func TestSchemaIsFresh(t *testing.T) {
	want, err := generate()
	if err != nil {
		t.Fatal(err)
	}
	have, err := os.ReadFile("../spec.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(have, want) {
		t.Fatal("internal/schema/spec.schema.json is stale: run go generate ./internal/schema and commit it")
	}
}
