package gateway

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/compile"
	"github.com/sfnapic/sfnapic/internal/golden"
	"github.com/sfnapic/sfnapic/spec"
	"github.com/sfnapic/sfnapic/vtl"
)

// fixture is golden/<case>/requests/<name>.json.
type fixture struct {
	Request string            `json:"request"` // "VERB /path?query"
	Headers map[string]string `json:"headers"`
	Body    json.RawMessage   `json:"body"` // a JSON string is sent as its text; anything else as JSON
	Reply   *Reply            `json:"reply"`
}

// TestGoldenRequests renders every request fixture under golden/ and pins
// the result in <name>.want.json: the StartExecution body API Gateway
// would send and the execution input, or the gateway's refusal, and the
// response to a Step Functions reply when the fixture has one. Every
// variant must give the same result.
func TestGoldenRequests(t *testing.T) {
	fixtures, _ := filepath.Glob("../golden/*/requests/*.json")
	n := 0
	for _, f := range fixtures {
		if strings.HasSuffix(f, ".want.json") {
			continue
		}
		n++
		t.Run(strings.TrimPrefix(f, "../golden/"), func(t *testing.T) {
			dir := filepath.Dir(filepath.Dir(f))
			src, err := os.ReadFile(filepath.Join(dir, "spec.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			s, diags := spec.Parse("spec.yaml", src, os.DirFS(dir))
			if diags.HasErrors() {
				t.Fatalf("spec: %s", diags)
			}
			g := New(s, compile.Compile(s))
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var fx fixture
			if err := json.Unmarshal(raw, &fx); err != nil {
				t.Fatalf("fixture: %v", err)
			}
			req, err := ParseTarget(fx.Request)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range fx.Headers {
				req.Header.Set(k, v)
			}
			if len(fx.Body) > 0 {
				var text string
				if json.Unmarshal(fx.Body, &text) == nil {
					req.Body = text
				} else {
					req.Body = string(fx.Body)
				}
			}
			got := outcome(t, g, req, fx.Reply, vtl.Variant{})
			// Other variants may escape differently, but must mean the same.
			for _, v := range vtl.Variants()[1:] {
				other := outcome(t, g, req, fx.Reply, v)
				if !reflect.DeepEqual(meaning(t, other), meaning(t, got)) {
					t.Fatalf("variant %+v renders differently:\n%s\nversus\n%s", v, other, got)
				}
			}
			golden.Check(t, strings.TrimSuffix(f, ".json")+".want.json", got,
				"if the change is intended, run SFNAPIC_UPDATE=1 go test ./gateway and review the diff")
		})
	}
	if n == 0 {
		t.Fatal("no request fixtures under golden/*/requests")
	}
}

func outcome(t *testing.T, g *Gateway, req *Request, reply *Reply, v vtl.Variant) []byte {
	t.Helper()
	var b bytes.Buffer
	call, err := g.Start(req, v)
	var rej *Rejection
	switch {
	case errors.As(err, &rej):
		b.WriteString(`{"rejected": {"status": `)
		b.WriteString(jsonText(rej.Status))
		b.WriteString(`, "body": `)
		b.WriteString(rej.Body)
		b.WriteString(`}}`)
	case err != nil:
		t.Fatal(err)
	default:
		b.WriteString(`{"route": `)
		b.WriteString(jsonText(call.Route.Method + " " + call.Route.Path))
		b.WriteString(`, "startExecution": `)
		b.WriteString(call.StartExecution)
		b.WriteString(`, "input": `)
		b.WriteString(call.InputText)
		if reply != nil {
			resp, which, err := call.Respond(*reply)
			if err != nil {
				t.Fatal(err)
			}
			b.WriteString(`, "response": {"selected": `)
			b.WriteString(jsonText(which))
			b.WriteString(`, "status": `)
			b.WriteString(jsonText(resp.Status))
			b.WriteString(`, "body": `)
			b.WriteString(resp.Body)
			b.WriteString(`}`)
		}
		b.WriteString(`}`)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b.Bytes(), "", "  "); err != nil {
		t.Fatalf("outcome is not JSON: %v\n%s", err, b.Bytes())
	}
	out.WriteByte('\n')
	return out.Bytes()
}

// meaning decodes an outcome, with the StartExecution input decoded too.
func meaning(t *testing.T, b []byte) any {
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if se, ok := v["startExecution"].(map[string]any); ok {
		var in any
		_ = json.Unmarshal([]byte(se["input"].(string)), &in)
		se["input"] = in
	}
	return v
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestRouting(t *testing.T) {
	src := []byte(`version: 1
api: {name: r}
stateMachines:
  m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}}
routes:
  GET /items/{id}: {stateMachine: m, input: {id: path.id}}
  GET /items/special: {stateMachine: m}
  ANY /items/{id}: {stateMachine: m, input: {id: path.id}}
  GET /files/{path+}: {stateMachine: m, input: {path: path.path}}
`)
	s, diags := spec.Parse("r.yaml", src, nil)
	if s == nil {
		t.Fatal(diags)
	}
	g := New(s, compile.Compile(s))
	for target, want := range map[string]string{
		"GET /items/special": "GET /items/special",
		"GET /items/7":       "GET /items/{id}",
		"DELETE /items/7":    "ANY /items/{id}",
		"GET /files/a/b/c":   "GET /files/{path+}",
		"GET /files":         "403",
		"GET /nowhere":       "403",
	} {
		req, _ := ParseTarget(target)
		req.Header = Header{}
		i, params, rej := g.Route(req)
		got := "403"
		if rej == nil {
			r := s.Routes[i]
			got = r.Method + " " + r.Path
			if strings.Contains(r.Path, "path+") && params["path"] != "a/b/c" {
				t.Errorf("%s: greedy parameter %q", target, params["path"])
			}
		}
		if got != want {
			t.Errorf("%s routed to %s, want %s", target, got, want)
		}
	}
}
