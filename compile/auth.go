package compile

import (
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"
	"github.com/awslabs/goformation/v7/cloudformation/lambda"

	"github.com/sfnapic/sfnapic/spec"
)

// This file owns who may call a route: the authorizers, the Lambda
// permission that lets API Gateway call a Lambda authorizer, and each
// method's AuthorizationType, AuthorizerId and AuthorizationScopes.

// Authorization types of a method (Method.AuthorizationType in the API
// Gateway API reference): NONE, AWS_IAM, COGNITO_USER_POOLS, and CUSTOM for
// both kinds of Lambda authorizer.
const (
	authNone    = "NONE"
	authIAM     = "AWS_IAM"
	authCognito = "COGNITO_USER_POOLS"
	authCustom  = "CUSTOM"
)

// authorizationType is how API Gateway authorizes calls to a route.
func authorizationType(r *spec.Route) string {
	switch {
	case r.Auth == spec.AuthIAM:
		return authIAM
	case r.Authorizer == nil:
		return authNone
	case r.Authorizer.Type == spec.AuthorizerCognito:
		return authCognito
	}
	return authCustom
}

// signsRoutes reports whether a route takes only SigV4-signed requests.
func (b *builder) signsRoutes() bool {
	for _, r := range b.s.Routes {
		if authorizationType(r) == authIAM {
			return true
		}
	}
	return false
}

// authorizerIDs names the authorizers' logical IDs: Authorizer<Name>, and
// LambdaPermission<Name> for the permission of a Lambda one.
func (b *builder) authorizerIDs() namer {
	names := make([]string, len(b.s.API.Authorizers))
	for i, a := range b.s.API.Authorizers {
		names[i] = a.Name
	}
	return newNamer(names, pascal)
}

// authorizers creates one AWS::ApiGateway::Authorizer per authorizer the
// spec declares, and for a Lambda one the permission API Gateway needs to
// invoke the function, granted to this API's authorizer alone.
func (b *builder) authorizers() {
	for _, a := range b.s.API.Authorizers {
		id := "Authorizer" + b.auths[a.Name]
		res := &apigateway.Authorizer{
			Name:      a.Name,
			RestApiId: b.t.Ref(idAPI),
		}
		if a.Type == spec.AuthorizerCognito {
			// Cognito authorizers read the token from one header only
			// (Authorizer.identitySource: method.request.header.Authorization
			// is the console's default and what clients send).
			res.Type = authCognito
			res.ProviderARNs = b.deployedList(a.UserPools)
			res.IdentitySource = ptr("method.request.header.Authorization")
		} else {
			b.lambdaAuthorizer(a, id, res)
		}
		b.t.CFN.Resources[id] = res
	}
}

// lambdaAuthorizer fills in a TOKEN or REQUEST authorizer and creates the
// permission for API Gateway to call its function.
func (b *builder) lambdaAuthorizer(a *spec.Authorizer, id string, res *apigateway.Authorizer) {
	res.Type = "REQUEST"
	if a.Token() {
		res.Type = "TOKEN"
	}
	sources := make([]string, len(a.Identity))
	for i, s := range a.Identity {
		sources[i] = identitySource(s)
	}
	// A REQUEST authorizer takes a comma-separated list of sources; a
	// TOKEN one exactly one header (Authorizer.identitySource).
	res.IdentitySource = ptr(strings.Join(sources, ", "))
	res.AuthorizerResultTtlInSeconds = ptr(a.TTL)
	// The function's invocation URI in API Gateway's form for Lambda
	// (Authorizer.authorizerUri). The ARN's ${Name}s of parameters are
	// variables of the same Fn::Sub; a literal one has its ${ escaped so
	// that Fn::Sub keeps it.
	fn := a.Function
	if len(spec.DeployRefs(fn)) == 0 {
		fn = strings.ReplaceAll(fn, "${", "${!")
	}
	res.AuthorizerUri = ptr(b.t.Sub("arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/" + fn + "/invocations"))
	// Only this API's authorizer may invoke the function: the source ARN
	// names it exactly ("Control access to a Lambda authorizer", the
	// execute-api ARN format arn:...:api-id/authorizers/authorizer-id),
	// never a wildcard that would let any API of the account call it.
	b.t.CFN.Resources["LambdaPermission"+b.auths[a.Name]] = &lambda.Permission{
		Action:       "lambda:InvokeFunction",
		FunctionName: b.deployed(a.Function),
		Principal:    "apigateway.amazonaws.com",
		SourceArn:    ptr(b.t.Sub("arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${" + idAPI + "}/authorizers/${" + id + "}")),
	}
}

// identitySource maps an identity source as the spec writes it
// (header.NAME, query.NAME, context.FIELD, stageVariables.NAME) to API
// Gateway's mapping expression.
func identitySource(s string) string {
	where, name, _ := strings.Cut(s, ".")
	switch where {
	case "header":
		return "method.request.header." + name
	case "query":
		return "method.request.querystring." + name
	}
	return s // context.FIELD and stageVariables.NAME are written as API Gateway writes them
}

// methodAuth sets who may call a method: its authorization type, its
// authorizer and, for Cognito, the scopes of which an access token must
// hold one.
func (b *builder) methodAuth(m *apigateway.Method, r *spec.Route) {
	m.AuthorizationType = ptr(authorizationType(r))
	if r.Authorizer == nil || r.Auth == spec.AuthIAM {
		return
	}
	m.AuthorizerId = ptr(b.t.Ref("Authorizer" + b.auths[r.Authorizer.Name]))
	if r.Authorizer.Type == spec.AuthorizerCognito && len(r.Scopes) > 0 {
		m.AuthorizationScopes = r.Scopes
	}
}
