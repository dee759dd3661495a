package compile

import (
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"

	"github.com/sfnapic/sfnapic/integration"
	"github.com/sfnapic/sfnapic/spec"
)

// This file owns CORS ("Enable CORS for a REST API resource", non-proxy
// integrations): an OPTIONS method with a MOCK integration on every path
// that has routes, which needs no authorizer and no API key (a browser's
// preflight never carries credentials or x-api-key); the CORS headers on
// every integration response of every method, so that each answer a route
// can give carries them (success, every mapped error, every startSync
// outcome: a status override keeps the chosen response's headers); and
// the same headers on API Gateway's own answers, through gateway
// responses.
//
// One origin, or "*", is a static header value. With several, an
// integration response cannot choose (its header mappings take literals,
// the integration's reply, context and stage variables, not the request),
// so its template sets $context.responseOverride.header to the request's
// Origin when, and only when, it is one of the list, and every answer says
// Vary: Origin. A gateway response cannot choose either: its parameters are
// literals or request values copied as they are, and its template is plain
// substitution, not VTL ("Gateway responses for REST APIs"). Copying the
// request's Origin would grant any site, credentials included; so with
// several origins API Gateway's own answers carry
// Access-Control-Allow-Origin: * and never Access-Control-Allow-Credentials.
// A page of any origin may then read API Gateway's own error answers (an
// error type and API Gateway's message, the caller's own validation
// errors, never the integration's data) to requests it sends without
// credentials; one that sends credentials (cookies) cannot read them and
// sees a network error. Routes' own answers stay restricted to the list.

// corsOriginVar is the template variable that holds the request's Origin.
const corsOriginVar = "$corsOrigin"

// corsStatus is the preflight's answer: 204, no body.
const corsStatus = "204"

// several reports whether the API allows more than one origin, which only
// a template can choose among.
func several(c *spec.CORS) bool { return c != nil && len(c.Origins) > 1 }

// corsHeaders are the CORS headers of a route's answers and, with preflight
// set, of its path's preflight, as header name to static value ('...').
func (b *builder) corsHeaders(preflight bool, methods string, needs []string) map[string]string {
	c := b.s.API.CORS
	h := map[string]string{}
	switch {
	case several(c):
		h["Vary"] = quoteHeader("Origin")
	case len(c.Origins) == 1:
		h["Access-Control-Allow-Origin"] = quoteHeader(c.Origins[0])
	}
	if c.Credentials {
		h["Access-Control-Allow-Credentials"] = quoteHeader("true")
	}
	if !preflight {
		if len(c.Expose) > 0 {
			h["Access-Control-Expose-Headers"] = quoteHeader(strings.Join(c.Expose, ","))
		}
		return h
	}
	h["Access-Control-Allow-Methods"] = quoteHeader(methods)
	if allow := allowHeaders(c.Headers, needs); len(allow) > 0 {
		h["Access-Control-Allow-Headers"] = quoteHeader(strings.Join(allow, ","))
	}
	if c.MaxAge > 0 {
		h["Access-Control-Max-Age"] = quoteHeader(strconv.Itoa(c.MaxAge))
	}
	return h
}

// quoteHeader writes a static header value as API Gateway's mappings take
// it: in single quotes. The values are origins, header names, numbers and
// verbs, which the spec checks hold no quote.
func quoteHeader(v string) string { return "'" + v + "'" }

// withPrefix turns header names into a response's parameter names.
func withPrefix(h map[string]string, prefix string) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		out[prefix+k] = v
	}
	return out
}

// corsTemplate is the VTL that, with several origins, sets
// Access-Control-Allow-Origin to the request's Origin when it is one of
// them; "" otherwise. It writes nothing, so it can start any response
// template. The header is read from the headers alone (a query parameter
// named Origin must not count), in the case browsers send it over HTTP/1.1
// and over HTTP/2.
func (b *builder) corsTemplate() string {
	c := b.s.API.CORS
	if !several(c) {
		return ""
	}
	v := corsOriginVar
	tests := make([]string, len(c.Origins))
	for i, o := range c.Origins {
		tests[i] = v + " == " + integration.VelocityText(o)
	}
	return "#set(" + v + " = $input.params().header.get('Origin'))" +
		"#if(!" + v + ")#set(" + v + " = $input.params().header.get('origin'))#end" +
		"#if(" + strings.Join(tests, " || ") + ")#set($context.responseOverride.header.Access-Control-Allow-Origin = " + v + ")#end"
}

// corsResponses adds the CORS headers to a route's integration responses
// and declares them on its method responses.
func (b *builder) corsResponses(m *apigateway.Method) {
	if b.s.API.CORS == nil {
		return
	}
	h := b.corsHeaders(false, "", nil)
	prefix := b.corsTemplate()
	for i := range m.Integration.IntegrationResponses {
		ir := &m.Integration.IntegrationResponses[i]
		if ir.ResponseParameters == nil {
			ir.ResponseParameters = map[string]string{}
		}
		maps.Copy(ir.ResponseParameters, withPrefix(h, "method.response.header."))
		if prefix != "" {
			ir.ResponseTemplates["application/json"] = prefix + ir.ResponseTemplates["application/json"]
		}
	}
	declareHeaders(m.MethodResponses, h)
}

// declareHeaders declares the CORS headers, and Access-Control-Allow-Origin
// that a template may set, on every method response.
func declareHeaders(responses []apigateway.Method_MethodResponse, h map[string]string) {
	for i := range responses {
		mr := &responses[i]
		if mr.ResponseParameters == nil {
			mr.ResponseParameters = map[string]string{}
		}
		for k := range h {
			mr.ResponseParameters["method.response.header."+k] = "false"
		}
		mr.ResponseParameters["method.response.header.Access-Control-Allow-Origin"] = "false"
	}
}

