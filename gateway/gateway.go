// Package gateway is a local model of what API Gateway does with a
// compiled sfnapic template: it routes an HTTP request to a method the way
// API Gateway would (or rejects it as API Gateway would), renders the
// method's request template with the vtl package, and picks and renders
// the integration response for a Step Functions reply. It works from the
// template alone (built in memory, or read back from a file), never from
// a spec, so it shows what would really be deployed. It is a library,
// meant for local servers and tests of sfnapic templates.
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
	"time"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"
	"github.com/awslabs/goformation/v7/cloudformation/stepfunctions"

	"github.com/sfnapic/sfnapic/cfn"
	"github.com/sfnapic/sfnapic/integration"
	"github.com/sfnapic/sfnapic/vtl"
)

// Request is an HTTP request to the API.
type Request struct {
	Method string
	Path   string // without the stage, e.g. /items/42
	Query  url.Values
	Header Header
	Body   string
	// RequestID is $context.requestId, and SourceIP the caller's address
	// ($context.identity.sourceIp); a fixed example stands in for either
	// when it is empty.
	RequestID string
	SourceIP  string
	// Stage is $context.stage, the template's stage when empty (API
	// Gateway's test invocations run in test-invoke-stage).
	Stage string
	// Time, when set, is when the request arrived: $context.requestTime
	// and requestTimeEpoch, which are empty otherwise. Protocol and
	// DomainName are $context.protocol and domainName, when known.
	Time                 time.Time
	Protocol, DomainName string
}

// The account and region of the ARNs a gateway shows before Vars are set
// to a deployed stack's (the account moto uses too).
const (
	PlaceholderAccount = "123456789012"
	PlaceholderRegion  = "us-east-1"
)

// exampleRequestID is the request id of a rendered request that has none.
const exampleRequestID = "c0ffee00-0000-4000-8000-000000000000"

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
	// Headers are those the response template set through
	// $context.responseOverride.header; nil when it set none.
	Headers map[string]string
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
		for _, r := range g.Template.CFN.Resources { // one per type
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
	tpl, err := g.parse(chosen.ResponseTemplates["application/json"])
	var res *vtl.Result
	if err == nil {
		res, err = tpl.Render(&vtl.Request{Context: ctx}, vtl.Variant{})
	}
	if err != nil {
		rej.Body = fmt.Sprintf("(gateway response template failed: %v)", err)
		return rej
	}
	rej.Body = strings.TrimSpace(res.Body)
	return rej
}

// Gateway is a local API Gateway over a compiled template. It knows only
// what the template says: its routes come from the template's
// AWS::ApiGateway::Resource and Method resources, never from a spec.
type Gateway struct {
	Template *cfn.Template
	// Stage is the stage name, from the template's AWS::ApiGateway::Stage.
	Stage string
	// Vars are the values of Fn::Sub variables: each state machine's
	// logical ID gives the ARN it would have in account 123456789012,
	// us-east-1 (the real ARN exists only after deploy), ID.Name its name
	// (the logical ID stands in for the name CloudFormation picks), and the
	// pseudo parameters give that account and region. Replace them to show
	// real ARNs.
	Vars   map[string]string
	routes []*route
	// parsed holds each template text parsed once: a server renders the
	// same few templates for every request. It is bounded by the texts
	// the template holds.
	parsed   sync.Map // string -> *vtl.Template
	subs     sync.Map // string -> *cfn.Sub: each property's Fn::Sub, read once
	patterns sync.Map // string -> *regexp.Regexp: each selection pattern, compiled once
}

// text evaluates a string property, reading its Fn::Sub once and
// substituting the current Vars each time.
func (g *Gateway) text(value string) (string, error) {
	sub, err := memo(&g.subs, value, g.Template.ParseSub)
	if err != nil {
		return "", err
	}
	return sub.Resolve(g.lookup)
}

// parse returns the parsed template of a text, parsing it the first time.
func (g *Gateway) parse(text string) (*vtl.Template, error) {
	return memo(&g.parsed, text, vtl.Parse)
}

// pattern compiles a selection pattern, matched against the whole status.
func (g *Gateway) pattern(p string) (*regexp.Regexp, error) {
	return memo(&g.patterns, p, func(p string) (*regexp.Regexp, error) { return regexp.Compile(`^(?:` + p + `)$`) })
}

