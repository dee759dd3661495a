package gateway_test

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"

	"github.com/sfnapic/sfnapic/cfn"
	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/internal/sfnmock"
)

// Key values of the tests: made up here, as serve's --api-key takes them.
const (
	acmeKey   = "acme-0123456789abcdefghij"
	globexKey = "globex-0123456789abcdefgh"
	devKey    = "initech-0123456789abcdefg"
)

// addKeys gives golden/orders-open's template what compile writes for
// `apiKey: partners` on GET /orders/{id} (the contract's shape): a usage
// plan on the stage with a throttle (rate 1, burst 2) and a quota of 3 a
// DAY, a per-method throttle on DELETE /orders/{id} (rate 1, burst 1),
// keys acme (enabled), globex (disabled) in it, and initech in a plan of
// another stage.
func addKeys(tpl *cfn.Template) {
	r := tpl.CFN.Resources
	rate, burst, one, limit := 1.0, 2, 1, 3
	r["UsagePlanPartners"] = &apigateway.UsagePlan{UsagePlanName: ptr("partners"),
		ApiStages: []apigateway.UsagePlan_ApiStage{{ApiId: ptr(tpl.Ref("Api")), Stage: ptr(tpl.Ref("Stage")),
			Throttle: map[string]apigateway.UsagePlan_ThrottleSettings{"/orders/{id}/DELETE": {RateLimit: &rate, BurstLimit: &one}}}},
		Throttle: &apigateway.UsagePlan_ThrottleSettings{RateLimit: &rate, BurstLimit: &burst},
		Quota:    &apigateway.UsagePlan_QuotaSettings{Limit: &limit, Period: ptr("DAY")}}
	r["UsagePlanDev"] = &apigateway.UsagePlan{UsagePlanName: ptr("dev"), ApiStages: []apigateway.UsagePlan_ApiStage{{ApiId: ptr(tpl.Ref("Api")), Stage: ptr("dev")}}}
	for name, enabled := range map[string]bool{"Acme": true, "Globex": false, "Initech": true} {
		r["ApiKey"+name] = &apigateway.ApiKey{Name: ptr(tpl.Sub("${AWS::StackName}-" + strings.ToLower(name))), Enabled: ptr(enabled)}
		plan := "UsagePlanPartners"
		if name == "Initech" {
			plan = "UsagePlanDev"
		}
		r["UsagePlanKey"+name] = &apigateway.UsagePlanKey{KeyId: tpl.Ref("ApiKey" + name), KeyType: "API_KEY", UsagePlanId: tpl.Ref(plan)}
	}
	for _, id := range []string{"RouteOrdersIdGet", "RouteOrdersIdDelete"} {
		r[id].(*apigateway.Method).ApiKeyRequired = ptr(true)
	}
}

// keyed serves the template with keys, on a clock the test moves.
func keyed(t *testing.T, edit func(*cfn.Template)) (*gateway.Server, *time.Time) {
	t.Helper()
	g := gatewayWith(t, func(tpl *cfn.Template) {
		addKeys(tpl)
		if edit != nil {
			edit(tpl)
		}
	})
	keys := gateway.NewKeys(map[string]string{"acme": acmeKey, "globex": globexKey, "initech": devKey})
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	keys.SetClock(func() time.Time { return now })
	if err := g.UseKeys(keys); err != nil {
		t.Fatal(err)
	}
	return gateway.NewServer(g, sfnmock.New(nil), nil), &now
}

// get sends verb /orders/o-1 with headers (name, value pairs). The
// execution does not exist: a request the gateway lets through is
// answered 404 by Step Functions (the mock), which get makes 200.
func get(s *gateway.Server, verb string, headers ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(verb, "/orders/o-1", nil)
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	if w.Code == 404 && strings.Contains(w.Body.String(), "ExecutionDoesNotExist") {
		w.Code = 200
	}
	return w
}

// TestAPIKeyRefusals: a method that requires a key refuses, with API
// Gateway's 403 {"message":"Forbidden"} through INVALID_API_KEY (here
// the template's DEFAULT_4XX envelope), a request without x-api-key, with
// a value given for no key, with a disabled key's value, and with a key
// whose plan is on another stage; the header's name is matched in any
// case; a method without ApiKeyRequired takes no key; no answer repeats
// the value.
func TestAPIKeyRefusals(t *testing.T) {
	s, _ := keyed(t, func(tpl *cfn.Template) { tpl.CFN.Resources["UsagePlanPartners"].(*apigateway.UsagePlan).Throttle = nil })
	for name, hdrs := range map[string][]string{
		"none": nil, "unknown": {"x-api-key", "not-a-key"}, "disabled": {"x-api-key", globexKey},
		"other stage": {"x-api-key", devKey}, "empty": {"X-Api-Key", ""},
	} {
		w := get(s, "GET", hdrs...)
		if w.Code != 403 || w.Body.String() != `{"error": "INVALID_API_KEY", "message": "Forbidden"}` {
			t.Errorf("%s: %d %s", name, w.Code, w.Body)
		}
		if strings.Contains(w.Body.String(), "0123456789") {
			t.Errorf("%s: the answer repeats a key: %s", name, w.Body)
		}
	}
	for _, header := range []string{"x-api-key", "X-API-KEY", "X-Api-Key"} {
		if w := get(s, "GET", header, acmeKey); w.Code != 200 {
			t.Errorf("%s: %d %s", header, w.Code, w.Body)
		}
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, orderRequest(1))
	if w.Code != 200 {
		t.Errorf("POST /orders without a key: %d %s", w.Code, w.Body)
	}
}

