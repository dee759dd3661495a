package gateway

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/sfnapic/sfnapic/restapi"
)

// Auth is what a gateway knows to check callers as the template's
// authorizers would: the keys that sign Cognito tokens, a stand-in for
// each Lambda authorizer, and IAM credentials. A gateway without one
// (render, a library user) checks no caller; serve always gives one, so
// that a route that needs authorization is never open by accident.
type Auth struct {
	// JWKS holds the keys that Cognito tokens are checked against (the
	// user pool's /.well-known/jwks.json); without it, a request with a
	// token to a Cognito route fails on the gateway's side (500).
	JWKS *jose.JSONWebKeySet
	// Lambdas stand in for the Lambda authorizers, by the authorizer's
	// Name; an authorizer without one fails every request that reaches
	// it (500).
	Lambdas map[string]*Lambda
	// IAMKeys are the IAM credentials SigV4 signatures are checked
	// against: secret access key by access key ID.
	IAMKeys map[string]string
	// Now is the clock tokens and signatures are checked against
	// (time.Now when nil).
	Now func() time.Time

	mu    sync.Mutex
	cache map[string]cached // Lambda authorizer results, see cache.go
}

// authResult is what an authorizer found out about a caller, for the
// stages after it and for the request template's $context.
type authResult struct {
	// Context is $context.authorizer: claims (Cognito), principalId and
	// the Lambda authorizer's context values.
	Context map[string]any
	// Identity are fields of $context.identity (IAM: the caller).
	Identity map[string]any
	// UsageIdentifierKey is the API key a Lambda authorizer returned,
	// for an API whose ApiKeySourceType is AUTHORIZER.
	UsageIdentifierKey string
}

func (a *Auth) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// authorizeStage checks the caller as the method's authorization says:
// IAM (a SigV4 signature), a Cognito user pool (a JWT) or a Lambda
// authorizer (a local program or a fixed answer). API Gateway does this
// after routing and before the API key, the usage plan and request
// validation: its execution log shows the authorizer, then the usage
// plan check (knowledge center, "How can I use Amazon API Gateway logs
// for troubleshooting?"), and its access log's phases run authenticate,
// authorizer, authorize, then the integration (AWS Compute Blog,
// "Troubleshooting Amazon API Gateway with enhanced observability
// variables"). A gateway without an Auth checks nothing. A request that
// carries its authorizer's answer already (render's --claims) takes it as
// the answer: no HTTP request can set it.
func (g *Gateway) authorizeStage(x *exchange) error {
	if x.req.Authorizer != nil {
		x.auth = &authResult{Context: x.req.Authorizer}
		return nil
	}
	auth := x.method.Auth
	if g.Auth == nil || auth.Type == restapi.AuthNone || auth.Type == "" {
		return nil
	}
	if auth.Problem != "" {
		return g.answer(reject(500, "AUTHORIZER_CONFIGURATION_ERROR", "Internal server error", "the method's authorization cannot work: "+auth.Problem))
	}
	var res *authResult
	var rej *Rejection
	switch auth.Type {
	case restapi.AuthIAM:
		res, rej = g.checkSigV4(x)
	case restapi.AuthCognito:
		res, rej = g.checkCognito(x, auth)
	default:
		res, rej = g.checkLambda(x, auth.Authorizer)
	}
	if rej != nil {
		return g.answer(rej)
	}
	x.auth = res
	return nil
}

// addAuth puts what the authorizer found in a request template's
// $context: $context.authorizer.* and the caller in $context.identity.
func addAuth(ctx map[string]any, res *authResult) {
	if res == nil {
		return
	}
	if res.Context != nil {
		ctx["authorizer"] = res.Context
	}
	identity, _ := ctx["identity"].(map[string]any)
	for k, v := range res.Identity {
		if identity != nil {
			identity[k] = v
		}
	}
}

// identityValue is the value of an authorizer's identity source in a
// request ("" when the request has none).
func (g *Gateway) identityValue(x *exchange, s restapi.IdentitySource) string {
	switch s.Where {
	case "header":
		return x.req.Header.Get(s.Name)
	case "querystring":
		if vs := x.req.Query[s.Name]; len(vs) > 0 {
			return vs[len(vs)-1]
		}
	case "context":
		if v, ok := g.contextValue(x, s.Name); ok {
			return v
		}
	case "stageVariables":
		// serve has no stage variables: the template declares none.
	}
	return ""
}

// contextValue is a $context variable an identity source may name.
func (g *Gateway) contextValue(x *exchange, name string) (string, bool) {
	var v any = g.vtlRequest(x).Context
	for _, part := range strings.Split(name, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return "", false
		}
		v = m[part]
	}
	if v == nil {
		return "", false
	}
	return fmt.Sprint(v), true
}

// unauthorized is API Gateway's 401 for a missing or invalid token.
func unauthorized(reason string) *Rejection {
	return reject(401, "UNAUTHORIZED", "Unauthorized", reason)
}
