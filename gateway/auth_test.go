package gateway_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"
	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/sfnapic/sfnapic/cfn"
	"github.com/sfnapic/sfnapic/gateway"
)

const (
	poolARN = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf"
	issuer  = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf"
	// probe is a request template that shows what reached $context.
	probe = `{"stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:StateMachineOrders", "input": "{\"sub\": \"$context.authorizer.claims.sub\", \"exp\": \"$context.authorizer.claims.exp\", \"groups\": \"$context.authorizer.claims.groups\", \"principal\": \"$context.authorizer.principalId\", \"tier\": \"$context.authorizer.tier\", \"n\": \"$context.authorizer.n\", \"key\": \"$context.identity.accessKey\", \"arn\": \"$context.identity.userArn\"}"}`
)

// withAuth is golden/orders-open's template with authorizers: POST /orders
// takes Cognito ID tokens, POST /quotes Cognito access tokens with the
// scope orders/write, GET /orders/{id} the TOKEN Lambda authorizer
// partners (cached 300 s), DELETE /orders/{id} SigV4 (AWS_IAM), and
// POST /approvals/approve the REQUEST authorizer desk (X-Desk and
// ?shift, not cached). Each of their request templates is probe.
func withAuth(tpl *cfn.Template) {
	api := tpl.Ref("Api")
	tpl.CFN.Resources["AuthorizerUsers"] = &apigateway.Authorizer{Name: "users", Type: "COGNITO_USER_POOLS", RestApiId: api,
		IdentitySource: ptr("method.request.header.Authorization"), ProviderARNs: []string{poolARN}}
	tpl.CFN.Resources["AuthorizerPartners"] = &apigateway.Authorizer{Name: "partners", Type: "TOKEN", RestApiId: api,
		IdentitySource: ptr("method.request.header.Authorization")}
	tpl.CFN.Resources["AuthorizerDesk"] = &apigateway.Authorizer{Name: "desk", Type: "REQUEST", RestApiId: api,
		IdentitySource: ptr("method.request.header.X-Desk,method.request.querystring.shift"), AuthorizerResultTtlInSeconds: ptr(0)}
	set := func(id, typ, authorizer string, scopes ...string) {
		m := tpl.CFN.Resources[id].(*apigateway.Method)
		m.AuthorizationType, m.AuthorizationScopes = ptr(typ), scopes
		if authorizer != "" {
			m.AuthorizerId = ptr(tpl.Ref(authorizer))
		}
		m.Integration.RequestTemplates = map[string]string{"application/json": probe}
	}
	set("RouteOrdersPost", "COGNITO_USER_POOLS", "AuthorizerUsers")
	set("RouteQuotesPost", "COGNITO_USER_POOLS", "AuthorizerUsers", "orders/write", "orders/admin")
	set("RouteOrdersIdGet", "CUSTOM", "AuthorizerPartners")
	set("RouteOrdersIdDelete", "AWS_IAM", "")
	set("RouteApprovalsApprovePost", "CUSTOM", "AuthorizerDesk")
}

var (
	keysOnce sync.Once
	signKey  *rsa.PrivateKey // the user pool's key, kid k1
	otherKey *rsa.PrivateKey // a key no JWKS holds
)

func keys(t testing.TB) {
	keysOnce.Do(func() {
		var err error
		if signKey, err = rsa.GenerateKey(rand.Reader, 2048); err == nil {
			otherKey, err = rsa.GenerateKey(rand.Reader, 2048)
		}
		if err != nil {
			panic(err)
		}
	})
}

