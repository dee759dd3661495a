package spec

// Field is one key of a spec mapping. A Table lists them; the parser takes
// its known and required keys from the table, and the JSON Schema in
// package schema is generated from it (go generate ./...), so the two
// cannot drift apart.
type Field struct {
	Name     string
	Required bool
	// Doc describes the field: the schema's description.
	Doc string
	// Schema is the JSON Schema of the field's value, without its
	// description, as JSON text ("" for any value).
	Schema string
	// Variant groups fields into the alternatives of a mapping that takes
	// one of several forms (an input is {from, ...} or {value}): the first
	// field of each variant is required in it. "" when there is one form.
	Variant string
	// Example is a whole mapping of the table's kind, in YAML flow style,
	// that uses the field and that both the parser and the schema accept.
	// The agreement test tries each one.
	Example string
}

// Table is the field table of one kind of spec mapping.
type Table struct {
	// Name is the kind of mapping, also its name in the schema's $defs.
	Name   string
	Fields []Field
	// Rules are JSON Schema keywords about the mapping as a whole (which
	// fields exclude each other), as JSON text, or "".
	Rules string
}

// Def is a named JSON Schema of the spec language that is not a mapping,
// such as the syntax of a request value's source.
type Def struct {
	Name, Doc, Schema string
}

// Defs are the spec's named schemas besides the tables'.
var Defs = []Def{
	{Name: "source",
		Doc:    "Where the value comes from: path.NAME, query.NAME, header.NAME (strings), body.FIELD.PATH (a JSON value from the body), body (the whole JSON body), or context.FIELD (API Gateway's $context: requestId, identity.sourceIp, identity.userAgent, stage, authorizer.claims.NAME, ...).",
		Schema: `{"type": "string", "pattern": "^(path\\.[A-Za-z_][A-Za-z0-9_-]*|query\\.[A-Za-z0-9_.~-]+|header\\.[A-Za-z0-9!#$%&*+.^_|~-]+|body|body(\\.[A-Za-z_][A-Za-z0-9_]*)+|context\\.[A-Za-z0-9_.:-]+)$"}`},
	{Name: "nameSource",
		Doc:    "A request value for the execution name: path.NAME, query.NAME, header.NAME, body.FIELD.PATH or context.FIELD.",
		Schema: `{"type": "string", "pattern": "^(path\\.[A-Za-z_][A-Za-z0-9_-]*|query\\.[A-Za-z0-9_.~-]+|header\\.[A-Za-z0-9!#$%&*+.^_|~-]+|body(\\.[A-Za-z_][A-Za-z0-9_]*)+|context\\.[A-Za-z0-9_.:-]+)$"}`},
}

// Keys lists the table's keys, in order: the parser's allowed fields.
func (t *Table) Keys() []string {
	out := make([]string, len(t.Fields))
	for i, f := range t.Fields {
		out[i] = f.Name
	}
	return out
}

// RequiredKeys lists the keys that must be present.
func (t *Table) RequiredKeys() []string {
	var out []string
	for _, f := range t.Fields {
		if f.Required {
			out = append(out, f.Name)
		}
	}
	return out
}

// Tables lists every field table of the spec language.
var Tables = []*Table{&TopFields, &APIFields, &StateMachineFields, &StatementFields, &RouteFields, &InputFields, &NameFields,
	&AuthorizerFields, &CORSFields, &UsagePlanFields, &ThrottleFields, &QuotaFields, &BodyFields, &ParameterFields,
	&LogsFields, &AliasFields, &DeploymentFields, &EncryptionFields}

// TopFields are the keys of the spec itself.
var TopFields = Table{Name: "spec", Fields: []Field{
	{Name: "version", Required: true, Doc: "The spec language version. Always 1.", Schema: `{"const": 1}`,
		Example: `{version: 1, api: {name: a}, stateMachines: {m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}}}, routes: {POST /a: {stateMachine: m}}}`},
	{Name: "api", Required: true, Doc: "Settings of the REST API.", Schema: `{"$ref": "#/$defs/api"}`,
		Example: `{version: 1, api: {name: a}, stateMachines: {m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}}}, routes: {POST /a: {stateMachine: m}}}`},
	{Name: "stateMachines", Required: true,
		Doc: "The state machines the routes call, by name. Each one is created from a definition or definitionFile, or is an existing machine given by arn.",
		Schema: `{"type": "object", "minProperties": 1, "propertyNames": {"pattern": "^[A-Za-z][A-Za-z0-9_-]{0,63}$"},
			"additionalProperties": {"$ref": "#/$defs/stateMachine"}}`,
		Example: `{version: 1, api: {name: a}, stateMachines: {m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}}}, routes: {POST /a: {stateMachine: m}}}`},
	{Name: "routes", Required: true,
		Doc: "The routes, keyed \"VERB /path\", such as \"POST /items/{item_id}\". Each calls one state machine.",
		Schema: `{"type": "object", "minProperties": 1,
			"propertyNames": {"pattern": "^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY)[ \\t]+/([A-Za-z0-9._:{}+-]+(/[A-Za-z0-9._:{}+-]+)*)?[ \\t]*$"},
			"additionalProperties": {"$ref": "#/$defs/route"}}`,
		Example: `{version: 1, api: {name: a}, stateMachines: {m: {definition: {StartAt: A, States: {A: {Type: Succeed}}}}}, routes: {POST /a: {stateMachine: m}}}`},
	{Name: "parameters", Doc: "Values given when the template is deployed, by name: the template's CloudFormation Parameters. A name holds letters and digits and starts with a letter (not with a prefix of sfnapic's resource IDs, such as Api or Stage). A definition writes ${Name} where the value goes (CloudFormation puts it in through DefinitionSubstitutions); a policy writes {Ref: Name} or ${Name} in an Fn::Sub; an existing machine's arn, roleArn, logs.logGroupArn, alarms, api.tags values, api.vpcEndpoints and an authorizer's userPools and function write ${Name} in their text. One nothing uses gets a warning.",
		Schema: `{"type": "object", "minProperties": 1, "propertyNames": {"pattern": "^[A-Za-z][A-Za-z0-9]{0,254}$"},
			"additionalProperties": {"$ref": "#/$defs/parameter"}}`,
		Example: `{version: 1, api: {name: a}, parameters: {Queue: {type: String}}, environments: {prod: {Queue: q}}, stateMachines: {m: {definition: {StartAt: A, States: {A: {Type: Pass, Result: "${Queue}", End: true}}}}}, routes: {POST /a: {stateMachine: m}}}`},
	{Name: "environments", Doc: "Named sets of parameter values, such as staging and prod: deploy --env NAME deploys them to the stack <api.name>-NAME. A name holds letters, digits and '-' and starts with a letter; each value must be one its parameter allows.",
		Schema: `{"type": "object", "minProperties": 1, "propertyNames": {"pattern": "^[A-Za-z][A-Za-z0-9-]{0,63}$"},
			"additionalProperties": {"type": "object", "additionalProperties": {"type": ["string", "number", "boolean"]}}}`,
		Example: `{version: 1, api: {name: a}, parameters: {Queue: {type: String}}, environments: {prod: {Queue: q}}, stateMachines: {m: {definition: {StartAt: A, States: {A: {Type: Pass, Result: "${Queue}", End: true}}}}}, routes: {POST /a: {stateMachine: m}}}`},
}}

