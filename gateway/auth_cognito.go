package gateway

import (
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"github.com/sfnapic/sfnapic/restapi"
)

// ParseJWKS reads a JSON Web Key Set, such as a Cognito user pool's
// https://cognito-idp.REGION.amazonaws.com/POOL/.well-known/jwks.json.
// It fails unless there is at least one RSA public key, the only kind
// Cognito signs with (RS256).
func ParseJWKS(b []byte) (*jose.JSONWebKeySet, error) {
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(b, &set); err != nil {
		return nil, fmt.Errorf("not a JSON Web Key Set ({\"keys\": [...]}): %v", err)
	}
	for _, k := range set.Keys {
		if _, ok := k.Key.(*rsa.PublicKey); ok && (k.Algorithm == "" || k.Algorithm == string(jose.RS256)) {
			return &set, nil
		}
	}
	return nil, fmt.Errorf("the key set has no RSA public key to check RS256 signatures with (%d keys)", len(set.Keys))
}

// cognitoClaims are the claims the authorizer checks; the others reach
// $context.authorizer.claims as they are.
type cognitoClaims struct {
	Issuer   string   `json:"iss"`
	Expiry   *float64 `json:"exp"`
	TokenUse string   `json:"token_use"`
	Scope    string   `json:"scope"`
}

// checkCognito checks the token a Cognito user pool authorizer reads (the
// Authorization header), as API Gateway does: an RS256 signature by a
// key of the JWKS, an iss of one of the authorizer's user pools
// (https://cognito-idp.REGION.amazonaws.com/POOL_ID), an exp in the
// future, and the kind of token the method takes. A method without
// AuthorizationScopes takes ID tokens; one with scopes takes access
// tokens whose scope claim holds one of them (the knowledge center's
// "How do I troubleshoot 401 Unauthorized errors from an API Gateway
// REST API endpoint after I've set up an Amazon Cognito user pool?":
// with no scopes on the method use an ID token, with scopes an access
// token). Every refusal is 401: "The incoming token has expired" for an
// expired token, "Unauthorized" otherwise. The token's audience is not
// checked: the REST API authorizer does not check it either.
func (g *Gateway) checkCognito(x *exchange, auth restapi.Auth) (*authResult, *Rejection) {
	a := auth.Authorizer
	token := strings.TrimSpace(g.identityValue(x, a.Identity[0]))
	// The AWS guides show both: the token alone ("Control access to REST
	// APIs using Amazon Cognito user pools as an authorizer") and as a
	// bearer token ("Accessing resources with API Gateway after
	// sign-in", Cognito developer guide).
	if len(token) > 7 && strings.EqualFold(token[:7], "bearer ") {
		token = strings.TrimSpace(token[7:])
	}
	if token == "" {
		return nil, unauthorized(fmt.Sprintf("no token in %s (Cognito authorizer %s)", a.Identity[0], a.Name))
	}
	issuers, err := g.poolIssuers(a)
	if err != nil {
		return nil, reject(500, "AUTHORIZER_CONFIGURATION_ERROR", "Internal server error", err.Error())
	}
	if g.Auth.JWKS == nil {
		return nil, reject(500, "AUTHORIZER_CONFIGURATION_ERROR", "Internal server error",
			fmt.Sprintf("serve cannot check the token for Cognito authorizer %s: give it the user pool's keys with --jwks FILE", a.Name))
	}
	claims, raw, why := verifyJWT(g.Auth.JWKS, token)
	if why != "" {
		return nil, unauthorized(why)
	}
	if claims.Expiry == nil {
		return nil, unauthorized("the token has no exp")
	}
	if g.Auth.now().Unix() >= int64(*claims.Expiry) {
		return nil, reject(401, "UNAUTHORIZED", "The incoming token has expired", "the token has expired (exp)")
	}
	if !slices.Contains(issuers, claims.Issuer) {
		return nil, unauthorized(fmt.Sprintf("the token's iss %q is none of authorizer %s's user pools (%s)", claims.Issuer, a.Name, strings.Join(issuers, ", ")))
	}
	if why := tokenKind(claims, auth.Scopes); why != "" {
		return nil, unauthorized(why)
	}
	return &authResult{Context: map[string]any{"claims": claimStrings(raw)}}, nil
}

