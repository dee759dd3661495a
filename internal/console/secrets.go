package console

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// The console is a page any local user's browser can open, so a record
// shows no credential: of the headers below, and of the values the
// route's Lambda authorizer reads (its identity sources: headers or query
// strings, "Use API Gateway Lambda authorizers" in the API Gateway
// developer guide), it shows only the length (and the scheme of an
// Authorization). What a request template copies into the integration
// request is shown as rendered: that is what Step Functions receives.
var secretHeaders = []string{"Authorization", "Proxy-Authorization", "X-Api-Key", "X-Amz-Security-Token", "Cookie", "Set-Cookie"}

// secretNames are the header (canonical) and query string names whose
// values one record hides.
type secretNames struct{ header, query map[string]bool }

// secretsOf are the names hidden in a request to route: secretHeaders,
// and the identity sources of the route's authorizer.
func (c *Console) secretsOf(route string) secretNames {
	s := secretNames{header: map[string]bool{}, query: map[string]bool{}}
	for _, h := range secretHeaders {
		s.header[h] = true
	}
	g := c.gateway()
	if route == "" || g == nil || g.API == nil {
		return s
	}
	for _, m := range g.API.Methods {
		if m.Route() != route || m.Auth.Authorizer == nil {
			continue
		}
		for _, src := range m.Auth.Authorizer.Identity {
			switch src.Where {
			case "header":
				s.header[http.CanonicalHeaderKey(src.Name)] = true
			case "querystring":
				s.query[src.Name] = true
			}
		}
	}
	return s
}

// hidden is what a record shows of a secret value: its length, after the
// scheme of an Authorization ("Bearer", "AWS4-HMAC-SHA256"), which says
// what kind of credential came without giving any of it.
func hidden(name, v string) string {
	scheme := ""
	if name == "Authorization" || name == "Proxy-Authorization" {
		if i := strings.IndexByte(v, ' '); i > 0 && i <= 32 && strings.Trim(v[:i], "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-") == "" {
			scheme = v[:i+1]
		}
	}
	return fmt.Sprintf("%s(%d characters, hidden by the console)", scheme, len(v)-len(scheme))
}

// hideQuery hides the values of the query string's secret parameters,
// leaving the rest of the raw query as it came.
func (s secretNames) hideQuery(raw string) string {
	if len(s.query) == 0 {
		return raw
	}
	parts := strings.Split(raw, "&")
	for i, p := range parts {
		k, v, _ := strings.Cut(p, "=")
		if name, err := url.QueryUnescape(k); err == nil && s.query[name] {
			parts[i] = k + "=" + hidden("", v)
		}
	}
	return strings.Join(parts, "&")
}