// memo returns what build makes of key, building it the first time only.
func memo[V any](cache *sync.Map, key string, build func(string) (V, error)) (V, error) {
	if v, ok := cache.Load(key); ok {
		return v.(V), nil
	}
	v, err := build(key)
	if err != nil {
		return v, err
	}
	cache.Store(key, v)
	return v, nil
}

// route is one method of the template: a verb on a path.
type route struct {
	verb     string // GET, POST, ..., ANY
	path     string // /items/{id}
	segments []string
	id       string // the Method's logical ID
	method   *apigateway.Method
	action   integration.Action // nil when the integration is not one sfnapic knows
}

// New builds the route table of a template. It fails when the template's
// resources do not form a tree under the API's root.
func New(t *cfn.Template) (*Gateway, error) {
	g := &Gateway{Template: t, Stage: "prod", Vars: map[string]string{
		"AWS::Region": PlaceholderRegion, "AWS::AccountId": PlaceholderAccount, "AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com",
	}}
	paths := map[string]string{} // resource logical ID -> path
	var pathOf func(value string, depth int) (string, error)
	pathOf = func(value string, depth int) (string, error) {
		if _, attr, ok := t.GetAttTarget(value); ok && attr == "RootResourceId" {
			return "", nil
		}
		id, ok := t.RefTarget(value)
		if !ok {
			return "", fmt.Errorf("a resource's parent is %q, neither a Ref to a resource nor the API's RootResourceId", value)
		}
		if p, ok := paths[id]; ok {
			return p, nil
		}
		r, ok := t.CFN.Resources[id].(*apigateway.Resource)
		if !ok || depth > 1000 {
			return "", fmt.Errorf("%s is not an AWS::ApiGateway::Resource under the API's root", id)
		}
		parent, err := pathOf(r.ParentId, depth+1)
		if err != nil {
			return "", err
		}
		paths[id] = parent + "/" + r.PathPart
		return paths[id], nil
	}
	ids := make([]string, 0, len(t.CFN.Resources))
	for id := range t.CFN.Resources {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		switch r := t.CFN.Resources[id].(type) {
		case *apigateway.Stage:
			if r.StageName != nil {
				g.Stage = *r.StageName
			}
		case *stepfunctions.StateMachine:
			g.Vars[id] = "arn:aws:states:" + PlaceholderRegion + ":" + PlaceholderAccount + ":stateMachine:" + id
			g.Vars[id+".Name"] = id
		case *apigateway.Method:
			p, err := pathOf(r.ResourceId, 0)
			if err != nil {
				return nil, fmt.Errorf("method %s: %w", id, err)
			}
			rt := &route{verb: r.HttpMethod, path: p, segments: splitPath(p), id: id, method: r}
			if p == "" {
				rt.path = "/"
			}
			if r.Integration != nil && r.Integration.Uri != nil {
				if uri, err := t.Text(*r.Integration.Uri, g.lookup); err == nil {
					rt.action, _ = integration.FromURI(uri)
				}
			}
			g.routes = append(g.routes, rt)
		}
	}
	return g, nil
}

// Routes lists the template's routes, "VERB /path", sorted by path and verb.
func (g *Gateway) Routes() []string {
	var out []string
	for _, r := range g.routes {
		out = append(out, r.verb+" "+r.path)
	}
	sort.Slice(out, func(i, j int) bool {
		pi, pj := out[i][strings.IndexByte(out[i], ' ')+1:], out[j][strings.IndexByte(out[j], ' ')+1:]
		if pi != pj {
			return pi < pj
		}
		return out[i] < out[j]
	})
	return out
}

// MachineOf returns the logical ID of the state machine that the template
// creates with this ARN: the ARN is then the stand-in from Vars, not one
// that exists yet.
func (g *Gateway) MachineOf(arn string) (string, bool) {
	for id, r := range g.Template.CFN.Resources {
		if _, ok := r.(*stepfunctions.StateMachine); ok && g.Vars[id] == arn {
			return id, true
		}
	}
	return "", false
}

// Call is a routed, rendered request.
type Call struct {
	Verb, Path  string // the route: its verb and path, such as POST /items/{id}
	MethodID    string // the logical ID of its AWS::ApiGateway::Method
	PathParams  map[string]string
	ContentType string
	Action      string // the Step Functions action, such as StartExecution
	Body        string // the body API Gateway sends to Step Functions
	// Request is what the body asks Step Functions for.
	Request *integration.Request
	// Express is set when the state machine the request targets is one
	// the template creates as EXPRESS.
	Express bool
	// Timeout is how long API Gateway waits for Step Functions: the
	// integration's timeout, else its default of 29 seconds.
	Timeout          time.Duration
	variant          vtl.Variant
	integrationReply []apigateway.Method_IntegrationResponse
	g                *Gateway
}

