package cmd

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// The end-to-end tests of issue 18: the shipped examples/orders-api.yaml,
// compiled by build as a user gets it, served with --mock and every means
// of checking callers, called over HTTP and through invoke and render.
// Every secret here is made up in the test and looks like none.

const (
	e2eIssuer     = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf"
	e2eIAMID      = "AKIDTESTONLY0E2E18"
	e2eIAMSecret  = "test-only-secret-e2e18-not-a-real-one"
	e2eKeyAcme    = "acme-test-key-value-e2e18-0001"
	e2eKeyGlobex  = "globex-test-key-value-e2e18-0002"
	e2ePartnerYes = "partner-allow-e2e18"
	e2ePartnerNo  = "partner-deny-e2e18"
	e2eShop       = "https://shop.example.com"
	e2eAdmin      = "https://admin.example.com"
)

// e2eKit is what the tests serve the example with: a user pool's key and
// its JWKS, a Lambda authorizer's program, and the template build writes.
type e2eKit struct {
	dir      string
	key      *rsa.PrivateKey
	jwks     string
	program  string
	template map[string]any
}

func newE2EKit(t *testing.T) *e2eKit {
	t.Helper()
	k := &e2eKit{dir: t.TempDir()}
	var err error
	if k.key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &k.key.PublicKey, KeyID: "e2e", Algorithm: "RS256", Use: "sig"}}})
	if err != nil {
		t.Fatal(err)
	}
	k.jwks = filepath.Join(k.dir, "jwks.json")
	writeTestFile(t, k.jwks, string(b))
	// The partners authorizer is TOKEN: its event's authorizationToken is
	// the Authorization header. The program allows one token, denies
	// another, and answers Unauthorized for the rest, as a function does.
	k.program = filepath.Join(k.dir, "partners.sh")
	script := `#!/bin/sh
event=$(cat)
case "$event" in
*'"authorizationToken":"` + e2ePartnerYes + `"'*) effect=Allow ;;
*'"authorizationToken":"` + e2ePartnerNo + `"'*) effect=Deny ;;
*) echo Unauthorized; exit 0 ;;
esac
echo '{"principalId": "acme", "policyDocument": {"Version": "2012-10-17", "Statement": [{"Action": "execute-api:Invoke", "Effect": "'$effect'", "Resource": "*"}]}, "context": {"partner": "acme"}}'
`
	if err := os.WriteFile(k.program, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(k.dir, "template.json")
	if code, _, stderr := runCLI(t, "", "build", "../../examples/orders-api.yaml", "-o", out); code != 0 {
		t.Fatalf("build: %d %s", code, stderr)
	}
	b, err = os.ReadFile(out)
	if err != nil || json.Unmarshal(b, &k.template) != nil {
		t.Fatalf("the template build wrote: %v", err)
	}
	return k
}

// runCLI runs sfnapic with args and stdin, and returns its exit code,
// stdout and stderr.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := mainContext(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// token signs claims with the pool's key; the issuer and expiry are the
// pool's and an hour from now unless claims say otherwise.
func (k *e2eKit) token(t *testing.T, claims map[string]any) string {
	t.Helper()
	c := map[string]any{"iss": e2eIssuer, "exp": time.Now().Add(time.Hour).Unix(), "sub": "u-e2e-1"}
	for name, v := range claims {
		c[name] = v
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: k.key, KeyID: "e2e"}}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := json.Marshal(c)
	jws, err := s.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func (k *e2eKit) accessToken(t *testing.T, scope string) string {
	return k.token(t, map[string]any{"token_use": "access", "scope": scope, "client_id": "shop"})
}

// serve starts serve on the example with --mock and all four flags.
func (k *e2eKit) serve(t *testing.T) *serving {
	t.Helper()
	return startServe(t, "../../examples/orders-api.yaml", "--env", "prod", "--mock", "--log-input", "--jwks", k.jwks,
		"--authorizer", "partners="+k.program, "--iam-key", e2eIAMID+":"+e2eIAMSecret,
		"--api-key", "acme="+e2eKeyAcme, "--api-key", "globex="+e2eKeyGlobex)
}