// verifyJWT checks a compact JWS signed with RS256 by a key of the set,
// and returns its claims; why says why it is refused. Only RS256 is
// taken, so a token cannot choose a weaker algorithm (none, HS256 with
// the public key as the secret).
func verifyJWT(keys *jose.JSONWebKeySet, token string) (cognitoClaims, map[string]any, string) {
	var claims cognitoClaims
	tok, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil || len(tok.Headers) != 1 {
		return claims, nil, "the token is not a JWT signed with RS256"
	}
	candidates := keys.Key(tok.Headers[0].KeyID)
	if len(candidates) == 0 {
		return claims, nil, fmt.Sprintf("no key of the JWKS has the token's kid %q", tok.Headers[0].KeyID)
	}
	var raw map[string]any
	for _, k := range candidates {
		if err = tok.Claims(k.Key, &claims, &raw); err == nil {
			return claims, raw, ""
		}
	}
	return claims, nil, "the token's signature does not verify with the JWKS key " + strconv.Quote(tok.Headers[0].KeyID)
}

// tokenKind checks that the token is the kind the method takes: an ID
// token without scopes, an access token with one of the scopes.
func tokenKind(c cognitoClaims, scopes []string) string {
	if len(scopes) == 0 {
		if c.TokenUse != "id" {
			return fmt.Sprintf("the method has no AuthorizationScopes, so it takes ID tokens, and this token's token_use is %q", c.TokenUse)
		}
		return ""
	}
	if c.TokenUse != "access" {
		return fmt.Sprintf("the method has AuthorizationScopes, so it takes access tokens, and this token's token_use is %q", c.TokenUse)
	}
	for _, s := range strings.Fields(c.Scope) {
		if slices.Contains(scopes, s) {
			return ""
		}
	}
	return fmt.Sprintf("the access token's scopes (%s) hold none of the method's (%s)", c.Scope, strings.Join(scopes, " "))
}

// poolIssuers are the iss values of the authorizer's user pools, from
// their ARNs: arn:PARTITION:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID
// is issued by https://cognito-idp.REGION.amazonaws.com/POOL_ID (Cognito
// developer guide, "Verifying a JSON Web Token"). A pool id starts with
// its pool's region (REGION_ID), which wins over the ARN's: an ARN written
// with ${AWS::Region} reads here as serve's placeholder region, while the
// pool's id, a parameter's value, is the real one.
func (g *Gateway) poolIssuers(a *restapi.Authorizer) ([]string, error) {
	var out []string
	for _, p := range a.ProviderARNs {
		arn, err := g.text(p)
		if err != nil {
			return nil, fmt.Errorf("the Cognito authorizer %s: a user pool ARN serve cannot read (%v): write it as a string", a.Name, err)
		}
		parts := strings.SplitN(arn, ":", 6)
		pool, ok := "", len(parts) == 6 && parts[2] == "cognito-idp"
		if ok {
			pool, ok = strings.CutPrefix(parts[5], "userpool/")
		}
		if !ok || pool == "" || parts[3] == "" {
			return nil, fmt.Errorf("the Cognito authorizer %s: %q is not a user pool ARN (arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID)", a.Name, arn)
		}
		region := parts[3]
		if r, _, ok := strings.Cut(pool, "_"); ok && r != "" {
			region = r
		}
		out = append(out, "https://cognito-idp."+region+".amazonaws.com/"+pool)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("the Cognito authorizer %s has no ProviderARNs", a.Name)
	}
	return out, nil
}

// claimStrings gives each claim as API Gateway hands it to
// $context.authorizer.claims: as a string. Its REST APIs write exp and
// iat as dates ("Thu Dec 06 17:08:23 UTC 2018"), other numbers as they
// are, a list of groups joined by commas ("admin,staff"), as proxy
// events of Cognito-authorized methods show; that form is not
// documented.
func claimStrings(raw map[string]any) map[string]any {
	out := make(map[string]any, len(raw))
	for k, v := range raw {
		switch v := v.(type) {
		case string:
			out[k] = v
		case float64:
			if k == "exp" || k == "iat" {
				out[k] = time.Unix(int64(v), 0).UTC().Format("Mon Jan 02 15:04:05 UTC 2006")
			} else {
				out[k] = strconv.FormatFloat(v, 'f', -1, 64)
			}
		case []any:
			parts := make([]string, len(v))
			for i, e := range v {
				parts[i] = fmt.Sprint(e)
			}
			out[k] = strings.Join(parts, ",")
		default:
			b, _ := json.Marshal(v)
			out[k] = string(b)
		}
	}
	return out
}