// DefaultTimeout is API Gateway's integration timeout when a method sets
// none.
const DefaultTimeout = 29 * time.Second

// Route finds the route API Gateway would pick for a request: literal
// segments before parameters, then the exact verb before ANY.
func (g *Gateway) route(req *Request) (*route, map[string]string, *Rejection) {
	segs := splitPath(req.Path)
	var best *route
	bestScore := -1
	var bestParams map[string]string
	for _, r := range g.routes {
		params, score, ok := match(r.segments, segs)
		if !ok {
			continue
		}
		if r.verb != req.Method && r.verb != "ANY" {
			continue
		}
		score *= 2
		if r.verb == req.Method {
			score++
		}
		if score > bestScore {
			best, bestScore, bestParams = r, score, params
		}
	}
	if best == nil {
		// API Gateway answers an unknown path, or a verb the path does not
		// have, with MISSING_AUTHENTICATION_TOKEN (403 unless the
		// template's gateway response says otherwise).
		reason := "no route has this path"
		for _, r := range g.routes {
			if _, _, ok := match(r.segments, segs); ok {
				reason = fmt.Sprintf("the path exists, but not with %s", req.Method)
				break
			}
		}
		return nil, nil, g.answer(reject(403, "MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token", reason))
	}
	return best, bestParams, nil
}