// secrets are the values no output may show.
func (k *e2eKit) secrets(tokens ...string) []string {
	return append([]string{e2eIAMSecret, e2eKeyAcme, e2eKeyGlobex, e2ePartnerYes, e2ePartnerNo}, tokens...)
}

func noSecret(t *testing.T, what, out string, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("%s shows a secret (%.12s...):\n%s", what, s, out)
		}
	}
}

// templateMethod is the template's method for verb on the resource of
// path, found by the logical IDs build gives (RouteOrdersOptions).
func (k *e2eKit) templateMethod(t *testing.T, verb, path string) map[string]any {
	t.Helper()
	resources := k.template["Resources"].(map[string]any)
	for _, r := range resources {
		props, _ := r.(map[string]any)["Properties"].(map[string]any)
		if props["HttpMethod"] != verb {
			continue
		}
		if resourcePath(resources, props["ResourceId"]) == path {
			return props
		}
	}
	t.Fatalf("the template has no %s %s", verb, path)
	return nil
}

// resourcePath follows a method's ResourceId up its parents.
func resourcePath(resources map[string]any, ref any) string {
	m, ok := ref.(map[string]any)
	if !ok {
		return "/" // Fn::GetAtt Api.RootResourceId
	}
	name, ok := m["Ref"].(string)
	if !ok {
		return "/"
	}
	props := resources[name].(map[string]any)["Properties"].(map[string]any)
	parent := strings.TrimSuffix(resourcePath(resources, props["ParentId"]), "/")
	return parent + "/" + props["PathPart"].(string)
}

// corsHeaders are the Access-Control-* and Vary headers of an answer.
func corsHeaders(h map[string][]string) map[string]string {
	out := map[string]string{}
	for name, v := range h {
		if strings.HasPrefix(name, "Access-Control-") || name == "Vary" {
			out[name] = strings.Join(v, ", ")
		}
	}
	return out
}

// staticCORS are the static header values an integration response (or
// gateway response) maps, as a client receives them.
func staticCORS(params map[string]any, prefix string) map[string]string {
	out := map[string]string{}
	for k, v := range params {
		name, ok := strings.CutPrefix(k, prefix)
		s, _ := v.(string)
		if ok && len(s) >= 2 && s[0] == '\'' && (strings.HasPrefix(name, "Access-Control-") || name == "Vary") {
			out[name] = s[1 : len(s)-1]
		}
	}
	return out
}

func sameHeaders(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	keys := map[string]bool{}
	for k := range got {
		keys[k] = true
	}
	for k := range want {
		keys[k] = true
	}
	var names []string
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if got[k] != want[k] {
			t.Errorf("%s: %s is %q, the template says %q", what, k, got[k], want[k])
		}
	}
}

var executionIDOf = regexp.MustCompile(`"executionId":\s*"([^"]+)"`)

// TestAccessE2E serves the shipped example as build compiles it, with
// every means serve has of checking callers, and calls each kind of
// protected route as a browser, a partner and a manager's tool would.
func TestAccessE2E(t *testing.T) {
	k := newE2EKit(t)
	s := k.serve(t)
	write := k.accessToken(t, "orders/write")
	t.Run("preflight", func(t *testing.T) { e2ePreflight(t, k, s) })
	t.Run("orders", func(t *testing.T) { e2eOrders(t, k, s, write) })
	t.Run("partner", func(t *testing.T) { e2ePartner(t, k, s, write) })
	t.Run("approvals", func(t *testing.T) { e2eApprovals(t, s) })
	t.Run("invoke", func(t *testing.T) { e2eInvoke(t, k, s, write) })
	s.stop()
	noSecret(t, "serve's stderr", s.stderr.String(), k.secrets(write))
}

