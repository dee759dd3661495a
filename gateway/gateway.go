// Package gateway is a local model of what API Gateway does with a
// compiled sfnapic template: it routes an HTTP request to a method the way
// API Gateway would (or rejects it as API Gateway would), renders the
// method's request template with the vtl package, and picks and renders
// the integration response for a Step Functions reply. It reads the
// compiled template, not the spec's intent, so it shows what would really
// be deployed.
package gateway

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"

	"github.com/sfnapic/sfnapic/compile"
	"github.com/sfnapic/sfnapic/spec"
	"github.com/sfnapic/sfnapic/vtl"
)

// Request is an HTTP request to the API.
type Request struct {
	Method string
	Path   string // without the stage, e.g. /items/42
	Query  url.Values
	Header Header
	Body   string
}

// Header holds request headers; names match without regard to case, as
// in HTTP.
type Header map[string][]string

// Add appends a value to a header.
func (h Header) Add(name, value string) { h[name] = append(h[name], value) }

// Set replaces a header's values.
func (h Header) Set(name, value string) {
	for k := range h {
		if strings.EqualFold(k, name) {
			delete(h, k)
		}
	}
	h[name] = []string{value}
}

// Values returns every value of a header.
func (h Header) Values(name string) []string {
	var out []string
	for k, vs := range h {
		if strings.EqualFold(k, name) {
			out = append(out, vs...)
		}
	}
	return out
}

// Get returns the last value of a header, or "".
func (h Header) Get(name string) string {
	vs := h.Values(name)
	if len(vs) == 0 {
		return ""
	}
	return vs[len(vs)-1]
}

// ParseTarget reads "VERB /path?query" into a request.
func ParseTarget(target string) (*Request, error) {
	verb, rest, ok := strings.Cut(strings.TrimSpace(target), " ")
	rest = strings.TrimSpace(rest)
	if !ok || verb == "" || !strings.HasPrefix(rest, "/") {
		return nil, fmt.Errorf("%q is not a request such as \"POST /items/42?verbose=1\"", target)
	}
	u, err := url.ParseRequestURI(rest)
	if err != nil {
		return nil, fmt.Errorf("%q: %v", rest, err)
	}
	return &Request{Method: strings.ToUpper(verb), Path: u.EscapedPath(), Query: u.Query(), Header: Header{}}, nil
}

// Response is an HTTP response, from the gateway itself or rendered from an
// integration response.
type Response struct {
	Status int
	Body   string
}

// Rejection is a request that API Gateway answers itself, without calling
// Step Functions.
type Rejection struct {
	Response
	Type    string // the gateway response type, e.g. BAD_REQUEST_PARAMETERS
	Message string // API Gateway's message, $context.error.message
	Reason  string // why, for people
}

// Error says what API Gateway would answer, and why.
func (r *Rejection) Error() string { return fmt.Sprintf("HTTP %d: %s", r.Status, r.Reason) }

func reject(status int, typ, message, reason string) *Rejection {
	return &Rejection{Response: Response{Status: status}, Type: typ, Message: message, Reason: reason}
}

// answer fills in the response API Gateway gives for a rejection: the
// template's GatewayResponse for the type, else the DEFAULT_4XX or
// DEFAULT_5XX one, else API Gateway's built-in {"message": ...}.
func (g *Gateway) answer(rej *Rejection) *Rejection {
	def := "DEFAULT_4XX"
	if rej.Status >= 500 {
		def = "DEFAULT_5XX"
	}
	var chosen *apigateway.GatewayResponse
	for _, typ := range []string{rej.Type, def} {
		for _, r := range g.Template.CFN.Resources {
			if gr, ok := r.(*apigateway.GatewayResponse); ok && gr.ResponseType == typ {
				chosen = gr
				break
			}
		}
		if chosen != nil {
			break
		}
	}
	quoted, _ := json.Marshal(rej.Message)
	if chosen == nil {
		rej.Body = `{"message":` + string(quoted) + `}`
		return rej
	}
	if chosen.StatusCode != nil {
		rej.Status, _ = strconv.Atoi(*chosen.StatusCode)
	}
	ctx := map[string]any{"error": map[string]any{"message": rej.Message, "messageString": string(quoted), "responseType": rej.Type}}
	res, err := vtl.RenderString(chosen.ResponseTemplates["application/json"], &vtl.Request{Context: ctx}, vtl.Variant{})
	if err != nil {
		rej.Body = fmt.Sprintf("(gateway response template failed: %v)", err)
		return rej
	}
	rej.Body = strings.TrimSpace(res.Body)
	return rej
}

// Gateway holds a compiled spec.
type Gateway struct {
	Spec     *spec.Spec
	Template *compile.Template
	// ARNs resolves the Fn::Sub variables of request templates: the logical
	// ID of each created state machine to the ARN to show for it.
	ARNs map[string]string
}

