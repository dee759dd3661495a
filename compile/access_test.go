package compile

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"

	"github.com/sfnapic/sfnapic/spec"
	"github.com/sfnapic/sfnapic/vtl"
)

// accessBase has a start route, a synchronous one with a mapped error, a
// status route and a second verb on a path, for the issue 18 features to
// be set on (the tests build the spec values the parser will fill).
const accessBase = `version: 1
api: {name: shop}
stateMachines:
  orders: {definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}}
  quick: {type: EXPRESS, definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}}
routes:
  POST /orders:
    stateMachine: orders
    input: {sub: context.authorizer.claims.sub, tenant: context.authorizer.tenant}
  GET /orders/{id}: {stateMachine: orders, action: status, execution: path.id}
  DELETE /orders/{id}: {stateMachine: orders, action: stop, execution: path.id}
  POST /quotes: {stateMachine: quick, action: startSync, errors: {NoStock: 409}}
`

func accessSpec(t *testing.T) *spec.Spec {
	t.Helper()
	s, diags := spec.Parse("shop.yaml", []byte(accessBase), nil)
	if s == nil || diags.HasErrors() {
		t.Fatal(diags)
	}
	return s
}

// withAuth adds a Cognito, a TOKEN and a REQUEST authorizer, and gives
// the routes users, iam, partners and audit.
func withAuth(s *spec.Spec) {
	users := &spec.Authorizer{Name: "users", Type: spec.AuthorizerCognito, UserPools: []string{"arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf"}, Used: true}
	partners := &spec.Authorizer{Name: "partners", Type: spec.AuthorizerLambda, Function: "arn:aws:lambda:eu-west-1:123456789012:function:check-partner", Identity: []string{"header.Authorization"}, TTL: 300, Used: true}
	audit := &spec.Authorizer{Name: "audit", Type: spec.AuthorizerLambda, Function: "arn:aws:lambda:eu-west-1:123456789012:function:audit", Identity: []string{"header.X-Tenant", "query.who", "context.sourceIp", "stageVariables.realm"}, Used: true}
	s.API.Authorizers = []*spec.Authorizer{audit, partners, users}
	set := func(r *spec.Route, a *spec.Authorizer) { r.Auth, r.Authorizer = a.Name, a }
	set(s.Routes[0], users)
	s.Routes[0].Scopes = []string{"orders/write", "orders/admin"}
	s.Routes[1].Auth = spec.AuthIAM
	set(s.Routes[2], partners)
	set(s.Routes[3], audit)
}

