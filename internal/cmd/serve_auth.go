package cmd

import (
	"fmt"
	"sort"
	"strings"

	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/restapi"
)

// authFlags are serve's means of checking callers as the template's
// authorizers would.
type authFlags struct {
	jwks        string   // --jwks FILE
	authorizers []string // --authorizer NAME=COMMAND | NAME=@FILE
	iamKeys     []string // --iam-key ID:SECRET
}

// maxJWKS bounds a --jwks file (API Gateway's HTTP APIs take a JWKS of
// at most 150,000 bytes; a pool's holds two keys).
const maxJWKS = 1 << 20

// auth reads the flags into what the gateway checks callers with. Every
// problem is reported at once; no secret is quoted.
func (f authFlags) auth() (*gateway.Auth, error) {
	auth := &gateway.Auth{Lambdas: map[string]*gateway.Lambda{}, IAMKeys: map[string]string{}}
	var problems []string
	if f.jwks != "" {
		b, err := readInput(f.jwks, maxJWKS)
		if err == nil {
			auth.JWKS, err = gateway.ParseJWKS(b)
		}
		if err != nil {
			problems = append(problems, fmt.Sprintf("--jwks %s: %v", f.jwks, err))
		}
	}
	for _, a := range f.authorizers {
		name, value, ok := strings.Cut(a, "=")
		if !ok || name == "" || strings.TrimSpace(value) == "" {
			problems = append(problems, fmt.Sprintf("--authorizer %q: write NAME=COMMAND (a program that reads the authorizer event on stdin) or NAME=@FILE (a fixed answer)", a))
			continue
		}
		if file, ok := strings.CutPrefix(value, "@"); ok {
			b, err := readInput(file, gateway.MaxLambdaAnswer)
			var l *gateway.Lambda
			if err == nil {
				l, err = gateway.NewLambdaAnswer(b)
			}
			if err != nil {
				problems = append(problems, fmt.Sprintf("--authorizer %s=@%s: %v", name, file, err))
				continue
			}
			auth.Lambdas[name] = l
			continue
		}
		auth.Lambdas[name] = &gateway.Lambda{Command: strings.Fields(value)}
	}
	for _, k := range f.iamKeys {
		id, secret, ok := strings.Cut(k, ":")
		if !ok || id == "" || secret == "" {
			// The value may be a secret: it is not quoted.
			problems = append(problems, "--iam-key: write ACCESS_KEY_ID:SECRET_ACCESS_KEY")
			continue
		}
		auth.IAMKeys[id] = secret
	}
	if len(problems) > 0 {
		return nil, usagef("%s", strings.Join(problems, "\n"))
	}
	return auth, nil
}

// unknownAuthorizers lists the --authorizer names no Lambda authorizer
// of the template has.
func unknownAuthorizers(g *gateway.Gateway) []string {
	known := map[string]bool{}
	var names []string
	for _, a := range g.API.Authorizers {
		known[a.Name] = true
		names = append(names, a.Name)
	}
	var out []string
	for name := range g.Auth.Lambdas {
		if !known[name] {
			out = append(out, fmt.Sprintf("warning: --authorizer %s names no authorizer of the template (it has: %s)", name, orNone(names)))
		}
	}
	sort.Strings(out)
	return out
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// printAuth says, at start-up, what serve checks of each route's callers
// and what it does not.
func printAuth(a *app, g *gateway.Gateway) {
	lines := g.AuthSummary()
	if len(lines) == 0 {
		return
	}
	fmt.Fprintln(a.stderr, "authorization (serve checks callers as the template's authorizers would):")
	for _, l := range lines {
		fmt.Fprintf(a.stderr, "  %s\n", escapeText(l))
	}
	for _, w := range unknownAuthorizers(g) {
		fmt.Fprintln(a.stderr, escapeText(w))
	}
}

// whoMayCall says, for the warning serve prints off loopback, which
// routes any caller that reaches serve may call: those the template
// leaves open (AuthorizationType NONE and no API key); a path's CORS
// preflight (an OPTIONS MOCK method) answers headers only and is not
// counted. The others are checked as the start-up lines below say.
func whoMayCall(g *gateway.Gateway) string {
	var open []string
	for _, m := range g.API.Methods {
		none := m.Auth.Type == restapi.AuthNone || m.Auth.Type == ""
		if none && !m.APIKeyRequired && (m.Verb != "OPTIONS" || m.Kind.String() != "MOCK") {
			open = append(open, m.Route())
		}
	}
	n := len(open)
	switch {
	case n == 0:
		return "every route but the preflights checks its callers, as said below"
	case n > 5:
		open = append(open[:5], fmt.Sprintf("and %d more", n-5))
	}
	verb := "takes"
	if n > 1 {
		verb = "take"
	}
	return fmt.Sprintf("%d route%s %s any caller (%s)", n, plural(n), verb, strings.Join(open, ", "))
}