// New prepares a compiled spec. Created state machines get the ARN they
// would have in account 123456789012, us-east-1 (the real ARN exists only
// after deploy).
func New(s *spec.Spec, t *compile.Template) *Gateway {
	arns := map[string]string{}
	for _, id := range t.MachineIDs {
		arns[id] = "arn:aws:states:us-east-1:123456789012:stateMachine:" + id
	}
	return &Gateway{Spec: s, Template: t, ARNs: arns}
}

// Call is a routed, rendered request.
type Call struct {
	Route            *spec.Route
	MethodID         string
	PathParams       map[string]string
	ContentType      string
	StartExecution   string // the body API Gateway sends to Step Functions
	StateMachineArn  string
	Input            any // the decoded execution input
	InputText        string
	variant          vtl.Variant
	integrationReply []apigateway.Method_IntegrationResponse
}

// Route finds the route API Gateway would pick for a request: literal
// segments before parameters, then the exact verb before ANY.
func (g *Gateway) Route(req *Request) (int, map[string]string, *Rejection) {
	segs := splitPath(req.Path)
	best, bestScore := -1, -1
	var bestParams map[string]string
	for i, r := range g.Spec.Routes {
		params, score, ok := match(r.Segments, segs)
		if !ok {
			continue
		}
		if r.Method != req.Method && r.Method != "ANY" {
			continue
		}
		score *= 2
		if r.Method == req.Method {
			score++
		}
		if score > bestScore {
			best, bestScore, bestParams = i, score, params
		}
	}
	if best < 0 {
		// API Gateway answers an unknown path, or a verb the path does not
		// have, with 403 "Missing Authentication Token".
		reason := "no route has this path"
		for _, r := range g.Spec.Routes {
			if _, _, ok := match(r.Segments, segs); ok {
				reason = fmt.Sprintf("the path exists, but not with %s", req.Method)
				break
			}
		}
		return -1, nil, g.answer(reject(403, "MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token", reason))
	}
	return best, bestParams, nil
}

func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if u, err := url.PathUnescape(s); err == nil {
			parts[i] = u
		}
	}
	return parts
}

// match reports whether a route's segments match a request path, with the
// path parameters and a score that prefers literal segments.
func match(route, path []string) (map[string]string, int, bool) {
	params := map[string]string{}
	score := 0
	for i, seg := range route {
		name, isParam := spec.PathParam(seg)
		greedy := strings.HasSuffix(seg, "+}")
		switch {
		case greedy:
			if i >= len(path) {
				return nil, 0, false
			}
			params[name] = strings.Join(path[i:], "/")
			return params, score, true
		case i >= len(path):
			return nil, 0, false
		case isParam:
			if path[i] == "" {
				return nil, 0, false
			}
			params[name] = path[i]
		case seg == path[i]:
			score += 1 << (16 - min(i, 16))
		default:
			return nil, 0, false
		}
	}
	if len(route) != len(path) {
		return nil, 0, false
	}
	return params, score, true
}

