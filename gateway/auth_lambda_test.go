package gateway_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sfnapic/sfnapic/gateway"
)

// allowAll is an authorizer's answer that allows GET on every order.
const allowAll = `{"principalId": "acme", "policyDocument": {"Version": "2012-10-17", "Statement": [
  {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": "arn:aws:execute-api:us-east-1:123456789012:Api/prod/GET/orders/*"}]},
  "context": {"tier": "gold", "n": 3, "ok": true}, "usageIdentifierKey": "k"}`

// TestLambdaAuthorizerProgram: a TOKEN authorizer's program gets API
// Gateway's event on stdin (type, token, method ARN), its answer's
// context and principalId reach $context.authorizer, and its result is
// cached for the TTL by the token: a second request with the same token
// runs nothing, another token runs it again, and after the TTL it runs
// again. A request without the header is refused (401) without a run.
func TestLambdaAuthorizerProgram(t *testing.T) {
	dir := t.TempDir()
	answer := filepath.Join(dir, "answer.json")
	if err := os.WriteFile(answer, []byte(allowAll), 0o600); err != nil {
		t.Fatal(err)
	}
	prog := writeProgram(t, dir, "auth.sh", `cat > "`+dir+`/event.json"; cat "`+answer+`"`)
	now := time.Unix(1_700_000_000, 0)
	l := &gateway.Lambda{Command: []string{prog}}
	g := authGateway(t, &gateway.Auth{Lambdas: map[string]*gateway.Lambda{"partners": l}, Now: func() time.Time { return now }})
	call, rej := start(g, "GET", "/orders/42", map[string]string{"Authorization": "tok-1"})
	if rej != nil {
		t.Fatal(rej)
	}
	if !strings.Contains(call.Body, `\"principal\": \"acme\"`) || !strings.Contains(call.Body, `\"tier\": \"gold\"`) || !strings.Contains(call.Body, `\"n\": \"3\"`) {
		t.Errorf("the context did not reach $context.authorizer: %s", call.Body)
	}
	var ev map[string]string
	b, _ := os.ReadFile(filepath.Join(dir, "event.json"))
	if err := json.Unmarshal(b, &ev); err != nil || ev["type"] != "TOKEN" || ev["authorizationToken"] != "tok-1" ||
		ev["methodArn"] != "arn:aws:execute-api:us-east-1:123456789012:Api/prod/GET/orders/42" {
		t.Errorf("the event: %s (%v)", b, err)
	}
	steps := []struct {
		token   string
		advance time.Duration
		calls   int64
	}{{"tok-1", time.Minute, 1}, {"tok-2", 0, 2}, {"tok-1", 4 * time.Minute, 3}}
	for _, s := range steps {
		now = now.Add(s.advance)
		if _, rej := start(g, "GET", "/orders/42", map[string]string{"Authorization": s.token}); rej != nil || l.Calls() != s.calls {
			t.Errorf("%s after %s: %v, %d calls, want %d", s.token, s.advance, rej, l.Calls(), s.calls)
		}
	}
	if _, rej := start(g, "GET", "/orders/42", nil); rej == nil || rej.Status != 401 || l.Calls() != 3 {
		t.Errorf("no token: %+v, %d calls", rej, l.Calls())
	}
}