// APIFields are the keys of api.
var APIFields = Table{Name: "api", Fields: []Field{
	{Name: "name", Required: true, Doc: "Name of the REST API.", Schema: `{"type": "string", "minLength": 1}`, Example: `{name: a}`},
	{Name: "description", Doc: "Description of the REST API.", Schema: `{"type": "string"}`, Example: `{name: a, description: "it's an API"}`},
	{Name: "stage", Doc: "Stage name; it is the last part of the invoke URL: letters, digits, - and _, at most 128. Default: prod.",
		Schema: `{"type": "string", "pattern": "^[A-Za-z0-9_-]{1,128}$", "default": "prod"}`, Example: `{name: a, stage: v1}`},
	{Name: "endpoint", Doc: "Endpoint type. Default: REGIONAL. PRIVATE needs vpcEndpoints.",
		Schema: `{"enum": ["REGIONAL", "EDGE", "PRIVATE"], "default": "REGIONAL"}`, Example: `{name: a, endpoint: EDGE}`},
	{Name: "vpcEndpoints", Doc: "Required with endpoint: PRIVATE, and only allowed there: the VPC endpoint IDs (vpce-...) allowed to call the API. The generated resource policy allows execute-api:Invoke from these endpoints on exactly the declared routes (path parameters become the only wildcards).",
		Schema:  `{"type": "array", "minItems": 1, "items": {"type": "string", "anyOf": [{"pattern": "^vpce-[0-9a-f]{8,17}$"}, {"pattern": "\\$\\{[^}]*\\}"}]}}`,
		Example: `{name: a, endpoint: PRIVATE, vpcEndpoints: [vpce-0123456789abcdef0]}`},
	{Name: "tags", Doc: "Tag keys and their string values, put on every taggable resource: the API, its stage, the roles and the state machines. At most 50; keys (1 to 128 characters) starting aws: are reserved; a value is 1 to 256 characters (a state machine takes no empty one).",
		Schema: `{"type": "object", "maxProperties": 50,
			"propertyNames": {"minLength": 1, "maxLength": 128, "not": {"pattern": "^[aA][wW][sS]:"}},
			"additionalProperties": {"type": "string", "minLength": 1, "maxLength": 256}}`,
		Example: `{name: a, tags: {team: payments}}`},
	{Name: "auth", Doc: "Who may call a route that does not say: none (the default: anyone), iam (requests signed with AWS Signature Version 4 by a principal IAM allows, API Gateway's AWS_IAM) or the name of an authorizer under authorizers. A route's auth overrides it. iam is allowed on a PRIVATE API too: API Gateway takes it.",
		Schema: `{"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9_-]{0,63}$", "default": "none"}`, Example: `{name: a, auth: iam}`},
	{Name: "authorizers", Doc: "The authorizers routes can name in auth, by name: Cognito user pools (type: cognito) or a Lambda function (type: lambda). A name starts with a letter and holds letters, digits, '-' and '_' (at most 64); none and iam are taken. One that no route uses gets a warning.",
		Schema: `{"type": "object", "minProperties": 1, "propertyNames": {"pattern": "^[A-Za-z][A-Za-z0-9_-]{0,63}$", "not": {"enum": ["none", "iam"]}},
			"additionalProperties": {"$ref": "#/$defs/authorizer"}}`,
		Example: `{name: a, auth: users, authorizers: {users: {type: cognito, userPools: ["arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf"]}}}`},
	{Name: "cors", Doc: "Lets web pages of other origins call the API: every path answers the browser's preflight (OPTIONS) without authorizer or key, and every answer, API Gateway's own errors included, carries the CORS headers.",
		Schema: `{"$ref": "#/$defs/cors"}`, Example: `{name: a, cors: {origins: ["https://shop.example.com"]}}`},
	{Name: "usagePlans", Doc: "Usage plans, by name: the API keys of each (API Gateway generates their values; sfnapic never prints them), with the rate, burst and quota each key gets. A route with apiKey: NAME needs a key of that plan. A name starts with a letter and holds letters, digits, '-' and '_' (at most 64). One that no route names in apiKey gets a warning.",
		Schema: `{"type": "object", "minProperties": 1, "propertyNames": {"pattern": "^[A-Za-z][A-Za-z0-9_-]{0,63}$"},
			"additionalProperties": {"$ref": "#/$defs/usagePlan"}}`,
		Example: `{name: a, usagePlans: {partners: {keys: [acme], throttle: {rate: 50, burst: 100}}}}`},
}}

