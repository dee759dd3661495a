package spec

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

const testPool = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf"

// accessErrors parses a spec whose api (after its name, from line 4) and
// routes (from the line after "routes:") are given, and returns its
// diagnostics.
func accessErrors(api, routes string, files fstest.MapFS) (string, []string) {
	src := "version: 1\napi:\n  name: a\n" + api +
		"stateMachines:\n  m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}}\nroutes:\n" + routes
	_, diags := Parse("s.yaml", []byte(src), files)
	return src, strings.Split(strings.TrimSuffix(diags.String(), "\n"), "\n")
}

// TestAccessErrors: each bad input of issue 18 is a positioned error (or,
// for a usage plan no route names, a warning) with its fix.
func TestAccessErrors(t *testing.T) {
	users := "  authorizers:\n    users: {type: cognito, userPools: [" + testPool + "]}\n"
	lambda := "  authorizers:\n    partners: {type: lambda, function: \"arn:aws:lambda:eu-west-1:123456789012:function:f\"}\n"
	plans := "  usagePlans:\n    partners: {keys: [acme]}\n"
	for name, c := range map[string]struct {
		api, routes string
		want        []string
	}{
		"unknown authorizer": {api: users, routes: "  POST /a: {stateMachine: m, auth: user}\n", want: []string{
			"s.yaml:9:36: routes[\"POST /a\"].auth: \"user\" is not none, iam or an authorizer under api.authorizers (did you mean \"users\"?); allowed: none, iam, users",
		}},
		"unknown api.auth": {api: "  auth: partner\n" + lambda, routes: "  POST /a: {stateMachine: m}\n", want: []string{
			"s.yaml:4:9: api.auth: \"partner\" is not none, iam or an authorizer under api.authorizers (did you mean \"partners\"?); allowed: none, iam, partners",
		}},
		"scopes on a lambda route": {api: lambda, routes: "  POST /a: {stateMachine: m, auth: partners, scopes: [orders/write]}\n", want: []string{
			"s.yaml:9:54: routes[\"POST /a\"].scopes: scopes apply to routes whose auth is a cognito authorizer; this route's auth is partners, a lambda authorizer: remove scopes, or give the route a cognito authorizer",
		}},
		"scopes on an open route": {api: users, routes: "  POST /a: {stateMachine: m, scopes: [orders/write]}\n  GET /b: {stateMachine: m, auth: users}\n", want: []string{
			"s.yaml:9:38: routes[\"POST /a\"].scopes: scopes apply to routes whose auth is a cognito authorizer; this route's auth is none: remove scopes, or give the route a cognito authorizer",
		}},
		"bad scope": {api: users, routes: "  POST /a: {stateMachine: m, auth: users, scopes: [\"orders write\", a, a]}\n", want: []string{
			"s.yaml:9:52: routes[\"POST /a\"].scopes[0]: \"orders write\" is not an OAuth scope: 1 to 256 printable ASCII characters, without spaces, '\"' and '\\'",
			"s.yaml:9:71: routes[\"POST /a\"].scopes[2]: a is listed twice",
		}},
		"apiKey naming no plan": {api: plans, routes: "  POST /a: {stateMachine: m, apiKey: partner}\n", want: []string{
			"s.yaml:9:38: routes[\"POST /a\"].apiKey: usage plan \"partner\" is not declared under api.usagePlans (did you mean \"partners\"?); declared: partners",
		}},
		"apiKey without plans": {routes: "  POST /a: {stateMachine: m, apiKey: partners}\n", want: []string{
			"s.yaml:7:38: routes[\"POST /a\"].apiKey: usage plan \"partners\" is not declared: declare it under api.usagePlans with its keys",
		}},
		"unused plan and authorizer": {api: users + plans, routes: "  POST /a: {stateMachine: m}\n", want: []string{
			"s.yaml:5:5: api.authorizers.users: warning: no route uses this authorizer: name it in api.auth or in a route's auth, or remove it",
			"s.yaml:7:5: api.usagePlans.partners: warning: no route names this usage plan in apiKey: add `apiKey: partners` to the routes its keys are for, or remove it",
		}},
		"credentials with any origin": {api: "  cors: {origins: [\"*\"], credentials: true}\n", routes: "  POST /a: {stateMachine: m}\n", want: []string{
			"s.yaml:4:39: api.cors.credentials: browsers refuse credentials from an API that allows any origin (\"*\"): list the origins of your pages instead, or drop credentials",
		}},
		"origins": {api: "  cors:\n    origins: [\"https://a.example.com/\", \"HTTPS://B.example.com\", \"https://c.example.com:443\", c.example.com, \"https://*.example.com\", \"https://d.example.com:99999\", \"*\"]\n", routes: "  POST /a: {stateMachine: m}\n", want: []string{
			"s.yaml:5:15: api.cors.origins[0]: \"https://a.example.com/\" is not an origin (scheme://host[:port]): an origin has no path, query or fragment; write https://a.example.com",
			"s.yaml:5:41: api.cors.origins[1]: \"HTTPS://B.example.com\" is not an origin (scheme://host[:port]): browsers send origins in lower case; write https://b.example.com",
			"s.yaml:5:66: api.cors.origins[2]: \"https://c.example.com:443\" is not an origin (scheme://host[:port]): browsers leave the default port out of the origin; write https://c.example.com",
			"s.yaml:5:95: api.cors.origins[3]: \"c.example.com\" is not an origin (scheme://host[:port]): it lacks the scheme, such as https://",
			"s.yaml:5:110: api.cors.origins[4]: \"https://*.example.com\" is not an origin (scheme://host[:port]): an origin names one host; list each origin instead of a wildcard",
			"s.yaml:5:135: api.cors.origins[5]: \"https://d.example.com:99999\" is not an origin (scheme://host[:port]): \"99999\" is not a port (1 to 65535)",
			"s.yaml:5:166: api.cors.origins[6]: \"*\" allows every origin: give it alone, or list origins without it",
		}},
		"headers": {api: "  cors: {origins: [\"https://a.example.com\"], credentials: true, headers: [\"*\", X-A, x-a, \"a b\"], maxAge: 48h}\n", routes: "  POST /a: {stateMachine: m}\n", want: []string{
			"s.yaml:4:59: api.cors.credentials: with credentials, browsers read headers: [\"*\"] as a header named \"*\": list the headers instead",
			"s.yaml:4:85: api.cors.headers[2]: x-a is listed twice (header names match in any case)",
			"s.yaml:4:90: api.cors.headers[3]: \"a b\" is not a valid HTTP header name",
			"s.yaml:4:106: api.cors.maxAge: 48h is too long: at most 24h, Firefox's cap (Chromium caps at 2h)",
		}},
		"OPTIONS with cors": {api: "  cors: {origins: [\"*\"]}\n", routes: "  OPTIONS /a: {stateMachine: m}\n  ANY /b: {stateMachine: m}\n", want: []string{
			"s.yaml:8:3: routes[\"OPTIONS /a\"]: with api.cors, sfnapic answers OPTIONS on every path itself: the browsers' preflight, which must need no authorizer and no key; remove this route, or remove api.cors",
		}},
		"ttl": {api: "  authorizers:\n    p: {type: lambda, function: \"arn:aws:lambda:eu-west-1:123456789012:function:f\", ttl: 2h}\n    q: {type: lambda, function: \"arn:aws:lambda:eu-west-1:123456789012:function:f\", ttl: 300}\n  auth: p\n", routes: "  POST /a: {stateMachine: m, auth: q}\n", want: []string{
			"s.yaml:5:90: api.authorizers.p.ttl: 2h is too long: at most 3600s (1h), API Gateway's longest cache",
			"s.yaml:6:90: api.authorizers.q.ttl: a ttl is written with its unit, such as 300s",
		}},
		"arns": {api: "  auth: p\n  authorizers:\n    p: {type: lambda, function: \"arn:aws:lambda:eu-west-1:123456789012:f\"}\n    q: {type: cognito, userPools: [\"arn:aws:cognito-idp:eu-west-1:123456789012:userpool/AbCdEf\", \"arn:aws:cognito-idp:eu-west-1:123456789012:userpool/us-east-1_AbCdEf\"]}\n", routes: "  POST /a: {stateMachine: m, auth: q}\n", want: []string{
			"s.yaml:6:33: api.authorizers.p.function: \"arn:aws:lambda:eu-west-1:123456789012:f\" is not a Lambda function ARN such as arn:aws:lambda:eu-west-1:123456789012:function:check-partner",
			"s.yaml:7:36: api.authorizers.q.userPools[0]: \"arn:aws:cognito-idp:eu-west-1:123456789012:userpool/AbCdEf\" is not a user pool ARN such as arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf",
			"s.yaml:7:98: api.authorizers.q.userPools[1]: user pool \"arn:aws:cognito-idp:eu-west-1:123456789012:userpool/us-east-1_AbCdEf\" is in region us-east-1 but the ARN says eu-west-1: a pool ID starts with its region",
		}},
		"wrong type's fields": {api: "  auth: p\n  authorizers:\n    p: {type: cognito, userPools: [" + testPool + "], ttl: 5m, function: x}\n    iam: {type: lambda}\n", routes: "  POST /a: {stateMachine: m}\n", want: []string{
			"s.yaml:6:112: api.authorizers.p.ttl: ttl applies to type: lambda authorizers, not cognito",
			"s.yaml:6:126: api.authorizers.p.function: function applies to type: lambda authorizers, not cognito",
			"s.yaml:7:5: api.authorizers.iam: \"iam\" is a value of auth itself: name the authorizer otherwise",
		}},
		"identity": {api: "  auth: p\n  authorizers:\n    p: {type: lambda, function: \"arn:aws:lambda:eu-west-1:123456789012:function:f\", identity: [headers.X, header.A, header.a, query., context.requestID, stageVariables.v]}\n", routes: "  POST /a: {stateMachine: m}\n", want: []string{
			"s.yaml:6:96: api.authorizers.p.identity[0]: \"headers.X\" does not say where the identity is; start it with header., query., context. or stageVariables. (did you mean \"header.X\"?)",
			"s.yaml:6:117: api.authorizers.p.identity[2]: header.a is listed twice",
			"s.yaml:6:127: api.authorizers.p.identity[3]: \"query.\" names no valid query; write query.NAME",
			"s.yaml:6:135: api.authorizers.p.identity[4]: unknown context field \"requestID\" (did you mean \"context.requestId\"?); use one of requestId, extendedRequestId, requestTime, requestTimeEpoch, stage, httpMethod, resourcePath, path, domainName, apiId, accountId, protocol, identity.sourceIp, identity.userAgent, identity.caller, identity.user, identity.userArn, identity.accountId, identity.cognitoIdentityId, authorizer.principalId",
		}},
		"throttle and quota": {api: "  usagePlans:\n    p: {keys: [k], throttle: {rate: -1, burst: 1.5}, quota: {limit: 3000000000, period: YEARLY}}\n    q: {keys: [k, j, j], throttle: {rate: 20000, burst: 6000}}\n", routes: "  POST /a: {stateMachine: m, apiKey: p}\n  POST /b: {stateMachine: m, apiKey: q}\n", want: []string{
			"s.yaml:5:37: api.usagePlans.p.throttle.rate: a rate is a number of requests per second, 0 or more, got the integer -1",
			"s.yaml:5:48: api.usagePlans.p.throttle.burst: a burst is a whole number from 0 to 2147483647, got the number 1.5",
			"s.yaml:5:69: api.usagePlans.p.quota.limit: a quota's limit is a whole number from 0 to 2147483647, got the integer 3000000000",
			"s.yaml:5:89: api.usagePlans.p.quota.period: \"YEARLY\" is not one of DAY, WEEK, MONTH",
			"s.yaml:6:16: api.usagePlans.q.keys[0]: key k is already in usage plan p (line 5): API Gateway refuses a key in two usage plans of the same stage; keep it in one",
			"s.yaml:6:22: api.usagePlans.q.keys[2]: key j is listed twice",
			"s.yaml:6:43: api.usagePlans.q.throttle.rate: warning: 20000 requests per second is more than API Gateway's default account limit (10000 per Region, shared by every API): ask AWS to raise it, or the account's limit applies",
			"s.yaml:6:57: api.usagePlans.q.throttle.burst: warning: a burst of 6000 is more than API Gateway's default account burst (5000 per Region): ask AWS to raise it, or the account's burst applies",
		}},
		"body on GET and on form": {routes: "  GET /a: {stateMachine: m, body: {schema: {type: object}}}\n  POST /b: {stateMachine: m, contentTypes: [form], body: {schema: {type: object}}}\n  POST /c: {stateMachine: m, contentTypes: [json, form], body: {schema: {type: object}}}\n", want: []string{
			"s.yaml:7:35: routes[\"GET /a\"].body: a GET request has no body to validate: remove body, or use POST, PUT or PATCH",
			"s.yaml:8:58: routes[\"POST /b\"].body: body validates JSON bodies, and this route takes only form bodies: add json to contentTypes, or remove body",
			"s.yaml:9:64: routes[\"POST /c\"].body: body validates JSON bodies only, and this route takes form bodies too, which API Gateway would pass on unchecked: take only json (contentTypes: [json]), or remove body",
		}},
		"schema keywords": {routes: "  POST /a:\n    stateMachine: m\n    body:\n      schema:\n        $schema: http://json-schema.org/draft-07/schema#\n        type: object\n        requried: [a]\n        properties:\n          const: {const: 1}\n          b: {$ref: \"https://example.com/b.json\"}\n          c: {$ref: \"#/definitions/c\"}\n          d: {type: strin, x-doc: fine}\n          e: {id: e}\n", want: []string{
			"s.yaml:11:18: routes[\"POST /a\"].body.schema[\"$schema\"]: API Gateway's models are JSON Schema draft-04: write $schema: \"http://json-schema.org/draft-04/schema#\", or leave it out",
			"s.yaml:13:9: routes[\"POST /a\"].body.schema.requried: unknown JSON Schema draft-04 keyword \"requried\" (did you mean \"required\"?): API Gateway would ignore it",
			"s.yaml:15:19: routes[\"POST /a\"].body.schema.properties.const.const: \"const\" is not a keyword of JSON Schema draft-04, which API Gateway's models speak: it would be ignored; write enum: [VALUE]",
			"s.yaml:16:21: routes[\"POST /a\"].body.schema.properties.b[\"$ref\"]: $ref \"https://example.com/b.json\" leaves the schema: API Gateway loads no remote schema, and refers to other models only by their canonical URL (https://apigateway.amazonaws.com/restapis/{restapi_id}/models/{name}), which a spec cannot know; put the shared schema under definitions and write $ref: \"#/definitions/NAME\"",
			"s.yaml:17:21: routes[\"POST /a\"].body.schema.properties.c[\"$ref\"]: $ref \"#/definitions/c\" points at nothing in this schema; write \"#/definitions/NAME\" for a schema under definitions",
			"s.yaml:18:21: routes[\"POST /a\"].body.schema.properties.d.type: not a valid JSON Schema draft-04: value must be one of 'array', 'boolean', 'integer', 'null', 'number', 'object', 'string'",
			"s.yaml:19:15: routes[\"POST /a\"].body.schema.properties.e.id: id changes how $ref resolves, and API Gateway names the model itself: remove it",
		}},
		"schema shapes": {routes: "  POST /a: {stateMachine: m, body: {schema: {type: object, minProperties: -1, items: [{type: 1}]}}}\n  PUT /a: {stateMachine: m, body: {schema: [1]}}\n  PATCH /a: {stateMachine: m, body: {schema: {type: object}, schemaFile: x.json}}\n", want: []string{
			"s.yaml:7:75: routes[\"POST /a\"].body.schema.minProperties: not a valid JSON Schema draft-04: minimum: got -1, want 0",
			"s.yaml:7:86: routes[\"POST /a\"].body.schema.items: not a valid JSON Schema draft-04: got array, want object",
			"s.yaml:7:94: routes[\"POST /a\"].body.schema.items[0].type: not a valid JSON Schema draft-04: value must be one of 'array', 'boolean', 'integer', 'null', 'number', 'object', 'string'",
			"s.yaml:8:44: routes[\"PUT /a\"].body.schema: a JSON Schema is an object (a mapping), got a list",
			"s.yaml:9:37: routes[\"PATCH /a\"].body: give exactly one of schema (a JSON Schema inline) or schemaFile (a .json or .yaml file next to the spec)",
		}},
		"schema files": {routes: "  POST /a: {stateMachine: m, body: {schemaFile: ../order.json}}\n  PUT /a: {stateMachine: m, body: {schemaFile: missing.json}}\n  PATCH /a: {stateMachine: m, body: {schemaFile: bad.json}}\n", want: []string{
			"bad.json:1:19: schema file is not valid JSON: invalid character '}' looking for beginning of object key string",
			"s.yaml:7:49: routes[\"POST /a\"].body.schemaFile: \"../order.json\": name the file relative to the spec's directory, with '/' separators and no '..'",
			"s.yaml:8:48: routes[\"PUT /a\"].body.schemaFile: schema file \"missing.json\" does not exist (it is read relative to the spec's directory)",
		}},
		"iam on a private API is fine": {api: "  endpoint: PRIVATE\n  vpcEndpoints: [vpce-0123456789abcdef0]\n  auth: iam\n", routes: "  POST /a: {stateMachine: m}\n", want: []string{""}},
	} {
		_, got := accessErrors(c.api, c.routes, fstest.MapFS{"bad.json": {Data: []byte(`{"type": "object",}`)}})
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%s: got\n%s\nwant\n%s", name, strings.Join(got, "\n"), strings.Join(c.want, "\n"))
		}
	}
}

