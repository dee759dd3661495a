package spec

// This file declares who may call a route (issue 18): authorizers, API
// keys and usage plans, CORS and body validation. The parser fills these
// types; compile emits them; restapi reads them back from a template.

// Route auth values besides an authorizer's name.
const (
	// AuthNone leaves a route open (API Gateway's NONE), the default.
	AuthNone = "none"
	// AuthIAM asks for a SigV4-signed request (AWS_IAM).
	AuthIAM = "iam"
)

// Authorizer types.
const (
	AuthorizerCognito = "cognito" // COGNITO_USER_POOLS
	AuthorizerLambda  = "lambda"  // TOKEN or REQUEST
)

// Authorizer TTL bounds and default, in seconds (API Gateway's
// authorizerResultTtlInSeconds: 0 to 3600, 300 by default).
const (
	MaxAuthorizerTTL     = 3600
	DefaultAuthorizerTTL = 300
)

// Authorizer is one entry of api.authorizers.
type Authorizer struct {
	Name string
	Pos  Pos
	Type string // AuthorizerCognito or AuthorizerLambda
	// UserPools are the Cognito user pool ARNs (cognito).
	UserPools []string
	// Function is the Lambda function ARN (lambda).
	Function string
	// Identity are the identity sources as written (lambda):
	// header.NAME, query.NAME, context.FIELD, stageVariables.NAME. One
	// header makes a TOKEN authorizer, anything else a REQUEST one.
	Identity []string
	// TTL is how long API Gateway caches a result, in seconds.
	TTL  int
	Used bool // named by api.auth or a route
}

// Token reports whether a Lambda authorizer is of the TOKEN kind: its
// identity is exactly one header.
func (a *Authorizer) Token() bool {
	return a.Type == AuthorizerLambda && len(a.Identity) == 1 && len(a.Identity[0]) > len("header.") && a.Identity[0][:len("header.")] == "header."
}

// CORS is api.cors: what browsers of other origins may do.
type CORS struct {
	Pos Pos
	// Origins are scheme://host[:port] origins, or the one value "*".
	Origins []string
	// Headers are the request headers a page may send
	// (Access-Control-Allow-Headers); Expose the response headers it may
	// read (Access-Control-Expose-Headers).
	Headers, Expose []string
	// Credentials sends Access-Control-Allow-Credentials: true.
	Credentials bool
	// MaxAge is how long a browser may cache a preflight, in seconds; 0
	// sends no Access-Control-Max-Age.
	MaxAge int
}

// AnyOrigin reports whether every origin is allowed ("*").
func (c *CORS) AnyOrigin() bool { return len(c.Origins) == 1 && c.Origins[0] == "*" }

// Usage plan quota periods.
var QuotaPeriods = []string{"DAY", "WEEK", "MONTH"}

// UsagePlan is one entry of api.usagePlans.
type UsagePlan struct {
	Name     string
	Pos      Pos
	Throttle *Throttle // nil: no plan-wide throttle
	Quota    *Quota    // nil: no quota
	// Keys name one API key each; API Gateway generates their values.
	Keys []string
	Used bool // named by a route's apiKey
}

// Throttle is a steady rate (requests per second) and a burst.
type Throttle struct {
	Rate  float64
	Burst int
}

// Quota is a number of requests per period (one of QuotaPeriods).
type Quota struct {
	Limit  int
	Period string
}

// Body is a route's body validation: a JSON Schema (draft-04, as API
// Gateway speaks it) that a request's JSON body must satisfy.
type Body struct {
	Pos Pos
	// Schema is the schema as an ordered JSON value (see Object), inline
	// or read from File.
	Schema any
	// File is schemaFile as written (slash-separated, relative to the
	// spec's folder), or "" when the schema is inline.
	File string
}
