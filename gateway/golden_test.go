package gateway

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/cfn"
	"github.com/sfnapic/sfnapic/internal/golden"
	"github.com/sfnapic/sfnapic/vtl"
)

// fixture is golden/<case>/requests/<name>.json.
type fixture struct {
	Request string            `json:"request"` // "VERB /path?query"
	Headers map[string]string `json:"headers"`
	Body    json.RawMessage   `json:"body"` // a JSON string is sent as its text; anything else as JSON
	Reply   *Reply            `json:"reply"`
}

// TestGoldenRequests renders every request fixture under golden/ against
// the case's committed template alone (template.json, and template.yaml
// where there is one, which must give the same outcome) and pins the
// result in <name>.want.json: the body API Gateway would send to Step
// Functions and the execution input, or the gateway's refusal, and the
// response to a Step Functions reply when the fixture has one. Every
// variant must give the same result.
func TestGoldenRequests(t *testing.T) {
	fixtures := golden.Files(t, "requests/*.json")
	n := 0
	for _, f := range fixtures {
		if strings.HasSuffix(f, ".want.json") {
			continue
		}
		n++
		t.Run(strings.TrimPrefix(f, golden.Root()+"/"), func(t *testing.T) {
			dir := filepath.Dir(filepath.Dir(f))
			gateways := loadGateways(t, dir)
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
			got := outcome(t, gateways[0], req, fx.Reply, vtl.Variant{})
			for _, g := range gateways[1:] {
				if other := outcome(t, g, req, fx.Reply, vtl.Variant{}); !bytes.Equal(other, got) {
					t.Fatalf("template.yaml gives another outcome than template.json:\n%s\nversus\n%s", other, got)
				}
			}
			// Other variants may escape differently, but must mean the same.
			for _, v := range vtl.Variants()[1:] {
				other := outcome(t, gateways[0], req, fx.Reply, v)
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

// loadGateways reads a golden case's committed templates back.
func loadGateways(t *testing.T, dir string) []*Gateway {
	t.Helper()
	var out []*Gateway
	for _, name := range []string{"template.json", "template.yaml"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if errors.Is(err, fs.ErrNotExist) && len(out) > 0 {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		tpl, err := cfn.Parse(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		g, err := New(tpl)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out = append(out, g)
	}
	return out
}

func outcome(t *testing.T, g *Gateway, req *Request, reply *Reply, v vtl.Variant) []byte {
	t.Helper()
	var b bytes.Buffer
	g.Variant = v
	call, err := g.Start(req)
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
		b.WriteString(jsonText(call.Verb + " " + call.Path))
		b.WriteString(`, "action": `)
		b.WriteString(jsonText(call.Action))
		b.WriteString(`, "request": `)
		b.WriteString(call.Body)
		if call.Request.HasInput {
			b.WriteString(`, "input": `)
			b.WriteString(call.Request.Input())
		}
		if reply != nil {
			resp, which, err := call.Respond(*reply)
			if err != nil {
				t.Fatal(err)
			}
			b.WriteString(`, "response": {"selected": `)
			b.WriteString(jsonText(which))
			b.WriteString(`, "status": `)
			b.WriteString(jsonText(resp.Status))
			if resp.Headers != nil {
				b.WriteString(`, "headers": `)
				b.WriteString(jsonText(resp.Headers))
			}
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

// meaning decodes an outcome, with the request's execution input decoded
// too.
func meaning(t *testing.T, b []byte) any {
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if se, ok := v["request"].(map[string]any); ok {
		if text, ok := se["input"].(string); ok {
			var in any
			_ = json.Unmarshal([]byte(text), &in)
			se["input"] = in
		}
	}
	return v
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
