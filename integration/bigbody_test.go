package integration

import (
	"encoding/json"
	"runtime"
	"strings"
	"testing"
)

// TestDecodeReadsTheBodyInPlace: decoding a 10 MB body costs its input,
// decoded once, not a copy of the body besides.
func TestDecodeReadsTheBodyInPlace(t *testing.T) {
	input := `{"order":[` + strings.Repeat(`{"it's":"\"x\" é"},`, 10<<20/22) + `{}]}`
	quoted, _ := json.Marshal(input)
	body := `{"stateMachineArn": "arn:m", "input": ` + string(quoted) + `}`
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	r, err := StartExecution.Decode(body)
	runtime.ReadMemStats(&after)
	if err != nil || r.Input != input {
		t.Fatalf("decode: %v", err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > uint64(len(input)+len(input)/8) {
		t.Errorf("decoding a %d-byte body allocated %d bytes; want about its %d-byte input", len(body), n, len(input))
	}
}
