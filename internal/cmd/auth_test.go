package cmd

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/sfnapic/sfnapic/cfn"
	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/internal/apigwfake"
)

// The credentials the tests' AWS configuration holds; the session token
// and the secret must never be printed.
const (
	testKeyID   = "AKIDSIGNTEST"
	testSecret  = "sEcReT/KeY+signing0123456789"
	testSession = "SeSsIoNtOkEn0123456789"
)

// protectedTemplate builds claimsSpec and makes its one method ask for
// authType, with a Lambda TOKEN authorizer that reads X-Partner-Token
// when authType is CUSTOM, an API key required, and the key acme whose
// id is in the ApiKeyAcmeId output (the issue 18 template shape).
func protectedTemplate(t *testing.T, authType string) string {
	t.Helper()
	dir := t.TempDir()
	spec := filepath.Join(dir, "claims.yaml")
	writeTestFile(t, spec, claimsSpec)
	code, out, stderr := run(t, "build", spec)
	if code != 0 {
		t.Fatalf("build: exit %d %s", code, stderr)
	}
	var tpl map[string]any
	if err := json.Unmarshal([]byte(out), &tpl); err != nil {
		t.Fatal(err)
	}
	res := tpl["Resources"].(map[string]any)
	props := res["RouteOrdersPost"].(map[string]any)["Properties"].(map[string]any)
	props["AuthorizationType"], props["ApiKeyRequired"] = authType, true
	if authType == "CUSTOM" {
		props["AuthorizerId"] = map[string]any{"Ref": "AuthorizerPartners"}
		res["AuthorizerPartners"] = map[string]any{"Type": "AWS::ApiGateway::Authorizer", "Properties": map[string]any{
			"Name": "partners", "RestApiId": map[string]any{"Ref": "Api"}, "Type": "TOKEN", "IdentitySource": "method.request.header.X-Partner-Token"}}
	}
	res["ApiKeyAcme"] = map[string]any{"Type": "AWS::ApiGateway::ApiKey", "Properties": map[string]any{
		"Name": map[string]any{"Fn::Sub": "${AWS::StackName}-acme"}, "Enabled": true}}
	tpl["Outputs"].(map[string]any)["ApiKeyAcmeId"] = map[string]any{"Value": map[string]any{"Ref": "ApiKeyAcme"}}
	b, _ := json.Marshal(tpl)
	name := filepath.Join(dir, "template.json")
	writeTestFile(t, name, string(b))
	return name
}

// signedAPI is an API that checks what invoke sends: it verifies a SigV4
// signature by signing the same request again with the SDK's signer (the
// headers it names, the time it was made) and comparing the two, and it
// echoes the Authorization, x-api-key and X-Partner-Token headers in its
// answer, as API Gateway's IncompleteSignatureException message echoes
// the Authorization header.
type signedAPI struct {
	*httptest.Server
	mu   sync.Mutex
	seen []http.Header
	// valid says whether each signed request's signature was right.
	valid []bool
}

func startSignedAPI(t *testing.T) *signedAPI {
	api := &signedAPI{}
	api.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		api.mu.Lock()
		api.seen = append(api.seen, r.Header.Clone())
		signed := strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 ")
		ok := signed && verifySigV4(r, body)
		if signed {
			api.valid = append(api.valid, ok)
		}
		api.mu.Unlock()
		status := 200
		if signed && !ok {
			status = 403
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]string{"message": "Authorization=" + r.Header.Get("Authorization"),
			"key": r.Header.Get("X-Api-Key"), "token": r.Header.Get("X-Partner-Token")})
	}))
	t.Cleanup(api.Close)
	return api
}

