// Package restapi reads an API Gateway REST API out of a CloudFormation
// template once, into the model that every reader of a REST API shares:
// its stage, its methods by path (each with its integration's kind and,
// for Step Functions, its action), and its gateway responses. The local
// gateway routes requests over it; authorizers, models, usage plans and
// the OpenAPI Body form are read here next, and an OpenAPI export writes
// from it.
//
// It reads the template alone, never a spec: what it shows is what would
// be deployed.
package restapi

import (
	"fmt"
	"net/url"
	"sort"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"

	"github.com/sfnapic/sfnapic/cfn"
	"github.com/sfnapic/sfnapic/integration"
	"github.com/sfnapic/sfnapic/restapi/pathparam"
)

// Kind is what a method's integration calls.
type Kind int

// The kinds of integration a method may have.
const (
	// Unknown is an integration sfnapic does not model (Lambda, HTTP, an
	// AWS service other than Step Functions), or none.
	Unknown Kind = iota
	// StepFunctions is an AWS integration that calls a Step Functions
	// action sfnapic knows (Method.Action).
	StepFunctions
	// Mock is a MOCK integration: API Gateway answers from the
	// integration response alone, calling nothing (a CORS preflight).
	Mock
)

func (k Kind) String() string {
	switch k {
	case StepFunctions:
		return "Step Functions"
	case Mock:
		return "MOCK"
	}
	return "unknown"
}

// DefaultStage is the stage of a template that declares none.
const DefaultStage = "prod"

// API is a REST API read from a template.
type API struct {
	// Stage is the name of the template's AWS::ApiGateway::Stage.
	Stage string
	// Methods are the API's methods, sorted by path, then verb.
	Methods []*Method
	// GatewayResponses are the template's gateway responses, by type
	// (DEFAULT_4XX, MISSING_AUTHENTICATION_TOKEN...).
	GatewayResponses map[string]*apigateway.GatewayResponse
	// Authorizers are the template's authorizers, by logical ID.
	Authorizers []*Authorizer
	// UsagePlans are the template's usage plans, by logical ID; Keys its
	// API keys, by name (keys.go).
	UsagePlans []*UsagePlan
	Keys       []*APIKey
	// Models are the template's models, by logical ID (models.go).
	Models map[string]*Model
}

// Method is one AWS::ApiGateway::Method: a verb on a path.
type Method struct {
	Verb     string   // GET, POST, ..., ANY
	Path     string   // /items/{id}, or / for the root
	Segments []string // the path's segments, unescaped
	ID       string   // the Method's logical ID
	Resource *apigateway.Method
	Kind     Kind
	// Action is the Step Functions action of a StepFunctions method.
	Action integration.Action
	// Auth is how the method authorizes its callers.
	Auth Auth
	// APIKeyRequired: a request needs an API key of a usage plan of the
	// stage (ApiKeyRequired).
	APIKeyRequired bool
	// Validation is what the method's request validator checks; nil
	// without one.
	Validation *Validation
	// Models are the method's RequestModels, by media type.
	Models map[string]*Model
}

// Route names a method as "VERB /path".
func (m *Method) Route() string { return m.Verb + " " + m.Path }

