package restapi

import (
	"bytes"
	"encoding/json"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"

	"github.com/sfnapic/sfnapic/cfn"
)

// Model is one AWS::ApiGateway::Model: a JSON Schema (draft-04, the one
// API Gateway speaks) that a method's request body must satisfy.
type Model struct {
	ID          string // the model's logical ID
	Name        string // its Name, which a $ref to it uses; else the logical ID
	ContentType string
	// Schema is the schema as JSON, its intrinsics (an Fn::Sub in a
	// $ref's URL) written out as CloudFormation would read them.
	Schema json.RawMessage
}

// Validation is what a method's request validator checks.
type Validation struct {
	// Params: the required query strings and headers are there.
	Params bool
	// Body: the body satisfies the model of its media type
	// (Method.Models).
	Body bool
}

// readModels reads the models and request validators, then each
// method's validation, models and API key requirement.
func (a *API) readModels(t *cfn.Template, ids []string) {
	a.Models = map[string]*Model{}
	validators := map[string]Validation{}
	for _, id := range ids {
		switch r := t.CFN.Resources[id].(type) {
		case *apigateway.Model:
			m := &Model{ID: id, Name: id, ContentType: "application/json"}
			if r.Name != nil {
				m.Name = *r.Name
			}
			if r.ContentType != nil {
				m.ContentType = *r.ContentType
			}
			m.Schema = schemaJSON(t, r.Schema)
			a.Models[id] = m
		case *apigateway.RequestValidator:
			validators[id] = Validation{Params: r.ValidateRequestParameters != nil && *r.ValidateRequestParameters,
				Body: r.ValidateRequestBody != nil && *r.ValidateRequestBody}
		}
	}
	for _, m := range a.Methods {
		readMethodChecks(t, m, a.Models, validators)
	}
}

// readMethodChecks reads what API Gateway checks of a method's requests.
// A validator the template does not declare (an ID given as text) is
// taken to check both, as sfnapic did before it read validators.
func readMethodChecks(t *cfn.Template, m *Method, models map[string]*Model, validators map[string]Validation) {
	r := m.Resource
	m.APIKeyRequired = r.ApiKeyRequired != nil && *r.ApiKeyRequired
	if r.RequestValidatorId != nil {
		v, ok := validators[refOr(t, *r.RequestValidatorId)]
		if !ok {
			v = Validation{Params: true, Body: true}
		}
		m.Validation = &v
	}
	for mediaType, value := range r.RequestModels {
		id := refOr(t, value)
		if model, ok := models[id]; ok {
			if m.Models == nil {
				m.Models = map[string]*Model{}
			}
			m.Models[mediaType] = model
			continue
		}
		// A model named by its Name (as API Gateway's own API does).
		for _, model := range models {
			if model.Name == value {
				if m.Models == nil {
					m.Models = map[string]*Model{}
				}
				m.Models[mediaType] = model
			}
		}
	}
}

// schemaJSON is a model's Schema as JSON: a JSON object, or a string
// that holds one (both are how templates write it). An Fn::Sub in it (a
// $ref to another model in API Gateway's URL form,
// https://apigateway.amazonaws.com/restapis/${Api}/models/Name) becomes
// its text, variables kept.
func schemaJSON(t *cfn.Template, schema any) json.RawMessage {
	if s, ok := schema.(string); ok {
		if text, err := t.Text(s, keepVariable); err == nil && json.Valid([]byte(text)) {
			return json.RawMessage(text)
		}
	}
	b, err := t.Resolved(schema)
	if err != nil {
		return nil
	}
	// Numbers stay as written (json.Number), not float64.
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return b
	}
	out, err := json.Marshal(subsAsText(v))
	if err != nil {
		return b
	}
	return out
}

// subsAsText replaces each {"Fn::Sub": "text"} in v with its text.
func subsAsText(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if text, ok := x["Fn::Sub"].(string); ok && len(x) == 1 {
			return text
		}
		for k, e := range x {
			x[k] = subsAsText(e)
		}
	case []any:
		for i, e := range x {
			x[i] = subsAsText(e)
		}
	}
	return v
}