// Route returns the route ("VERB /path") that API Gateway would pick for
// a request, with its path parameters, or its refusal.
func (g *Gateway) Route(req *Request) (string, map[string]string, *Rejection) {
	r, params, rej := g.route(req)
	if rej != nil {
		return "", nil, rej
	}
	return r.verb + " " + r.path, params, nil
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

// pathParam returns the name of a {name} or {name+} segment.
func pathParam(seg string) (string, bool) {
	if len(seg) < 3 || seg[0] != '{' || seg[len(seg)-1] != '}' {
		return "", false
	}
	return strings.TrimSuffix(seg[1:len(seg)-1], "+"), true
}

// match reports whether a route's segments match a request path, with the
// path parameters and a score that prefers literal segments.
func match(route, path []string) (map[string]string, int, bool) {
	params := map[string]string{}
	score := 0
	for i, seg := range route {
		name, isParam := pathParam(seg)
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

// missingParams lists the required query and header parameters that a
// request lacks, as the request validator checks them.
func missingParams(m *apigateway.Method, req *Request) []string {
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
	sort.Strings(missing)
	return missing
}

// Start routes a request and renders its request template: what API
// Gateway would send to Step Functions. A request API Gateway would refuse
// comes back as a *Rejection error; a body Step Functions would refuse
// comes back with its call and a *BodyError.
func (g *Gateway) Start(req *Request, v vtl.Variant) (*Call, error) {
	r, params, rej := g.route(req)
	if rej != nil {
		return nil, rej
	}
	m := r.method
	if m.Integration == nil || r.action == nil {
		return nil, fmt.Errorf("method %s (%s %s) does not integrate with a Step Functions action sfnapic knows (%s)", r.id, r.verb, r.path, strings.Join(integration.Names(), ", "))
	}
	if missing := missingParams(m, req); len(missing) > 0 && m.RequestValidatorId != nil {
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
	prop, ok := m.Integration.RequestTemplates[ct]
	if !ok {
		var types []string
		for k := range m.Integration.RequestTemplates {
			types = append(types, k)
		}
		sort.Strings(types)
		return nil, g.answer(reject(415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported Media Type", fmt.Sprintf("no request template for %s (the route has %s) and passthrough is NEVER", ct, strings.Join(types, ", "))))
	}
	text, err := g.text(prop)
	if err != nil {
		return nil, fmt.Errorf("request template of %s %s: %w", r.verb, r.path, err)
	}
	tpl, err := g.parse(text)
	if err != nil {
		return nil, fmt.Errorf("request template of %s %s: %w", r.verb, r.path, err)
	}
	requestID, sourceIP := req.RequestID, req.SourceIP
	if requestID == "" {
		requestID = exampleRequestID
	}
	if sourceIP == "" {
		sourceIP = "192.0.2.1"
	}
	stage := g.Stage
	if req.Stage != "" {
		stage = req.Stage
	}
	vreq := &vtl.Request{Path: params, Query: last(req.Query), Header: last(req.Header), Body: req.Body, Context: map[string]any{
		"requestId": requestID, "stage": stage, "httpMethod": req.Method,
		"resourcePath": r.path, "path": "/" + stage + req.Path,
		"identity": map[string]any{"sourceIp": sourceIP, "userAgent": req.Header.Get("User-Agent")},
	}}
	if !req.Time.IsZero() {
		// API Gateway's CLF-style time, and milliseconds since 1970.
		vreq.Context["requestTime"] = req.Time.UTC().Format("02/Jan/2006:15:04:05 -0700")
		vreq.Context["requestTimeEpoch"] = req.Time.UnixMilli()
	}
	if req.Protocol != "" {
		vreq.Context["protocol"] = req.Protocol
	}
	if req.DomainName != "" {
		vreq.Context["domainName"] = req.DomainName
	}
	if id, ok := g.Vars["AWS::AccountId"]; ok {
		vreq.Context["accountId"] = id
	}
	res, err := tpl.Render(vreq, v)
	if errors.Is(err, vtl.ErrBadJSON) {
		// Which gateway response type API Gateway uses here is not
		// documented; BAD_REQUEST_BODY falls back to DEFAULT_4XX.
		return nil, g.answer(reject(400, "BAD_REQUEST_BODY", "Could not parse request body into json", err.Error()))
	}
	if err != nil {
		return nil, fmt.Errorf("request template of %s %s: %w", r.verb, r.path, err)
	}
	call := &Call{Verb: r.verb, Path: r.path, MethodID: r.id, PathParams: params, ContentType: ct,
		Action: r.action.Name(), Body: res.Body, Timeout: DefaultTimeout, variant: v, integrationReply: m.Integration.IntegrationResponses, g: g}
	if m.Integration.TimeoutInMillis != nil {
		call.Timeout = time.Duration(*m.Integration.TimeoutInMillis) * time.Millisecond
	}
	call.Request, err = r.action.Decode(res.Body)
	if err != nil {
		// API Gateway sends the body whatever it holds; Step Functions
		// refuses it. The call goes on, with what could be read of it.
		if call.Request == nil {
			call.Request = &integration.Request{Action: call.Action}
		}
		return call, &BodyError{err}
	}
	if call.Request.StateMachineArn != "" {
		if id, ok := g.MachineOf(call.Request.StateMachineArn); ok {
			m := g.Template.CFN.Resources[id].(*stepfunctions.StateMachine)
			call.Express = m.StateMachineType != nil && *m.StateMachineType == "EXPRESS"
		}
	}
	return call, nil
}

// BodyError is a rendered body that Step Functions would refuse (not JSON,
// an input that is not JSON). API Gateway sends it all the same: Start
// returns the call with it.
type BodyError struct{ Err error }

func (e *BodyError) Error() string { return e.Err.Error() }
func (e *BodyError) Unwrap() error { return e.Err }

// lookup gives the value of an Fn::Sub variable.
func (g *Gateway) lookup(name string) (string, bool) {
	v, ok := g.Vars[name]
	return v, ok
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

// Reply is what Step Functions answers: an HTTP status and a JSON body.
type Reply struct {
	Status int             `json:"status"`
	Body   json.RawMessage `json:"body"`
}

// Error types' namespaces in Step Functions' replies: its own errors, and
// those of the service framework (a body it cannot read, an unknown
// action).
const (
	ModelError   = "com.amazonaws.swf.service.v2.model#"
	ServiceError = "com.amazon.coral.service#"
)

// ErrorReply is an error reply in Step Functions' wire format: the
// status, and {"__type": namespace + name, "message": message}.
func ErrorReply(status int, namespace, name, message string) Reply {
	b, _ := json.Marshal(map[string]string{"__type": namespace + name, "message": message})
	return Reply{Status: status, Body: b}
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
		re, err := c.g.pattern(*ir.SelectionPattern)
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
	tpl, err := c.g.parse(chosen.ResponseTemplates["application/json"])
	if err != nil {
		return nil, which, fmt.Errorf("%s: %w", which, err)
	}
	res, err := tpl.Render(&vtl.Request{Body: string(reply.Body)}, c.variant)
	if err != nil {
		return nil, which, fmt.Errorf("%s: %w", which, err)
	}
	if s, ok := res.StatusOverride(); ok {
		code = s
	}
	return &Response{Status: code, Body: res.Body, Headers: res.HeaderOverrides()}, which, nil
}
