package restapi

import "strings"

// AllowsOrigin reports whether the API lets a web page of origin (such as
// "https://shop.example.com") call verb on a request path (without the
// stage): whether the method that takes the request, or the method that
// answers the path's CORS preflight (OPTIONS), sends origin or * as a
// static Access-Control-Allow-Origin on one of its integration responses.
// A browser lets a page read a cross-origin answer only when its
// Access-Control-Allow-Origin is * or the page's origin (Fetch standard,
// CORS check); API Gateway's CORS for REST APIs with non-proxy
// integrations is exactly such static headers on the OPTIONS method's
// MOCK integration and on each method's integration responses
// (how-to-cors.html). An empty origin (a browser request that names none)
// is allowed only by *. Values mapped from the request or set by a
// template are not read.
func (a *API) AllowsOrigin(verb, path, origin string) bool {
	for _, v := range []string{verb, "OPTIONS"} {
		if m, _, _ := a.Match(v, path); m != nil && m.sendsOrigin(origin) {
			return true
		}
	}
	return false
}

// sendsOrigin reports whether one of the method's integration responses
// sends origin, or *, as a static Access-Control-Allow-Origin.
func (m *Method) sendsOrigin(origin string) bool {
	in := m.Resource.Integration
	if in == nil {
		return false
	}
	for _, ir := range in.IntegrationResponses {
		for k, v := range ir.ResponseParameters {
			name, ok := strings.CutPrefix(k, "method.response.header.")
			if !ok || !strings.EqualFold(name, "Access-Control-Allow-Origin") || len(v) < 2 || v[0] != '\'' || v[len(v)-1] != '\'' {
				continue
			}
			if allowed := v[1 : len(v)-1]; allowed == "*" || (origin != "" && allowed == origin) {
				return true
			}
		}
	}
	return false
}
