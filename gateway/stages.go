package gateway

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"

	"github.com/sfnapic/sfnapic/integration"
	"github.com/sfnapic/sfnapic/restapi"
	"github.com/sfnapic/sfnapic/vtl"
)

// Call is a routed, rendered request: what API Gateway sends to the
// method's integration.
type Call struct {
	Verb, Path  string // the route: its verb and path, such as POST /items/{id}
	MethodID    string // the logical ID of its AWS::ApiGateway::Method
	PathParams  map[string]string
	ContentType string
	// Kind is what the integration calls: Step Functions, or nothing
	// (MOCK: the gateway answers itself, see Mocked).
	Kind   restapi.Kind
	Action string // the Step Functions action, such as StartExecution; "" for MOCK
	Body   string // the body API Gateway sends to the integration
	// Request is what the body asks Step Functions for.
	Request *integration.Request
	// Express is set when the state machine the request targets is one
	// the template creates as EXPRESS.
	Express bool
	// Timeout is how long API Gateway waits for Step Functions: the
	// integration's timeout, else its default of 29 seconds.
	Timeout          time.Duration
	mockStatus       int
	variant          vtl.Variant
	input            *vtl.Request // what the request template saw
	integrationReply []apigateway.Method_IntegrationResponse
	g                *Gateway
}

// Mocked returns the reply of a MOCK integration, which API Gateway makes
// up itself from the status its request template wrote (0 when there is
// no template: the default response answers): the call goes to no
// backend. ok is false for any other integration.
func (c *Call) Mocked() (reply Reply, ok bool) {
	if c.Kind != restapi.Mock {
		return Reply{}, false
	}
	// What a MOCK integration hands its response templates as $input is
	// not documented; the examples' templates are static text, so an
	// empty body stands in.
	return Reply{Status: c.mockStatus}, true
}

// DefaultTimeout is API Gateway's integration timeout when a method sets
// none.
const DefaultTimeout = 29 * time.Second

// exchange is one request on its way through the stages: what each stage
// found, for the next.
type exchange struct {
	req     *Request
	variant vtl.Variant
	method  *restapi.Method
	params  map[string]string
	// contentType chose the request template, tpl; a nil tpl passes the
	// body through as it came.
	contentType string
	tpl         *vtl.Template
	input       *vtl.Request // the request's values and $context, for the templates
	body        string       // what the integration request carries
	call        *Call
	auth        *authResult // what the authorizer found, if one ran
}

// stages are what API Gateway does with a request before it calls the
// integration, in its order. A stage that refuses the request returns a
// *Rejection (already answered by the gateway responses); one that fails
// on API Gateway's side returns another error.
var stages = []func(*Gateway, *exchange) error{
	(*Gateway).routeStage,
	// The method request's checks, in API Gateway's order: the
	// authorizer, then the API key and its usage plan (auth.go and
	// keys.go cite the order), then the required parameters and the body
	// against the method's model. A CORS preflight is an OPTIONS MOCK
	// method, answered by the integration stage without a call.
	(*Gateway).authorizeStage,
	(*Gateway).apiKeyStage,
	(*Gateway).parametersStage,
	(*Gateway).validateStage,
	(*Gateway).templateStage,
	(*Gateway).renderStage,
	(*Gateway).integrationStage,
}

// Start takes a request through API Gateway's stages up to the call of
// the integration: what API Gateway would send, and to what. A request
// API Gateway would refuse comes back as a *Rejection error; a body Step
// Functions would refuse comes back with its call and a *BodyError.
func (g *Gateway) Start(req *Request) (*Call, error) { return g.start(req, g.Variant) }

func (g *Gateway) start(req *Request, v vtl.Variant) (*Call, error) {
	x := &exchange{req: req, variant: v}
	for _, stage := range stages {
		if err := stage(g, x); err != nil {
			if rej, ok := err.(*Rejection); ok {
				rej.MapRequest(req.Header, req.Query, x.params)
			}
			return x.call, err
		}
	}
	return x.call, nil
}

