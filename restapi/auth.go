package restapi

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"

	"github.com/sfnapic/sfnapic/cfn"
)

// The authorization types a method may have (AWS::ApiGateway::Method
// AuthorizationType).
const (
	AuthNone    = "NONE"
	AuthIAM     = "AWS_IAM"
	AuthCognito = "COGNITO_USER_POOLS"
	AuthCustom  = "CUSTOM"
)

// The types of AWS::ApiGateway::Authorizer: a Cognito user pool, or a
// Lambda authorizer that takes one header (TOKEN) or several request
// values (REQUEST).
const (
	AuthorizerCognito = "COGNITO_USER_POOLS"
	AuthorizerToken   = "TOKEN"
	AuthorizerRequest = "REQUEST"
)

// DefaultAuthorizerTTL is how long API Gateway caches an authorizer's
// result when AuthorizerResultTtlInSeconds is not set (300 s; at most
// 3600, and 0 turns the cache off: AWS::ApiGateway::Authorizer,
// AuthorizerResultTtlInSeconds).
const DefaultAuthorizerTTL = 300 * time.Second

// Authorizer is one AWS::ApiGateway::Authorizer.
type Authorizer struct {
	ID   string // its logical ID
	Name string
	Type string // COGNITO_USER_POOLS, TOKEN or REQUEST
	// Identity are the request values it reads, in the order of its
	// IdentitySource.
	Identity []IdentitySource
	// ProviderARNs are the user pools of a Cognito authorizer, as
	// written (a literal, or an Fn::Sub placeholder the gateway
	// resolves).
	ProviderARNs []string
	// TTL is how long a Lambda authorizer's result is cached; 0 turns
	// the cache off.
	TTL time.Duration
	// ValidationExpression is a TOKEN authorizer's
	// IdentityValidationExpression: a token it does not match is refused
	// without calling the function.
	ValidationExpression string
	Resource             *apigateway.Authorizer
}

// IdentitySource is one value an authorizer reads from a request:
// method.request.header.X, method.request.querystring.X, context.X or
// stageVariables.X.
type IdentitySource struct {
	Where string // header, querystring, context or stageVariables
	Name  string
}

func (s IdentitySource) String() string {
	switch s.Where {
	case "header", "querystring":
		return "method.request." + s.Where + "." + s.Name
	}
	return s.Where + "." + s.Name
}

// Auth is how a method authorizes its callers.
type Auth struct {
	Type       string      // NONE, AWS_IAM, COGNITO_USER_POOLS or CUSTOM
	Authorizer *Authorizer // for COGNITO_USER_POOLS and CUSTOM
	Scopes     []string    // AuthorizationScopes (Cognito access tokens)
	// Problem says why the method's authorization cannot work as
	// written (an AuthorizerId that names no authorizer of the right
	// type); a request to it fails on API Gateway's side.
	Problem string
}

// readAuth reads the template's authorizers and each method's
// authorization.
func readAuth(t *cfn.Template, api *API) {
	byID := map[string]*Authorizer{}
	for _, id := range sortedIDs(t) {
		if r, ok := t.CFN.Resources[id].(*apigateway.Authorizer); ok {
			a := readAuthorizer(id, r)
			byID[id] = a
			api.Authorizers = append(api.Authorizers, a)
		}
	}
	for _, m := range api.Methods {
		m.Auth = methodAuth(t, m.Resource, byID)
	}
}

func readAuthorizer(id string, r *apigateway.Authorizer) *Authorizer {
	a := &Authorizer{ID: id, Name: r.Name, Type: r.Type, ProviderARNs: r.ProviderARNs, TTL: DefaultAuthorizerTTL, Resource: r}
	if r.AuthorizerResultTtlInSeconds != nil {
		a.TTL = time.Duration(*r.AuthorizerResultTtlInSeconds) * time.Second
	}
	if r.IdentityValidationExpression != nil {
		a.ValidationExpression = *r.IdentityValidationExpression
	}
	if r.IdentitySource != nil {
		a.Identity = ParseIdentitySources(*r.IdentitySource)
	}
	if a.Type == AuthorizerCognito && len(a.Identity) == 0 {
		// A Cognito authorizer reads the Authorization header unless
		// told otherwise.
		a.Identity = []IdentitySource{{Where: "header", Name: "Authorization"}}
	}
	return a
}

// ParseIdentitySources reads an IdentitySource: comma-separated
// method.request.header.X, method.request.querystring.X, context.X and
// stageVariables.X. What is none of these is kept with an empty Where,
// which no request has.
func ParseIdentitySources(text string) []IdentitySource {
	var out []IdentitySource
	for _, part := range strings.Split(text, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		src := IdentitySource{Name: part}
		for _, where := range []string{"method.request.header.", "method.request.querystring.", "context.", "stageVariables."} {
			if name, ok := strings.CutPrefix(part, where); ok {
				src = IdentitySource{Where: strings.TrimSuffix(strings.TrimPrefix(where, "method.request."), "."), Name: name}
				break
			}
		}
		out = append(out, src)
	}
	return out
}

// methodAuth reads a method's AuthorizationType, AuthorizerId and
// AuthorizationScopes.
func methodAuth(t *cfn.Template, r *apigateway.Method, byID map[string]*Authorizer) Auth {
	auth := Auth{Type: AuthNone, Scopes: r.AuthorizationScopes}
	if r.AuthorizationType != nil && *r.AuthorizationType != "" {
		auth.Type = *r.AuthorizationType
	}
	switch auth.Type {
	case AuthNone, AuthIAM:
		return auth
	case AuthCognito, AuthCustom:
	default:
		auth.Problem = fmt.Sprintf("AuthorizationType %q is none of NONE, AWS_IAM, COGNITO_USER_POOLS, CUSTOM", auth.Type)
		return auth
	}
	id := ""
	if r.AuthorizerId != nil {
		id, _ = t.RefTarget(*r.AuthorizerId)
	}
	a := byID[id]
	switch {
	case a == nil:
		auth.Problem = fmt.Sprintf("AuthorizationType %s needs an AuthorizerId that is a Ref to an AWS::ApiGateway::Authorizer of the template (authorizers: %s)", auth.Type, authorizerIDs(byID))
	case (auth.Type == AuthCognito) != (a.Type == AuthorizerCognito):
		auth.Problem = fmt.Sprintf("AuthorizationType %s names authorizer %s, of type %s", auth.Type, id, a.Type)
	default:
		auth.Authorizer = a
	}
	return auth
}

func authorizerIDs(byID map[string]*Authorizer) string {
	if len(byID) == 0 {
		return "none"
	}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return strings.Join(ids, ", ")
}
