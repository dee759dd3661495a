package compile

import (
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

var gatewayResponseSet = map[string]struct {
	responseType string
	status       *string
	template     string
}{
	"GatewayResponseDefault4xx": {"DEFAULT_4XX", nil, GatewayEnvelope},
	"GatewayResponseDefault5xx": {"DEFAULT_5XX", nil, GatewayEnvelope},
	"GatewayResponseNotFound": {"MISSING_AUTHENTICATION_TOKEN", ptr("404"),
		`{"error": "NotFound", "message": "no route matches this method and path"}` + "\n"},
}

// gatewayResponses makes API Gateway's own errors (a missing parameter,
// an unsupported content type, a body that is not JSON, throttling) use
// the same envelope as Step Functions errors, and a request no route
// matches a 404, not the default 403 "Missing Authentication Token".
func (b *builder) gatewayResponses() {
	for id, gr := range gatewayResponseSet {
		b.t.CFN.Resources[id] = &apigateway.GatewayResponse{
			RestApiId:         b.t.Ref(idAPI),
			ResponseType:      gr.responseType,
			StatusCode:        gr.status,
			ResponseTemplates: map[string]string{"application/json": gr.template},
		}
	}
}
