package gateway

import (
	"fmt"
	"strings"

	"github.com/sfnapic/sfnapic/restapi"
)

// AuthSummary says, one line per route that needs authorization, what
// the gateway checks for it and what it cannot, for serve to print at
// start-up; it names flags, never a secret.
func (g *Gateway) AuthSummary() []string {
	var out []string
	for _, m := range g.API.Methods {
		if line := g.authLine(m); line != "" {
			out = append(out, m.Route()+": "+line)
		}
	}
	return out
}

func (g *Gateway) authLine(m *restapi.Method) string {
	a, auth := m.Auth, g.Auth
	switch {
	case a.Type == restapi.AuthNone || a.Type == "":
		return ""
	case auth == nil:
		return "authorization " + a.Type + " is not checked"
	case a.Problem != "":
		return "every request fails (500): " + a.Problem
	case a.Type == restapi.AuthIAM:
		if len(auth.IAMKeys) == 0 {
			return "IAM (SigV4): no --iam-key ID:SECRET, so every signature is refused (403)"
		}
		return fmt.Sprintf("IAM (SigV4) against %d --iam-key credential(s); IAM policies are not evaluated, presigned URLs not checked", len(auth.IAMKeys))
	case a.Type == restapi.AuthCognito:
		kind := "ID tokens"
		if len(a.Scopes) > 0 {
			kind = "access tokens with a scope of " + strings.Join(a.Scopes, ", ")
		}
		if auth.JWKS == nil {
			return fmt.Sprintf("Cognito authorizer %s: no --jwks FILE, so a request with a token fails (500); none is 401", a.Authorizer.Name)
		}
		return fmt.Sprintf("Cognito authorizer %s: %s, RS256 signature against --jwks (%d keys), iss, exp, token_use; aud is not checked", a.Authorizer.Name, kind, len(auth.JWKS.Keys))
	}
	l, z := auth.Lambdas[a.Authorizer.Name], a.Authorizer
	cache := "not cached"
	if z.TTL > 0 {
		cache = "cached " + z.TTL.String()
	}
	switch {
	case l == nil:
		return fmt.Sprintf("Lambda authorizer %s (%s): no --authorizer %s=COMMAND or =@FILE, so every request that reaches it fails (500)", z.Name, z.Type, z.Name)
	case len(l.Command) == 0:
		return fmt.Sprintf("Lambda authorizer %s (%s): a fixed answer, %s", z.Name, z.Type, cache)
	}
	return fmt.Sprintf("Lambda authorizer %s (%s): runs %s (10 s, 1 MiB), %s", z.Name, z.Type, strings.Join(l.Command, " "), cache)
}