// StateMachineFields are the keys of each stateMachines entry.
var StateMachineFields = Table{Name: "stateMachine", Fields: []Field{
	{Name: "type", Doc: "STANDARD (default) or EXPRESS. Not allowed with arn.",
		Schema:  `{"enum": ["STANDARD", "EXPRESS"], "default": "STANDARD"}`,
		Example: `{type: EXPRESS, definition: {StartAt: A, States: {A: {Type: Succeed}}}}`},
	{Name: "definition", Doc: "The Amazon States Language definition, inline in YAML. It reaches the template exactly as written, key order and number text included.",
		Schema:  `{"type": "object", "required": ["StartAt", "States"]}`,
		Example: `{definition: {StartAt: A, States: {A: {Type: Succeed}}}}`},
	{Name: "definitionFile", Doc: "An ASL file next to the spec (.asl.json, .asl.yaml or .asl.yml), relative to the spec's directory (no ..): a regular file of at most 4 MiB, read through the directory so that no symbolic link leads out of it.",
		Schema: `{"type": "string", "pattern": "\\.(json|ya?ml)$"}`, Example: `{definitionFile: flow.asl.json}`},
	{Name: "arn", Doc: "The ARN of an existing state machine. Nothing is created; the API role may start only this ARN.",
		Schema:  `{"type": "string", "anyOf": [{"pattern": "^arn:aws[a-z-]*:states:[a-z0-9-]+:[0-9]{12}:stateMachine:[A-Za-z0-9_-]{1,80}$"}, {"pattern": "\\$\\{[^}]*\\}"}]}`,
		Example: `{arn: "arn:aws:states:us-east-1:123456789012:stateMachine:orders"}`},
	{Name: "policies", Doc: "IAM policy statements for the execution role sfnapic creates: what the workflow's tasks may do. Each needs Effect, Action and Resource (Sid and Condition are optional), for example lambda:InvokeFunction on one function; values may use intrinsic functions such as {\"Fn::Sub\": \"arn:${AWS::Partition}:...\"}. Wildcards get a warning. They add to the statements sfnapic derives from the definition's Task states (see Statements derived from the workflow): write here only what cannot be derived, such as a resource chosen at run time, which a warning names. Not with roleArn or arn.",
		Schema:  `{"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/policyStatement"}}`,
		Example: `{definition: {StartAt: A, States: {A: {Type: Succeed}}}, policies: [{Effect: Allow, Action: "sqs:SendMessage", Resource: "arn:aws:sqs:us-east-1:123456789012:q"}]}`},
	{Name: "roleArn", Doc: "An existing IAM role for the state machine to run as, instead of the one sfnapic creates. Not with policies or arn.",
		Schema:  `{"type": "string", "anyOf": [{"pattern": "^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$"}, {"pattern": "\\$\\{[^}]*\\}"}]}`,
		Example: `{definition: {StartAt: A, States: {A: {Type: Succeed}}}, roleArn: "arn:aws:iam::123456789012:role/run"}`},
	{Name: "logs", Doc: "Log the execution history to CloudWatch Logs: level (ALL, ERROR, FATAL or OFF), includeData, and retention for the log group sfnapic creates, or logGroupArn for an existing one. sfnapic adds the log-delivery permissions Step Functions needs to the execution role. An EXPRESS machine keeps no history without logs, so one without gets a warning. Not with arn.",
		Schema:  `{"$ref": "#/$defs/logs"}`,
		Example: `{type: EXPRESS, definition: {StartAt: A, States: {A: {Type: Succeed}}}, logs: {level: ALL, retention: 30d}}`},
	{Name: "tracing", Doc: "Send traces of each execution to AWS X-Ray (TracingConfiguration); sfnapic adds the X-Ray permissions to the execution role. Not with arn.",
		Schema:  `{"type": "boolean", "default": false}`,
		Example: `{definition: {StartAt: A, States: {A: {Type: Succeed}}}, tracing: true}`},
	{Name: "publish", Doc: "Publish a version (AWS::StepFunctions::StateMachineVersion) for each revision of the definition and settings that a deploy changes; earlier versions are kept (at most 1000 per machine: delete old ones with aws stepfunctions delete-state-machine-version). Not with arn.",
		Schema:  `{"type": "boolean", "default": false}`,
		Example: `{definition: {StartAt: A, States: {A: {Type: Succeed}}}, publish: true}`},
	{Name: "alias", Doc: "An alias that routes start executions through (their requests name the alias ARN; the API role names the machine, whose ARN authorizes calls through its alias): each deploy that publishes a new version moves it there, at once or by its deployment (a Step Functions canary or linear shift that CloudWatch alarms roll back). Needs publish: true. Not with arn.",
		Schema:  `{"$ref": "#/$defs/alias"}`,
		Example: `{definition: {StartAt: A, States: {A: {Type: Succeed}}}, publish: true, alias: {name: live}}`},
	{Name: "encryption", Doc: "Encrypt the definition and execution history with a customer managed KMS key as well as AWS's own (EncryptionConfiguration): key, and reuse. sfnapic lets the execution role, and the API role for the routes that start or read its executions, use the key only for this machine (the kms:EncryptionContext:aws:states:stateMachineArn condition); the key's policy must allow the account's IAM policies (and, with logs, delivery.logs.amazonaws.com to kms:Decrypt). Not with arn.",
		Schema:  `{"$ref": "#/$defs/encryption"}`,
		Example: `{definition: {StartAt: A, States: {A: {Type: Succeed}}}, encryption: {key: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab", reuse: 5m}}`},
}, Rules: `{
	"oneOf": [
		{"required": ["definition"]},
		{"required": ["definitionFile"]},
		{"required": ["arn"], "allOf": [{"not": {"required": ["type"]}}, {"not": {"required": ["policies"]}}, {"not": {"required": ["roleArn"]}},
			{"not": {"anyOf": [{"required": ["logs"]}, {"required": ["tracing"]}, {"required": ["publish"]}, {"required": ["alias"]}, {"required": ["encryption"]}]}}]}
	],
	"not": {"required": ["policies", "roleArn"]},
	"if": {"required": ["alias"]}, "then": {"required": ["publish"], "properties": {"publish": {"const": true}}}}`}