// e2ePreflight: each path's preflight from each listed origin answers
// exactly the template's CORS headers with that origin; an unlisted one
// gets no Access-Control-Allow-Origin.
func e2ePreflight(t *testing.T, k *e2eKit, s *serving) {
	for _, path := range []string{"/orders", "/orders/o-1", "/partner/orders/o-1", "/approvals/approve", "/quotes"} {
		tplPath := regexp.MustCompile(`o-1$`).ReplaceAllString(path, "{id}")
		ir := k.templateMethod(t, "OPTIONS", tplPath)["Integration"].(map[string]any)["IntegrationResponses"].([]any)[0].(map[string]any)
		for _, origin := range []string{e2eShop, e2eAdmin} {
			status, h, body := s.do(t, "OPTIONS", path, "", "", "Origin", origin, "Access-Control-Request-Method", "GET",
				"Access-Control-Request-Headers", "authorization,content-type")
			want := staticCORS(ir["ResponseParameters"].(map[string]any), "method.response.header.")
			want["Access-Control-Allow-Origin"] = origin
			if status != 204 || want["Vary"] != "Origin" {
				t.Errorf("OPTIONS %s from %s: %d %s (Vary in the template: %q)", path, origin, status, body, want["Vary"])
			}
			sameHeaders(t, "OPTIONS "+path+" from "+origin, corsHeaders(h), want)
		}
		status, h, body := s.do(t, "OPTIONS", path, "", "", "Origin", "https://evil.example.net", "Access-Control-Request-Method", "POST")
		// API Gateway would answer the preflight without the header;
		// serve's guard refuses the request (a page must not drive serve),
		// and names the fix a spec's author makes.
		if got := h.Get("Access-Control-Allow-Origin"); got != "" || status != 403 || !strings.Contains(body, "CrossSiteRequest") || !strings.Contains(body, "api.cors.origins") {
			t.Errorf("OPTIONS %s from an unlisted origin: %d, Access-Control-Allow-Origin %q, %s", path, status, got, body)
		}
	}
}

const e2eOrder = `{"items": [{"sku": "tea-1", "quantity": 2}]}`

// e2eOrders: POST /orders takes an access token with orders/write and a
// valid order; every refusal is a gateway response with its CORS headers.
func e2eOrders(t *testing.T, k *e2eKit, s *serving, write string) {
	status, h, body := s.do(t, "POST", "/orders", "application/json", e2eOrder, "Origin", e2eShop, "Authorization", write)
	if status != 200 || h.Get("Access-Control-Allow-Origin") != e2eShop || h.Get("Vary") != "Origin" || h.Get("Access-Control-Expose-Headers") != "Location" {
		t.Errorf("a valid order: %d %v %s", status, corsHeaders(h), body)
	}
	// --log-input shows StartExecution's request, whose input is a JSON
	// string.
	if !strings.Contains(s.stderr.String(), `\"customer\":\"u-e2e-1\"`) {
		t.Errorf("the token's sub does not reach the execution's input:\n%s", s.stderr)
	}
	resources := k.template["Resources"].(map[string]any)
	gatewayCORS := func(kind string) map[string]string {
		for _, r := range resources {
			props, _ := r.(map[string]any)["Properties"].(map[string]any)
			if r.(map[string]any)["Type"] == "AWS::ApiGateway::GatewayResponse" && props["ResponseType"] == kind {
				return staticCORS(props["ResponseParameters"].(map[string]any), "gatewayresponse.header.")
			}
		}
		t.Fatalf("the template has no %s gateway response", kind)
		return nil
	}
	for _, c := range []struct {
		name, auth, body, kind, says string
		status                       int
	}{
		{"no token", "", e2eOrder, "UNAUTHORIZED", "Unauthorized", 401},
		{"a token without orders/write", k.accessToken(t, "orders/read"), e2eOrder, "UNAUTHORIZED", "Unauthorized", 401},
		{"an ID token", k.token(t, map[string]any{"token_use": "id"}), e2eOrder, "UNAUTHORIZED", "Unauthorized", 401},
		{"an expired token", k.token(t, map[string]any{"token_use": "access", "scope": "orders/write", "exp": time.Now().Add(-time.Minute).Unix()}), e2eOrder, "UNAUTHORIZED", "The incoming token has expired", 401},
		{"an empty cart", write, `{"items": []}`, "BAD_REQUEST_BODY", "Invalid request body", 400},
		{"a quantity of 0", write, `{"items": [{"sku": "tea-1", "quantity": 0}]}`, "BAD_REQUEST_BODY", "Invalid request body", 400},
	} {
		headers := []string{"Origin", e2eShop}
		if c.auth != "" {
			headers = append(headers, "Authorization", c.auth)
		}
		status, h, body := s.do(t, "POST", "/orders", "application/json", c.body, headers...)
		v := map[string]any{}
		_ = json.Unmarshal([]byte(body), &v)
		if status != c.status || v["error"] != c.kind || v["message"] != c.says {
			t.Errorf("%s: %d %s", c.name, status, body)
		}
		// The example has no cors.credentials, so a gateway response may
		// answer any origin ('*'): it cannot echo only listed ones.
		if h.Get("Access-Control-Allow-Origin") == "" {
			t.Errorf("%s: a refusal a browser cannot read (no Access-Control-Allow-Origin): %v", c.name, corsHeaders(h))
		}
		sameHeaders(t, c.name, corsHeaders(h), gatewayCORS(c.kind))
		if c.kind == "BAD_REQUEST_BODY" && !strings.Contains(body, "minimum") && !strings.Contains(body, "minItems") && !strings.Contains(body, "too short") {
			t.Errorf("%s: the envelope lacks the validation error: %s", c.name, body)
		}
	}
}