func resolved(t *testing.T, b *builder, id string) map[string]any {
	t.Helper()
	if _, ok := b.t.CFN.Resources[id]; !ok {
		t.Fatalf("no resource %s", id)
	}
	j, err := b.t.ResourceJSON(id)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(j, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func props(t *testing.T, b *builder, id string) map[string]any {
	t.Helper()
	p, _ := resolved(t, b, id)["Properties"].(map[string]any)
	return p
}

func jsonText(t *testing.T, v any) string {
	t.Helper()
	j, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(j)
}

func TestAuthorizers(t *testing.T) {
	s := accessSpec(t)
	withAuth(s)
	b := compile(s)
	for id, want := range map[string]string{
		"AuthorizerUsers": `{"IdentitySource":"method.request.header.Authorization","Name":"users","ProviderARNs":["arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf"],"RestApiId":{"Ref":"Api"},"Type":"COGNITO_USER_POOLS"}`,
		"AuthorizerPartners": `{"AuthorizerResultTtlInSeconds":300,"AuthorizerUri":{"Fn::Sub":"arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:check-partner/invocations"},` +
			`"IdentitySource":"method.request.header.Authorization","Name":"partners","RestApiId":{"Ref":"Api"},"Type":"TOKEN"}`,
		"AuthorizerAudit": `{"AuthorizerResultTtlInSeconds":0,"AuthorizerUri":{"Fn::Sub":"arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:audit/invocations"},` +
			`"IdentitySource":"method.request.header.X-Tenant, method.request.querystring.who, context.sourceIp, stageVariables.realm","Name":"audit","RestApiId":{"Ref":"Api"},"Type":"REQUEST"}`,
		"LambdaPermissionPartners": `{"Action":"lambda:InvokeFunction","FunctionName":"arn:aws:lambda:eu-west-1:123456789012:function:check-partner","Principal":"apigateway.amazonaws.com",` +
			`"SourceArn":{"Fn::Sub":"arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/authorizers/${AuthorizerPartners}"}}`,
		"LambdaPermissionAudit": `{"Action":"lambda:InvokeFunction","FunctionName":"arn:aws:lambda:eu-west-1:123456789012:function:audit","Principal":"apigateway.amazonaws.com",` +
			`"SourceArn":{"Fn::Sub":"arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${Api}/authorizers/${AuthorizerAudit}"}}`,
	} {
		if got := jsonText(t, props(t, b, id)); got != want {
			t.Errorf("%s:\n got %s\nwant %s", id, got, want)
		}
	}
	if _, ok := b.t.CFN.Resources["LambdaPermissionUsers"]; ok {
		t.Error("a Cognito authorizer got a Lambda permission")
	}
	for i, want := range []string{
		`"AuthorizationScopes":["orders/write","orders/admin"],"AuthorizationType":"COGNITO_USER_POOLS","AuthorizerId":{"Ref":"AuthorizerUsers"}`,
		`"AuthorizationType":"AWS_IAM","HttpMethod"`,
		`"AuthorizationType":"CUSTOM","AuthorizerId":{"Ref":"AuthorizerPartners"},"HttpMethod"`,
		`"AuthorizationType":"CUSTOM","AuthorizerId":{"Ref":"AuthorizerAudit"},"HttpMethod"`,
	} {
		if got := jsonText(t, props(t, b, b.methods[i])); !strings.Contains(got, want) {
			t.Errorf("%s: want %s in\n%s", b.methods[i], want, got)
		}
	}
	// The claims and the authorizer's context reach the input as today.
	tpl := jsonText(t, props(t, b, b.methods[0])["Integration"])
	for _, want := range []string{"$context.authorizer.claims.get('sub')", "$context.authorizer.tenant"} {
		if !strings.Contains(tpl, want) {
			t.Errorf("the request template does not read %s:\n%s", want, tpl)
		}
	}
	if got := Exposure(s); len(got) != 0 {
		t.Errorf("every route has authorization, yet: %s", got)
	}
}

// TestAuthorizerPermissionNeverWildcard: whatever the authorizer's name,
// its permission's SourceArn names this API's authorizer, with no *.
func TestAuthorizerPermissionNeverWildcard(t *testing.T) {
	for _, name := range []string{"a", "check-*", "x_y", ""} {
		s := accessSpec(t)
		withAuth(s)
		s.API.Authorizers[1].Name = name
		b := compile(s)
		for id, r := range b.t.CFN.Resources {
			if r.AWSCloudFormationType() != "AWS::Lambda::Permission" {
				continue
			}
			arn := jsonText(t, props(t, b, id)["SourceArn"])
			if strings.Contains(arn, "*") || !strings.Contains(arn, "${Api}/authorizers/${Authorizer") {
				t.Errorf("authorizer %q: SourceArn %s", name, arn)
			}
		}
	}
}

// withPlans adds the partners and internal plans; the status route asks
// for a partners key and the stop route for an internal one.
func withPlans(s *spec.Spec) {
	partners := &spec.UsagePlan{Name: "partners", Throttle: &spec.Throttle{Rate: 50, Burst: 100}, Quota: &spec.Quota{Limit: 100000, Period: "MONTH"}, Keys: []string{"acme", "globex"}, Used: true}
	internal := &spec.UsagePlan{Name: "internal", Keys: []string{"ops", "acme"}, Used: true}
	s.API.UsagePlans = []*spec.UsagePlan{internal, partners}
	s.Routes[1].APIKey = partners
	s.Routes[2].APIKey = internal
}

func TestUsagePlans(t *testing.T) {
	s := accessSpec(t)
	withPlans(s)
	b := compile(s)
	for id, want := range map[string]string{
		"UsagePlanPartners": `{"ApiStages":[{"ApiId":{"Ref":"Api"},"Stage":{"Ref":"Stage"},"Throttle":{"/orders/{id}/DELETE":{"BurstLimit":0,"RateLimit":0}}}],` +
			`"Quota":{"Limit":100000,"Period":"MONTH"},"Throttle":{"BurstLimit":100,"RateLimit":50},"UsagePlanName":"partners"}`,
		"UsagePlanInternal":     `{"ApiStages":[{"ApiId":{"Ref":"Api"},"Stage":{"Ref":"Stage"},"Throttle":{"/orders/{id}/GET":{"BurstLimit":0,"RateLimit":0}}}],"Throttle":{"BurstLimit":5000,"RateLimit":10000},"UsagePlanName":"internal"}`,
		"ApiKeyAcme":            `{"Enabled":true,"Name":{"Fn::Sub":"${AWS::StackName}-acme"}}`,
		"ApiKeyOps":             `{"Enabled":true,"Name":{"Fn::Sub":"${AWS::StackName}-ops"}}`,
		"PlanKeyPartnersAcme":   `{"KeyId":{"Ref":"ApiKeyAcme"},"KeyType":"API_KEY","UsagePlanId":{"Ref":"UsagePlanPartners"}}`,
		"PlanKeyInternalAcme":   `{"KeyId":{"Ref":"ApiKeyAcme"},"KeyType":"API_KEY","UsagePlanId":{"Ref":"UsagePlanInternal"}}`,
		"PlanKeyPartnersGlobex": `{"KeyId":{"Ref":"ApiKeyGlobex"},"KeyType":"API_KEY","UsagePlanId":{"Ref":"UsagePlanPartners"}}`,
	} {
		if got := jsonText(t, props(t, b, id)); got != want {
			t.Errorf("%s:\n got %s\nwant %s", id, got, want)
		}
	}
	for i, want := range []bool{false, true, true, false} {
		m := b.t.CFN.Resources[b.methods[i]].(*apigateway.Method)
		if got := m.ApiKeyRequired != nil && *m.ApiKeyRequired; got != want {
			t.Errorf("%s: ApiKeyRequired %v, want %v", b.methods[i], got, want)
		}
	}
	// One output per key, its id, never its value.
	out, err := b.t.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var tpl struct {
		Outputs   map[string]map[string]any
		Resources map[string]map[string]any
	}
	if err := json.Unmarshal(out, &tpl); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"ApiKeyAcme", "ApiKeyGlobex", "ApiKeyOps"} {
		o := tpl.Outputs[KeyOutput(key)]
		if jsonText(t, o["Value"]) != `{"Ref":"`+key+`"}` || !strings.Contains(o["Description"].(string), "aws apigateway get-api-key --api-key <this ID> --include-value --query value") {
			t.Errorf("output of %s: %v", key, o)
		}
		if _, has := tpl.Resources[key]["Properties"].(map[string]any)["Value"]; has {
			t.Errorf("%s carries a value", key)
		}
	}
	if n := len(tpl.Outputs); n != 3+2+2 {
		t.Errorf("%d outputs, want the URL, the id, two machines and three keys", n)
	}
	// The route with a key but no authorizer is not reported as open.
	if got := Exposure(s).String(); !strings.Contains(got, "2 of 4 routes") {
		t.Errorf("exposure: %s", got)
	}
}

// TestOnePlanClosesNothing: with one plan, no route needs closing.
func TestOnePlanClosesNothing(t *testing.T) {
	s := accessSpec(t)
	withPlans(s)
	s.API.UsagePlans = s.API.UsagePlans[1:]
	s.Routes[2].APIKey = s.API.UsagePlans[0]
	b := compile(s)
	if _, has := props(t, b, "UsagePlanPartners")["ApiStages"].([]any)[0].(map[string]any)["Throttle"]; has {
		t.Error("a lone plan throttles its own routes")
	}
}

func withCORS(s *spec.Spec, origins ...string) {
	s.API.CORS = &spec.CORS{Origins: origins, Headers: []string{"Content-Type", "Authorization"}, Expose: []string{"Location"}, Credentials: origins[0] != "*", MaxAge: 600}
}

// corsAnswer renders a response template for a request from origin and
// returns the Access-Control-Allow-Origin it sets, and the body.
func corsAnswer(t *testing.T, text, origin, header string) (string, string) {
	t.Helper()
	req := &vtl.Request{Body: `{"executionArn": "arn:x", "startDate": 1, "status": "SUCCEEDED", "output": "{}"}`, Header: map[string]string{}, Context: map[string]any{}}
	if origin != "" {
		req.Header[header] = origin
	}
	res, err := vtl.RenderString(text, req, vtl.Variant{})
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	return res.HeaderOverrides()["Access-Control-Allow-Origin"], res.Body
}

func TestCORSSeveralOrigins(t *testing.T) {
	s := accessSpec(t)
	withAuth(s)
	withPlans(s)
	withCORS(s, "https://shop.example.com", "https://admin.example.com:8443")
	plain := compile(accessSpec(t))
	b := compile(s)
	// One preflight per path, open to all, a MOCK.
	for path, methods := range map[string]string{"Orders": "OPTIONS,POST", "OrdersId": "DELETE,GET,OPTIONS", "Quotes": "OPTIONS,POST"} {
		got := jsonText(t, props(t, b, "Route"+path+"Options"))
		for _, want := range []string{`"AuthorizationType":"NONE"`, `"Type":"MOCK"`, `"RequestTemplates":{"application/json":"{\"statusCode\": 200}"}`,
			`"method.response.header.Access-Control-Allow-Methods":"'` + methods + `'"`, `"method.response.header.Access-Control-Allow-Headers":"'Content-Type,Authorization`,
			`"method.response.header.Access-Control-Max-Age":"'600'"`, `"method.response.header.Vary":"'Origin'"`, `"method.response.header.Access-Control-Allow-Credentials":"'true'"`} {
			if !strings.Contains(got, want) {
				t.Errorf("preflight of %s: no %s in\n%s", path, want, got)
			}
		}
		for _, never := range []string{"ApiKeyRequired", "AuthorizerId", "'*'"} {
			if strings.Contains(got, never) {
				t.Errorf("preflight of %s has %s", path, never)
			}
		}
	}
	// Every integration response of every route (and the preflights)
	// answers a listed origin with itself, and an unlisted one, or none,
	// with nothing; the body is what it was without CORS.
	for _, id := range b.methods {
		m := b.t.CFN.Resources[id].(*apigateway.Method)
		for i, ir := range m.Integration.IntegrationResponses {
			text := ir.ResponseTemplates["application/json"]
			if ir.ResponseParameters["method.response.header.Vary"] != "'Origin'" || ir.ResponseParameters["method.response.header.Access-Control-Allow-Origin"] != "" {
				t.Errorf("%s response %s: %v", id, ir.StatusCode, ir.ResponseParameters)
			}
			for origin, want := range map[string]string{"https://shop.example.com": "https://shop.example.com", "https://admin.example.com:8443": "https://admin.example.com:8443",
				"https://evil.example.com": "", "https://shop.example.com.evil.com": "", "null": "", "": ""} {
				for _, header := range []string{"Origin", "origin"} {
					if got, _ := corsAnswer(t, text, origin, header); got != want {
						t.Errorf("%s response %s, %s %q: Access-Control-Allow-Origin %q, want %q", id, ir.StatusCode, header, origin, got, want)
					}
				}
			}
			if id == "RouteOrdersOptions" || strings.HasSuffix(id, "Options") {
				continue
			}
			before := plain.t.CFN.Resources[id].(*apigateway.Method).Integration.IntegrationResponses[i].ResponseTemplates["application/json"]
			_, got := corsAnswer(t, text, "https://shop.example.com", "Origin")
			_, want := corsAnswer(t, before, "", "Origin")
			if got != want {
				t.Errorf("%s response %s: CORS changed the body:\n%s\nwant\n%s", id, ir.StatusCode, got, want)
			}
		}
		for _, mr := range m.MethodResponses {
			if _, ok := mr.ResponseParameters["method.response.header.Access-Control-Allow-Origin"]; !ok {
				t.Errorf("%s %s does not declare Access-Control-Allow-Origin", id, mr.StatusCode)
			}
		}
	}
	// A query parameter named Origin is not the Origin.
	text := b.t.CFN.Resources["RouteOrdersPost"].(*apigateway.Method).Integration.IntegrationResponses[0].ResponseTemplates["application/json"]
	res, _ := vtl.RenderString(text, &vtl.Request{Body: "{}", Query: map[string]string{"Origin": "https://shop.example.com"}}, vtl.Variant{})
	if res.HeaderOverrides()["Access-Control-Allow-Origin"] != "" {
		t.Error("the query string chose the origin")
	}
	gatewayCORSCheck(t, b, map[string]string{"gatewayresponse.header.Access-Control-Allow-Origin": "'*'", "gatewayresponse.header.Access-Control-Expose-Headers": "'Location'"})
}

// gatewayCORSCheck: every gateway response users meet carries exactly
// these CORS parameters.
func gatewayCORSCheck(t *testing.T, b *builder, want map[string]string) {
	t.Helper()
	types := map[string]bool{}
	for id, r := range b.t.CFN.Resources {
		gr, ok := r.(*apigateway.GatewayResponse)
		if !ok {
			continue
		}
		types[gr.ResponseType] = true
		if jsonText(t, gr.ResponseParameters) != jsonText(t, want) {
			t.Errorf("%s: %v, want %v", id, gr.ResponseParameters, want)
		}
	}
	for _, typ := range []string{"DEFAULT_4XX", "DEFAULT_5XX", "UNAUTHORIZED", "ACCESS_DENIED", "MISSING_AUTHENTICATION_TOKEN", "INVALID_API_KEY",
		"THROTTLED", "QUOTA_EXCEEDED", "BAD_REQUEST_BODY", "BAD_REQUEST_PARAMETERS", "UNSUPPORTED_MEDIA_TYPE"} {
		if !types[typ] {
			t.Errorf("no %s gateway response", typ)
		}
	}
}

func TestCORSOneOrigin(t *testing.T) {
	for _, origin := range []string{"https://shop.example.com", "*"} {
		s := accessSpec(t)
		withCORS(s, origin)
		b := compile(s)
		want := map[string]string{"method.response.header.Access-Control-Allow-Origin": "'" + origin + "'", "method.response.header.Access-Control-Expose-Headers": "'Location'"}
		gw := map[string]string{"gatewayresponse.header.Access-Control-Allow-Origin": "'" + origin + "'", "gatewayresponse.header.Access-Control-Expose-Headers": "'Location'"}
		if origin != "*" {
			want["method.response.header.Access-Control-Allow-Credentials"] = "'true'"
			gw["gatewayresponse.header.Access-Control-Allow-Credentials"] = "'true'"
		}
		for _, id := range b.methods {
			m := b.t.CFN.Resources[id].(*apigateway.Method)
			for _, ir := range m.Integration.IntegrationResponses {
				if strings.Contains(ir.ResponseTemplates["application/json"], corsOriginVar) {
					t.Errorf("%s: one origin needs no template", id)
				}
				if m.HttpMethod == "OPTIONS" {
					if ir.ResponseParameters["method.response.header.Access-Control-Allow-Origin"] != "'"+origin+"'" {
						t.Errorf("%s: %v", id, ir.ResponseParameters)
					}
					continue
				}
				if jsonText(t, ir.ResponseParameters) != jsonText(t, want) {
					t.Errorf("%s %s: %v, want %v", id, ir.StatusCode, ir.ResponseParameters, want)
				}
			}
		}
		gatewayCORSCheck(t, b, gw)
	}
}

// TestNoCORS: without CORS, no preflight and no CORS header anywhere.
func TestNoCORS(t *testing.T) {
	s := accessSpec(t)
	withAuth(s)
	out, _, err := Build(s, "json")
	if err != nil {
		t.Fatal(err)
	}
	for _, never := range []string{"Access-Control", "OPTIONS", "Vary", "UNAUTHORIZED", "BAD_REQUEST_BODY"} {
		if strings.Contains(string(out), never) {
			t.Errorf("the template has %s without CORS or a body", never)
		}
	}
}

func withBody(s *spec.Spec) {
	s.Routes[0].Body = &spec.Body{Schema: spec.Object{
		{Key: "type", Value: "object"},
		{Key: "required", Value: []any{"items"}},
	}}
	s.Routes[3].Body = &spec.Body{Schema: spec.Object{{Key: "$schema", Value: draft04}, {Key: "type", Value: "object"}}}
	s.Routes[3].Input = append(s.Routes[3].Input, &spec.Mapping{Key: "q", KeyPath: []string{"q"}, From: spec.FromQuery, Name: "q", Required: true})
}

func TestBodyModels(t *testing.T) {
	s := accessSpec(t)
	withBody(s)
	b := compile(s)
	// The schema keeps its order, $schema first.
	for id, want := range map[string]string{
		"ModelOrdersPost": `"Schema":{"$schema":"http://json-schema.org/draft-04/schema#","type":"object","required":["items"]}`,
		"ModelQuotesPost": `"Schema":{"$schema":"http://json-schema.org/draft-04/schema#","type":"object"}`,
	} {
		if j, _ := b.t.ResourceJSON(id); !strings.Contains(string(j), want) {
			t.Errorf("%s: want %s in\n%s", id, want, j)
		}
	}
	for id, want := range map[string]string{
		"ModelOrdersPost": `{"ContentType":"application/json","Description":"Body of POST /orders","Name":"OrdersPostBody","RestApiId":{"Ref":"Api"},` +
			`"Schema":{"$schema":"http://json-schema.org/draft-04/schema#","required":["items"],"type":"object"}}`,
		"ModelQuotesPost": `{"ContentType":"application/json","Description":"Body of POST /quotes","Name":"QuotesPostBody","RestApiId":{"Ref":"Api"},` +
			`"Schema":{"$schema":"http://json-schema.org/draft-04/schema#","type":"object"}}`,
		"RequestValidatorBody":          `{"RestApiId":{"Ref":"Api"},"ValidateRequestBody":true}`,
		"RequestValidatorBodyAndParams": `{"RestApiId":{"Ref":"Api"},"ValidateRequestBody":true,"ValidateRequestParameters":true}`,
	} {
		if got := jsonText(t, props(t, b, id)); got != want {
			t.Errorf("%s:\n got %s\nwant %s", id, got, want)
		}
	}
	for i, want := range []string{
		`{"application/json":{"Ref":"ModelOrdersPost"}} {"Ref":"RequestValidatorBody"}`,
		"null null", "null null",
		`{"application/json":{"Ref":"ModelQuotesPost"}} {"Ref":"RequestValidatorBodyAndParams"}`,
	} {
		p := props(t, b, b.methods[i])
		if got := jsonText(t, p["RequestModels"]) + " " + jsonText(t, p["RequestValidatorId"]); got != want {
			t.Errorf("%s: models and validator %s, want %s", b.methods[i], got, want)
		}
	}
	if _, ok := b.t.CFN.Resources[idValidator]; ok {
		t.Error("a params-only validator no route uses")
	}
	bad := props(t, b, idBadBody)
	if bad["ResponseType"] != "BAD_REQUEST_BODY" || !strings.Contains(jsonText(t, bad["ResponseTemplates"]), `\"details\": \"$context.error.validationErrorString\"`) {
		t.Errorf("BAD_REQUEST_BODY: %v", bad)
	}
}

// TestDeploymentFollowsAccess: each feature a deployment serves moves the
// Deployment's ID; usage plans and keys, which no deployment holds, do not.
func TestDeploymentFollowsAccess(t *testing.T) {
	id := func(edit func(s *spec.Spec)) string {
		s := accessSpec(t)
		withPlans(s)
		edit(s)
		b := compile(s)
		for id, r := range b.t.CFN.Resources {
			if r.AWSCloudFormationType() == "AWS::ApiGateway::Deployment" {
				return id
			}
		}
		t.Fatal("no Deployment")
		return ""
	}
	base := id(func(*spec.Spec) {})
	for name, edit := range map[string]func(s *spec.Spec){
		"authorizers": withAuth,
		"ttl":         func(s *spec.Spec) { withAuth(s); s.API.Authorizers[1].TTL = 60 },
		"scopes":      func(s *spec.Spec) { withAuth(s); s.Routes[0].Scopes = nil },
		"cors":        func(s *spec.Spec) { withCORS(s, "https://a.example.com") },
		"origin":      func(s *spec.Spec) { withCORS(s, "https://b.example.com") },
		"body":        withBody,
		"schema":      func(s *spec.Spec) { withBody(s); s.Routes[0].Body.Schema = spec.Object{{Key: "type", Value: "array"}} },
		"api key":     func(s *spec.Spec) { s.Routes[0].APIKey = s.API.UsagePlans[0] },
	} {
		if got := id(edit); got == base {
			t.Errorf("changing the %s keeps %s: the stage would serve the old API", name, base)
		}
	}
	for name, edit := range map[string]func(s *spec.Spec){
		"quota":    func(s *spec.Spec) { s.API.UsagePlans[1].Quota.Limit = 5 },
		"throttle": func(s *spec.Spec) { s.API.UsagePlans[1].Throttle.Rate = 5 },
		"keys":     func(s *spec.Spec) { s.API.UsagePlans[1].Keys = append(s.API.UsagePlans[1].Keys, "initech") },
	} {
		if got := id(edit); got != base {
			t.Errorf("changing the %s gives a new Deployment: a needless redeploy", name)
		}
	}
}

// TestPreflightAllowsWhatRoutesNeed: a path's preflight allows the headers
// its routes need from a page (x-api-key, SigV4's, an authorizer's
// identity header) besides cors.headers, once each without case.
func TestPreflightAllowsWhatRoutesNeed(t *testing.T) {
	s := accessSpec(t)
	withAuth(s)
	withPlans(s)
	withCORS(s, "https://shop.example.com")
	b := compile(s)
	allowed := map[string]string{}
	for _, id := range b.methods {
		m := b.t.CFN.Resources[id].(*apigateway.Method)
		if m.HttpMethod == "OPTIONS" {
			allowed[id] = m.Integration.IntegrationResponses[0].ResponseParameters["method.response.header.Access-Control-Allow-Headers"]
		}
	}
	// POST /orders (users: Authorization, listed); /orders/{id}: GET is
	// iam with a partners key, DELETE partners (Authorization) with an
	// internal key; POST /quotes: audit's X-Tenant.
	want := map[string]string{
		"RouteOrdersOptions":   "'Content-Type,Authorization'",
		"RouteOrdersIdOptions": "'Content-Type,Authorization,X-Api-Key,X-Amz-Date,X-Amz-Security-Token,X-Amz-Content-Sha256'",
		"RouteQuotesOptions":   "'Content-Type,Authorization,X-Tenant'",
	}
	if jsonText(t, allowed) != jsonText(t, want) {
		t.Errorf("Access-Control-Allow-Headers:\n%v\nwant\n%v", allowed, want)
	}
}

// TestWildcardHeadersStillNameAuthorization: headers: ["*"] covers every
// header a route needs but Authorization, which browsers need by name.
func TestWildcardHeadersStillNameAuthorization(t *testing.T) {
	s := accessSpec(t)
	withAuth(s)
	withPlans(s)
	withCORS(s, "*")
	s.API.CORS.Headers, s.API.CORS.Credentials = []string{"*"}, false
	b := compile(s)
	m := b.t.CFN.Resources["RouteOrdersIdOptions"].(*apigateway.Method)
	if got := m.Integration.IntegrationResponses[0].ResponseParameters["method.response.header.Access-Control-Allow-Headers"]; got != "'*,Authorization'" {
		t.Errorf("Access-Control-Allow-Headers: %s, want '*,Authorization'", got)
	}
}

// TestDeploymentWaitsForGatewayResponses: the Deployment depends on every
// gateway response as on every method, since it snapshots both and no
// method refers to a gateway response.
func TestDeploymentWaitsForGatewayResponses(t *testing.T) {
	s := accessSpec(t)
	withCORS(s, "https://shop.example.com")
	b := compile(s)
	var deps []string
	for _, r := range b.t.CFN.Resources {
		if d, ok := r.(*apigateway.Deployment); ok {
			deps = d.AWSCloudFormationDependsOn
		}
	}
	n := 0
	for id, r := range b.t.CFN.Resources {
		if _, ok := r.(*apigateway.GatewayResponse); ok {
			n++
			if !slices.Contains(deps, id) {
				t.Errorf("the Deployment does not wait for %s", id)
			}
		}
	}
	if n < 10 {
		t.Errorf("only %d gateway responses", n)
	}
}