func (g *Gateway) routeStage(x *exchange) error {
	m, params, rej := g.route(x.req)
	if rej != nil {
		return rej
	}
	x.method, x.params = m, params
	return nil
}

// parametersStage refuses a request that lacks a required query or header
// parameter, when the method has a request validator.
func (g *Gateway) parametersStage(x *exchange) error {
	m := x.method.Resource
	if v := x.method.Validation; v == nil || !v.Params {
		return nil
	}
	if missing := missingParams(m, x.req); len(missing) > 0 {
		return g.answer(reject(400, "BAD_REQUEST_PARAMETERS", "Missing required request parameters: ["+strings.Join(missing, ", ")+"]",
			"the request validator requires "+strings.Join(missing, ", ")))
	}
	return nil
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

// templateStage chooses the request template by the request's media type
// (application/json when it names none). Without a template for it, the
// integration's PassthroughBehavior decides: NEVER refuses the request,
// WHEN_NO_TEMPLATES passes it through only if the method has no template,
// and WHEN_NO_MATCH (the default) always does.
func (g *Gateway) templateStage(x *exchange) error {
	m := x.method
	in := m.Resource.Integration
	if in == nil || m.Kind == restapi.Unknown {
		return fmt.Errorf("method %s (%s) does not integrate with a Step Functions action sfnapic knows (%s), nor MOCK", m.ID, m.Route(), strings.Join(integration.Names(), ", "))
	}
	x.contentType = mediaType(x.req)
	prop, ok := in.RequestTemplates[x.contentType]
	if !ok {
		return g.passThrough(x, in)
	}
	text, err := g.text(prop)
	if err == nil {
		x.tpl, err = g.parse(text)
	}
	if err != nil {
		return fmt.Errorf("request template of %s: %w", m.Route(), err)
	}
	return nil
}

// passThrough decides for a media type without a template.
func (g *Gateway) passThrough(x *exchange, in *apigateway.Method_Integration) error {
	behaviour := "WHEN_NO_MATCH"
	if in.PassthroughBehavior != nil {
		behaviour = *in.PassthroughBehavior
	}
	if behaviour == "WHEN_NO_MATCH" || behaviour == "WHEN_NO_TEMPLATES" && len(in.RequestTemplates) == 0 {
		return nil
	}
	var types []string
	for k := range in.RequestTemplates {
		types = append(types, k)
	}
	sort.Strings(types)
	return g.answer(reject(415, "UNSUPPORTED_MEDIA_TYPE", "Unsupported Media Type",
		fmt.Sprintf("no request template for %s (the route has %s) and passthrough is %s", x.contentType, strings.Join(types, ", "), behaviour)))
}

// renderStage renders the request template with the request's values and
// API Gateway's $context.
func (g *Gateway) renderStage(x *exchange) error {
	if x.tpl == nil {
		x.body = x.req.Body
		return nil
	}
	x.input = g.vtlRequest(x)
	res, err := x.tpl.Render(x.input, x.variant)
	if errors.Is(err, vtl.ErrBadJSON) {
		// Which gateway response type API Gateway uses here is not
		// documented; BAD_REQUEST_BODY falls back to DEFAULT_4XX.
		return g.answer(reject(400, "BAD_REQUEST_BODY", "Could not parse request body into json", err.Error()))
	}
	if err != nil {
		return fmt.Errorf("request template of %s: %w", x.method.Route(), err)
	}
	x.body = res.Body
	return nil
}

// vtlRequest is what a request template sees of the request: its values
// and API Gateway's $context.
func (g *Gateway) vtlRequest(x *exchange) *vtl.Request {
	req, m := x.req, x.method
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
	ctx := map[string]any{
		"requestId": requestID, "stage": stage, "httpMethod": req.Method,
		"resourcePath": m.Path, "path": "/" + stage + req.Path,
		"identity": map[string]any{"sourceIp": sourceIP, "userAgent": req.Header.Get("User-Agent")},
	}
	if !req.Time.IsZero() {
		// API Gateway's CLF-style time, and milliseconds since 1970.
		ctx["requestTime"] = req.Time.UTC().Format("02/Jan/2006:15:04:05 -0700")
		ctx["requestTimeEpoch"] = req.Time.UnixMilli()
	}
	if req.Protocol != "" {
		ctx["protocol"] = req.Protocol
	}
	if req.DomainName != "" {
		ctx["domainName"] = req.DomainName
	}
	if id, ok := g.Vars["AWS::AccountId"]; ok {
		ctx["accountId"] = id
	}
	addAuth(ctx, x.auth)
	return &vtl.Request{Path: x.params, Query: last(req.Query), Header: last(req.Header), Body: req.Body, Context: ctx}
}

// integrationStage makes the call of the integration request: for Step
// Functions, what the body asks for; for MOCK, the status it chose.
func (g *Gateway) integrationStage(x *exchange) error {
	m := x.method
	in := m.Resource.Integration
	call := &Call{Verb: m.Verb, Path: m.Path, MethodID: m.ID, PathParams: x.params, ContentType: x.contentType, Kind: m.Kind,
		Body: x.body, Timeout: DefaultTimeout, variant: x.variant, input: x.input, integrationReply: in.IntegrationResponses, g: g}
	if call.input == nil { // passed through: no template rendered
		call.input = g.vtlRequest(x)
	}
	if in.TimeoutInMillis != nil {
		call.Timeout = time.Duration(*in.TimeoutInMillis) * time.Millisecond
	}
	if m.Kind == restapi.Mock {
		return mockStatus(x, call, x.tpl == nil)
	}
	call.Action = m.Action.Name()
	x.call = call
	var err error
	call.Request, err = m.Action.Decode(x.body)
	if err != nil {
		// API Gateway sends the body whatever it holds; Step Functions
		// refuses it. The call goes on, with what could be read of it.
		if call.Request == nil {
			call.Request = &integration.Request{Action: call.Action}
		}
		return &BodyError{err}
	}
	if id, ok := g.MachineOf(call.Request.StateMachineArn); ok {
		call.Express = g.express[id]
	}
	return nil
}

// mockStatus reads the status a MOCK integration's request template
// chose: {"statusCode": 200}. API Gateway fails when a template writes
// none ("Unable to parse statusCode", a configuration error); without a
// template, the method answers with its default integration response
// (the AWS guide "Mock integrations for REST APIs"), which status 0
// selects.
func mockStatus(x *exchange, call *Call, passedThrough bool) error {
	var v struct {
		StatusCode *int `json:"statusCode"`
	}
	err := json.Unmarshal([]byte(x.body), &v)
	if (err != nil || v.StatusCode == nil) && passedThrough {
		v.StatusCode = new(int)
	} else if err != nil || v.StatusCode == nil {
		return fmt.Errorf("MOCK integration of %s: Unable to parse statusCode: the request template must write {\"statusCode\": 200} or another integer (it wrote %q)", x.method.Route(), x.body)
	}
	call.mockStatus, call.Request = *v.StatusCode, &integration.Request{}
	x.call = call
	return nil
}

// BodyError is a rendered body that Step Functions would refuse (not JSON,
// an input that is not JSON). API Gateway sends it all the same: Start
// returns the call with it.
type BodyError struct{ Err error }

func (e *BodyError) Error() string { return e.Err.Error() }
func (e *BodyError) Unwrap() error { return e.Err }

func last(m map[string][]string) map[string]string {
	out := map[string]string{}
	for k, vs := range m {
		if len(vs) > 0 {
			out[k] = vs[len(vs)-1]
		}
	}
	return out
}
