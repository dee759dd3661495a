package cmd

import (
	"net/url"
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/internal/sfnfake"
)

// sendAs sends one request to a serve with its own Host and header pairs,
// and returns the status and body.
func (s *serving) sendAs(t *testing.T, method, path, host, body string, headers ...string) (int, string) {
	t.Helper()
	status, _, b := s.send(t, method, path, host, body, headers...)
	return status, b
}

// TestServeGuard: serve on loopback refuses a Host that is not a name of
// this machine (DNS rebinding) and a web page's cross-site POST without a
// content type (fetch with no-cors), with a 403 and a log line that say
// why; curl's request (Host 127.0.0.1:port, no Origin), with or without a
// content type, is answered as before, and so is one to localhost.
func TestServeGuard(t *testing.T) {
	s := startServe(t, "../../examples/item-api.yaml")
	u, _ := url.Parse(s.URL)
	status, body := s.sendAs(t, "POST", "/42", "rebound.evil.example:"+u.Port(), "{}", "Content-Type", "application/json")
	if status != 403 || jsonOf(t, body)["error"] != "ForbiddenHost" {
		t.Errorf("Host rebound.evil.example: %d %s", status, body)
	}
	status, body = s.sendAs(t, "POST", "/42", "", "{}", "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
	if status != 403 || jsonOf(t, body)["error"] != "CrossSiteRequest" {
		t.Errorf("a cross-site POST: %d %s", status, body)
	}
	log := s.stderr.String()
	if !strings.Contains(log, `POST /42 -> - 403 - `) || !strings.Contains(log, `(refused: Host "rebound.evil.example:`) ||
		!strings.Contains(log, `(refused: a cross-site request from origin "https://evil.example", which the API's CORS headers do not allow)`) {
		t.Errorf("the log does not say why:\n%s", log)
	}
	if strings.Contains(log, "executions/") || strings.Contains(log, "-> POST /{id}") {
		t.Errorf("a refused request reached the route:\n%s", log)
	}
	for _, host := range []string{"", "localhost:" + u.Port()} {
		status, body = s.sendAs(t, "POST", "/42", host, "{}")
		if status != 200 || jsonOf(t, body)["executionId"] == nil {
			t.Errorf("curl's POST without a content type, Host %q: %d %s", host, status, body)
		}
	}
}

// TestServeGuardCORS: an origin that the template's CORS headers allow
// (a hand-written preflight) passes, preflight and POST.
func TestServeGuardCORS(t *testing.T) {
	s := startServe(t, "--template", handEdited(t))
	const shop = "https://shop.example.com"
	if status, body := s.sendAs(t, "OPTIONS", "/42", "", "", "Origin", shop, "Sec-Fetch-Site", "cross-site", "Access-Control-Request-Method", "POST"); status != 200 {
		t.Errorf("preflight from %s: %d %s", shop, status, body)
	}
	if status, body := s.sendAs(t, "POST", "/42", "", "{}", "Origin", shop, "Sec-Fetch-Site", "cross-site", "Content-Type", "application/json"); status != 200 {
		t.Errorf("POST from %s: %d %s", shop, status, body)
	}
	if status, body := s.sendAs(t, "POST", "/42", "", "{}", "Origin", "https://evil.example"); status != 403 {
		t.Errorf("POST from evil.example: %d %s", status, body)
	}
}

// TestServeGuardStack: under --stack, a web page's cross-site request
// starts no execution with the developer's credentials.
func TestServeGuardStack(t *testing.T) {
	f := fakeAWS(t)
	fake := sfnfake.Start()
	defer fake.Close()
	t.Setenv("AWS_ENDPOINT_URL_SFN", fake.URL)
	st := f.AddStack("items", "CREATE_COMPLETE", map[string]any{"Outputs": map[string]any{"StateMachineItemsArn": map[string]any{}}})
	st.Outputs = map[string]string{"StateMachineItemsArn": "arn:aws:states:eu-west-1:210987654321:stateMachine:items-StateMachineItems-Q1"}
	s := startServe(t, "../../examples/item-api.yaml", "--stack", "items")
	if status, body := s.sendAs(t, "POST", "/42", "", `{}`, "Origin", "http://localhost:3000", "Sec-Fetch-Site", "same-site"); status != 403 {
		t.Errorf("a same-site page's POST: %d %s", status, body)
	}
	if reqs := fake.Requests(); len(reqs) != 0 {
		t.Errorf("Step Functions received %v", reqs)
	}
}

// TestServeGuardOffLoopback: off loopback serve says that any Host is
// answered, and answers one; a cross-site request is still refused.
func TestServeGuardOffLoopback(t *testing.T) {
	s := startServe(t, "../../examples/item-api.yaml", "--addr", "0.0.0.0:0")
	if !strings.Contains(s.stderr.String(), "any Host name is answered (the check against DNS rebinding holds on loopback only)") {
		t.Errorf("the warning does not say so:\n%s", s.stderr)
	}
	u, _ := url.Parse(s.URL)
	s.URL = "http://127.0.0.1:" + u.Port()
	if status, body := s.sendAs(t, "POST", "/42", "devbox.lan:"+u.Port(), "{}"); status != 200 {
		t.Errorf("Host devbox.lan off loopback: %d %s", status, body)
	}
	if status, body := s.sendAs(t, "POST", "/42", "devbox.lan:"+u.Port(), "{}", "Origin", "https://evil.example"); status != 403 {
		t.Errorf("a cross-site POST off loopback: %d %s", status, body)
	}
}