// TestLambdaAuthorizerPolicy: the answer's policy is applied to the
// method's ARN as IAM does (wildcards, Deny over Allow, no Allow is a
// refusal), also when it comes from the cache for another method; the
// answer Unauthorized is a 401, and an answer API Gateway would not take
// fails on its side.
func TestLambdaAuthorizerPolicy(t *testing.T) {
	policy := func(statements string) string {
		return `{"principalId": "p", "policyDocument": {"Version": "2012-10-17", "Statement": [` + statements + `]}}`
	}
	allow := `{"Action": "execute-api:*", "Effect": "Allow", "Resource": ["arn:aws:execute-api:*:*:Api/prod/GET/orders/4?"]}`
	deny := `{"Action": ["s3:GetObject", "execute-api:Invoke"], "Effect": "Deny", "Resource": "arn:aws:execute-api:us-east-1:123456789012:Api/*/GET/orders/42"}`
	cases := []struct {
		answer, path string
		status       int
		message      string
	}{
		{policy(allow), "/orders/41", 0, ""},
		{policy(allow), "/orders/411", 403, "User is not authorized to access this resource"},
		{policy(allow + "," + deny), "/orders/42", 403, "User is not authorized to access this resource with an explicit deny"},
		{policy(`{"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": "*"}`), "/orders/x", 0, ""},
		{"Unauthorized", "/orders/1", 401, "Unauthorized"},
		{`{"principalId": "p"}`, "/orders/1", 500, ""},
		{`{"principalId": "p", "policyDocument": {"Statement": []}, "context": {"a": {"b": 1}}}`, "/orders/1", 500, ""},
	}
	for _, c := range cases {
		g := authGateway(t, &gateway.Auth{Lambdas: map[string]*gateway.Lambda{"partners": {Answer: []byte(c.answer)}}})
		_, rej := start(g, "GET", c.path, map[string]string{"Authorization": "t"})
		if (rej == nil) != (c.status == 0) || rej != nil && (rej.Status != c.status || c.message != "" && rej.Message != c.message) {
			t.Errorf("%s on %s: %+v, want %d %q", c.answer, c.path, rej, c.status, c.message)
		}
	}
	// A cached policy is applied to the next method as it is: allowed
	// for /orders/41, not for /orders/5, with one run.
	l := &gateway.Lambda{Answer: []byte(policy(allow))}
	g := authGateway(t, &gateway.Auth{Lambdas: map[string]*gateway.Lambda{"partners": l}})
	_, first := start(g, "GET", "/orders/41", map[string]string{"Authorization": "t"})
	_, second := start(g, "GET", "/orders/5", map[string]string{"Authorization": "t"})
	if first != nil || second == nil || second.Status != 403 || l.Calls() != 1 {
		t.Errorf("the cached policy: %v, %v, %d calls", first, second, l.Calls())
	}
}

// TestLambdaAuthorizerRequestType: a REQUEST authorizer's program gets
// the request's headers, query string and context; without caching it
// runs for every request, also when an identity source is missing.
func TestLambdaAuthorizerRequestType(t *testing.T) {
	dir := t.TempDir()
	prog := writeProgram(t, dir, "auth.sh", `cat > "`+dir+`/event.json"; echo '{"principalId": "desk-1", "policyDocument": {"Statement": {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": "*"}}}'`)
	l := &gateway.Lambda{Command: []string{prog}}
	g := authGateway(t, &gateway.Auth{Lambdas: map[string]*gateway.Lambda{"desk": l}})
	for i, h := range []map[string]string{{"X-Desk": "d1"}, {"X-Desk": "d1"}, nil} {
		if _, rej := start(g, "POST", "/approvals/approve?shift=night", h); rej != nil || l.Calls() != int64(i+1) {
			t.Fatalf("request %d: %v, %d calls", i, rej, l.Calls())
		}
	}
	var ev struct {
		Type, MethodArn, Resource, HTTPMethod string
		Headers, QueryStringParameters        map[string]string
		RequestContext                        map[string]any
	}
	b, _ := os.ReadFile(filepath.Join(dir, "event.json"))
	if err := json.Unmarshal(b, &ev); err != nil || ev.Type != "REQUEST" || ev.QueryStringParameters["shift"] != "night" || ev.Resource != "/approvals/approve" ||
		!strings.HasSuffix(ev.MethodArn, "/prod/POST/approvals/approve") || ev.RequestContext["stage"] != "prod" {
		t.Errorf("the event: %s (%v)", b, err)
	}
}

// TestLambdaAuthorizerBounds: a program that hangs is stopped at its
// timeout, one that floods stdout at 1 MiB, one that fails is a failure:
// each answers 500 on the gateway's side, without quoting the token, and
// no Lambda authorizer flag is a 500 that says which flag to give.
func TestLambdaAuthorizerBounds(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"hangs":  "sleep 30\n",
		"floods": "yes 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'\n",
		"fails":  "echo oops >&2; exit 3\n",
	} {
		l := &gateway.Lambda{Command: []string{writeProgram(t, dir, name, body)}, Timeout: 300 * time.Millisecond}
		g := authGateway(t, &gateway.Auth{Lambdas: map[string]*gateway.Lambda{"partners": l}})
		began := time.Now()
		_, rej := start(g, "GET", "/orders/1", map[string]string{"Authorization": "secret-token-123"})
		if rej == nil || rej.Status != 500 || strings.Contains(rej.Reason+rej.Body, "secret-token-123") || time.Since(began) > 5*time.Second {
			t.Errorf("%s: %+v after %s", name, rej, time.Since(began))
		}
	}
	g := authGateway(t, &gateway.Auth{})
	if _, rej := start(g, "GET", "/orders/1", map[string]string{"Authorization": "t"}); rej == nil || rej.Status != 500 || !strings.Contains(rej.Reason, "--authorizer partners=") {
		t.Errorf("no flag: %+v", rej)
	}
}