// LogsFields are the keys of a state machine's logs.
var LogsFields = Table{Name: "logs", Fields: []Field{
	{Name: "level", Doc: "Which events are logged: ALL, ERROR (the default: failures), FATAL (only executions that fail) or OFF.",
		Schema: `{"enum": ["ALL", "ERROR", "FATAL", "OFF"], "default": "ERROR"}`, Example: `{level: ALL}`},
	{Name: "includeData", Doc: "Log each state's input and output too. Default: false (they may hold personal data).",
		Schema: `{"type": "boolean", "default": false}`, Example: `{level: ALL, includeData: true}`},
	{Name: "retention", Doc: "How long the log group sfnapic creates (/aws/vendedlogs/states/STACK-MACHINE) keeps events: a period CloudWatch Logs offers, in days (1d, 3d, 5d, 7d, 14d, 30d, 60d, 90d, 120d, 150d, 180d, 365d, 400d, 545d, 731d, 1096d, 1827d, 2192d, 2557d, 2922d, 3288d, 3653d), or never. Default: 731d. Not with logGroupArn.",
		Schema: `{"type": "string", "pattern": "^([0-9]+d|never)$", "default": "731d"}`, Example: `{retention: 30d}`},
	{Name: "logGroupArn", Doc: "An existing log group to write to instead of one sfnapic creates: arn:aws:logs:REGION:ACCOUNT:log-group:NAME (\":*\" is added when missing, as Step Functions wants it).",
		Schema:  `{"type": "string", "anyOf": [{"pattern": "^arn:aws[a-z-]*:logs:[a-z0-9-]+:[0-9]{12}:log-group:[.\\-_/#A-Za-z0-9]{1,512}(:\\*)?$"}, {"pattern": "\\$\\{[^}]*\\}"}]}`,
		Example: `{logGroupArn: "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/states/orders:*"}`},
}, Rules: `{"not": {"required": ["retention", "logGroupArn"]}}`}

// EncryptionFields are the keys of a state machine's encryption.
var EncryptionFields = Table{Name: "encryption", Fields: []Field{
	{Name: "key", Required: true, Doc: "The KMS key's ARN (arn:aws:kms:REGION:ACCOUNT:key/ID: IAM authorizes a key's use on the key's ARN, not an alias's), or ${Parameter} for a parameter that holds it.",
		Schema:  `{"type": "string", "pattern": "^(arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]{1,128}|\\$\\{[A-Za-z][A-Za-z0-9]*\\})$"}`,
		Example: `{key: "${OrdersKey}"}`},
	{Name: "reuse", Doc: "How long Step Functions reuses a data key before it asks KMS for a new one: 60s (1m) to 900s (15m). Default: AWS's, 300s.",
		Schema: `{"type": "string", "pattern": "^[0-9]+[smh]$"}`, Example: `{key: "${OrdersKey}", reuse: 5m}`},
}}

// AliasFields are the keys of a state machine's alias.
var AliasFields = Table{Name: "alias", Fields: []Field{
	{Name: "name", Required: true, Doc: "The alias's name, the last part of its ARN (STATE_MACHINE_ARN:NAME): a letter, then letters, digits, - and _, at most 80.",
		Schema: `{"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9_-]{0,79}$"}`, Example: `{name: live}`},
	{Name: "deployment", Doc: "How the alias moves to a new version: CANARY (percentage of executions first, the rest after interval), LINEAR (percentage more every interval) or ALL_AT_ONCE; alarms roll it back. Without it the alias moves at once.",
		Schema: `{"$ref": "#/$defs/deployment"}`, Example: `{name: live, deployment: {type: CANARY, percentage: 10, interval: 5m}}`},
}}

// DeploymentFields are the keys of an alias's deployment.
var DeploymentFields = Table{Name: "deployment", Fields: []Field{
	{Name: "type", Required: true, Doc: "CANARY, LINEAR or ALL_AT_ONCE. CANARY and LINEAR need percentage and interval.",
		Schema: `{"enum": ["CANARY", "LINEAR", "ALL_AT_ONCE"]}`, Example: `{type: ALL_AT_ONCE}`},
	{Name: "percentage", Doc: "The share of executions each step moves to the new version: 1 to 99. Not with ALL_AT_ONCE.",
		Schema: `{"type": "integer", "minimum": 1, "maximum": 99}`, Example: `{type: LINEAR, percentage: 20, interval: 10m}`},
	{Name: "interval", Doc: "The time between steps (with ALL_AT_ONCE, how long alarms are watched), in whole minutes: 1m to 2100m, written with its unit (5m, 1h).",
		Schema: `{"type": "string", "pattern": "^[0-9]+(s|m|h)$"}`, Example: `{type: CANARY, percentage: 10, interval: 5m}`},
	{Name: "alarms", Doc: "CloudWatch alarms, by name (an alarm ARN is read as its name), that roll the deployment back when one goes into ALARM: at most 100. AWS reads an alarm it cannot find as OK.",
		Schema: `{"type": "array", "minItems": 1, "maxItems": 100, "items": {"type": "string", "minLength": 1}}`, Example: `{type: ALL_AT_ONCE, alarms: [orders-errors]}`},
}, Rules: `{"if": {"properties": {"type": {"enum": ["CANARY", "LINEAR"]}}}, "then": {"required": ["percentage", "interval"]},
	"else": {"not": {"required": ["percentage"]}}}`}

