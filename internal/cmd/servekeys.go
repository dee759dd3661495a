package cmd

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/spec"
)

// parseAPIKeys reads serve's --api-key NAME=VALUE flags into the values
// by key name. A value is never repeated in an error.
func parseAPIKeys(flags []string) (*gateway.Keys, error) {
	values := map[string]string{}
	owner := map[string]string{} // the key each value was given for
	for i, f := range flags {
		name, value, ok := strings.Cut(f, "=")
		switch {
		case !ok || name == "" || value == "":
			return nil, usagef("--api-key number %d is not NAME=VALUE (the key's name in the spec's usagePlans, then the value API Gateway generated for it)", i+1)
		case values[name] != "":
			return nil, usagef("--api-key gives key %s twice: give each key once", name)
		case owner[value] != "":
			// API Gateway's values are unique; one value for two keys
			// would leave which key's plan, throttle and quota count a
			// request to chance.
			return nil, usagef("--api-key gives keys %s and %s the same value: each key has its own", owner[value], name)
		}
		values[name], owner[value] = value, name
	}
	return gateway.NewKeys(values), nil
}

// useKeys has the gateway check API keys against keys; a name the
// template has no key of is a usage error, with the closest name.
func useKeys(g *gateway.Gateway, keys *gateway.Keys) error {
	err := g.UseKeys(keys)
	var unknown *gateway.UnknownKeyError
	if errors.As(err, &unknown) {
		return usagef("--api-key %s=...: %v%s", unknown.Name, err, spec.Suggest(unknown.Name, unknown.Known))
	}
	return err
}

// printAccess says at start-up what serve checks before the integration,
// and what it does not. It names keys, never their values.
func printAccess(w io.Writer, g *gateway.Gateway, keys *gateway.Keys) {
	var keyed, validated, preflights int
	for _, m := range g.API.Methods {
		if m.APIKeyRequired {
			keyed++
		}
		if m.Validation != nil && m.Validation.Body && len(m.Models) > 0 {
			validated++
		}
		if m.Verb == "OPTIONS" && m.Kind.String() == "MOCK" {
			preflights++
		}
	}
	if keyed > 0 || len(keys.Names()) > 0 {
		fmt.Fprintf(w, "API keys: %d route%s with ApiKeyRequired; x-api-key is checked against --api-key (%d of %d keys given%s); throttles and quotas are counted in memory from start\n",
			keyed, plural(keyed), len(keys.Names()), len(g.API.Keys), missingKeys(g, keys))
		for _, k := range g.API.Keys {
			if !k.Enabled {
				fmt.Fprintf(w, "  key %s is disabled in the template (Enabled is not true): requests with it are refused\n", k.Name)
			}
		}
	}
	if validated > 0 {
		fmt.Fprintf(w, "body validation: %d route%s: bodies checked against their model (JSON Schema draft-04); serve refuses to validate bodies over %d levels deep or %d values\n",
			validated, plural(validated), gateway.MaxBodyDepth, gateway.MaxBodyValues)
	}
	if preflights > 0 {
		fmt.Fprintf(w, "CORS: %d path%s answer preflights from their OPTIONS MOCK method, headers as the template writes them\n", preflights, plural(preflights))
	}
	if keyed > 0 || validated > 0 {
		fmt.Fprintln(w, "not checked here: the stage's and the account's throttles, resource policies, WAF")
	}
}

// missingKeys lists the template's keys that --api-key did not give.
func missingKeys(g *gateway.Gateway, keys *gateway.Keys) string {
	given := map[string]bool{}
	for _, n := range keys.Names() {
		given[n] = true
	}
	var missing []string
	for _, k := range g.API.Keys {
		if !given[k.Name] {
			missing = append(missing, k.Name)
		}
	}
	if len(missing) == 0 {
		return ""
	}
	return "; not given, so refused: " + strings.Join(missing, ", ")
}
