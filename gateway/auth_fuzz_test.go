package gateway_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/internal/sfnmock"
)

// FuzzAuth sends arbitrary Authorization, X-Amz-Date and X-Desk values to
// routes behind each kind of authorizer (Cognito, a TOKEN and a REQUEST
// Lambda authorizer with fixed answers, SigV4): whatever they hold, serve
// answers with a status API Gateway could give and a JSON body, within
// 3 s, never panics, and never lets a request through to an
// authorized route without valid credentials.
func FuzzAuth(f *testing.F) {
	good := idToken(f, nil)
	f.Add("POST", "/orders", good, "", "")
	f.Add("POST", "/orders", "Bearer "+good, "", "")
	f.Add("POST", "/quotes", tamper(good), "", "")
	f.Add("POST", "/orders", "eyJhbGciOiJub25lIn0.e30.", "", "")
	f.Add("POST", "/orders", strings.Repeat("a.", 5000), "", "")
	f.Add("GET", "/orders/1", "tok\x00\r\n", "", "")
	f.Add("DELETE", "/orders/1", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=00", "20240101T000000Z", "")
	f.Add("DELETE", "/orders/1", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE//", "garbage", "")
	f.Add("DELETE", "/orders/1", "AWS4-HMAC-SHA256 ,,,=", time.Now().UTC().Format("20060102T150405Z"), "")
	f.Add("POST", "/approvals/approve?shift=%ff", "", "", "d1")
	set, _ := json.Marshal(jose.JSONWebKeySet{Keys: jwks(f).Keys})
	keys, _ := gateway.ParseJWKS(set)
	allow := []byte(`{"principalId": "p", "policyDocument": {"Statement": [{"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": "*"}]}}`)
	g := authGateway(f, &gateway.Auth{JWKS: keys, IAMKeys: map[string]string{keyID: secret},
		Lambdas: map[string]*gateway.Lambda{"partners": {Answer: allow}, "desk": {Answer: allow}}})
	s := gateway.NewServer(g, sfnmock.New(nil), nil)
	f.Fuzz(func(t *testing.T, method, target, authorization, date, desk string) {
		r, err := http.NewRequest(method, "http://localhost:8080"+target, strings.NewReader(`{}`))
		if err != nil || !validMethod(method) {
			return
		}
		for name, v := range map[string]string{"Authorization": authorization, "X-Amz-Date": date, "X-Desk": desk} {
			if v != "" {
				r.Header[name] = []string{v}
			}
		}
		w := httptest.NewRecorder()
		done := make(chan bool)
		go func() {
			select {
			case <-done:
			case <-time.After(3 * time.Second):
				panic(fmt.Sprintf("%s %q: no answer in 3 s", method, target))
			}
		}()
		s.ServeHTTP(w, r)
		close(done)
		if w.Code < 200 || w.Code > 599 || !json.Valid(w.Body.Bytes()) && method != "HEAD" {
			t.Fatalf("%s %s: %d %q", method, target, w.Code, w.Body)
		}
		if method == "DELETE" && strings.HasPrefix(r.URL.Path, "/orders/") && w.Code != 403 && w.Code != 404 {
			t.Fatalf("an unsigned or forged request reached the IAM route: %d %s", w.Code, w.Body)
		}
	})
}
