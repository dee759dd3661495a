package compile

import (
	"github.com/awslabs/goformation/v7/cloudformation/apigateway"

	"github.com/sfnapic/sfnapic/spec"
)

// This file owns request validation: a route's body schema becomes an
// AWS::ApiGateway::Model, and its method a RequestValidator that checks the
// body, the required parameters, or both. API Gateway refuses an invalid
// body with BAD_REQUEST_BODY (400), whose gateway response (responses.go)
// gives $context.error.validationErrorString in the envelope.

// Request validators, one per kind a route needs ("Request validation for
// REST APIs": a validator checks the body, the parameters, or both).
const (
	idValidator           = "RequestValidatorParams" // required query and header parameters
	idValidatorBody       = "RequestValidatorBody"
	idValidatorBodyParams = "RequestValidatorBodyAndParams"
)

// draft04 is the JSON Schema version API Gateway's models speak
// ("Data models for REST APIs": JSON Schema draft 4).
const draft04 = "http://json-schema.org/draft-04/schema#"

// validatesBodies reports whether a route validates its body.
func (b *builder) validatesBodies() bool {
	for _, r := range b.s.Routes {
		if r.Body != nil {
			return true
		}
	}
	return false
}

// bodyModel creates the model of a route's body, named after its method's
// ID (a model's name is alphanumeric), and hands back its ID.
func (b *builder) bodyModel(r *spec.Route, frag string) string {
	id := "Model" + frag
	b.t.CFN.Resources[id] = &apigateway.Model{
		RestApiId:   b.t.Ref(idAPI),
		ContentType: ptr(spec.ContentJSON),
		Name:        ptr(frag + "Body"),
		Description: ptr("Body of " + r.Method + " " + r.Path),
		Schema:      withSchemaVersion(r.Body.Schema),
	}
	return id
}

// withSchemaVersion writes $schema first, draft-04, when the schema does
// not say it: API Gateway reads a model as draft 4 either way, and the
// validators sfnapic's tools use then read it the same.
func withSchemaVersion(schema any) any {
	o, ok := schema.(spec.Object)
	if !ok {
		return schema
	}
	if _, has := o.Get("$schema"); has {
		return o
	}
	return append(spec.Object{{Key: "$schema", Value: draft04}}, o...)
}

// validation sets a method's validator and body model: which validator
// depends on whether it validates a body, required parameters, or both.
func (b *builder) validation(m *apigateway.Method, r *spec.Route, frag string, params bool) {
	var id string
	switch {
	case r.Body != nil && params:
		id = idValidatorBodyParams
	case r.Body != nil:
		id = idValidatorBody
	case params:
		// Without a validator API Gateway ignores "required" on query and
		// header parameters.
		id = idValidator
	default:
		return
	}
	if r.Body != nil {
		// Ref on a Model gives its name, which RequestModels takes.
		m.RequestModels = map[string]string{spec.ContentJSON: b.t.Ref(b.bodyModel(r, frag))}
	}
	m.RequestValidatorId = ptr(b.t.Ref(id))
	if _, done := b.t.CFN.Resources[id]; !done {
		v := &apigateway.RequestValidator{RestApiId: b.t.Ref(idAPI)}
		if r.Body != nil {
			v.ValidateRequestBody = ptr(true)
		}
		if params {
			v.ValidateRequestParameters = ptr(true)
		}
		b.t.CFN.Resources[id] = v
	}
}
