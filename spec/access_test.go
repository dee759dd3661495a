package spec

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// accessSpec is the example of who may call a route, with a
// schema file and a route that keeps the default auth.
const accessSpec = `version: 1
api:
  name: orders-api
  auth: users
  authorizers:
    users:
      type: cognito
      userPools: [arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf]
    partners:
      type: lambda
      function: arn:aws:lambda:eu-west-1:123456789012:function:check-partner
      identity: [header.X-Partner, context.identity.sourceIp]
      ttl: 5m
  cors:
    origins: [https://shop.example.com, "http://localhost:3000"]
    headers: [Content-Type, Authorization]
    expose: [Location]
    credentials: true
    maxAge: 10m
  usagePlans:
    zeta:
      keys: [z1]
    partners:
      throttle: {rate: 0.5, burst: 100}
      quota: {limit: 100000, period: MONTH}
      keys: [acme, globex]
stateMachines:
  orders:
    definition: {StartAt: A, States: {A: {Type: Succeed}}}
routes:
  POST /orders:
    stateMachine: orders
    scopes: [orders/write]
    body:
      schema: {type: object, required: [items], properties: {items: {type: array, minItems: 1}}}
  PUT /orders:
    stateMachine: orders
    auth: none
    apiKey: zeta
    body: {schemaFile: schemas/order.json}
  GET /partner/orders/{id}:
    stateMachine: orders
    action: status
    execution: path.id
    auth: partners
    apiKey: partners
  DELETE /orders:
    stateMachine: orders
    auth: iam
`

var accessFiles = fstest.MapFS{
	"schemas/order.json": {Data: []byte(`{"$schema": "http://json-schema.org/draft-04/schema#", "type": "object",
  "definitions": {"item": {"type": "object", "required": ["sku"]}},
  "properties": {"items": {"type": "array", "items": {"$ref": "#/definitions/item"}}}}`)},
}

// TestAccessParsed: a valid spec fills the access types: authorizers and
// plans sorted by name, each route's auth resolved against api.auth,
// durations in seconds, the default identity, and the schemas as JSON.
func TestAccessParsed(t *testing.T) {
	s, diags := Parse("spec.yaml", []byte(accessSpec), accessFiles)
	if s == nil || len(diags) != 0 {
		t.Fatalf("diagnostics:\n%s", diags)
	}
	a := s.API
	if a.Auth != "users" || a.AuthPos != (Pos{File: "spec.yaml", Line: 4, Col: 9}) {
		t.Errorf("api.auth = %q at %v", a.Auth, a.AuthPos)
	}
	if len(a.Authorizers) != 2 || a.Authorizers[0].Name != "partners" || a.Authorizers[1].Name != "users" {
		t.Fatalf("authorizers not sorted by name: %+v", a.Authorizers)
	}
	lam, cog := a.Authorizers[0], a.Authorizers[1]
	if lam.TTL != 300 || lam.Token() || !slices.Equal(lam.Identity, []string{"header.X-Partner", "context.identity.sourceIp"}) || !lam.Used || lam.Pos.Line != 9 {
		t.Errorf("lambda authorizer: %+v", lam)
	}
	if cog.Type != AuthorizerCognito || len(cog.UserPools) != 1 || !cog.Used || cog.TTL != 0 {
		t.Errorf("cognito authorizer: %+v", cog)
	}
	c := a.CORS
	if c == nil || c.MaxAge != 600 || !c.Credentials || c.AnyOrigin() || len(c.Origins) != 2 || c.Expose[0] != "Location" || c.Pos.Line != 15 {
		t.Errorf("cors: %+v", c)
	}
	if len(a.UsagePlans) != 2 || a.UsagePlans[0].Name != "partners" || a.UsagePlans[1].Name != "zeta" {
		t.Fatalf("usage plans not sorted by name: %+v", a.UsagePlans)
	}
	if u := a.UsagePlans[0]; *u.Throttle != (Throttle{Rate: 0.5, Burst: 100}) || *u.Quota != (Quota{Limit: 100000, Period: "MONTH"}) || !slices.Equal(u.Keys, []string{"acme", "globex"}) || !u.Used {
		t.Errorf("plan: %+v", u)
	}
	if u := a.UsagePlans[1]; u.Throttle != nil || u.Quota != nil {
		t.Errorf("a plan without throttle or quota got %+v %+v", u.Throttle, u.Quota)
	}
	want := []struct{ auth, plan, body string }{
		{"users", "", `{"type":"object","required":["items"],"properties":{"items":{"type":"array","minItems":1}}}`},
		{"none", "zeta", `{"$schema":"http://json-schema.org/draft-04/schema#","type":"object","definitions":{"item":{"type":"object","required":["sku"]}},"properties":{"items":{"type":"array","items":{"$ref":"#/definitions/item"}}}}`},
		{"partners", "partners", ""},
		{"iam", "", ""},
	}
	for i, r := range s.Routes {
		plan, body := "", ""
		if r.APIKey != nil {
			plan = r.APIKey.Name
		}
		if r.Body != nil {
			b, _ := json.Marshal(r.Body.Schema)
			body = string(b)
		}
		if r.Auth != want[i].auth || plan != want[i].plan || body != want[i].body {
			t.Errorf("%s %s: auth %q, plan %q, body %s", r.Method, r.Path, r.Auth, plan, body)
		}
		if (r.Authorizer != nil) != (r.Auth == "users" || r.Auth == "partners") || r.Authorizer != nil && r.Authorizer.Name != r.Auth {
			t.Errorf("%s %s: authorizer %+v for auth %q", r.Method, r.Path, r.Authorizer, r.Auth)
		}
	}
	if !slices.Equal(s.Routes[0].Scopes, []string{"orders/write"}) || s.Routes[1].Body.File != "schemas/order.json" {
		t.Errorf("scopes %v, schema file %q", s.Routes[0].Scopes, s.Routes[1].Body.File)
	}
}

// TestAccessDefaults: without api.auth every route is open (none), a
// Lambda authorizer reads the Authorization header (TOKEN) for 300s, and
// there is no CORS.
func TestAccessDefaults(t *testing.T) {
	src := strings.Replace(accessSpec, "  auth: users\n", "", 1)
	src = strings.Replace(src, "      identity: [header.X-Partner, context.identity.sourceIp]\n      ttl: 5m\n", "", 1)
	src = src[:strings.Index(src, "  cors:")] + src[strings.Index(src, "  usagePlans:"):]
	src = strings.Replace(src, "    scopes: [orders/write]\n", "    auth: users\n", 1)
	s, diags := Parse("spec.yaml", []byte(src), accessFiles)
	if s == nil || len(diags) != 0 {
		t.Fatalf("diagnostics:\n%s", diags)
	}
	if s.API.Auth != AuthNone || s.API.AuthPos != (Pos{}) || s.API.CORS != nil {
		t.Errorf("api: auth %q at %v, cors %v", s.API.Auth, s.API.AuthPos, s.API.CORS)
	}
	lam := s.API.Authorizers[0]
	if lam.TTL != DefaultAuthorizerTTL || !slices.Equal(lam.Identity, []string{"header.Authorization"}) || !lam.Token() {
		t.Errorf("lambda defaults: %+v", lam)
	}
	if r := s.Routes[3]; r.Auth != AuthIAM || r.Authorizer != nil {
		t.Errorf("iam route: %+v", r)
	}
}
