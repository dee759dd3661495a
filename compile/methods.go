package compile

import (
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"

	"github.com/sfnapic/sfnapic/integration"
	"github.com/sfnapic/sfnapic/spec"
)

// routeMethods creates one AWS::ApiGateway::Method per route, with the
// integration of its action, who may call it, and its validation.
func (b *builder) routeMethods() {
	ids := b.paths
	for _, r := range b.s.Routes {
		frag := ids[strings.Join(r.Segments, "/")] + pascal(strings.ToLower(r.Method))
		id := "Route" + frag
		b.methods = append(b.methods, id)
		a := action(r)
		rest := a.REST()
		params, required := requestParameters(r)
		method := &apigateway.Method{
			RestApiId:         b.t.Ref(idAPI),
			ResourceId:        b.resourceOf(ids, r.Segments),
			HttpMethod:        r.Method,
			RequestParameters: params,
			Integration: &apigateway.Method_Integration{
				Type:                  "AWS",
				IntegrationHttpMethod: ptr("POST"),
				Uri:                   ptr(b.t.Sub(integration.URI(a))),
				Credentials:           ptr(b.t.GetAtt(idAPIRole, "Arn")),
				PassthroughBehavior:   ptr("NEVER"),
				RequestTemplates:      b.requestTemplates(r, rest),
				IntegrationResponses:  integrationResponses(rest),
			},
			MethodResponses: methodResponses(rest),
		}
		if r.TimeoutMillis > 0 {
			method.Integration.TimeoutInMillis = ptr(r.TimeoutMillis)
		}
		b.methodAuth(method, r)
		if r.APIKey != nil {
			method.ApiKeyRequired = ptr(true)
		}
		b.validation(method, r, frag, required)
		b.corsResponses(method)
		b.t.CFN.Resources[id] = method
	}
}

// requestTemplates writes the route's request template for each content
// type it accepts.
func (b *builder) requestTemplates(r *spec.Route, rest integration.REST) map[string]string {
	m := b.machines[r.StateMachine]
	templates := map[string]string{}
	for _, ct := range r.ContentTypes {
		text := rest.RequestTemplate(requestParts(r, ct))
		markers := strings.NewReplacer(arnMarker, m.ARNText, executionsMarker, m.ExecutionsText)
		literal := r.StateMachine.Existing() && len(spec.DeployRefs(m.ARNText)) == 0
		if literal || !strings.Contains(text, arnMarker) && !strings.Contains(text, executionsMarker) {
			// A literal ARN, or none (a callback names no machine): no
			// Fn::Sub.
			templates[ct] = markers.Replace(text)
			continue
		}
		// In Fn::Sub, ${ starts a variable: any other ${ (from a literal
		// in the spec) is written ${! to stay as it is.
		text = strings.ReplaceAll(text, "${", "${!")
		templates[ct] = b.t.Sub(markers.Replace(text))
	}
	return templates
}

// requestParameters declares the path parameters, and the query and
// header parameters the input reads (required ones as "true"). required
// tells whether any of them needs the validator.
func requestParameters(r *spec.Route) (params map[string]string, required bool) {
	params = map[string]string{}
	for _, name := range r.Params() {
		params["method.request.path."+name] = "true"
	}
	for _, m := range r.Input {
		loc := map[spec.Location]string{spec.FromQuery: "querystring", spec.FromHeader: "header"}[m.From]
		if loc == "" {
			continue
		}
		params["method.request."+loc+"."+m.Name] = boolString(m.Required)
		required = required || m.Required
	}
	if len(params) == 0 {
		params = nil
	}
	return params, required
}

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// Exposure warns about the routes that anyone who knows the invoke URL can
// call: those without authorization on an API that is not PRIVATE (a
// PRIVATE API answers only the VPC endpoints its resource policy names).
// It is a diagnostic of its own, for the commands that put an API on the
// internet (deploy, diff), not a build warning.
func Exposure(s *spec.Spec) spec.ErrorList {
	var errs spec.ErrorList
	if s.API.Endpoint == spec.EndpointPrivate {
		return nil
	}
	var open []string
	for _, r := range s.Routes {
		// A route that asks for an API key is not open to anyone, though
		// a key is no authorization ("API keys ... should not be used for
		// authorization"): it is not listed.
		if authorizationType(r) == authNone && r.APIKey == nil {
			open = append(open, r.Method+" "+r.Path)
		}
	}
	if len(open) > 0 {
		pos := s.RoutesPos
		if pos.File == "" {
			pos.File = s.File
		}
		errs.Warn(pos, "routes", "%d of %d routes have no authorization, so anyone with the invoke URL can call them: %s",
			len(open), len(s.Routes), strings.Join(open, ", "))
	}
	return errs
}