// verifySigV4 signs r again with the test's credentials, the region and
// time its Authorization header names, and the headers it signed, and
// says whether the signatures agree.
func verifySigV4(r *http.Request, body []byte) bool {
	auth := r.Header.Get("Authorization")
	var scope, signedHeaders string
	for _, part := range strings.Split(strings.TrimPrefix(auth, "AWS4-HMAC-SHA256 "), ", ") {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "Credential":
			scope = v
		case "SignedHeaders":
			signedHeaders = v
		}
	}
	fields := strings.Split(scope, "/") // AKID/date/region/service/aws4_request
	at, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if len(fields) != 5 || fields[0] != testKeyID || fields[3] != "execute-api" || err != nil {
		return false
	}
	again, _ := http.NewRequest(r.Method, "http://"+r.Host+r.URL.RequestURI(), bytes.NewReader(body))
	for _, h := range strings.Split(signedHeaders, ";") {
		if h != "host" && h != "content-length" {
			again.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
		}
	}
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: testKeyID, SecretAccessKey: testSecret, SessionToken: testSession}
	if v4.NewSigner().SignHTTP(r.Context(), creds, again, hex.EncodeToString(sum[:]), "execute-api", fields[2], at) != nil {
		return false
	}
	return again.Header.Get("Authorization") == auth
}