// e2ePartner: GET /partner/orders/{id} runs the partner's program first,
// then checks the key of the partners plan.
func e2ePartner(t *testing.T, k *e2eKit, s *serving, write string) {
	_, _, placed := s.do(t, "POST", "/orders", "application/json", e2eOrder, "Authorization", write)
	m := executionIDOf.FindStringSubmatch(placed)
	if m == nil {
		t.Fatalf("no execution id: %s", placed)
	}
	path := "/partner/orders/" + m[1]
	for _, c := range []struct {
		name, token, key string
		status           int
	}{
		{"no key", e2ePartnerYes, "", 403},
		{"a wrong key", e2ePartnerYes, "not-a-key-of-this-api", 403},
		{"acme's key", e2ePartnerYes, e2eKeyAcme, 200},
		{"globex's key", e2ePartnerYes, e2eKeyGlobex, 200},
		{"the program denies", e2ePartnerNo, e2eKeyAcme, 403},
		{"the program answers Unauthorized", "someone-else", e2eKeyAcme, 401},
		{"no token", "", e2eKeyAcme, 401},
	} {
		headers := []string{"Origin", e2eAdmin}
		if c.token != "" {
			headers = append(headers, "Authorization", c.token)
		}
		if c.key != "" {
			headers = append(headers, "x-api-key", c.key)
		}
		status, h, body := s.do(t, "GET", path, "", "", headers...)
		if status != c.status || h.Get("Access-Control-Allow-Origin") == "" {
			t.Errorf("%s: %d %v %s", c.name, status, corsHeaders(h), body)
		}
		if c.status == 200 && !strings.Contains(body, "RUNNING") {
			t.Errorf("%s: the status action's answer: %s", c.name, body)
		}
	}
}