// StatementFields are the keys of an IAM statement under policies.
var StatementFields = Table{Name: "policyStatement", Fields: []Field{
	{Name: "Sid", Doc: "An optional identifier of the statement.", Schema: `{"type": "string"}`, Example: `{Sid: Send, Effect: Allow, Action: "sqs:SendMessage", Resource: "arn:aws:sqs:us-east-1:123456789012:q"}`},
	{Name: "Effect", Required: true, Doc: "Allow or Deny.", Schema: `{"enum": ["Allow", "Deny"]}`, Example: `{Effect: Deny, Action: "sqs:SendMessage", Resource: "arn:aws:sqs:us-east-1:123456789012:q"}`},
	{Name: "Action", Required: true, Doc: "The action, or a list of actions, such as lambda:InvokeFunction: a service prefix, a colon and an action name (wildcards allowed), or *.", Schema: `{"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "minItems": 1}]}`,
		Example: `{Effect: Allow, Action: ["sqs:SendMessage", "sqs:GetQueueUrl"], Resource: "arn:aws:sqs:us-east-1:123456789012:q"}`},
	{Name: "Resource", Required: true,
		Doc: "The resource ARN, or a list of them, or *; values may be intrinsic functions such as {\"Fn::Sub\": ...} (one function per mapping). Anything else is refused, as IAM would refuse it.", Schema: `{"oneOf": [{"type": "string"}, {"type": "object"}, {"type": "array", "items": {"oneOf": [{"type": "string"}, {"type": "object"}]}, "minItems": 1}]}`,
		Example: `{Effect: Allow, Action: "sqs:SendMessage", Resource: [{"Fn::Sub": "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:q"}]}`},
	{Name: "Condition", Doc: "IAM condition operators and their keys, as in any IAM policy.", Schema: `{"type": "object"}`,
		Example: `{Effect: Allow, Action: "sqs:SendMessage", Resource: "arn:aws:sqs:us-east-1:123456789012:q", Condition: {Bool: {"aws:SecureTransport": "true"}}}`},
}}

// RouteFields are the keys of each route.
var RouteFields = Table{Name: "route", Fields: []Field{
	{Name: "stateMachine", Required: true, Doc: "Name of the state machine (under stateMachines) this route calls.",
		Schema: `{"type": "string"}`, Example: `{stateMachine: m}`},
	{Name: "input", Doc: "The execution input: each key (dotted for nesting, such as customer.id) takes its value from the request (input, below). Without it the input is {}.",
		Schema: `{"type": "object", "propertyNames": {"pattern": "^[A-Za-z_][A-Za-z0-9_-]*(\\.[A-Za-z_][A-Za-z0-9_-]*)*$"},
			"additionalProperties": {"oneOf": [{"$ref": "#/$defs/source"}, {"$ref": "#/$defs/input"}]}}`,
		Example: `{stateMachine: m, input: {id: path.id, customer.name: body.name, n: {value: 1}}}`},
	{Name: "executionName", Doc: "Names each execution (StartExecution's name: 1 to 80 characters, none of whitespace, control characters or < > { } [ ] ? * \" # % \\ ^ | ~ ` $ & , ; : /). requestId for API Gateway's request id, a source such as path.order_id for a business key (idempotent for STANDARD machines), or {value: NAME}. An absent or empty value leaves the name to Step Functions.",
		Schema:  `{"oneOf": [{"const": "requestId"}, {"$ref": "#/$defs/nameSource"}, {"$ref": "#/$defs/executionName"}]}`,
		Example: `{stateMachine: m, executionName: requestId}`},
	{Name: "action", Doc: "What the route asks of the state machine: start (the default) starts an execution and answers at once with its ARN and id; startSync runs an EXPRESS machine to its end and answers with its output (StartSyncExecution), or with the error envelope when it fails; status describes a STANDARD execution (DescribeExecution) and stop stops one (StopExecution), both finding it by the id that execution names; taskSuccess, taskFailure and taskHeartbeat answer a task that waits for a token. startSync on a STANDARD machine, or status or stop on an EXPRESS one, is an error: Step Functions refuses them.",
		Schema: `{"enum": ["start", "startSync", "status", "stop", "taskSuccess", "taskFailure", "taskHeartbeat"], "default": "start"}`, Example: `{stateMachine: x, action: startSync}`},
	{Name: "token", Doc: "For taskSuccess, taskFailure and taskHeartbeat: where the request gives the task token. Default: body.taskToken. A token holds + / and =, which a JSON body or a header carries as they are; a query string needs them percent-encoded, and a path cannot carry the /. A GET, HEAD or OPTIONS route has no body: take the token from a header there.",
		Schema: `{"$ref": "#/$defs/nameSource"}`, Example: `{stateMachine: m, action: taskHeartbeat, token: header.X-Task-Token}`},
	{Name: "output", Doc: "For taskSuccess: the task's output, mapped from the request as input maps an execution's (each key takes its value from the request). Default: the whole JSON body.",
		Schema: `{"type": "object", "propertyNames": {"pattern": "^[A-Za-z_][A-Za-z0-9_-]*(\\.[A-Za-z_][A-Za-z0-9_-]*)*$"},
			"additionalProperties": {"oneOf": [{"$ref": "#/$defs/source"}, {"$ref": "#/$defs/input"}]}}`,
		Example: `{stateMachine: m, action: taskSuccess, output: {approved: body.approved, by: header.X-User}}`},
	{Name: "execution", Doc: "For status and stop, and required there: where the request gives the execution's id (a path, query, header or body source), such as path.id. The id is what a start route answers as executionId: the execution's name, the end of its ARN, which fits in a URL where the ARN's colons do not.",
		Schema: `{"$ref": "#/$defs/nameSource"}`, Example: `{stateMachine: m, action: status, execution: path.id}`},
	{Name: "includeInput", Doc: "For status: put the execution's input in the answer. Off by default, since the input may hold personal data.",
		Schema: `{"type": "boolean", "default": false}`, Example: `{stateMachine: m, action: status, execution: path.id, includeInput: true}`},
	{Name: "error", Doc: "For stop and taskFailure: where the request gives the error name to stop the execution, or fail the task, with. Optional: left out when the request lacks it.",
		Schema: `{"$ref": "#/$defs/nameSource"}`, Example: `{stateMachine: m, action: stop, execution: path.id, error: body.error}`},
	{Name: "cause", Doc: "For stop and taskFailure: where the request gives the cause to stop the execution, or fail the task, with. Optional: left out when the request lacks it.",
		Schema: `{"$ref": "#/$defs/nameSource"}`, Example: `{stateMachine: m, action: stop, execution: path.id, cause: body.reason}`},
	{Name: "errors", Doc: "With action: startSync, the HTTP status (400 to 599) for each error name the workflow may fail with, such as OrderNotFound: 404. Other failures answer 500, a timed-out run 504.",
		Schema:  `{"type": "object", "minProperties": 1, "propertyNames": {"minLength": 1, "maxLength": 256}, "additionalProperties": {"type": "integer", "minimum": 400, "maximum": 599}}`,
		Example: `{stateMachine: x, action: startSync, errors: {OrderNotFound: 404, "States.Timeout": 504}}`},
	{Name: "response", Doc: "With action: startSync, lets the workflow choose the answer: its output is then {\"statusCode\": 201, \"headers\": {\"Location\": ...}, \"body\": \"<JSON text>\"}, as a Lambda proxy answers (States.JsonToString makes the body). statuses lists the statuses it may choose besides 200, headers the headers it may set; anything else answers 502.",
		Schema: `{"type": "object", "additionalProperties": false, "properties": {
			"statuses": {"type": "array", "uniqueItems": true, "items": {"type": "integer", "minimum": 200, "maximum": 599}},
			"headers": {"type": "array", "uniqueItems": true, "items": {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9-]{0,127}$"}}}}`,
		Example: `{stateMachine: x, action: startSync, response: {statuses: [201], headers: [Location]}}`},
	{Name: "timeout", Doc: "How long API Gateway waits for Step Functions: 50ms to 29s, written with its unit (500ms, 10s). Default: 29s. Longer needs a raised API Gateway quota, which only Regional and private APIs can ask for.",
		Schema: `{"type": "string", "pattern": "^[0-9]+(ms|s)$"}`, Example: `{stateMachine: m, timeout: 10s}`},
	{Name: "contentTypes", Doc: "The request content types the route accepts, each with its own request template: json (application/json, the default) and form (application/x-www-form-urlencoded, whose fields map like body fields). Others get HTTP 415.",
		Schema:  `{"type": "array", "minItems": 1, "uniqueItems": true, "items": {"enum": ["json", "form"]}, "default": ["json"]}`,
		Example: `{stateMachine: m, contentTypes: [json, form]}`},
	{Name: "auth", Doc: "Who may call this route: none, iam or an authorizer's name under api.authorizers. Default: api.auth.",
		Schema: `{"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9_-]{0,63}$"}`, Example: `{stateMachine: m, auth: users}`},
	{Name: "scopes", Doc: "With a Cognito authorizer: the OAuth scopes of which the caller's access token must hold one (API Gateway's AuthorizationScopes). Without scopes, an identity token is accepted.",
		Schema:  `{"type": "array", "minItems": 1, "uniqueItems": true, "items": {"type": "string", "pattern": "^[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,256}$"}}`,
		Example: `{stateMachine: m, auth: users, scopes: [orders/write]}`},
	{Name: "apiKey", Doc: "The usage plan (under api.usagePlans) whose API keys may call this route, sent in the x-api-key header. On AWS, a key of any plan of the stage opens every route that needs a key; the plan sets the key's rate and quota.",
		Schema: `{"type": "string"}`, Example: `{stateMachine: m, apiKey: partners}`},
	{Name: "body", Doc: "Validates the JSON body against a JSON Schema (draft-04, the draft API Gateway speaks): schema inline, or schemaFile next to the spec. An invalid body gets HTTP 400 with the reasons, before any execution starts. Not on GET or HEAD, nor on a route that takes only form bodies.",
		Schema: `{"$ref": "#/$defs/body"}`, Example: `{stateMachine: m, body: {schema: {type: object, required: [items]}}}`},
}, Rules: `{"allOf": [
	{"if": {"required": ["errors"]}, "then": {"required": ["action"], "properties": {"action": {"const": "startSync"}}}},
	{"if": {"required": ["action"], "properties": {"action": {"enum": ["status", "stop"]}}},
	 "then": {"required": ["execution"], "not": {"anyOf": [{"required": ["input"]}, {"required": ["executionName"]}]}},
	 "else": {"not": {"anyOf": [{"required": ["execution"]}, {"required": ["includeInput"]}]}}},
	{"if": {"required": ["includeInput"]}, "then": {"properties": {"action": {"const": "status"}}}},
	{"if": {"anyOf": [{"required": ["error"]}, {"required": ["cause"]}]}, "then": {"required": ["action"], "properties": {"action": {"enum": ["stop", "taskFailure"]}}}},
	{"if": {"required": ["token"]}, "then": {"required": ["action"], "properties": {"action": {"enum": ["taskSuccess", "taskFailure", "taskHeartbeat"]}}}},
	{"if": {"required": ["output"]}, "then": {"required": ["action"], "properties": {"action": {"const": "taskSuccess"}}}},
	{"if": {"required": ["response"]}, "then": {"required": ["action"], "properties": {"action": {"const": "startSync"}}}},
	{"if": {"required": ["action"], "properties": {"action": {"enum": ["taskSuccess", "taskFailure", "taskHeartbeat"]}}},
	 "then": {"not": {"anyOf": [{"required": ["input"]}, {"required": ["executionName"]}]}}}]}`}

