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
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/awslabs/goformation/v7/cloudformation/stepfunctions"

	"github.com/sfnapic/sfnapic/cfn"
	"github.com/sfnapic/sfnapic/internal/jsonschema4"
	"github.com/sfnapic/sfnapic/restapi"
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
	// Authorizer is $context.authorizer, what the method's authorizer
	// answered: a Cognito authorizer's token claims under "claims", a
	// Lambda authorizer's principalId and context keys at the top (API
	// Gateway's "$context Variables for data models, authorizers, mapping
	// templates"). render --claims sets it, and so may an authorize stage;
	// nil when no authorizer ran.
	Authorizer map[string]any
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

// Gateway is a local API Gateway over a compiled template. It knows only
// what the template says: its routes come from the REST API that restapi
// reads from the template's resources, never from a spec.
type Gateway struct {
	Template *cfn.Template
	// API is the template's REST API: its methods and gateway responses.
	API *restapi.API
	// Stage is the stage name, from the template's AWS::ApiGateway::Stage.
	Stage string
	// Vars are the values of Fn::Sub variables: each state machine's
	// logical ID gives the ARN it would have in account 123456789012,
	// us-east-1 (the real ARN exists only after deploy), ID.Name its name
	// (the logical ID stands in for the name CloudFormation picks), and the
	// pseudo parameters give that account and region. Replace them to show
	// real ARNs.
	Vars map[string]string
	// Variant selects the renderer's answer to each behaviour of API
	// Gateway that is not documented; the zero Variant is the reference
	// (see vtl.Variant).
	Variant vtl.Variant
	// Auth checks callers as the template's authorizers would; nil
	// checks none (see Auth).
	Auth *Auth
	// express holds the logical IDs of the template's EXPRESS machines.
	express map[string]bool
	// keys are the API key values requests may carry (UseKeys).
	keys *Keys
	// schemas are the compiled models, by logical ID (validate.go).
	schemas map[string]*jsonschema4.Schema
	// parsed holds each template text parsed once: a server renders the
	// same few templates for every request. It is bounded by the texts
	// the template holds.
	parsed   sync.Map // string -> *vtl.Template
	subs     sync.Map // string -> *cfn.Sub: each property's Fn::Sub, read once
	patterns sync.Map // string -> *regexp.Regexp: each selection pattern, compiled once
}

// New reads the REST API of a template into a local gateway. It fails
// when the template's resources do not form a tree under the API's root.
func New(t *cfn.Template) (*Gateway, error) {
	api, err := restapi.Read(t)
	if err != nil {
		return nil, err
	}
	g := &Gateway{Template: t, API: api, Stage: api.Stage, express: map[string]bool{}, Vars: map[string]string{
		"AWS::Region": PlaceholderRegion, "AWS::AccountId": PlaceholderAccount, "AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com",
	}}
	for id, r := range t.CFN.Resources {
		if m, ok := r.(*stepfunctions.StateMachine); ok {
			g.Vars[id] = "arn:aws:states:" + PlaceholderRegion + ":" + PlaceholderAccount + ":stateMachine:" + id
			g.Vars[id+".Name"] = id
			g.express[id] = m.StateMachineType != nil && *m.StateMachineType == "EXPRESS"
		}
	}
	if err := g.compileModels(); err != nil {
		return nil, err
	}
	return g, nil
}

// Routes lists the template's routes, "VERB /path", sorted by path and verb.
func (g *Gateway) Routes() []string { return g.API.Routes() }

// MachineOf returns the logical ID of the state machine that the template
// creates with this ARN: the ARN is then the stand-in from Vars, not one
// that exists yet.
func (g *Gateway) MachineOf(arn string) (string, bool) {
	arn = Unqualified(arn)
	for id := range g.express {
		if g.Vars[id] == arn {
			return id, true
		}
	}
	return "", false
}

// Route returns the route ("VERB /path") that API Gateway would pick for
// a request, with its path parameters, or its refusal.
func (g *Gateway) Route(req *Request) (string, map[string]string, *Rejection) {
	m, params, rej := g.route(req)
	if rej != nil {
		return "", nil, rej
	}
	return m.Route(), params, nil
}

// route finds the method API Gateway would pick for a request. API
// Gateway answers an unknown path, or a verb the path does not have, with
// MISSING_AUTHENTICATION_TOKEN (403 unless the template's gateway
// response says otherwise).
func (g *Gateway) route(req *Request) (*restapi.Method, map[string]string, *Rejection) {
	m, params, pathExists := g.API.Match(req.Method, req.Path)
	if m != nil {
		return m, params, nil
	}
	reason := "no route has this path"
	if pathExists {
		reason = fmt.Sprintf("the path exists, but not with %s", req.Method)
	}
	return nil, nil, g.answer(reject(403, "MISSING_AUTHENTICATION_TOKEN", "Missing Authentication Token", reason))
}

// lookup gives the value of an Fn::Sub variable.
func (g *Gateway) lookup(name string) (string, bool) {
	v, ok := g.Vars[name]
	return v, ok
}

// text evaluates a string property, reading its Fn::Sub once and
// substituting the current Vars each time. A Ref (a property that is one
// parameter's value, such as a user pool's ARN) reads its name's Var.
func (g *Gateway) text(value string) (string, error) {
	if name, ok := g.Template.RefTarget(value); ok {
		if v, ok := g.lookup(name); ok {
			return v, nil
		}
		return "", fmt.Errorf("%s (a Ref) has no value here", name)
	}
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

// Unqualified is a state machine's ARN without the version or alias after
// its name (arn:...:stateMachine:NAME:live is arn:...:stateMachine:NAME):
// a call through an alias runs the machine, and its executions are named
// by the machine alone ("How Step Functions associates executions with a
// version or alias").
func Unqualified(arn string) string {
	if parts := strings.SplitN(arn, ":", 8); len(parts) == 8 && parts[5] == "stateMachine" {
		return strings.Join(parts[:7], ":")
	}
	return arn
}
