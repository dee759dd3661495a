package restapi_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"

	"github.com/sfnapic/sfnapic/cfn"
	"github.com/sfnapic/sfnapic/internal/golden"
	"github.com/sfnapic/sfnapic/restapi"
)

// accessTemplate is golden/orders-open's template with what compile
// writes for issue 18 (the contract's shape): a usage plan on the stage
// with a per-method throttle and a quota, two keys (one disabled), a
// model and a body validator on POST /orders, and an API key on
// GET /orders/{id}. The new resources are written as JSON and read
// back, as serve reads a template.
func accessTemplate(t *testing.T) *cfn.Template {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(golden.Root(), "orders-open", "template.json"))
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := cfn.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	rate, burst, limit := 5.0, 2, 100
	r := tpl.CFN.Resources
	r["UsagePlanPartners"] = &apigateway.UsagePlan{UsagePlanName: ptr("orders-api-partners"),
		ApiStages: []apigateway.UsagePlan_ApiStage{{ApiId: ptr(tpl.Ref("Api")), Stage: ptr(tpl.Ref("Stage")),
			Throttle: map[string]apigateway.UsagePlan_ThrottleSettings{"/orders/{id}/GET": {RateLimit: &rate, BurstLimit: &burst}}}},
		Throttle: &apigateway.UsagePlan_ThrottleSettings{RateLimit: &rate, BurstLimit: &burst},
		Quota:    &apigateway.UsagePlan_QuotaSettings{Limit: &limit, Period: ptr("MONTH")}}
	r["ApiKeyAcme"] = &apigateway.ApiKey{Name: ptr(tpl.Sub("${AWS::StackName}-acme")), Enabled: ptr(true)}
	r["ApiKeyGlobex"] = &apigateway.ApiKey{Name: ptr("globex"), Enabled: ptr(false)}
	r["UsagePlanKeyAcme"] = &apigateway.UsagePlanKey{KeyId: tpl.Ref("ApiKeyAcme"), KeyType: "API_KEY", UsagePlanId: tpl.Ref("UsagePlanPartners")}
	r["UsagePlanKeyGlobex"] = &apigateway.UsagePlanKey{KeyId: tpl.Ref("ApiKeyGlobex"), KeyType: "API_KEY", UsagePlanId: tpl.Ref("UsagePlanPartners")}
	r["ModelOrdersPost"] = &apigateway.Model{RestApiId: tpl.Ref("Api"), ContentType: ptr("application/json"), Name: ptr("OrdersPost"),
		Schema: map[string]any{"$schema": "http://json-schema.org/draft-04/schema#", "type": "object", "required": []any{"items"}}}
	r["RequestValidatorBody"] = &apigateway.RequestValidator{RestApiId: tpl.Ref("Api"), ValidateRequestBody: ptr(true), ValidateRequestParameters: ptr(false)}
	out, err := tpl.JSON()
	if err != nil {
		t.Fatal(err)
	}
	back, err := cfn.Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	// The methods are changed after the template is read back: a
	// template writes each resource it read as it read it.
	post := back.CFN.Resources["RouteOrdersPost"].(*apigateway.Method)
	post.RequestValidatorId = ptr(back.Ref("RequestValidatorBody"))
	post.RequestModels = map[string]string{"application/json": back.Ref("ModelOrdersPost")}
	back.CFN.Resources["RouteOrdersIdGet"].(*apigateway.Method).ApiKeyRequired = ptr(true)
	return back
}

func ptr[T any](v T) *T { return &v }

// TestReadKeys: usage plans with their stage (a Ref to the Stage read as
// its name), throttles and quota; keys by the name the spec gave them
// (after "${AWS::StackName}-", or a plain Name as itself), Enabled as
// written, each in its plans; ApiKeyRequired on the method.
func TestReadKeys(t *testing.T) {
	api, err := restapi.Read(accessTemplate(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(api.UsagePlans) != 1 {
		t.Fatalf("usage plans: %v", api.UsagePlans)
	}
	p := api.UsagePlans[0]
	if p.Name != "orders-api-partners" || !p.HasStage("prod") || p.HasStage("dev") || *p.Throttle.Rate != 5 || *p.Throttle.Burst != 2 ||
		p.Quota == nil || p.Quota.Limit != 100 || p.Quota.Period != "MONTH" {
		t.Errorf("plan %+v", p)
	}
	if th := p.MethodThrottles["/orders/{id}/GET"]; th == nil || *th.Burst != 2 {
		t.Errorf("method throttles %v", p.MethodThrottles)
	}
	if len(api.Keys) != 2 || api.Keys[0].Name != "acme" || !api.Keys[0].Enabled || api.Keys[1].Name != "globex" || api.Keys[1].Enabled {
		t.Fatalf("keys %+v", api.Keys)
	}
	if len(p.Keys) != 2 || len(api.Keys[0].Plans) != 1 || api.Keys[0].Plans[0] != p {
		t.Errorf("plan keys %v, acme's plans %v", p.Keys, api.Keys[0].Plans)
	}
	for _, m := range api.Methods {
		if m.APIKeyRequired != (m.Route() == "GET /orders/{id}") {
			t.Errorf("%s: APIKeyRequired %v", m.Route(), m.APIKeyRequired)
		}
		if m.MethodKey() == "/orders/{id}/GET" && m.Route() != "GET /orders/{id}" {
			t.Errorf("method key %s for %s", m.MethodKey(), m.Route())
		}
	}
}

// TestReadModels: a method's validator says what it checks (body only
// here), and its RequestModels name the model with its schema; a
// method without a validator has none.
func TestReadModels(t *testing.T) {
	api, err := restapi.Read(accessTemplate(t))
	if err != nil {
		t.Fatal(err)
	}
	m, _, _ := api.Match("POST", "/orders")
	if m.Validation == nil || !m.Validation.Body || m.Validation.Params {
		t.Errorf("POST /orders validation %+v", m.Validation)
	}
	model := m.Models["application/json"]
	if model == nil || model.Name != "OrdersPost" || string(model.Schema) != `{"$schema":"http://json-schema.org/draft-04/schema#","required":["items"],"type":"object"}` {
		t.Fatalf("model %+v", model)
	}
	if api.Models["ModelOrdersPost"] != model {
		t.Errorf("models %v", api.Models)
	}
	get, _, _ := api.Match("GET", "/orders/o-1")
	if get.Validation != nil || get.Models != nil {
		t.Errorf("GET /orders/{id}: %+v %v", get.Validation, get.Models)
	}
}