// InputFields are the keys of an input value written as a mapping: a
// source with options, or a literal.
var InputFields = Table{Name: "input", Fields: []Field{
	{Name: "from", Variant: "source", Doc: "Where the value comes from: a source, as in the short form (key: SOURCE).", Schema: `{"$ref": "#/$defs/source"}`, Example: `{from: query.q}`},
	{Name: "required", Variant: "source", Doc: "Reject requests without this query or header parameter (HTTP 400). Path parameters are always required. sfnapic attaches a request validator, because without one API Gateway ignores the flag.",
		Schema: `{"type": "boolean"}`, Example: `{from: query.q, required: true}`},
	{Name: "default", Variant: "source", Doc: "The value (any JSON) when the request lacks this one. Not with required or absent.",
		Example: `{from: query.q, default: [1, "two"]}`},
	{Name: "absent", Variant: "source", Doc: "What an absent value becomes: null (the default) or omit (the key is left out).",
		Schema: `{"enum": ["null", "omit"]}`, Example: `{from: query.q, absent: omit}`},
	{Name: "value", Variant: "literal", Doc: "A literal: this exact JSON value, whatever the request. Strings may not hold control characters other than tab, newline and carriage return.", Example: `{value: {a: [1, true, null]}}`},
}}

// NameFields are the keys of an execution name written as a mapping.
var NameFields = Table{Name: "executionName", Fields: []Field{
	{Name: "from", Variant: "source", Doc: "The request value that names the execution: any source except the whole body.", Schema: `{"$ref": "#/$defs/nameSource"}`, Example: `{from: header.X-Request-Id}`},
	{Name: "value", Variant: "literal", Doc: "A literal name, the same for every execution, checked against Step Functions' rules for names when you build.",
		Schema:  `{"type": "string", "minLength": 1, "maxLength": 80, "pattern": "^[^\\s<>{}\\[\\]?*\"#%\\\\^|~` + "`" + `$&,;:/\\x00-\\x1f\\x7f-\\x9f]+$"}`,
		Example: `{value: nightly-run}`},
}}