// Read reads the REST API of a template. It fails when the template's
// resources do not form a tree under the API's root.
func Read(t *cfn.Template) (*API, error) {
	api := &API{Stage: DefaultStage, GatewayResponses: map[string]*apigateway.GatewayResponse{}}
	paths := resourcePaths{t: t, paths: map[string]string{}}
	for _, id := range sortedIDs(t) {
		switch r := t.CFN.Resources[id].(type) {
		case *apigateway.Stage:
			if r.StageName != nil {
				api.Stage = *r.StageName
			}
		case *apigateway.GatewayResponse:
			api.GatewayResponses[r.ResponseType] = r
		case *apigateway.Method:
			p, err := paths.of(r.ResourceId, 0)
			if err != nil {
				return nil, fmt.Errorf("method %s: %w", id, err)
			}
			api.Methods = append(api.Methods, readMethod(t, id, r, p))
		}
	}
	sort.SliceStable(api.Methods, func(i, j int) bool {
		a, b := api.Methods[i], api.Methods[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Verb < b.Verb
	})
	readAuth(t, api)
	api.readKeys(t, sortedIDs(t))
	api.readModels(t, sortedIDs(t))
	return api, nil
}

func sortedIDs(t *cfn.Template) []string {
	ids := make([]string, 0, len(t.CFN.Resources))
	for id := range t.CFN.Resources {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// readMethod reads one method on its path, and what its integration is.
func readMethod(t *cfn.Template, id string, r *apigateway.Method, path string) *Method {
	m := &Method{Verb: r.HttpMethod, Path: path, Segments: Split(path), ID: id, Resource: r}
	if path == "" {
		m.Path = "/"
	}
	in := r.Integration
	switch {
	case in == nil:
	case in.Type == "MOCK":
		m.Kind = Mock
	case in.Uri != nil:
		// The URI names the action; its Fn::Sub variables (the partition
		// and region) are kept as written, which FromURI accepts.
		if uri, err := t.Text(*in.Uri, keepVariable); err == nil {
			if a, ok := integration.FromURI(uri); ok {
				m.Kind, m.Action = StepFunctions, a
			}
		}
	}
	return m
}

// keepVariable leaves an Fn::Sub variable as it is written.
func keepVariable(name string) (string, bool) { return "${" + name + "}", true }

// resourcePaths finds the path of each AWS::ApiGateway::Resource by
// following its parents up to the API's root.
type resourcePaths struct {
	t     *cfn.Template
	paths map[string]string // resource logical ID -> path
}

// of returns the path of the resource a method's or resource's parent
// property names ("" for the root).
func (rp *resourcePaths) of(value string, depth int) (string, error) {
	t := rp.t
	if _, attr, ok := t.GetAttTarget(value); ok && attr == "RootResourceId" {
		return "", nil
	}
	id, ok := t.RefTarget(value)
	if !ok {
		return "", fmt.Errorf("a resource's parent is %q, neither a Ref to a resource nor the API's RootResourceId", value)
	}
	if p, ok := rp.paths[id]; ok {
		return p, nil
	}
	r, ok := t.CFN.Resources[id].(*apigateway.Resource)
	if !ok || depth > 1000 {
		return "", fmt.Errorf("%s is not an AWS::ApiGateway::Resource under the API's root", id)
	}
	parent, err := rp.of(r.ParentId, depth+1)
	if err != nil {
		return "", err
	}
	rp.paths[id] = parent + "/" + r.PathPart
	return rp.paths[id], nil
}

// Routes lists the API's routes, "VERB /path", sorted by path and verb.
func (a *API) Routes() []string {
	out := make([]string, len(a.Methods))
	for i, m := range a.Methods {
		out[i] = m.Route()
	}
	return out
}

// Split returns the segments of a path, each unescaped ("" has none).
func Split(p string) []string {
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

// Match finds the method API Gateway would pick for a request: literal
// segments before parameters, then the exact verb before ANY. With no
// match, pathExists says whether some method has the path (with another
// verb).
func (a *API) Match(verb, path string) (m *Method, params map[string]string, pathExists bool) {
	segs := Split(path)
	bestScore := -1
	for _, cand := range a.Methods {
		p, score, ok := match(cand.Segments, segs)
		if !ok {
			continue
		}
		pathExists = true
		if cand.Verb != verb && cand.Verb != "ANY" {
			continue
		}
		score *= 2
		if cand.Verb == verb {
			score++
		}
		if score > bestScore {
			m, bestScore, params = cand, score, p
		}
	}
	return m, params, pathExists
}

// match reports whether a route's segments match a request path, with the
// path parameters and a score that prefers literal segments.
func match(route, path []string) (map[string]string, int, bool) {
	params := map[string]string{}
	score := 0
	for i, seg := range route {
		name, greedy, isParam := pathparam.Parse(seg)
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
