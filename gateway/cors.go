package gateway

import "strings"

// AllowsOrigin reports whether the API lets a web page of origin call
// verb on a request path (without the stage): whether a static
// Access-Control-Allow-Origin of the route or of its path's preflight
// allows it (restapi.API.AllowsOrigin), or whether the preflight, a
// MOCK method, answers a preflight from origin with that origin or *:
// the way a template that echoes the request's Origin when it is one of
// several allowed origins answers (API Gateway's gateway and integration
// responses take only static values, so several origins need a response
// template that sets $context.responseOverride.header). The preflight is
// rendered as a browser would send it: OPTIONS with Origin and
// Access-Control-Request-Method.
func (g *Gateway) AllowsOrigin(verb, path, origin string) bool {
	if g.API.AllowsOrigin(verb, path, origin) {
		return true
	}
	if origin == "" {
		return false
	}
	req := &Request{Method: "OPTIONS", Path: path, Header: Header{"Origin": {origin}, "Access-Control-Request-Method": {verb}}}
	call, err := g.Start(req)
	if err != nil {
		return false
	}
	reply, mocked := call.Mocked()
	if !mocked {
		return false
	}
	resp, _, err := call.Respond(reply)
	if err != nil {
		return false
	}
	for name, v := range resp.Headers {
		if strings.EqualFold(name, "Access-Control-Allow-Origin") {
			return v == "*" || v == origin
		}
	}
	return false
}