// signingEnv gives the AWS configuration the test's credentials.
func signingEnv(t *testing.T, secret string) {
	t.Setenv("AWS_ACCESS_KEY_ID", testKeyID)
	t.Setenv("AWS_SECRET_ACCESS_KEY", secret)
	t.Setenv("AWS_SESSION_TOKEN", testSession)
	t.Setenv("AWS_REGION", "eu-west-1")
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

// leaks names the secrets an output shows.
func leaks(out string, secrets ...string) []string {
	var shown []string
	for _, s := range secrets {
		if strings.Contains(out, s) {
			shown = append(shown, s)
		}
	}
	return shown
}

// TestInvokeSigV4: invoke signs a request for an AWS_IAM route with the
// SDK's signer, service execute-api, the credentials of the chain and the
// body's hash, which the API verifies by signing it again; a signature
// made with the wrong secret is refused. The API echoes the Authorization
// header, yet no output (text, JSON, --debug) shows the signature, the
// secret or the session token.
func TestInvokeSigV4(t *testing.T) {
	signingEnv(t, testSecret)
	api := startSignedAPI(t)
	tpl := protectedTemplate(t, "AWS_IAM")
	for _, output := range []string{"text", "json"} {
		code, stdout, stderr := run(t, "invoke", "--template", tpl, "--url", api.URL, "POST /orders?x=1", "-d", `{"note": "é"}`, "--output", output, "--debug")
		if code != 0 || !strings.Contains(stdout, "Authorization="+hidden) {
			t.Fatalf("%s: exit %d\n%s\n%s", output, code, stdout, stderr)
		}
		if shown := leaks(stdout+stderr, "Signature=", testSecret, testSession); len(shown) > 0 {
			t.Errorf("%s: the output shows %q:\n%s\n%s", output, shown, stdout, stderr)
		}
	}
	signingEnv(t, "the-wrong-secret-0123456789")
	code, stdout, stderr := run(t, "invoke", "--template", tpl, "--url", api.URL, "POST /orders", "-d", `{}`)
	if code != 1 || !strings.HasPrefix(stdout, "HTTP 403") || len(leaks(stdout+stderr, "Signature=", "the-wrong-secret")) > 0 {
		t.Errorf("a wrong secret: exit %d\n%s\n%s", code, stdout, stderr)
	}
	api.mu.Lock()
	defer api.mu.Unlock()
	if fmt.Sprint(api.valid) != "[true true false]" {
		t.Errorf("the API found the signatures %v, want [true true false]", api.valid)
	}
	for _, h := range api.seen {
		if h.Get("X-Amz-Security-Token") != testSession {
			t.Errorf("the session token was not sent: %v", h)
		}
	}
}

// TestInvokeKeyAndToken: --api-key goes in x-api-key and --token, as it
// is, in the header the route's Lambda authorizer reads; --api-key-name
// reads the key's id from the stack's outputs and its value from API
// Gateway's GetApiKey (with includeValue), through the fake that speaks
// its protocol. The API echoes both, and no output shows them.
func TestInvokeKeyAndToken(t *testing.T) {
	f := fakeAWS(t)
	api := startSignedAPI(t)
	tpl := protectedTemplate(t, "CUSTOM")
	const key, token, stored = "k3y-given-0123456789abcd", "Bearer t0ken.given.sig", "k3y-stored-0123456789abcd"
	tokenFile := filepath.Join(t.TempDir(), "token.txt")
	writeTestFile(t, tokenFile, token+"\n")
	code, stdout, stderr := run(t, "invoke", "--template", tpl, "--url", api.URL, "POST /orders", "-d", "{}", "--api-key", key, "--token", "@"+tokenFile, "--output", "json")
	if code != 0 || strings.Count(stdout, hidden) != 2 || len(leaks(stdout+stderr, key, token)) > 0 {
		t.Fatalf("--api-key, --token: exit %d\n%s\n%s", code, stdout, stderr)
	}

	gw := apigwfake.Start("a1b2c3", nil, nil)
	defer gw.Close()
	gw.AddKey(apigwfake.APIKey{ID: "kid-acme", Name: "orders-acme", Value: stored})
	t.Setenv("AWS_ENDPOINT_URL_API_GATEWAY", gw.URL)
	st := f.AddStack("orders", "CREATE_COMPLETE", map[string]any{"Outputs": map[string]any{"ApiKeyAcmeId": map[string]any{}}})
	st.Outputs = map[string]string{"ApiKeyAcmeId": "kid-acme"}
	code, stdout, stderr = run(t, "invoke", "--template", tpl, "--url", api.URL, "--stack", "orders", "POST /orders", "-d", "{}", "--api-key-name", "acme", "--debug")
	if code != 0 || !strings.Contains(stdout, `"key": "`+hidden+`"`) || len(leaks(stdout+stderr, stored)) > 0 {
		t.Errorf("--api-key-name: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if reads := gw.KeyReads(); len(reads) != 1 || reads[0] != (apigwfake.KeyRead{ID: "kid-acme", IncludeValue: true}) {
		t.Errorf("GetApiKey got %+v", reads)
	}
	code, _, stderr = run(t, "invoke", "--template", tpl, "--url", api.URL, "--stack", "orders", "POST /orders", "--api-key-name", "acm")
	if code != 1 || !strings.Contains(stderr, "the template has no API key acm; its keys are acme") {
		t.Errorf("an unknown key name: exit %d %s", code, stderr)
	}

	api.mu.Lock()
	defer api.mu.Unlock()
	if len(api.seen) != 2 || api.seen[0].Get("X-Api-Key") != key || api.seen[0].Get("X-Partner-Token") != token ||
		api.seen[0].Get("Authorization") != "" || api.seen[1].Get("X-Api-Key") != stored {
		t.Errorf("the API saw %v", api.seen)
	}
}

// TestInvokeCredentialsRefused: a token or key a header cannot carry is
// refused, saying where the line break is but never what the value is;
// so are flags that contradict each other or the route.
func TestInvokeCredentialsRefused(t *testing.T) {
	signingEnv(t, testSecret)
	iam := protectedTemplate(t, "AWS_IAM")
	twoLines := filepath.Join(t.TempDir(), "token.txt")
	writeTestFile(t, twoLines, "s3cr3t-line-one\ns3cr3t-line-two\n")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--token", "s3cr3t-a\r\nX-Admin: yes"}, "--token holds a line break at byte 9 of 22"},
		{[]string{"--token", "@" + twoLines}, "--token holds a line break at byte 16 of 31"},
		{[]string{"--api-key", "s3cr3t-\x00"}, "--api-key holds the control character U+0000"},
		{[]string{"--api-key", "s3cr3t-1", "--api-key-name", "acme", "--stack", "x"}, "give the API key once"},
		{[]string{"--api-key-name", "acme"}, "needs --stack"},
	} {
		args := append([]string{"invoke", "../../golden/orders-open/spec.yaml", "--url", "http://127.0.0.1:1", "POST /orders"}, tc.args...)
		if tc.want == "needs --stack" {
			tc.want = "--api-key-name acme reads the key's id from a deployed stack's outputs: name it with --stack NAME"
		}
		code, stdout, stderr := run(t, args...)
		if code != 2 || !strings.Contains(stderr, tc.want) || strings.Contains(stdout+stderr, "s3cr3t") {
			t.Errorf("%q: exit %d, want 2 and %q\n%s%s", tc.args, code, tc.want, stdout, stderr)
		}
	}
	for _, args := range [][]string{{"--token", "s3cr3t-t"}, {"-H", "Authorization: s3cr3t-h"}} {
		code, stdout, stderr := run(t, append([]string{"invoke", "--template", iam, "--url", "http://127.0.0.1:1", "POST /orders"}, args...)...)
		if code != 2 || !strings.Contains(stderr, "POST /orders is AWS_IAM") || strings.Contains(stdout+stderr, "s3cr3t") {
			t.Errorf("%q on an AWS_IAM route: exit %d\n%s%s", args, code, stdout, stderr)
		}
	}
}

// TestTestInvokeCredentials: test-invoke passes --api-key-name's value
// (read with GetApiKey) and --token to TestInvokeMethod as the headers
// invoke would send, says that TestInvokeMethod runs no authorizer and
// checks no key, and prints neither value though the answer echoes both.
func TestTestInvokeCredentials(t *testing.T) {
	f := fakeAWS(t)
	tpl := protectedTemplate(t, "CUSTOM")
	const machine = "arn:aws:states:eu-west-1:210987654321:stateMachine:claims-StateMachineOrders-AbC123"
	const stored, token = "k3y-stored-0123456789abcd", "t0ken.given.sig"
	st := f.AddStack("claims", "CREATE_COMPLETE", map[string]any{"Outputs": map[string]any{"ApiId": map[string]any{}, "StateMachineOrdersArn": map[string]any{}, "ApiKeyAcmeId": map[string]any{}}})
	st.Outputs = map[string]string{"ApiId": "a1b2c3", "StateMachineOrdersArn": machine, "ApiKeyAcmeId": "kid-acme"}
	parsed, err := cfn.Parse(mustRead(t, tpl))
	if err != nil {
		t.Fatal(err)
	}
	g, err := gateway.New(parsed)
	if err != nil {
		t.Fatal(err)
	}
	g.Vars["StateMachineOrders"], g.Vars["StateMachineOrders.Name"] = machine, "claims-StateMachineOrders-AbC123"
	api := apigwfake.Start("a1b2c3", map[string]string{"/": "root1", "/orders": "res-orders"}, func(in apigwfake.Invocation) apigwfake.Result {
		req := &gateway.Request{Method: in.Method, Path: in.PathWithQueryString, Body: in.Body, Header: gateway.Header{}, RequestID: "7e57-1d", SourceIP: "test-invoke-source-ip", Stage: "test-invoke-stage"}
		for k, v := range in.Headers {
			req.Header.Set(k, v)
		}
		call, err := g.Start(req)
		if err != nil {
			t.Errorf("the fake cannot render: %v", err)
			return apigwfake.Result{Status: 500}
		}
		echo, _ := json.Marshal(in.Headers)
		return apigwfake.Result{Status: 200, Body: string(echo), Latency: 7, Log: "Execution log for request 7e57-1d\nSun Nov 29 08:00:00 UTC 2026 : Endpoint request body after transformations: " + call.Body + "\n"}
	})
	defer api.Close()
	api.AddKey(apigwfake.APIKey{ID: "kid-acme", Name: "claims-acme", Value: stored})
	t.Setenv("AWS_ENDPOINT_URL_API_GATEWAY", api.URL)

	code, stdout, stderr := run(t, "test-invoke", "--template", tpl, "--stack", "claims", "POST /orders", "-d", "{}", "--api-key-name", "acme", "--token", token, "--debug")
	if code != 0 || !strings.Contains(stdout, "sends the same JSON") || strings.Count(stdout, hidden) != 2 || len(leaks(stdout+stderr, stored, token)) > 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "note: TestInvokeMethod runs no authorizer and checks no API key or signature: POST /orders ran without its CUSTOM authorization or its API key; the key and token given went to it as headers") {
		t.Errorf("no note of what TestInvokeMethod skips:\n%s", stderr)
	}
	calls := api.Calls()
	if len(calls) != 1 || calls[0].Headers["x-api-key"] != stored || calls[0].Headers["X-Partner-Token"] != token {
		t.Errorf("TestInvokeMethod got %+v", calls)
	}
}
