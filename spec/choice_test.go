package spec_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/cfn"
	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/internal/golden"
	"github.com/sfnapic/sfnapic/spec"
)

// TestOrdersEmptyCartFires: the shipped example's POST /quotes, for a body
// without items, starts an input on which the quote machine's Choice goes
// to EmptyCart as Step Functions would choose, and with items to Priced.
// (Issue 19: "cart: body.items" gave {"cart": null}, on which
// "IsPresent: false" is false, so EmptyCart could never fire.)
func TestOrdersEmptyCartFires(t *testing.T) {
	for _, c := range []struct{ spec, case_ string }{
		{filepath.Join(golden.Examples(), "orders-api.yaml"), "orders-api"},
		{filepath.Join(golden.Root(), "orders-open", "spec.yaml"), "orders-open"},
	} {
		s := parseFile(t, c.spec)
		g := gatewayOf(t, filepath.Join(golden.Root(), c.case_, "template.json"))
		for body, want := range map[string]string{
			`{}`:              "fail EmptyCart: the cart has no items",
			`{"items": null}`: "fail EmptyCart: the cart has no items",
			`{"items": [{"sku": "a-1", "quantity": 2}]}`: "succeed",
		} {
			call, err := g.Start(&gateway.Request{Method: "POST", Path: "/quotes", Header: gateway.Header{}, Body: body})
			if err != nil {
				t.Fatalf("%s: POST /quotes %s: %v", c.case_, body, err)
			}
			if got := runChoices(t, machineOf(t, s, call.Verb+" "+call.Path), call.Request.Input()); got != want {
				t.Errorf("%s: POST /quotes %s: input %s: the execution would %s, want %s", c.case_, body, call.Request.Input(), got, want)
			}
		}
	}
}

// TestOrdersWalkthroughFollowsTheDefinition: the orders walkthrough's
// (golden/orders-open/requests) scripted reply to a synchronous execution
// is what the route's definition gives for the input the request renders,
// wherever the definition decides before its first task (Choice, Pass,
// Succeed and Fail states), so that the walkthrough shows no failure or
// success the machine would not give. (Other cases, such as sync-express,
// script hostile replies on purpose, to test the response templates.)
func TestOrdersWalkthroughFollowsTheDefinition(t *testing.T) {
	dir := filepath.Join(golden.Root(), "orders-open")
	fixtures, err := filepath.Glob(filepath.Join(dir, "requests", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range fixtures {
		if strings.HasSuffix(f, ".want.json") {
			continue
		}
		var fx struct {
			Request string          `json:"request"`
			Body    json.RawMessage `json:"body"`
			Reply   *struct {
				Body struct{ Status, Error, Cause string } `json:"body"`
			} `json:"reply"`
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &fx); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		req, err := gateway.ParseTarget(fx.Request)
		if err != nil {
			t.Fatal(err)
		}
		req.Body = string(fx.Body)
		call, err := gatewayOf(t, filepath.Join(dir, "template.json")).Start(req)
		if err != nil || fx.Reply == nil || call.Action != "StartSyncExecution" {
			continue
		}
		got := runChoices(t, machineOf(t, parseFile(t, filepath.Join(dir, "spec.yaml")), call.Verb+" "+call.Path), call.Request.Input())
		want := "succeed"
		if r := fx.Reply.Body; r.Status == "FAILED" {
			want = "fail " + r.Error + ": " + r.Cause
		}
		if got != "runs a task" && got != want {
			t.Errorf("%s: the reply scripts %q, but on input %s the definition would %s", f, want, call.Request.Input(), got)
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no walkthrough replies to a synchronous execution were checked")
	}
}

func parseFile(t *testing.T, path string) *spec.Spec {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, diags := spec.Parse(path, src, nil)
	if diags.HasErrors() {
		t.Fatalf("%s", diags)
	}
	return s
}

func gatewayOf(t *testing.T, path string) *gateway.Gateway {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := cfn.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	g, err := gateway.New(tpl)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// machineOf is the definition, as plain JSON values, of the machine that
// the route "VERB /path" starts.
func machineOf(t *testing.T, s *spec.Spec, route string) map[string]any {
	t.Helper()
	for _, r := range s.Routes {
		if r.Method+" "+r.Path != route {
			continue
		}
		b, err := json.Marshal(r.StateMachine.Definition)
		if err != nil {
			t.Fatal(err)
		}
		var def map[string]any
		if err := json.Unmarshal(b, &def); err != nil {
			t.Fatal(err)
		}
		return def
	}
	t.Fatalf("no route %s in the spec", route)
	return nil
}
