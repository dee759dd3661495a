package cmd

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/internal/golden"
)

// TestServeConsole: serve on loopback says where its console is and
// serves it on the same listener, next to the API.
func TestServeConsole(t *testing.T) {
	s := startServe(t, filepath.Join(golden.Root(), "item-api", "spec.yaml"))
	if !strings.Contains(s.stderr.String(), "console: "+s.URL+"/_sfnapic/\n") {
		t.Fatalf("serve does not say where the console is:\n%s", s.stderr)
	}
	status, body := get(t, s.URL+"/_sfnapic/api/routes")
	if status != 200 || !strings.Contains(body, `"route":"POST /{item_id}"`) {
		t.Errorf("the console's routes: %d %s", status, body)
	}
	if status, body := get(t, s.URL+"/42"); status != 404 || !strings.Contains(body, "no route matches") {
		t.Errorf("GET /42 (a path of the API, not with GET) answered %d %s, want the API's 404", status, body)
	}
}

// TestServeConsoleGivesWayToARoute: a route under /_sfnapic/ keeps the
// path: serve says the console is off, and the API answers there.
func TestServeConsoleGivesWayToARoute(t *testing.T) {
	spec := filepath.Join(t.TempDir(), "spec.yaml")
	src := "version: 1\napi:\n  name: x\nstateMachines:\n  items:\n    definition:\n      StartAt: Done\n      States:\n        Done: {Type: Pass, End: true}\n" +
		"routes:\n  POST /_sfnapic/{id}:\n    stateMachine: items\n    input:\n      id: path.id\n"
	if err := os.WriteFile(spec, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	s := startServe(t, spec)
	if !strings.Contains(s.stderr.String(), "console: off: route POST /_sfnapic/{id} is under /_sfnapic/") {
		t.Fatalf("serve does not say why the console is off:\n%s", s.stderr)
	}
	resp, err := http.Post(s.URL+"/_sfnapic/7", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), "executionArn") {
		t.Errorf("POST /_sfnapic/7: %d %s, want the route's start", resp.StatusCode, b)
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
