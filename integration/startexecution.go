package integration

import (
	"encoding/json"
	"fmt"
	"strings"
	"unsafe"
)

func init() { register(StartExecution) }

// StartExecution starts an execution of a state machine (STANDARD or
// EXPRESS) and answers with its ARN and start date.
var StartExecution Action = startExecution{}

type startExecution struct{}

func (startExecution) Name() string { return "StartExecution" }

func (startExecution) Permissions(m Machine) []Permission {
	return []Permission{{Action: "states:StartExecution", Resource: m.ARN}}
}

func (a startExecution) Decode(body string) (*Request, error) { return decodeStart(a, body) }

func (a startExecution) REST() REST {
	return plainREST(func(p RequestParts) string { return startRequest(a, p) }, startSuccess, "start the execution")
}

// startRequest is the request of both ways to start an execution. The
// body is JSON, and its "input" member is a JSON document carried as a
// string, so request values are escaped twice (see compile).
func startRequest(a Action, p RequestParts) string {
	return "## sfnapic: " + p.Route + " -> " + a.Name() + "; values are escaped twice (JSON in a JSON string)\n" +
		p.Setup +
		`{"stateMachineArn": "` + p.MachineARN + `", ` + p.Name + `"input": "` + p.Input + `"}` + "\n"
}

// startSuccess shapes the reply into the 200 body: the ARN and date
// copied as JSON, and the execution's id, the name at the end of its ARN
// (escaped once, though Step Functions' names hold no quote or
// backslash), which fits in a URL path where the ARN's colons do not: a
// status or stop route takes it.
var startSuccess = strings.Join([]string{
	QuotePattern,
	executionID,
	`{"executionArn": ` + jsonOrNull("executionArn") + `, "executionId": "$id", "startDate": ` + jsonOrNull("startDate") + `}`,
	"",
}, "\n")

// decodeStart reads the body of either way to start an execution.
func decodeStart(a Action, body string) (*Request, error) {
	var b struct {
		StateMachineArn string   `json:"stateMachineArn"`
		Input           document `json:"input"`
	}
	if err := decodeBody(a, body, &b); err != nil {
		return nil, err
	}
	r := &Request{Action: a.Name(), StateMachineArn: b.StateMachineArn}
	return r, r.document(b.Input, body, "execution input", "InvalidExecutionInput")
}

// decodeBody reads a rendered body as Step Functions would. It reads the
// body in place, not a copy of it (json.Unmarshal only reads its input,
// and every member is decoded into a string of its own).
func decodeBody(a Action, body string, into any) error {
	if err := json.Unmarshal(unsafe.Slice(unsafe.StringData(body), len(body)), into); err != nil {
		return fmt.Errorf("the %s body is not JSON (Step Functions would answer SerializationException): %v", a.Name(), err)
	}
	return nil
}

// document is a member that carries a JSON document as a string (an
// execution's input, a task's output): the inside of its literal, as the
// body holds it, decoded by Request.document.
type document struct{ literal []byte }

func (d *document) UnmarshalJSON(raw []byte) error {
	if string(raw) == "null" {
		// A later null member wins, as with encoding/json's *string.
		d.literal = nil
		return nil
	}
	if raw[0] != '"' {
		var s string
		return json.Unmarshal(raw, &s) // encoding/json's error for a value that is not a string
	}
	d.literal = raw[1 : len(raw)-1]
	return nil
}

// MaxDocument is the most a document may hold in UTF-8, Step Functions'
// bound on an execution's input and a task's output (the API reference's
// Length Constraints for StartExecution's input and SendTaskSuccess's
// output: 262,144 bytes).
const MaxDocument = 262144

// document keeps a JSON document that the body carries as a string (an
// execution's input, a task's output) as the request's input. One within
// Step Functions' bound is decoded at its size, once (document.go:
// encoding/json decoded a 10 MB one into a buffer of the literal's size,
// then copied it), and checked. One over it is kept as its literal, read
// in place in the body, and neither decoded nor checked: Step Functions
// refuses it for its size first (its model validation runs before the
// action reads the document), so serve needs only its size, and a 10 MB
// input cost 10 MB more here for nothing. Input decodes it when asked.
func (r *Request) document(d document, body, what, refusal string) error {
	if d.literal == nil {
		return nil
	}
	r.HasInput, r.Document = true, what
	if StringLen(d.literal) > MaxDocument {
		r.literal = inPlace(body, d.literal)
		return nil
	}
	r.input = unquote(d.literal)
	// Checked, not decoded: a document of megabytes would cost many times
	// its size as Go values, and only a comparison needs them (Value).
	if json.Valid(unsafe.Slice(unsafe.StringData(r.input), len(r.input))) {
		return nil
	}
	_, err := r.Value()
	return fmt.Errorf("the %s is not JSON (Step Functions would answer %s): %v", what, refusal, err)
}

// inPlace is b as a string: the very bytes of body when b lies in it
// (json.Unmarshal hands a member's raw bytes from its input, which
// decodeBody reads in place, and a string's bytes never change), else a
// copy.
func inPlace(body string, b []byte) string {
	start := uintptr(unsafe.Pointer(unsafe.StringData(body)))
	at := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	if len(b) > 0 && at >= start && at+uintptr(len(b)) <= start+uintptr(len(body)) {
		return body[at-start : at-start+uintptr(len(b))]
	}
	return string(b)
}

// Input is the JSON document the body carries as a string, decoded. One
// over Step Functions' bound is decoded at each call (only render and
// the variants' comparison ask for it).
func (r *Request) Input() string {
	if r.literal != "" {
		return unquote(unsafe.Slice(unsafe.StringData(r.literal), len(r.literal)))
	}
	return r.input
}

// InputSize is the length in UTF-8 of Input, what Step Functions measures
// against MaxDocument, without decoding it.
func (r *Request) InputSize() int {
	if r.literal != "" {
		return StringLen(unsafe.Slice(unsafe.StringData(r.literal), len(r.literal)))
	}
	return len(r.input)
}

// Value decodes the request's JSON document (nil without one).
func (r *Request) Value() (any, error) {
	if !r.HasInput {
		return nil, nil
	}
	var v any
	err := json.Unmarshal([]byte(r.Input()), &v)
	return v, err
}
