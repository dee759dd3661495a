package gateway

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"

	"github.com/sfnapic/sfnapic/vtl"
)

// Response is an HTTP response, from the gateway itself or rendered from an
// integration response.
type Response struct {
	Status int
	Body   string
	// Headers are the response's static headers (its ResponseParameters'
	// quoted values) and those its template set through
	// $context.responseOverride.header; nil when there are none.
	Headers map[string]string
	// mapped are a gateway response's ResponseParameters, whose values
	// from the request (method.request.header.X) MapRequest sets.
	mapped map[string]string
}

// MapRequest sets the headers that a gateway response maps from the
// request: method.request.header.X, method.request.querystring.X and
// method.request.path.X, the values other than static ones that a
// gateway response may take (the guide's "Gateway responses for REST
// APIs in API Gateway"); a value the request lacks sets nothing. It
// changes nothing in a response that is not a gateway response.
func (r *Response) MapRequest(header Header, query url.Values, path map[string]string) {
	for _, k := range sortedKeys(r.mapped) {
		name, ok := strings.CutPrefix(k, "gatewayresponse.header.")
		from, isRequest := strings.CutPrefix(r.mapped[k], "method.request.")
		if !ok || !isRequest || name == "" {
			continue
		}
		loc, param, _ := strings.Cut(from, ".")
		var v string
		switch loc {
		case "header":
			v = header.Get(param)
		case "querystring":
			v = query.Get(param)
		case "path":
			v = path[param]
		}
		if v != "" {
			r.Headers = setHeader(r.Headers, name, v)
		}
	}
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Rejection is a request that API Gateway answers itself, without calling
// Step Functions.
type Rejection struct {
	Response
	Type    string // the gateway response type, e.g. BAD_REQUEST_PARAMETERS
	Message string // API Gateway's message, $context.error.message
	Reason  string // why, for people
	// ValidationErrors is $context.error.validationErrorString: why a
	// body failed its model, as a list, "[...]", escaped to sit inside a
	// JSON string, as API Gateway's is (its answers quote the list's
	// inner quotes: "[object has missing required properties
	// ([\"items\"])]", which a template writes between quotes).
	ValidationErrors string
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
	chosen := g.API.GatewayResponses[rej.Type]
	if chosen == nil {
		chosen = g.API.GatewayResponses[def]
	}
	quoted, _ := json.Marshal(rej.Message)
	if chosen == nil {
		rej.Body = `{"message":` + string(quoted) + `}`
		return rej
	}
	if chosen.StatusCode != nil {
		rej.Status, _ = strconv.Atoi(*chosen.StatusCode)
	}
	rej.Headers = staticHeaders(chosen.ResponseParameters, "gatewayresponse.header.", nil)
	rej.mapped = chosen.ResponseParameters
	ctx := map[string]any{"error": map[string]any{"message": rej.Message, "messageString": string(quoted), "responseType": rej.Type,
		"validationErrorString": rej.ValidationErrors}}
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

// staticHeaders adds to headers the static header values of a response's
// ResponseParameters: those under prefix ("method.response.header.",
// "gatewayresponse.header.") whose value is a literal in single quotes,
// as API Gateway writes them ('*'). Values mapped from the request or the
// integration's reply are not modelled. It returns nil when there are
// none.
func staticHeaders(params map[string]string, prefix string, headers map[string]string) map[string]string {
	names := make([]string, 0, len(params))
	for k := range params {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		name, ok := strings.CutPrefix(k, prefix)
		v := params[k]
		if !ok || name == "" || len(v) < 2 || v[0] != '\'' || v[len(v)-1] != '\'' {
			continue
		}
		headers = setHeader(headers, name, v[1:len(v)-1])
	}
	return headers
}

// setHeader sets a header in a map of headers, replacing any of the same
// name in another case (HTTP names match without regard to case).
func setHeader(headers map[string]string, name, value string) map[string]string {
	if headers == nil {
		headers = map[string]string{}
	}
	for k := range headers {
		if strings.EqualFold(k, name) {
			delete(headers, k)
		}
	}
	headers[name] = value
	return headers
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
// reply (SelectionPattern, a Java regex, fully matched against the
// status; the response without a pattern is the default), renders its
// template, applies its static response headers, then any status and
// header override the template set. It returns which response it chose,
// for people.
func (c *Call) Respond(reply Reply) (*Response, string, error) {
	chosen, err := c.selectResponse(reply.Status)
	if err != nil {
		return nil, "", err
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
	// A response template sees the method request's values and
	// $context, with the integration's reply as $input's body (a CORS
	// template echoes the request's Origin when it is allowed).
	in := c.input
	if in == nil {
		in = &vtl.Request{}
	}
	withReply := *in
	withReply.Body = string(reply.Body)
	res, err := tpl.Render(&withReply, c.variant)
	if err != nil {
		return nil, which, fmt.Errorf("%s: %w", which, err)
	}
	if s, ok := res.StatusOverride(); ok {
		code = s
	}
	// $context.responseOverride.header wins over a mapped header, as in
	// API Gateway.
	headers := staticHeaders(chosen.ResponseParameters, "method.response.header.", nil)
	for name, value := range res.HeaderOverrides() {
		headers = setHeader(headers, name, value)
	}
	return &Response{Status: code, Body: res.Body, Headers: headers}, which, nil
}

// selectResponse picks the integration response for a status: the first
// whose selection pattern matches it, else the default.
func (c *Call) selectResponse(status int) (*apigateway.Method_IntegrationResponse, error) {
	text := strconv.Itoa(status)
	var chosen *apigateway.Method_IntegrationResponse
	for i, ir := range c.integrationReply {
		if ir.SelectionPattern == nil {
			if chosen == nil {
				chosen = &c.integrationReply[i]
			}
			continue
		}
		if status == 0 {
			continue // a MOCK without a status: the default answers
		}
		re, err := c.g.pattern(*ir.SelectionPattern)
		if err != nil {
			return nil, fmt.Errorf("selection pattern %q: %v", *ir.SelectionPattern, err)
		}
		if re.MatchString(text) {
			return &c.integrationReply[i], nil
		}
	}
	if chosen == nil {
		return nil, fmt.Errorf("no integration response matches status %d and there is no default", status)
	}
	return chosen, nil
}
