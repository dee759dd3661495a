package compile

import (
	"slices"
	"sort"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"

	"github.com/sfnapic/sfnapic/integration"
)

// integrationResponses are an action's integration responses as
// goformation writes them.
func integrationResponses(rest integration.REST) []apigateway.Method_IntegrationResponse {
	var out []apigateway.Method_IntegrationResponse
	for _, r := range rest.Responses() {
		ir := apigateway.Method_IntegrationResponse{
			StatusCode:        r.Status,
			ResponseTemplates: map[string]string{"application/json": r.Template},
		}
		if r.Pattern != "" {
			ir.SelectionPattern = ptr(r.Pattern)
		}
		out = append(out, ir)
	}
	return out
}

// methodResponses declares every status a method may answer, and the
// headers its integration responses may set (a proxying workflow's) on
// any of them.
func methodResponses(rest integration.REST) []apigateway.Method_MethodResponse {
	var headers map[string]string
	if hs := rest.Headers(); len(hs) > 0 {
		headers = map[string]string{}
		for _, h := range hs {
			headers["method.response.header."+h] = "false"
		}
	}
	var out []apigateway.Method_MethodResponse
	for _, code := range rest.Statuses() {
		out = append(out, apigateway.Method_MethodResponse{StatusCode: code, ResponseParameters: headers})
	}
	return out
}

// GatewayEnvelope is the body of API Gateway's own errors: the same
// {"error", "message"} envelope as Step Functions errors. messageString is
// the message already quoted and escaped by API Gateway.
const GatewayEnvelope = `{"error": "$context.error.responseType", "message": $context.error.messageString}` + "\n"

// BadBodyEnvelope is the body of BAD_REQUEST_BODY: the envelope, with
// what the validator found in "details". API Gateway gives the details
// only in $context.error.validationErrorString ("$context variables for
// data models, authorizers, mapping templates, and access logging"),
// unquoted, so the template quotes it as the users' templates that show
// it do.
const BadBodyEnvelope = `{"error": "$context.error.responseType", "message": $context.error.messageString, "details": "$context.error.validationErrorString"}` + "\n"

type gatewayResponse struct {
	responseType string
	status       *string
	template     string
}

var gatewayResponseSet = map[string]gatewayResponse{
	"GatewayResponseDefault4xx": {"DEFAULT_4XX", nil, GatewayEnvelope},
	"GatewayResponseDefault5xx": {"DEFAULT_5XX", nil, GatewayEnvelope},
	idNotFound: {"MISSING_AUTHENTICATION_TOKEN", ptr("404"),
		`{"error": "NotFound", "message": "no route matches this method and path"}` + "\n"},
}

// idNotFound is the gateway response of a request no route matches.
const idNotFound = "GatewayResponseNotFound"

// unsignedOrNotFound replaces the 404 when a route is AWS_IAM: API
// Gateway answers MISSING_AUTHENTICATION_TOKEN both to a request no route
// matches and to an unsigned request to an AWS_IAM method (knowledge
// center, "How do I resolve Missing Authentication Token errors from API
// Gateway?"), and a gateway response cannot tell them apart. A 404 "no
// route" would tell a manager's tool that forgot to sign that the route
// does not exist: the answer keeps API Gateway's 403 and names both.
var unsignedOrNotFound = gatewayResponse{"MISSING_AUTHENTICATION_TOKEN", nil,
	`{"error": "MISSING_AUTHENTICATION_TOKEN", "message": "no route matches this method and path, or the route takes only requests signed with SigV4 (AWS_IAM) and this one is not signed"}` + "\n"}

// corsGatewayResponses are the answers users hit first, which with CORS
// are declared one by one so that each carries the CORS headers whatever
// API Gateway does with the defaults; each keeps its own status.
var corsGatewayResponses = map[string]gatewayResponse{
	"GatewayResponseUnauthorized":         {"UNAUTHORIZED", nil, GatewayEnvelope},
	"GatewayResponseAccessDenied":         {"ACCESS_DENIED", nil, GatewayEnvelope},
	"GatewayResponseInvalidApiKey":        {"INVALID_API_KEY", nil, GatewayEnvelope},
	"GatewayResponseThrottled":            {"THROTTLED", nil, GatewayEnvelope},
	"GatewayResponseQuotaExceeded":        {"QUOTA_EXCEEDED", nil, GatewayEnvelope},
	"GatewayResponseBadRequestParameters": {"BAD_REQUEST_PARAMETERS", nil, GatewayEnvelope},
}

// idUnsupportedMedia is the gateway response of a content type the
// route has no request template for.
const idUnsupportedMedia = "GatewayResponseUnsupportedMediaType"

// unsupportedMediaEnvelope is the body of UNSUPPORTED_MEDIA_TYPE: the
// envelope, whose message is API Gateway's own ("Unsupported Media Type",
// the 415 of passthrough NEVER, in "Integration passthrough behaviors")
// followed by the content types the API's routes take, which API
// Gateway's message does not say: a client that sent curl's form default
// learns what to send. It is declared once for the API, so it names each
// route's types only when all routes take the same.
func (b *builder) unsupportedMediaEnvelope() string {
	seen := map[string]bool{}
	var all []string
	same := true
	first := ""
	for i, r := range b.s.Routes {
		types := slices.Sorted(slices.Values(r.ContentTypes))
		if i == 0 {
			first = strings.Join(types, ",")
		}
		same = same && strings.Join(types, ",") == first
		for _, ct := range types {
			if !seen[ct] {
				seen[ct] = true
				all = append(all, ct)
			}
		}
	}
	sort.Strings(all)
	hint := "send Content-Type: " + strings.Join(all, " or ")
	if !same {
		hint = "the API's routes take " + strings.Join(all, " or ") + "; not every route takes each"
	}
	return `{"error": "$context.error.responseType", "message": "$context.error.message: ` + hint + `"}` + "\n"
}

// idBadBody is the gateway response of a body its model refuses.
const idBadBody = "GatewayResponseBadRequestBody"

// gatewayResponses makes API Gateway's own errors (a missing parameter,
// an unsupported content type, a body that is not JSON, throttling) use
// the same envelope as Step Functions errors, and a request no route
// matches a 404, not the default 403 "Missing Authentication Token"
// (unless a route is AWS_IAM: unsignedOrNotFound). With
// CORS each carries the CORS headers, and the specific ones are declared;
// with CORS or a validated body, BAD_REQUEST_BODY says what was wrong.
func (b *builder) gatewayResponses() {
	params := b.gatewayCORS()
	set := map[string]gatewayResponse{}
	for id, gr := range gatewayResponseSet {
		set[id] = gr
	}
	if params != nil {
		for id, gr := range corsGatewayResponses {
			set[id] = gr
		}
	}
	set[idUnsupportedMedia] = gatewayResponse{"UNSUPPORTED_MEDIA_TYPE", nil, b.unsupportedMediaEnvelope()}
	if params != nil || b.validatesBodies() {
		set[idBadBody] = gatewayResponse{"BAD_REQUEST_BODY", nil, BadBodyEnvelope}
	}
	if b.signsRoutes() {
		set[idNotFound] = unsignedOrNotFound
	}
	for id, gr := range set {
		b.t.CFN.Resources[id] = &apigateway.GatewayResponse{
			RestApiId:          b.t.Ref(idAPI),
			ResponseType:       gr.responseType,
			StatusCode:         gr.status,
			ResponseParameters: params,
			ResponseTemplates:  map[string]string{"application/json": gr.template},
		}
	}
}