// jwks is the pool's key set, as /.well-known/jwks.json serves it.
func jwks(t testing.TB) *jose.JSONWebKeySet {
	keys(t)
	b, err := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &signKey.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	if err != nil {
		t.Fatal(err)
	}
	set, err := gateway.ParseJWKS(b)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// token signs claims with key under kid, with RS256 (or alg).
func token(t testing.TB, key any, kid string, alg jose.SignatureAlgorithm, claims map[string]any) string {
	t.Helper()
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: jose.JSONWebKey{Key: key, KeyID: kid}}, (&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := jwt.Signed(s).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// idToken is a valid ID token of the pool, changed by edit.
func idToken(t testing.TB, edit func(map[string]any)) string {
	keys(t)
	c := map[string]any{"sub": "user-1", "iss": issuer, "token_use": "id", "exp": time.Now().Add(time.Hour).Unix(),
		"iat": int64(1544112503), "groups": []string{"admin", "staff"}, "aud": "client-1"}
	if edit != nil {
		edit(c)
	}
	return token(t, signKey, "k1", jose.RS256, c)
}

// authGateway is withAuth's gateway with auth.
func authGateway(t testing.TB, auth *gateway.Auth) *gateway.Gateway {
	g := gatewayWith(t, withAuth)
	g.Auth = auth
	return g
}

// start starts a request through g: its call (nil when refused) and the
// refusal.
func start(g *gateway.Gateway, verb, path string, header map[string]string) (*gateway.Call, *gateway.Rejection) {
	req, _ := gateway.ParseTarget(verb + " " + path)
	req.Body = `{}`
	req.DomainName = "localhost:8080"
	for k, v := range header {
		req.Header.Set(k, v)
	}
	call, err := g.Start(req)
	var rej *gateway.Rejection
	if errors.As(err, &rej) {
		return nil, rej
	}
	return call, nil
}

// TestCognitoTokens: an ID token of the pool, signed by its key, alone
// or after "Bearer ", reaches the integration with its claims as strings
// (exp as API Gateway's date, a list joined by commas); every hostile or
// wrong token is refused with 401, in the template's gateway response,
// and the reason never quotes the token.
func TestCognitoTokens(t *testing.T) {
	g := authGateway(t, &gateway.Auth{JWKS: jwks(t)})
	good := idToken(t, nil)
	for _, h := range []string{good, "Bearer " + good, "bearer  " + good} {
		call, rej := start(g, "POST", "/orders", map[string]string{"Authorization": h})
		if rej != nil {
			t.Fatalf("a valid token: %v", rej)
		}
		if !strings.Contains(call.Body, `\"sub\": \"user-1\"`) || !strings.Contains(call.Body, `\"groups\": \"admin,staff\"`) ||
			!strings.Contains(call.Body, `\"exp\": \"`+time.Unix(time.Now().Add(time.Hour).Unix(), 0).UTC().Format("Mon Jan 02 15:04:05 UTC 2006")) {
			t.Errorf("the claims did not reach $context.authorizer.claims: %s", call.Body)
		}
	}
	hostile := map[string]string{
		"none":            "",
		"garbage":         "not.a.jwt",
		"alg none":        unsigned(t, map[string]any{"sub": "x", "iss": issuer, "token_use": "id", "exp": time.Now().Add(time.Hour).Unix()}),
		"HS256":           token(t, []byte("0123456789abcdef0123456789abcdef"), "k1", jose.HS256, map[string]any{"iss": issuer, "token_use": "id", "exp": time.Now().Add(time.Hour).Unix()}),
		"another key":     token(t, otherKey, "k1", jose.RS256, map[string]any{"iss": issuer, "token_use": "id", "exp": time.Now().Add(time.Hour).Unix()}),
		"unknown kid":     token(t, signKey, "k2", jose.RS256, map[string]any{"iss": issuer, "token_use": "id", "exp": time.Now().Add(time.Hour).Unix()}),
		"tampered":        tamper(good),
		"another pool":    idToken(t, func(c map[string]any) { c["iss"] = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other" }),
		"access token":    idToken(t, func(c map[string]any) { c["token_use"] = "access"; c["scope"] = "orders/write" }),
		"no exp":          idToken(t, func(c map[string]any) { delete(c, "exp") }),
		"expired":         idToken(t, func(c map[string]any) { c["exp"] = time.Now().Add(-time.Second).Unix() }),
		"token_use other": idToken(t, func(c map[string]any) { c["token_use"] = "refresh" }),
	}
	for name, tok := range hostile {
		_, rej := start(g, "POST", "/orders", map[string]string{"Authorization": tok})
		if rej == nil || rej.Status != 401 || !strings.Contains(rej.Body, "UNAUTHORIZED") {
			t.Errorf("%s: %+v", name, rej)
			continue
		}
		want := "Unauthorized"
		if name == "expired" {
			want = "The incoming token has expired"
		}
		if rej.Message != want || (tok != "" && strings.Contains(rej.Reason+rej.Body, tok)) {
			t.Errorf("%s: message %q (want %q), reason %q", name, rej.Message, want, rej.Reason)
		}
	}
}

// TestCognitoScopes: a method with AuthorizationScopes takes an access
// token holding one of them, and refuses (401) an ID token or an access
// token with other scopes.
func TestCognitoScopes(t *testing.T) {
	g := authGateway(t, &gateway.Auth{JWKS: jwks(t)})
	access := func(scope string) string {
		return idToken(t, func(c map[string]any) { c["token_use"] = "access"; c["scope"] = scope })
	}
	for tok, want := range map[string]int{
		access("openid orders/admin"): 0, access("orders/write"): 0,
		access("orders/read openid"): 401, access(""): 401, idToken(t, nil): 401,
	} {
		_, rej := start(g, "POST", "/quotes", map[string]string{"Authorization": tok})
		if (rej == nil) != (want == 0) || (rej != nil && rej.Status != want) {
			t.Errorf("scopes of %.40s...: %+v, want %d", tok, rej, want)
		}
	}
}

// TestCognitoWithoutKeys: without --jwks serve cannot check a token: the
// request fails on its side (500), while a request without any token is
// still the caller's 401; a gateway without an Auth checks nothing.
func TestCognitoWithoutKeys(t *testing.T) {
	g := authGateway(t, &gateway.Auth{})
	if _, rej := start(g, "POST", "/orders", map[string]string{"Authorization": idToken(t, nil)}); rej == nil || rej.Status != 500 || !strings.Contains(rej.Reason, "--jwks") {
		t.Errorf("a token without keys: %+v", rej)
	}
	if _, rej := start(g, "POST", "/orders", nil); rej == nil || rej.Status != 401 {
		t.Errorf("no token: %+v", rej)
	}
	if _, rej := start(authGateway(t, nil), "POST", "/orders", nil); rej != nil {
		t.Errorf("a gateway without an Auth: %+v", rej)
	}
}

func unsigned(t testing.TB, claims map[string]any) string {
	b, _ := json.Marshal(claims)
	return b64(`{"alg":"none","typ":"JWT","kid":"k1"}`) + "." + b64(string(b)) + "."
}

func b64(s string) string {
	return strings.TrimRight(strings.NewReplacer("+", "-", "/", "_").Replace(base64Std(s)), "=")
}

// tamper changes the token's payload (its sub), keeping its signature.
func tamper(tok string) string {
	parts := strings.Split(tok, ".")
	payload, _ := base64URLDecode(parts[1])
	parts[1] = b64(strings.Replace(string(payload), "user-1", "admin", 1))
	return strings.Join(parts, ".")
}

// writeProgram writes an executable shell script into dir.
func writeProgram(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o700); err != nil {
		t.Fatal(err)
	}
	return p
}

func base64Std(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func base64URLDecode(s string) ([]byte, error) { return base64.RawURLEncoding.DecodeString(s) }
