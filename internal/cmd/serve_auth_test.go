package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// authTemplate is golden/orders-open's template with a TOKEN Lambda
// authorizer on GET /orders/{id} and AWS_IAM on DELETE /orders/{id}.
func authTemplate(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../golden/orders-open/template.json")
	if err != nil {
		t.Fatal(err)
	}
	var tpl map[string]any
	if err := json.Unmarshal(b, &tpl); err != nil {
		t.Fatal(err)
	}
	resources := tpl["Resources"].(map[string]any)
	resources["AuthorizerPartners"] = map[string]any{"Type": "AWS::ApiGateway::Authorizer", "Properties": map[string]any{
		"Name": "partners", "Type": "TOKEN", "RestApiId": map[string]any{"Ref": "Api"}, "IdentitySource": "method.request.header.Authorization",
		"AuthorizerUri": "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:check/invocations",
	}}
	get := resources["RouteOrdersIdGet"].(map[string]any)["Properties"].(map[string]any)
	get["AuthorizationType"], get["AuthorizerId"] = "CUSTOM", map[string]any{"Ref": "AuthorizerPartners"}
	resources["RouteOrdersIdDelete"].(map[string]any)["Properties"].(map[string]any)["AuthorizationType"] = "AWS_IAM"
	out, err := json.Marshal(tpl)
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(t.TempDir(), "template.json")
	writeTestFile(t, name, string(out))
	return name
}

// TestServeAuthorizers: serve checks callers with its flags: a Lambda
// authorizer's fixed answer lets a request with a token through and one
// without is 401; an unsigned request to an AWS_IAM route is refused. It
// says at start-up what it checks for each route, naming no secret.
func TestServeAuthorizers(t *testing.T) {
	dir := t.TempDir()
	answer := filepath.Join(dir, "answer.json")
	writeTestFile(t, answer, `{"principalId": "acme", "policyDocument": {"Statement": [{"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": "*"}]}}`)
	s := startServe(t, "--template", authTemplate(t), "--authorizer", "partners=@"+answer, "--authorizer", "typo=./x", "--iam-key", "AKIDEXAMPLE:s3cr3t-value")
	out := s.stderr.String()
	for _, want := range []string{
		"GET /orders/{id}: Lambda authorizer partners (TOKEN): a fixed answer, cached 5m0s",
		"DELETE /orders/{id}: IAM (SigV4) against 1 --iam-key credential(s)",
		"warning: --authorizer typo names no authorizer of the template (it has: partners)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("start-up lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "s3cr3t-value") {
		t.Errorf("start-up prints the secret:\n%s", out)
	}
	if status, _, body := s.do(t, "GET", "/orders/o-1", "", "", "Authorization", "tok"); status == 401 || status == 403 {
		t.Errorf("with a token: %d %s", status, body)
	}
	if status, _, body := s.do(t, "GET", "/orders/o-1", "", ""); status != 401 {
		t.Errorf("without a token: %d %s", status, body)
	}
	// The template answers MISSING_AUTHENTICATION_TOKEN with its 404.
	if status, _, body := s.do(t, "DELETE", "/orders/o-1", "application/json", `{}`); status != 404 {
		t.Errorf("unsigned: %d %s", status, body)
	}
}

// TestServeAuthFlagsRefused: flags serve cannot use are refused at once,
// all of them, without quoting a secret.
func TestServeAuthFlagsRefused(t *testing.T) {
	var out, errOut bytes.Buffer
	code := mainContext(context.Background(), []string{"serve", "--template", authTemplate(t), "--iam-key", "s3cr3t-without-id",
		"--authorizer", "partners", "--jwks", filepath.Join(t.TempDir(), "missing.json")}, strings.NewReader(""), &out, &errOut)
	msg := errOut.String()
	if code == 0 || !strings.Contains(msg, "--iam-key: write ACCESS_KEY_ID:SECRET_ACCESS_KEY") || !strings.Contains(msg, `--authorizer "partners"`) ||
		!strings.Contains(msg, "--jwks") || strings.Contains(msg, "s3cr3t") {
		t.Errorf("exit %d: %s", code, msg)
	}
}
