package gateway_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"

	"github.com/sfnapic/sfnapic/cfn"
	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/internal/sfnmock"
)

// orderSchema is the order body: an object with a non-empty
// items array; its items are Item, another model, named by API
// Gateway's URL form of a $ref through an Fn::Sub.
func orderSchema(tpl *cfn.Template) map[string]any {
	return map[string]any{"$schema": "http://json-schema.org/draft-04/schema#", "type": "object", "required": []any{"items"},
		"properties": map[string]any{"items": map[string]any{"type": "array", "minItems": 1,
			"items": map[string]any{"$ref": tpl.Sub("https://apigateway.amazonaws.com/restapis/${Api}/models/Item")}}}}
}

// addValidation gives POST /orders what compile writes for a route's
// body (the contract's shape): a model, a body validator, RequestModels,
// and a BAD_REQUEST_BODY gateway response with the validation errors in
// the envelope.
func addValidation(tpl *cfn.Template) {
	r := tpl.CFN.Resources
	r["ModelOrdersPost"] = &apigateway.Model{RestApiId: tpl.Ref("Api"), ContentType: ptr("application/json"), Name: ptr("OrdersPost"), Schema: orderSchema(tpl)}
	r["ModelItem"] = &apigateway.Model{RestApiId: tpl.Ref("Api"), ContentType: ptr("application/json"), Name: ptr("Item"),
		Schema: map[string]any{"type": "object", "required": []any{"sku"}, "properties": map[string]any{"qty": map[string]any{"type": "integer", "minimum": 1}}}}
	r["RequestValidatorBody"] = &apigateway.RequestValidator{RestApiId: tpl.Ref("Api"), ValidateRequestBody: ptr(true), ValidateRequestParameters: ptr(false)}
	post := r["RouteOrdersPost"].(*apigateway.Method)
	post.RequestValidatorId = ptr(tpl.Ref("RequestValidatorBody"))
	post.RequestModels = map[string]string{"application/json": tpl.Ref("ModelOrdersPost")}
	r["GatewayResponseBadRequestBody"] = &apigateway.GatewayResponse{RestApiId: tpl.Ref("Api"), ResponseType: "BAD_REQUEST_BODY",
		ResponseTemplates: map[string]string{"application/json": `{"error": "$context.error.responseType", "message": $context.error.messageString, "details": "$context.error.validationErrorString"}`}}
}

// postOrder sends body to POST /orders as JSON.
func postOrder(s *gateway.Server, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("POST", "/orders", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

// TestBodyValidation: a body that fails the model (or the model it
// names by $ref), that is empty (validated as {}) or not JSON, is refused
// with 400 BAD_REQUEST_BODY, "Invalid request body", and
// validationErrorString lists why in API Gateway's words, escaped so that
// the template's envelope stays JSON; a valid body goes through.
func TestBodyValidation(t *testing.T) {
	s := serverWith(t, sfnmock.New(nil), addValidation)
	for body, want := range map[string]string{
		`{}`:                               `[object has missing required properties (["items"])]`,
		``:                                 `[object has missing required properties (["items"])]`,
		`{"items": []}`:                    `[array is too short: must have at least 1 elements but instance has 0 elements]`,
		`{"items": "x"}`:                   `[instance type (string) does not match any allowed primitive type (allowed: ["array"])]`,
		`{"items": [{"qty": 0}]}`:          `[object has missing required properties (["sku"]), numeric instance is lower than the required minimum (minimum: 1, found: 0)]`,
		`[1]`:                              `[instance type (array) does not match any allowed primitive type (allowed: ["object"])]`,
		`{"items": [1}`:                    `[the body is not JSON: invalid character '}' after array element]`,
		deepBody(gateway.MaxBodyDepth + 1): `[the body nests arrays and objects deeper than 1000 levels]`,
		manyItems(gateway.MaxBodyValues):   `[the body has more than 50000 values, which sfnapic serve does not validate (API Gateway does)]`,
	} {
		w := postOrder(s, body)
		var v map[string]string
		if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil || w.Code != 400 {
			t.Errorf("%.40q: %d %s (%v)", body, w.Code, w.Body, err)
			continue
		}
		if v["error"] != "BAD_REQUEST_BODY" || v["message"] != "Invalid request body" || v["details"] != want {
			t.Errorf("%.40q: %v\nwant details %s", body, v, want)
		}
	}
	if w := postOrder(s, `{"items": [{"sku": "a", "qty": 2}]}`); w.Code != 200 {
		t.Errorf("a valid body: %d %s", w.Code, w.Body)
	}
	if w := postOrder(s, deepBody(gateway.MaxBodyDepth-2)); w.Code != 400 || !strings.Contains(w.Body.String(), "allowed: [") {
		t.Errorf("a body just within the depth is validated: %d %.200s", w.Code, w.Body)
	}
	if w := postOrder(s, manyItems(gateway.MaxBodyValues/4)); w.Code != 200 {
		t.Errorf("a body within the values' bound: %d %.200s", w.Code, w.Body)
	}
}

// manyItems is {"items": [...]} with n items.
func manyItems(n int) string {
	return `{"items": [` + strings.Repeat(`{"sku": "a"},`, n-1) + `{"sku": "a"}]}`
}

// deepBody is {"items": [[[...]]]}, n levels deep in all.
func deepBody(n int) string {
	return `{"items": ` + strings.Repeat("[", n-1) + strings.Repeat("]", n-1) + `}`
}

// TestBodyValidationOff: a validator that checks parameters only, or a
// media type without a model, validates no body.
func TestBodyValidationOff(t *testing.T) {
	s := serverWith(t, sfnmock.New(nil), func(tpl *cfn.Template) {
		addValidation(tpl)
		tpl.CFN.Resources["RequestValidatorBody"].(*apigateway.RequestValidator).ValidateRequestBody = ptr(false)
	})
	if w := postOrder(s, `{}`); w.Code != 200 {
		t.Errorf("a params-only validator: %d %s", w.Code, w.Body)
	}
	s = serverWith(t, sfnmock.New(nil), func(tpl *cfn.Template) {
		addValidation(tpl)
		tpl.CFN.Resources["RouteOrdersPost"].(*apigateway.Method).RequestModels = map[string]string{"application/xml": tpl.Ref("ModelOrdersPost")}
	})
	if w := postOrder(s, `{}`); w.Code != 200 {
		t.Errorf("no model for application/json: %d %s", w.Code, w.Body)
	}
}

// TestBadModel: a model that is not draft-04 JSON Schema, or that names
// a schema outside the template, fails the gateway's making, with the
// model named: serve fetches nothing.
func TestBadModel(t *testing.T) {
	for name, schema := range map[string]any{
		"bad type":   map[string]any{"type": "objekt"},
		"remote ref": map[string]any{"$ref": "https://example.com/schema.json"},
		"no model":   map[string]any{"$ref": "https://apigateway.amazonaws.com/restapis/x/models/Nope"},
	} {
		b, _ := json.Marshal(schema)
		tpl := templateWith(t, func(tpl *cfn.Template) {
			addValidation(tpl)
			tpl.CFN.Resources["ModelOrdersPost"].(*apigateway.Model).Schema = string(b)
		})
		if _, err := gateway.New(tpl); err == nil || !strings.Contains(err.Error(), "ModelOrdersPost") {
			t.Errorf("%s: %v", name, err)
		}
	}
}