// sigV4Headers are the headers a SigV4-signed request carries besides
// Authorization ("Create a signed AWS API request": X-Amz-Date, and
// X-Amz-Security-Token with temporary credentials; X-Amz-Content-Sha256
// where the signer sends it).
var sigV4Headers = []string{"Authorization", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-Sha256"}

// callerHeaders are the request headers a route itself needs from a page,
// which its path's preflight must allow whatever cors.headers lists: a
// page that must send x-api-key or a token and may not is a CORS failure
// a user only finds in the browser (API Gateway's console adds
// X-Api-Key, Authorization and the X-Amz headers by default for the same
// reason).
func callerHeaders(r *spec.Route) []string {
	var out []string
	if r.APIKey != nil {
		out = append(out, "X-Api-Key")
	}
	switch {
	case r.Auth == spec.AuthIAM:
		out = append(out, sigV4Headers...)
	case r.Authorizer != nil && r.Authorizer.Type == spec.AuthorizerCognito:
		out = append(out, "Authorization")
	case r.Authorizer != nil:
		for _, id := range r.Authorizer.Identity {
			if name, ok := strings.CutPrefix(id, "header."); ok {
				out = append(out, name)
			}
		}
	}
	return out
}

// allowHeaders is Access-Control-Allow-Headers: the spec's headers as
// written, then each header the path's routes need that is not among them
// (header names match without case). A "*" stands for every header but
// Authorization, which browsers need listed by name (Fetch standard,
// CORS-preflight fetch; MDN "Access-Control-Allow-Headers").
func allowHeaders(listed, needs []string) []string {
	out := slices.Clone(listed)
	for _, n := range needs {
		covered := slices.Contains(listed, "*") && !strings.EqualFold(n, "Authorization")
		if covered || slices.ContainsFunc(out, func(h string) bool { return strings.EqualFold(h, n) }) {
			continue
		}
		out = append(out, n)
	}
	return out
}

// allVerbs are the verbs an ANY route answers.
var allVerbs = []string{"DELETE", "GET", "HEAD", "PATCH", "POST", "PUT"}

// preflights creates the OPTIONS method of every path that has routes.
func (b *builder) preflights() {
	if b.s.API.CORS == nil {
		return
	}
	verbs := map[string][]string{}
	segs := map[string][]string{}
	needs := map[string][]string{}
	var order []string
	for _, r := range b.s.Routes {
		p := strings.Join(r.Segments, "/")
		if _, seen := verbs[p]; !seen {
			order = append(order, p)
			segs[p] = r.Segments
		}
		needs[p] = append(needs[p], callerHeaders(r)...)
		if r.Method == "ANY" {
			verbs[p] = append(verbs[p], allVerbs...)
		} else {
			verbs[p] = append(verbs[p], r.Method)
		}
	}
	for _, p := range order {
		if vs := verbs[p]; !slices.Contains(vs, "OPTIONS") {
			b.preflight(segs[p], methodList(vs), needs[p])
		}
	}
}

// methodList is Access-Control-Allow-Methods: the path's verbs and OPTIONS,
// sorted, once each.
func methodList(verbs []string) string {
	set := map[string]bool{"OPTIONS": true}
	for _, v := range verbs {
		set[v] = true
	}
	out := make([]string, 0, len(set))
	for v := range set {
		out = append(out, v)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

// preflight creates one path's OPTIONS method: open to all (no
// authorizer, no key: the preflight carries neither), a MOCK integration
// that answers 204 with the CORS headers.
func (b *builder) preflight(segs []string, methods string, needs []string) {
	id := "Route" + b.paths[strings.Join(segs, "/")] + "Options"
	h := b.corsHeaders(true, methods, needs)
	ir := apigateway.Method_IntegrationResponse{
		StatusCode:         corsStatus,
		ResponseParameters: withPrefix(h, "method.response.header."),
	}
	if t := b.corsTemplate(); t != "" {
		ir.ResponseTemplates = map[string]string{"application/json": t}
	}
	mr := []apigateway.Method_MethodResponse{{StatusCode: corsStatus}}
	declareHeaders(mr, h)
	b.t.CFN.Resources[id] = &apigateway.Method{
		RestApiId:         b.t.Ref(idAPI),
		ResourceId:        b.resourceOf(b.paths, segs),
		HttpMethod:        "OPTIONS",
		AuthorizationType: ptr(authNone),
		Integration: &apigateway.Method_Integration{
			Type: "MOCK",
			// A MOCK answers the status its request template writes (the
			// AWS guide "Mock integrations for REST APIs").
			RequestTemplates:     map[string]string{"application/json": `{"statusCode": 200}`},
			PassthroughBehavior:  ptr("NEVER"),
			IntegrationResponses: []apigateway.Method_IntegrationResponse{ir},
		},
		MethodResponses: mr,
	}
	b.methods = append(b.methods, id)
}

// gatewayCORS are the CORS parameters of API Gateway's own answers (see
// the top of this file for several origins); nil without CORS.
func (b *builder) gatewayCORS() map[string]string {
	c := b.s.API.CORS
	if c == nil {
		return nil
	}
	h := map[string]string{"Access-Control-Allow-Origin": quoteHeader("*")}
	if len(c.Origins) == 1 {
		h["Access-Control-Allow-Origin"] = quoteHeader(c.Origins[0])
		if c.Credentials {
			h["Access-Control-Allow-Credentials"] = quoteHeader("true")
		}
	}
	if len(c.Expose) > 0 {
		h["Access-Control-Expose-Headers"] = quoteHeader(strings.Join(c.Expose, ","))
	}
	return withPrefix(h, "gatewayresponse.header.")
}