// e2eApprovals: invoke signs an AWS_IAM route with the credentials of the
// environment, made up here and given to serve with --iam-key; an
// unsigned request is refused.
func e2eApprovals(t *testing.T, s *serving) {
	t.Setenv("AWS_ACCESS_KEY_ID", e2eIAMID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", e2eIAMSecret)
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_REGION", "eu-west-1")
	approval := `{"taskToken": "task-token-from-the-message", "manager": "m-1"}`
	code, out, errOut := runCLI(t, "", "invoke", "../../examples/orders-api.yaml", "--url", s.URL, "POST /approvals/approve", "-d", approval)
	if code != 0 || !strings.Contains(out, "200") {
		t.Errorf("a signed approval: exit %d\n%s\n%s", code, out, errOut)
	}
	noSecret(t, "invoke", out+errOut, []string{e2eIAMSecret})
	if status, _, body := s.do(t, "POST", "/approvals/approve", "application/json", approval); status != 403 || !strings.Contains(body, "signed with SigV4") {
		t.Errorf("an unsigned approval: %d %s", status, body)
	}
	t.Setenv("AWS_SECRET_ACCESS_KEY", "another-made-up-secret")
	if code, out, errOut := runCLI(t, "", "invoke", "../../examples/orders-api.yaml", "--url", s.URL, "POST /approvals/approve", "-d", approval); code == 0 || !strings.Contains(out, "403") {
		t.Errorf("signed with another secret: exit %d\n%s\n%s", code, out, errOut)
	}
}

// e2eInvoke: invoke --url passes --token and --api-key to the partner
// route, and neither shows in what it prints, nor does --token on POST
// /orders.
func e2eInvoke(t *testing.T, k *e2eKit, s *serving, write string) {
	code, out, errOut := runCLI(t, "", "invoke", "../../examples/orders-api.yaml", "--url", s.URL, "POST /orders", "-d", e2eOrder, "--token", write)
	m := executionIDOf.FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("invoke POST /orders --token: exit %d\n%s\n%s", code, out, errOut)
	}
	noSecret(t, "invoke POST /orders", out+errOut, k.secrets(write))
	route := "GET /partner/orders/" + m[1]
	code, out, errOut = runCLI(t, "", "invoke", "../../examples/orders-api.yaml", "--url", s.URL, route, "--token", e2ePartnerYes, "--api-key", e2eKeyGlobex)
	if code != 0 || !strings.Contains(out, "RUNNING") {
		t.Errorf("invoke %s --token --api-key: exit %d\n%s\n%s", route, code, out, errOut)
	}
	noSecret(t, "invoke "+route, out+errOut, k.secrets(write))
	code, out, errOut = runCLI(t, "", "invoke", "../../examples/orders-api.yaml", "--url", s.URL, route, "--token", e2ePartnerYes, "--api-key", "wrong-made-up-key", "--output", "json")
	if code == 0 || !strings.Contains(out, "403") {
		t.Errorf("invoke %s with a wrong key: exit %d\n%s\n%s", route, code, out, errOut)
	}
	noSecret(t, "invoke --output json", out+errOut, append(k.secrets(write), "wrong-made-up-key"))
}

// TestAccessE2ERender: render takes the claims a Cognito authorizer would
// pass on, and they reach the execution's input.
func TestAccessE2ERender(t *testing.T) {
	code, out, errOut := runCLI(t, "", "render", "../../examples/orders-api.yaml", "POST /orders", "--claims", "sub=u-1", "-d", e2eOrder)
	if code != 0 || !regexp.MustCompile(`\\?"customer\\?":\s*\\?"u-1\\?"`).MatchString(out) {
		t.Errorf("render --claims sub=u-1: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "", "render", "../../examples/orders-api.yaml", "POST /orders", "-d", e2eOrder)
	if strings.Contains(out, "u-1") {
		t.Errorf("render without --claims: exit %d\n%s\n%s", code, out, errOut)
	}
}

// TestAccessE2EOffLoopback: off loopback, serve's warning says which
// routes take any caller; with the example's every route protected, it
// no longer claims the API has no authorization.
func TestAccessE2EOffLoopback(t *testing.T) {
	s := startServe(t, "../../examples/orders-api.yaml", "--env", "staging", "--addr", "0.0.0.0:0")
	warning, _, _ := strings.Cut(s.stderr.String(), "\n")
	if !strings.HasPrefix(warning, "warning: serving on ") || strings.Contains(warning, "no authorization") ||
		!strings.Contains(warning, "every route but the preflights checks its callers") {
		t.Errorf("off loopback, with every route protected:\n%s", s.stderr)
	}
	s = startServe(t, "../../examples/item-api.yaml", "--addr", "0.0.0.0:0")
	warning, _, _ = strings.Cut(s.stderr.String(), "\n")
	if !strings.Contains(warning, "1 route takes any caller") || !strings.Contains(warning, "POST /{item_id}") {
		t.Errorf("off loopback, with open routes:\n%s", s.stderr)
	}
}