// TestSchemaFileStaysInside: a schema file is read as a definition file
// is, through the file system given to Parse: with an os.Root of the
// spec's directory, a symbolic link out of it is refused, and so are a
// directory and a file over MaxFileBytes.
func TestSchemaFileStaysInside(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "secret.json")
	if err := os.WriteFile(outside, []byte(`{"type": "object"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(dir, "link.json")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "dir.json"), 0o755); err != nil {
		t.Fatal(err)
	}
	big := make([]byte, MaxFileBytes+1)
	if err := os.WriteFile(filepath.Join(dir, "big.json"), big, 0o644); err != nil {
		t.Fatal(err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	src := "version: 1\napi: {name: a}\nstateMachines:\n  m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}}\nroutes:\n" +
		"  POST /a: {stateMachine: m, body: {schemaFile: link.json}}\n" +
		"  PUT /a: {stateMachine: m, body: {schemaFile: dir.json}}\n" +
		"  PATCH /a: {stateMachine: m, body: {schemaFile: big.json}}\n"
	_, diags := Parse("s.yaml", []byte(src), root.FS())
	want := []string{
		`s.yaml:6:49: routes["POST /a"].body.schemaFile: schema file "link.json" cannot be read (it is read relative to the spec's directory)`,
		`s.yaml:7:48: routes["PUT /a"].body.schemaFile: schema file "dir.json" is not a regular file (d---------)`,
		`s.yaml:8:50: routes["PATCH /a"].body.schemaFile: schema file "big.json" is 4194305 bytes; a file next to the spec may have at most 4194304`,
	}
	if got := strings.TrimSuffix(diags.String(), "\n"); got != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", got, strings.Join(want, "\n"))
	}
}
