package cmd

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/restapi"
)

// This file is render's stand-in for an authorizer: what a route's
// authorizer would have answered, so that a template that reads
// $context.authorizer can be tried without a token, a user pool or a
// Lambda function.

// authorizerFlags are render's --claims, --authorizer-context and
// --principal-id.
type authorizerFlags struct {
	claims, context []string
	principalID     string
}

// add declares the flags on cmd.
func (f *authorizerFlags) add(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringArrayVar(&f.claims, "claims", nil, "a claim of the caller's token, `NAME=VALUE`, as a Cognito authorizer passes it on: $context.authorizer.claims.NAME (repeatable)")
	fl.StringArrayVar(&f.context, "authorizer-context", nil, "a key of a Lambda authorizer's context, `KEY=VALUE`: $context.authorizer.KEY (repeatable)")
	fl.StringVar(&f.principalID, "principal-id", "", "a Lambda authorizer's principal `ID`: $context.authorizer.principalId")
}

// result is $context.authorizer as the flags describe it, nil when they
// describe nothing. Every value is a string: API Gateway passes a Cognito
// token's claims, and a Lambda authorizer's context values, to mapping
// templates as strings ("Output from an API Gateway Lambda authorizer":
// the context's values are stringified). Every mistake is reported at once.
func (f authorizerFlags) result() (map[string]any, error) {
	if len(f.claims) == 0 && len(f.context) == 0 && f.principalID == "" {
		return nil, nil
	}
	var errs []string
	claims, errs := namedValues("--claims", "sub=u-1", f.claims, errs)
	keys, errs := namedValues("--authorizer-context", "tenant=acme", f.context, errs)
	res := map[string]any{}
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		switch k {
		case "claims":
			errs = append(errs, "--authorizer-context claims=...: $context.authorizer.claims holds a Cognito authorizer's claims: give each with --claims NAME=VALUE")
		case "principalId":
			errs = append(errs, "--authorizer-context principalId=...: give the principal with --principal-id ID")
		default:
			res[k] = keys[k]
		}
	}
	if len(errs) > 0 {
		return nil, usagef("%s", strings.Join(errs, "\n"))
	}
	if len(claims) > 0 {
		res["claims"] = claims
	}
	if f.principalID != "" {
		res["principalId"] = f.principalID
	}
	return res, nil
}

// namedValues reads NAME=VALUE arguments of flag, adding what is wrong
// with them to errs.
func namedValues(flag, example string, args []string, errs []string) (map[string]any, []string) {
	out := map[string]any{}
	for _, arg := range args {
		name, value, ok := strings.Cut(arg, "=")
		switch {
		case !ok || name == "":
			errs = append(errs, fmt.Sprintf("%s %q: write NAME=VALUE, such as %s %s", flag, arg, flag, example))
		case out[name] != nil:
			errs = append(errs, fmt.Sprintf("%s %s is given twice: give each name once", flag, name))
		default:
			out[name] = value
		}
	}
	return out, errs
}

// authorizationType is the method's AuthorizationType: NONE when the
// template says nothing, as API Gateway takes it.
func authorizationType(m *restapi.Method) string {
	if m.Resource.AuthorizationType == nil || *m.Resource.AuthorizationType == "" {
		return "NONE"
	}
	return *m.Resource.AuthorizationType
}

// authorizerNotes says where render's stand-in for the authorizer is not
// what API Gateway would give the route: claims reach a template only
// through a Cognito authorizer (COGNITO_USER_POOLS), a context and a
// principal only through a Lambda authorizer (CUSTOM); any other route's
// $context.authorizer is empty on API Gateway.
func authorizerNotes(g *gateway.Gateway, req *gateway.Request) []string {
	m, _, _ := g.API.Match(req.Method, req.Path)
	if m == nil || req.Authorizer == nil {
		return nil
	}
	typ := authorizationType(m)
	var notes []string
	if _, ok := req.Authorizer["claims"]; ok && typ != "COGNITO_USER_POOLS" {
		notes = append(notes, fmt.Sprintf("%s is %s, not COGNITO_USER_POOLS: on API Gateway its $context.authorizer.claims is empty; the claims are rendered as a Cognito route would see them", m.Route(), typ))
	}
	others := len(req.Authorizer)
	if _, ok := req.Authorizer["claims"]; ok {
		others--
	}
	if others > 0 && typ != "CUSTOM" {
		notes = append(notes, fmt.Sprintf("%s is %s, not CUSTOM (a Lambda authorizer): on API Gateway it has no authorizer context or principalId; they are rendered as a Lambda-authorized route would see them", m.Route(), typ))
	}
	return notes
}