// AuthorizerFields are the keys of each api.authorizers entry.
var AuthorizerFields = Table{Name: "authorizer", Fields: []Field{
	{Name: "type", Required: true, Doc: "cognito (an Amazon Cognito user pool's tokens, COGNITO_USER_POOLS) or lambda (a Lambda function decides: TOKEN when identity is one header, REQUEST otherwise).",
		Schema: `{"enum": ["cognito", "lambda"]}`, Example: `{type: cognito, userPools: ["arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf"]}`},
	{Name: "userPools", Doc: "For cognito, and required there: the ARNs of the user pools whose tokens are accepted, arn:aws:cognito-idp:REGION:ACCOUNT:userpool/REGION_ID (at most 1000). The pool ID must start with the ARN's region.",
		Schema:  `{"type": "array", "minItems": 1, "maxItems": 1000, "uniqueItems": true, "items": {"type": "string", "anyOf": [{"pattern": "^arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:[0-9]{12}:userpool/[a-z0-9-]+_[0-9A-Za-z]+$"}, {"pattern": "\\$\\{[^}]*\\}"}]}}`,
		Example: `{type: cognito, userPools: ["arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf", "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_GhIjKl"]}`},
	{Name: "function", Doc: "For lambda, and required there: the ARN of the function that decides, arn:aws:lambda:REGION:ACCOUNT:function:NAME[:VERSION-OR-ALIAS] (the Lambda API reference's pattern). sfnapic grants API Gateway the right to invoke it for this authorizer only.",
		Schema:  `{"type": "string", "anyOf": [{"pattern": "^arn:aws[a-zA-Z-]*:lambda:[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]:[0-9]{12}:function:[a-zA-Z0-9_-]{1,64}(:(\\$LATEST|[a-zA-Z0-9_-]{1,128}))?$"}, {"pattern": "\\$\\{[^}]*\\}"}]}`,
		Example: `{type: lambda, function: "arn:aws:lambda:eu-west-1:123456789012:function:check-partner"}`},
	{Name: "identity", Doc: "For lambda: where the caller's identity is, as header.NAME, query.NAME, context.FIELD or stageVariables.NAME; with a ttl above 0s, a request lacking one of them is refused (401) before the function runs, and answers are cached by their values. Default: [header.Authorization]. Exactly one header makes a TOKEN authorizer, anything else a REQUEST one.",
		Schema:  `{"type": "array", "minItems": 1, "uniqueItems": true, "items": {"type": "string", "pattern": "^(header\\.[A-Za-z0-9!#$%&*+.^_|~-]+|query\\.[A-Za-z0-9_.~-]+|context\\.[A-Za-z0-9_.]+|stageVariables\\.[A-Za-z0-9_]+)$"}}`,
		Example: `{type: lambda, function: "arn:aws:lambda:eu-west-1:123456789012:function:check-partner", identity: [header.X-Partner-Token, context.identity.sourceIp]}`},
	{Name: "ttl", Doc: "For lambda: how long API Gateway caches the function's answer for the same identity, 0s (no cache) to 3600s, written with its unit (300s, 5m, 1h). Default: 300s.",
		Schema:  `{"type": "string", "pattern": "^[0-9]+(s|m|h)$", "default": "300s"}`,
		Example: `{type: lambda, function: "arn:aws:lambda:eu-west-1:123456789012:function:check-partner", ttl: 0s}`},
}, Rules: `{"allOf": [
	{"if": {"properties": {"type": {"const": "cognito"}}}, "then": {"required": ["userPools"], "not": {"anyOf": [{"required": ["function"]}, {"required": ["identity"]}, {"required": ["ttl"]}]}}},
	{"if": {"properties": {"type": {"const": "lambda"}}}, "then": {"required": ["function"], "not": {"required": ["userPools"]}}}]}`}

// CORSFields are the keys of api.cors.
var CORSFields = Table{Name: "cors", Fields: []Field{
	{Name: "origins", Required: true, Doc: "The origins (scheme://host[:port], as browsers send them: lower case, no path or trailing /, no default port: https://a.example.com, not https://a.example.com:443/) whose pages may call the API, or [\"*\"] alone for any. With several, each answer names the caller's origin only when it is listed, with Vary: Origin.",
		Schema:  `{"type": "array", "minItems": 1, "uniqueItems": true, "items": {"type": "string", "pattern": "^(\\*|[a-z][a-z0-9+.-]*://([a-z0-9.-]+|\\[[0-9a-f:.]+\\])(:[0-9]{1,5})?)$"}}`,
		Example: `{origins: ["https://shop.example.com", "http://localhost:3000"]}`},
	{Name: "headers", Doc: "The request headers a page may send besides the CORS-safelisted ones (Access-Control-Allow-Headers), such as Content-Type and Authorization.",
		Schema:  `{"type": "array", "uniqueItems": true, "items": {"type": "string", "pattern": "^[A-Za-z0-9!#$%&*+.^_|~-]+$"}}`,
		Example: `{origins: ["*"], headers: [Content-Type, Authorization]}`},
	{Name: "expose", Doc: "The response headers a page may read besides the CORS-safelisted ones (Access-Control-Expose-Headers), such as Location.",
		Schema:  `{"type": "array", "uniqueItems": true, "items": {"type": "string", "pattern": "^[A-Za-z0-9!#$%&*+.^_|~-]+$"}}`,
		Example: `{origins: ["*"], expose: [Location]}`},
	{Name: "credentials", Doc: "Let pages send cookies and HTTP authentication (Access-Control-Allow-Credentials: true). Browsers refuse it with the origin \"*\", so it needs listed origins, and they read headers: [\"*\"] with it as a header named \"*\", so it needs listed headers.",
		Schema: `{"type": "boolean", "default": false}`, Example: `{origins: ["https://shop.example.com"], credentials: true}`},
	{Name: "maxAge", Doc: "How long a browser may reuse a preflight's answer (Access-Control-Max-Age), with its unit: 600s, 10m, 2h; at most 24h (Firefox's cap; Chromium caps at 2h). Default: not sent, and browsers ask again after 5 seconds.",
		Schema: `{"type": "string", "pattern": "^[0-9]+(s|m|h)$"}`, Example: `{origins: ["*"], maxAge: 10m}`},
}, Rules: `{"if": {"required": ["credentials"], "properties": {"credentials": {"const": true}}}, "then": {"properties": {"origins": {"not": {"contains": {"const": "*"}}}}}}`}

