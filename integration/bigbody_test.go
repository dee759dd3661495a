package integration

import (
	"encoding/json"
	"runtime"
	"strings"
	"testing"
)

// allocated is the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// startBody is a StartExecution body carrying input.
func startBody(input string) string {
	quoted, _ := json.Marshal(input)
	return `{"stateMachineArn": "arn:m", "input": ` + string(quoted) + `}`
}

// TestDecodeReadsTheBodyInPlace: decoding a body whose input is within
// Step Functions' bound costs that input, decoded once, not a copy of
// the body besides; one whose input is over it (a 10 MB body mapped
// whole) costs nothing of its size: the input stays in the body, as its
// literal, and is decoded only when Input asks.
func TestDecodeReadsTheBodyInPlace(t *testing.T) {
	item := `{"it's":"\"x\" é"},`
	for _, size := range []int{200 << 10, 10 << 20} {
		input := `{"order":[` + strings.Repeat(item, size/len(item)) + `{}]}`
		body := startBody(input)
		var r *Request
		var err error
		n := allocated(func() { r, err = StartExecution.Decode(body) })
		if err != nil || r.Input() != input || r.InputSize() != len(input) || !r.HasInput {
			t.Fatalf("%d bytes: %v", size, err)
		}
		want := uint64(len(input) + len(input)/8)
		if len(input) > MaxDocument {
			want = 64 << 10
		}
		if n > want {
			t.Errorf("decoding a %d-byte body allocated %d bytes; want under %d", len(body), n, want)
		}
	}
}

// TestOversizedDocumentIsNotRead: a document over Step Functions' bound
// is refused for its size before it is read (its model validation comes
// first), so one that is not JSON is no error of decoding here, and the
// size counts what the literal decodes to, not the literal.
func TestOversizedDocumentIsNotRead(t *testing.T) {
	notJSON := strings.Repeat("é", MaxDocument/2+1)
	r, err := StartExecution.Decode(startBody(notJSON))
	if err != nil || r.InputSize() != len(notJSON) || r.Input() != notJSON {
		t.Errorf("an input of %d bytes, not JSON: %v, size %d", len(notJSON), err, r.InputSize())
	}
	// \u00e9 is six bytes of literal and two of input: 262,144 bytes of
	// input, within the bound, so checked as JSON.
	literal := `{"stateMachineArn": "arn:m", "input": "` + strings.Repeat(`\u00e9`, MaxDocument/2) + `"}`
	if _, err := StartExecution.Decode(literal); err == nil || !strings.Contains(err.Error(), "InvalidExecutionInput") {
		t.Errorf("an input of %d bytes, not JSON: %v", MaxDocument, err)
	}
	r, err = TaskSuccess{}.Decode(`{"taskToken": "t", "output": "` + strings.Repeat(`\u00e9`, MaxDocument/2+1) + `"}`)
	if err != nil || r.InputSize() != MaxDocument+2 || r.Document != "task output" {
		t.Errorf("a task output over the bound: %v", err)
	}
}

// TestLaterNullInputWins: a body that writes the input member twice, the
// second time null, has no input, as encoding/json reads it.
func TestLaterNullInputWins(t *testing.T) {
	r, err := StartExecution.Decode(`{"stateMachineArn": "arn:m", "input": "{}", "input": null}`)
	if err != nil || r.HasInput {
		t.Errorf("HasInput %v, %v", r.HasInput, err)
	}
}
