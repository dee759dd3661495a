package jsonschema4

import "sync"

// ResetMetaschema forgets the compiled metaschema, for benchmarks of a
// first use.
func ResetMetaschema() { metaOnce = sync.Once{} }