// TestAPIKeyWithoutValues: without --api-key values, a method that
// requires a key refuses every request; a gateway never given keys (a
// render) checks none.
func TestAPIKeyWithoutValues(t *testing.T) {
	g := gatewayWith(t, addKeys)
	if err := g.UseKeys(gateway.NewKeys(nil)); err != nil {
		t.Fatal(err)
	}
	s := gateway.NewServer(g, sfnmock.New(nil), nil)
	if w := get(s, "GET", "x-api-key", acmeKey); w.Code != 403 {
		t.Errorf("%d %s", w.Code, w.Body)
	}
	s = serverWith(t, sfnmock.New(nil), addKeys)
	if w := get(s, "GET", "", ""); w.Code != 200 {
		t.Errorf("a render checks no key: %d %s", w.Code, w.Body)
	}
}

// TestAPIKeyThrottle: the plan's token bucket (rate 1 a second, burst 2)
// takes two requests at once, refuses the third with THROTTLED (429 Too
// Many Requests), and takes one more a second later; a method with its
// own throttle in the plan's ApiStages (burst 1) has its own bucket.
func TestAPIKeyThrottle(t *testing.T) {
	s, now := keyed(t, func(tpl *cfn.Template) {
		p := tpl.CFN.Resources["UsagePlanPartners"].(*apigateway.UsagePlan)
		p.Quota = nil
	})
	codes := func(verb string, n int) string {
		var out []string
		for range n {
			out = append(out, itoa(get(s, verb, "x-api-key", acmeKey).Code))
		}
		return strings.Join(out, " ")
	}
	if got := codes("GET", 3); got != "200 200 429" {
		t.Errorf("three at once: %s", got)
	}
	if w := get(s, "GET", "x-api-key", acmeKey); w.Code != 429 || w.Body.String() != `{"error": "THROTTLED", "message": "Too Many Requests"}` {
		t.Errorf("throttled: %d %s", w.Code, w.Body)
	}
	if got := codes("DELETE", 2); got != "200 429" {
		t.Errorf("the method's own bucket: %s", got)
	}
	*now = now.Add(time.Second)
	if got := codes("GET", 2); got != "200 429" {
		t.Errorf("a second later: %s", got)
	}
}

// TestAPIKeyQuota: the plan's quota (3 a DAY), counted per key from the
// start, refuses the fourth request with QUOTA_EXCEEDED (429 Limit
// Exceeded), and takes requests again the next period.
func TestAPIKeyQuota(t *testing.T) {
	s, now := keyed(t, func(tpl *cfn.Template) {
		tpl.CFN.Resources["UsagePlanPartners"].(*apigateway.UsagePlan).Throttle = nil
	})
	for i := range 3 {
		if w := get(s, "GET", "x-api-key", acmeKey); w.Code != 200 {
			t.Fatalf("request %d: %d %s", i+1, w.Code, w.Body)
		}
	}
	if w := get(s, "GET", "x-api-key", acmeKey); w.Code != 429 || w.Body.String() != `{"error": "QUOTA_EXCEEDED", "message": "Limit Exceeded"}` {
		t.Errorf("the fourth: %d %s", w.Code, w.Body)
	}
	*now = now.Add(24 * time.Hour)
	if w := get(s, "GET", "x-api-key", acmeKey); w.Code != 200 {
		t.Errorf("the next day: %d %s", w.Code, w.Body)
	}
}

// TestUseKeysUnknownName: a key name the template has no key of is
// refused, with the template's key names.
func TestUseKeysUnknownName(t *testing.T) {
	g := gatewayWith(t, addKeys)
	err := g.UseKeys(gateway.NewKeys(map[string]string{"acmee": "v"}))
	var unknown *gateway.UnknownKeyError
	if !errors.As(err, &unknown) || unknown.Name != "acmee" || strings.Join(unknown.Known, ",") != "acme,globex,initech" {
		t.Fatalf("%v", err)
	}
	if strings.Contains(err.Error(), `"v"`) {
		t.Errorf("the error repeats the value: %v", err)
	}
}