// UsagePlanFields are the keys of each api.usagePlans entry.
var UsagePlanFields = Table{Name: "usagePlan", Fields: []Field{
	{Name: "keys", Required: true, Doc: "The plan's API keys, by name, one API key each; API Gateway generates the values (sfnapic never prints them). A key belongs to one plan: every plan covers the API's one stage, and API Gateway refuses a key in two plans of the same stage.",
		Schema:  `{"type": "array", "minItems": 1, "uniqueItems": true, "items": {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9_-]{0,63}$"}}`,
		Example: `{keys: [acme, globex]}`},
	{Name: "throttle", Doc: "Each key's steady rate (requests per second) and burst. Without it, only the stage's and the account's limits apply. Above API Gateway's default account limits (10,000 per second, burst 5,000 per Region) is a warning: the account's limit applies unless AWS raises it.",
		Schema: `{"$ref": "#/$defs/throttle"}`, Example: `{keys: [acme], throttle: {rate: 50, burst: 100}}`},
	{Name: "quota", Doc: "Each key's number of requests per DAY, WEEK or MONTH; beyond it the key gets HTTP 429 until the period ends.",
		Schema: `{"$ref": "#/$defs/quota"}`, Example: `{keys: [acme], quota: {limit: 100000, period: MONTH}}`},
}}

// ThrottleFields are the keys of a usage plan's throttle.
var ThrottleFields = Table{Name: "throttle", Fields: []Field{
	{Name: "rate", Required: true, Doc: "Requests per second, on average (API Gateway's rateLimit): 0 or more; a fraction such as 0.5 is allowed.",
		Schema: `{"type": "number", "minimum": 0}`, Example: `{rate: 0.5, burst: 1}`},
	{Name: "burst", Required: true, Doc: "How many requests may come at once above the rate (API Gateway's burstLimit): a whole number, 0 to 2147483647.",
		Schema: `{"type": "integer", "minimum": 0, "maximum": 2147483647}`, Example: `{rate: 50, burst: 100}`},
}}

// QuotaFields are the keys of a usage plan's quota.
var QuotaFields = Table{Name: "quota", Fields: []Field{
	{Name: "limit", Required: true, Doc: "The number of requests each key may make per period: 0 to 2147483647.",
		Schema: `{"type": "integer", "minimum": 0, "maximum": 2147483647}`, Example: `{limit: 1000, period: DAY}`},
	{Name: "period", Required: true, Doc: "DAY, WEEK or MONTH.",
		Schema: `{"enum": ["DAY", "WEEK", "MONTH"]}`, Example: `{limit: 5000, period: WEEK}`},
}}

// BodyFields are the keys of a route's body.
var BodyFields = Table{Name: "body", Fields: []Field{
	{Name: "schema", Variant: "inline", Doc: "The JSON Schema (draft-04) the body must satisfy, inline in YAML. Keywords of later drafts (const, if, $defs, ...) and unknown ones are refused, since API Gateway would ignore them; $ref may only point inside the schema (#/definitions/NAME).",
		Schema: `{"type": "object"}`, Example: `{schema: {type: object, required: [items], properties: {items: {type: array, minItems: 1}}}}`},
	{Name: "schemaFile", Variant: "file", Doc: "A JSON Schema (draft-04) file next to the spec (.json, .yaml or .yml), relative to the spec's directory.",
		Schema: `{"type": "string", "pattern": "\\.(json|ya?ml)$"}`, Example: `{schemaFile: order.schema.json}`},
}}

// ParameterFields are the keys of each parameters entry.
var ParameterFields = Table{Name: "parameter", Fields: []Field{
	{Name: "type", Doc: "The CloudFormation parameter type: String (default), Number, List<Number>, CommaDelimitedList, an AWS-specific type such as AWS::EC2::VPC::Id, or AWS::SSM::Parameter::Value<String> (the value names a Systems Manager parameter, whose value CloudFormation reads). A list type cannot be substituted into a definition.",
		Schema: `{"type": "string", "default": "String"}`, Example: `{type: "AWS::SSM::Parameter::Value<String>", default: /orders/table}`},
	{Name: "description", Doc: "What the value is, shown by CloudFormation's console; at most 4,000 characters.", Schema: `{"type": "string", "maxLength": 4000}`, Example: `{description: Name of the approvals queue}`},
	{Name: "default", Doc: "The value when none is given; without one, deploy needs a value (from --env, --params or --param).",
		Schema: `{"type": ["string", "number", "boolean"]}`, Example: `{default: ERROR}`},
	{Name: "allowed", Doc: "The only values allowed (CloudFormation's AllowedValues); a default and every environment's value must be one.",
		Schema: `{"type": "array", "minItems": 1, "items": {"type": ["string", "number", "boolean"]}}`, Example: `{allowed: [ERROR, ALL], default: ERROR}`},
	{Name: "noEcho", Doc: "CloudFormation masks the value in its console and API answers (NoEcho).", Schema: `{"type": "boolean"}`, Example: `{noEcho: true}`},
}}
