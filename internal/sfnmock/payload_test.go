package sfnmock

import (
	"context"
	"encoding/json"
	"runtime"
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/gateway"
)

// TestOversizedInputIsNotDecoded: refusing a 10 MB input costs a small
// fraction of it: the body is read in place and the input measured, not
// decoded (each was a copy of 10 MB).
func TestOversizedInputIsNotDecoded(t *testing.T) {
	input, _ := json.Marshal(strings.Repeat(`{"it's": "\"x\" é"}, `, 10<<20/24))
	body := `{"stateMachineArn": "` + machine + `", "input": ` + string(input) + `}`
	m := New(nil)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	r, err := m.Call(context.Background(), &gateway.Call{Verb: "POST", Path: "/x", Action: "StartExecution", Body: body})
	runtime.ReadMemStats(&after)
	if typ, _ := errorOf(t, r); err != nil || typ != ValidationError+"ValidationException" {
		t.Fatalf("a 10 MB input: %v %s", err, r.Body)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("refusing a %d-byte body allocated %d bytes; want under 1 MiB", len(body), n)
	}
}
