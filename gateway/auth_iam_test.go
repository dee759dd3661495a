package gateway_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/internal/sfnmock"
)

const (
	keyID  = "AKIDEXAMPLE"
	secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
)

// signed is a request to serve signed by the SDK's signer with the key,
// for service and at when.
func signed(t *testing.T, method, target, body, key, service string, when time.Time) *http.Request {
	t.Helper()
	r := httptest.NewRequest(method, "http://localhost:8080"+target, strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-Custom", "a b")
	sum := sha256.Sum256([]byte(body))
	err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: keyID, SecretAccessKey: key, SessionToken: "session-tok"},
		r, hex.EncodeToString(sum[:]), service, "eu-west-1", when)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestSigV4: serve recomputes the signature of a request the SDK signed
// and lets it through, with the caller in $context.identity; a request
// not signed, signed with another secret, for another service, with a
// changed body or query, or more than 5 minutes old, is refused with 403
// and API Gateway's message; neither the secret nor the signature is in
// any answer or log reason.
func TestSigV4(t *testing.T) {
	var reasons []string
	g := authGateway(t, &gateway.Auth{IAMKeys: map[string]string{keyID: secret}})
	s := gateway.NewServer(g, sfnmock.New(nil), func(ev gateway.Event) { reasons = append(reasons, ev.Reason) })
	serve := func(r *http.Request) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		return w
	}
	now := time.Now()
	ok := signed(t, "DELETE", "/orders/42?reason=a%20b&x=1", `{"why": "dup"}`, secret, "execute-api", now)
	// The request reaches Step Functions (the probe template's body is
	// not a StopExecution, which the mock refuses with its 400).
	if w := serve(ok); w.Code != 400 || !strings.Contains(w.Body.String(), "InvalidArn") {
		t.Fatalf("a signed request: %d %s (%v)", w.Code, w.Body, reasons)
	}
	changedBody := signed(t, "DELETE", "/orders/42", `{"why": "dup"}`, secret, "execute-api", now)
	changedBody.Body = http.NoBody
	changedBody.ContentLength = 0
	changedQuery := signed(t, "DELETE", "/orders/42?x=1", `{}`, secret, "execute-api", now)
	changedQuery.URL.RawQuery = "x=2"
	cases := map[string]struct {
		r       *http.Request
		message string
	}{
		"unsigned":        {httptest.NewRequest("DELETE", "/orders/42", nil), "Missing Authentication Token"},
		"a bearer token":  {withHeader(httptest.NewRequest("DELETE", "/orders/42", nil), "Authorization", "Bearer abc"), "Authorization header requires 'Credential' parameter."},
		"another secret":  {signed(t, "DELETE", "/orders/42", `{}`, "wrong", "execute-api", now), "The request signature we calculated does not match"},
		"another key":     {withHeader(signed(t, "DELETE", "/orders/42", `{}`, secret, "execute-api", now), "Authorization", strings.Replace(signed(t, "DELETE", "/orders/42", `{}`, secret, "execute-api", now).Header.Get("Authorization"), keyID, "AKIDOTHER", 1)), "The security token included in the request is invalid."},
		"another service": {signed(t, "DELETE", "/orders/42", `{}`, secret, "s3", now), "Credential should be scoped to correct service: 'execute-api'."},
		"a changed body":  {changedBody, "The request signature we calculated does not match"},
		"a changed query": {changedQuery, "The request signature we calculated does not match"},
		"6 minutes old":   {signed(t, "DELETE", "/orders/42", `{}`, secret, "execute-api", now.Add(-6*time.Minute)), "Signature expired: "},
		"from the future": {signed(t, "DELETE", "/orders/42", `{}`, secret, "execute-api", now.Add(6*time.Minute)), "Signature not yet current: "},
	}
	for name, c := range cases {
		// The template's MISSING_AUTHENTICATION_TOKEN response is its
		// 404 for unknown routes: API Gateway answers unsigned
		// requests to an AWS_IAM method with it too.
		want, typ := 403, "INVALID_SIGNATURE"
		if strings.HasPrefix(c.message, "Missing") || strings.HasPrefix(c.message, "Authorization header") {
			want, typ = 404, "MISSING_AUTHENTICATION_TOKEN"
		}
		_, err := g.Start(toRequest(c.r))
		rej, _ := err.(*gateway.Rejection)
		if w := serve(c.r); w.Code != want || rej == nil || rej.Type != typ || !strings.HasPrefix(rej.Message, c.message) {
			t.Errorf("%s: %d %s (%+v)", name, w.Code, w.Body, rej)
		}
	}
	sig := ok.Header.Get("Authorization")
	sig = sig[strings.LastIndex(sig, "=")+1:]
	for _, r := range reasons {
		if strings.Contains(r, secret) || strings.Contains(r, sig) || strings.Contains(r, "session-tok") {
			t.Errorf("a log reason quotes a secret: %s", r)
		}
	}
}

// TestSigV4Identity: the caller of a signed request reaches
// $context.identity (accessKey, a userArn placeholder).
func TestSigV4Identity(t *testing.T) {
	g := authGateway(t, &gateway.Auth{IAMKeys: map[string]string{keyID: secret}})
	r := signed(t, "DELETE", "/orders/42", `{}`, secret, "execute-api", time.Now())
	call, err := g.Start(toRequest(r))
	if err != nil && call == nil {
		t.Fatal(err)
	}
	if !strings.Contains(call.Body, `\"key\": \"`+keyID+`\"`) || !strings.Contains(call.Body, `\"arn\": \"arn:aws:iam::123456789012:user/`+keyID+`\"`) {
		t.Errorf("the caller did not reach $context.identity: %s", call.Body)
	}
}

func withHeader(r *http.Request, name, value string) *http.Request {
	r.Header.Set(name, value)
	return r
}

// toRequest is what the server makes of r (its body read again).
func toRequest(r *http.Request) *gateway.Request {
	b, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(b))
	body := string(b)
	return &gateway.Request{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.Query(), Header: gateway.Header(r.Header.Clone()), Body: body, DomainName: r.Host}
}
