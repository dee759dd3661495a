package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/internal/golden"
)

// keyedTemplate writes golden/orders-open's template with a usage plan on
// its stage, keys acme and globex in it, and GET /orders/{id} requiring
// a key, as compile writes them (the issue 18 contract), and returns its
// path.
func keyedTemplate(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(golden.Root(), "orders-open", "template.json"))
	if err != nil {
		t.Fatal(err)
	}
	var tpl map[string]any
	if err := json.Unmarshal(b, &tpl); err != nil {
		t.Fatal(err)
	}
	res := tpl["Resources"].(map[string]any)
	ref := func(id string) map[string]any { return map[string]any{"Ref": id} }
	res["UsagePlanPartners"] = map[string]any{"Type": "AWS::ApiGateway::UsagePlan", "Properties": map[string]any{
		"ApiStages": []any{map[string]any{"ApiId": ref("Api"), "Stage": ref("Stage")}}, "Quota": map[string]any{"Limit": 2, "Period": "DAY"}}}
	for _, k := range []string{"Acme", "Globex"} {
		res["ApiKey"+k] = map[string]any{"Type": "AWS::ApiGateway::ApiKey", "Properties": map[string]any{
			"Name": map[string]any{"Fn::Sub": "${AWS::StackName}-" + strings.ToLower(k)}, "Enabled": true}}
		res["UsagePlanKey"+k] = map[string]any{"Type": "AWS::ApiGateway::UsagePlanKey", "Properties": map[string]any{
			"KeyId": ref("ApiKey" + k), "KeyType": "API_KEY", "UsagePlanId": ref("UsagePlanPartners")}}
	}
	res["RouteOrdersIdGet"].(map[string]any)["Properties"].(map[string]any)["ApiKeyRequired"] = true
	out, _ := json.Marshal(tpl)
	path := filepath.Join(t.TempDir(), "template.json")
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestServeAPIKeys: serve --api-key takes a key's value by its name; a
// request with it passes, one without it gets API Gateway's 403, the
// quota's third 429; the start-up lines say what is checked and which
// key was not given; neither they nor the request log print the value.
func TestServeAPIKeys(t *testing.T) {
	const value = "s3cr3t-acme-value-0123456789"
	s := startServe(t, "--template", keyedTemplate(t), "--api-key", "acme="+value)
	for i, want := range []int{404, 404, 429} {
		if status, _, body := s.do(t, "GET", "/orders/o-1", "", "", "X-Api-Key", value); status != want {
			t.Errorf("request %d with the key: %d %s, want %d", i+1, status, body, want)
		}
	}
	if status, _, body := s.do(t, "GET", "/orders/o-1", "", ""); status != 403 || !strings.Contains(body, "Forbidden") {
		t.Errorf("without a key: %d %s", status, body)
	}
	if status, _, body := s.do(t, "GET", "/orders/o-1", "", "", "X-Api-Key", "wrong"); status != 403 {
		t.Errorf("with a wrong key: %d %s", status, body)
	}
	s.stop()
	out := s.stderr.String()
	for _, line := range []string{"API keys: 1 route with ApiKeyRequired; x-api-key is checked against --api-key (1 of 2 keys given; not given, so refused: globex); throttles and quotas are counted in memory from start",
		"not checked here: the stage's and the account's throttles"} {
		if !strings.Contains(out, line) {
			t.Errorf("the start-up lines lack %q:\n%s", line, out)
		}
	}
	if strings.Contains(out, value) || strings.Contains(out, "wrong") {
		t.Errorf("serve printed a key's value:\n%s", out)
	}
}

// TestServeAPIKeyUsage: a key name the template lacks is a usage error
// (exit 2) with the closest name, before serve listens; a flag that is
// not NAME=VALUE too; neither repeats the value.
func TestServeAPIKeyUsage(t *testing.T) {
	tpl := keyedTemplate(t)
	for args, want := range map[string]string{
		"acmee=v4lue": `--api-key acmee=...: the template has no API key named "acmee" (its keys are acme, globex) (did you mean "acme"?)`,
		"v4lue":       "--api-key number 1 is not NAME=VALUE",
		"acme=":       "--api-key number 1 is not NAME=VALUE",
	} {
		var out, errOut lockedBuffer
		code := mainContext(t.Context(), []string{"serve", "--addr", "127.0.0.1:0", "--template", tpl, "--api-key", args}, strings.NewReader(""), &out, &errOut)
		if code != 2 || !strings.Contains(errOut.String(), want) || strings.Contains(errOut.String(), "v4lue") {
			t.Errorf("--api-key %s: exit %d\n%s\nwant %s", args, code, errOut.String(), want)
		}
	}
}

// TestServeAPIKeySameValue: two keys given one value is a usage error
// that names both keys and not the value (which key a request counts
// against would otherwise be chance).
func TestServeAPIKeySameValue(t *testing.T) {
	tpl := keyedTemplate(t)
	var out, errOut lockedBuffer
	code := mainContext(t.Context(), []string{"serve", "--addr", "127.0.0.1:0", "--template", tpl, "--api-key", "acme=v4lue", "--api-key", "globex=v4lue"}, strings.NewReader(""), &out, &errOut)
	if want := "--api-key gives keys acme and globex the same value"; code != 2 || !strings.Contains(errOut.String(), want) || strings.Contains(errOut.String(), "v4lue") {
		t.Errorf("exit %d\n%s\nwant %s", code, errOut.String(), want)
	}
}