// Start routes a request and renders its request template: what API
// Gateway would send to Step Functions. A request API Gateway would refuse
// comes back as a *Rejection error.
func (g *Gateway) Start(req *Request, v vtl.Variant) (*Call, error) {
	i, params, rej := g.Route(req)
	if rej != nil {
		return nil, rej
	}
	r := g.Spec.Routes[i]
	id := g.Template.MethodIDs[i]
	m, ok := g.Template.CFN.Resources[id].(*apigateway.Method)
	if !ok || m.Integration == nil {
		return nil, fmt.Errorf("internal error: no method %s in the template", id)
	}
	// Required parameters, as the request validator checks them.
	var missing []string
	for key, required := range m.RequestParameters {
		if required != "true" {
			continue
		}
		loc, name, _ := strings.Cut(strings.TrimPrefix(key, "method.request."), ".")
		switch loc {
		case "querystring":
			if _, ok := req.Query[name]; !ok {
				missing = append(missing, name)
			}
		case "header":
			if req.Header.Get(name) == "" && len(req.Header.Values(name)) == 0 {
				missing = append(missing, name)
			}
		}
	}
	if len(missing) > 0 && m.RequestValidatorId != nil {
		sort.Strings(missing)
		return nil, g.answer(reject(400, "BAD_REQUEST_PARAMETERS", "Missing required request parameters: ["+strings.Join(missing, ", ")+"]",
			"the request validator requires "+strings.Join(missing, ", ")))
	}
	// The template is chosen by Content-Type; with PassthroughBehavior
	// NEVER, a type without a template is refused.
	ct := "application/json"
	if h := req.Header.Get("Content-Type"); h != "" {
		// The media type, without parameters such as charset.
		mt, _, _ := strings.Cut(h, ";")
		ct = strings.ToLower(strings.TrimSpace(mt))
	}
	text, ok := m.Integration.RequestTemplates[ct]
	if !ok {
		var types []string
		for k := range m.Integration.RequestTemplates {
			types = append(types, k)
		}
		sort.Strings(types)
		return nil, g.answer(reject(415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported Media Type", fmt.Sprintf("no request template for %s (the route has %s) and passthrough is NEVER", ct, strings.Join(types, ", "))))
	}
	text, err := g.templateText(text)
	if err != nil {
		return nil, err
	}
	tpl, err := vtl.Parse(text)
	if err != nil {
		return nil, fmt.Errorf("request template of %s %s: %w", r.Method, r.Path, err)
	}
	vreq := &vtl.Request{Path: params, Query: last(req.Query), Header: last(req.Header), Body: req.Body, Context: map[string]any{
		"requestId": "c0ffee00-0000-4000-8000-000000000000", "stage": g.Spec.API.Stage, "httpMethod": req.Method,
		"resourcePath": r.Path, "path": "/" + g.Spec.API.Stage + req.Path,
		"identity": map[string]any{"sourceIp": "192.0.2.1", "userAgent": req.Header.Get("User-Agent")},
	}}
	res, err := tpl.Render(vreq, v)
	if errors.Is(err, vtl.ErrBadJSON) {
		// Which gateway response type API Gateway uses here is not
		// documented; BAD_REQUEST_BODY falls back to DEFAULT_4XX.
		return nil, g.answer(reject(400, "BAD_REQUEST_BODY", "Could not parse request body into json", err.Error()))
	}
	if err != nil {
		return nil, fmt.Errorf("request template of %s %s: %w", r.Method, r.Path, err)
	}
	call := &Call{Route: r, MethodID: id, PathParams: params, ContentType: ct, StartExecution: res.Body, variant: v,
		integrationReply: m.Integration.IntegrationResponses}
	var body struct {
		StateMachineArn string  `json:"stateMachineArn"`
		Input           *string `json:"input"`
	}
	if err := json.Unmarshal([]byte(res.Body), &body); err != nil {
		return call, fmt.Errorf("the StartExecution body is not JSON (Step Functions would answer SerializationException): %v", err)
	}
	call.StateMachineArn = body.StateMachineArn
	if body.Input != nil {
		call.InputText = *body.Input
		if err := json.Unmarshal([]byte(*body.Input), &call.Input); err != nil {
			return call, fmt.Errorf("the execution input is not JSON (Step Functions would answer InvalidExecutionInput): %v", err)
		}
	}
	return call, nil
}

func last(m map[string][]string) map[string]string {
	out := map[string]string{}
	for k, vs := range m {
		if len(vs) > 0 {
			out[k] = vs[len(vs)-1]
		}
	}
	return out
}

var subVar = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\$\{([^}]*)\}`) })

// templateText turns a template property (a plain string, or Fn::Sub) into
// the text API Gateway receives, as CloudFormation's Fn::Sub would.
func (g *Gateway) templateText(prop string) (string, error) {
	raw, ok := g.Template.Intrinsic(prop)
	if !ok {
		return prop, nil
	}
	var sub map[string]string
	if err := json.Unmarshal(raw, &sub); err != nil || sub["Fn::Sub"] == "" {
		return "", fmt.Errorf("internal error: unexpected intrinsic %s", raw)
	}
	var bad error
	out := subVar().ReplaceAllStringFunc(sub["Fn::Sub"], func(m string) string {
		name := m[2 : len(m)-1]
		if strings.HasPrefix(name, "!") {
			return "${" + name[1:] + "}"
		}
		if arn, ok := g.ARNs[name]; ok {
			return arn
		}
		bad = fmt.Errorf("internal error: Fn::Sub variable %s has no value", name)
		return m
	})
	return out, bad
}

// Reply is what Step Functions answers: an HTTP status and a JSON body.
type Reply struct {
	Status int             `json:"status"`
	Body   json.RawMessage `json:"body"`
}

// Respond picks the integration response API Gateway would apply to a
// Step Functions reply (SelectionPattern, a Java regex, fully matched
// against the status; the response without a pattern is the default),
// renders its template and applies any status override.
func (c *Call) Respond(reply Reply) (*Response, string, error) {
	status := strconv.Itoa(reply.Status)
	var chosen *apigateway.Method_IntegrationResponse
	for i, ir := range c.integrationReply {
		if ir.SelectionPattern == nil {
			if chosen == nil {
				chosen = &c.integrationReply[i]
			}
			continue
		}
		re, err := regexp.Compile(`^(?:` + *ir.SelectionPattern + `)$`)
		if err != nil {
			return nil, "", fmt.Errorf("selection pattern %q: %v", *ir.SelectionPattern, err)
		}
		if re.MatchString(status) {
			chosen = &c.integrationReply[i]
			break
		}
	}
	if chosen == nil {
		return nil, "", fmt.Errorf("no integration response matches status %d and there is no default", reply.Status)
	}
	which := "the default response"
	if chosen.SelectionPattern != nil {
		which = fmt.Sprintf("the response selected by %q", *chosen.SelectionPattern)
	}
	code, _ := strconv.Atoi(chosen.StatusCode)
	text := chosen.ResponseTemplates["application/json"]
	res, err := vtl.RenderString(text, &vtl.Request{Body: string(reply.Body)}, c.variant)
	if err != nil {
		return nil, which, fmt.Errorf("%s: %w", which, err)
	}
	if s, ok := res.StatusOverride(); ok {
		code = s
	}
	return &Response{Status: code, Body: res.Body}, which, nil
}
