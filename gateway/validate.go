package gateway

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/sfnapic/sfnapic/internal/jsonschema4"
	"github.com/sfnapic/sfnapic/restapi"
)

// Body validation uses internal/jsonschema4: a complete validator of
// draft-04, the draft API Gateway speaks (the guide's "Data models for
// REST APIs"), whose errors are typed, so that they can be written in the
// words API Gateway's own validator uses (messages). Each model is
// compiled once, when the gateway is built.

// modelBase is the URL a model is compiled at: API Gateway's canonical
// URL of a model, which a $ref to another model uses
// (https://apigateway.amazonaws.com/restapis/{restapi_id}/models/{name}).
const modelBase = "https://apigateway.amazonaws.com/restapis/local/models/"

// Bounds on what one body's validation costs: the schema is the user's
// own, the body anyone's, and already at most MaxBody bytes.
const (
	// MaxBodyDepth is the deepest nesting of arrays and objects that a
	// validated body may have: validation recurses with the body. Jackson,
	// the JSON parser of the Java validators, refuses deeper documents
	// by default (StreamReadConstraints, 1,000 levels since 2.15).
	MaxBodyDepth = 1000
	// MaxBodyValues is the most values (members, elements and the
	// containers that hold them) a validated body may have. Each value
	// that fails its schema costs the Go validator about 1 KiB and
	// 4 µs: a 10 MB body of 4,000,000 failing numbers took 34 s and
	// 2.3 GiB; 50,000 values take at most about 60 MiB and 0.2 s. API
	// Gateway validates larger bodies; serve refuses them, and says so.
	MaxBodyValues = 50_000
	// maxListedErrors bounds the errors validationErrorString lists.
	maxListedErrors = 100
)

// compileModels compiles the model of each method that validates its
// body, once per model.
func (g *Gateway) compileModels() error {
	byName := map[string]*restapi.Model{}
	for _, m := range g.API.Models {
		byName[m.Name] = m
	}
	load := modelLoader(byName).Load
	g.schemas = map[string]*jsonschema4.Schema{}
	for _, m := range g.API.Methods {
		if m.Validation == nil || !m.Validation.Body {
			continue
		}
		for _, model := range m.Models {
			if _, done := g.schemas[model.ID]; done {
				continue
			}
			s, err := jsonschema4.CompileURL(modelBase+url.PathEscape(model.Name), load)
			if err != nil {
				return fmt.Errorf("model %s (%s): %v", model.ID, model.Name, err)
			}
			g.schemas[model.ID] = s
		}
	}
	return nil
}

// modelLoader gives the compiler the template's models by their URL, and
// nothing else: a schema that names another URL fails to compile, and
// serve fetches nothing. Each model is checked against draft-04's
// metaschema as it is loaded.
type modelLoader map[string]*restapi.Model

func (l modelLoader) Load(u string) (any, error) {
	i := strings.LastIndex(u, "/models/")
	if !strings.HasPrefix(u, "https://apigateway.amazonaws.com/restapis/") || i < 0 {
		return nil, fmt.Errorf("%s is not a model of this API (https://apigateway.amazonaws.com/restapis/${Api}/models/NAME): serve loads no other schema", u)
	}
	name, err := url.PathUnescape(u[i+len("/models/"):])
	m := l[name]
	if err != nil || m == nil {
		return nil, fmt.Errorf("the template has no model named %q", name)
	}
	return jsonschema4.Unmarshal(bytes.NewReader(m.Schema))
}

// validateStage checks the body against the method's model for its media
// type, when the method's request validator checks bodies. API Gateway
// checks the parameters first, then the body, in one step (LocalStack's
// MethodRequestHandler, which its tests hold to AWS's answers). A body
// that does not satisfy the model, or is not JSON, is refused with
// BAD_REQUEST_BODY, 400 "Invalid request body", and
// $context.error.validationErrorString lists why.
func (g *Gateway) validateStage(x *exchange) error {
	m := x.method
	if m.Validation == nil || !m.Validation.Body {
		return nil
	}
	model := m.Models[mediaType(x.req)]
	if model == nil {
		return nil
	}
	errs := validateBody(g.schemas[model.ID], x.req.Body)
	if errs == nil {
		return nil
	}
	rej := reject(400, "BAD_REQUEST_BODY", "Invalid request body", fmt.Sprintf("the body does not satisfy model %s: %s", model.Name, strings.Join(errs, "; ")))
	list, _ := json.Marshal("[" + strings.Join(errs, ", ") + "]")
	rej.ValidationErrors = string(list[1 : len(list)-1])
	return g.answer(rej)
}

// mediaType is a request's media type, without parameters such as
// charset; application/json when it names none.
func mediaType(req *Request) string {
	h := req.Header.Get("Content-Type")
	if h == "" {
		return "application/json"
	}
	mt, _, _ := strings.Cut(h, ";")
	return strings.ToLower(strings.TrimSpace(mt))
}

// validateBody validates a body against a schema, and says why it fails
// in API Gateway's words; nil when it passes. An empty body is
// validated as {} (as LocalStack finds API Gateway does).
func validateBody(s *jsonschema4.Schema, body string) []string {
	if strings.TrimSpace(body) == "" {
		body = "{}"
	}
	switch deepest, values := shape(body); {
	case deepest > MaxBodyDepth:
		return []string{fmt.Sprintf("the body nests arrays and objects deeper than %d levels", MaxBodyDepth)}
	case values > MaxBodyValues:
		return []string{fmt.Sprintf("the body has more than %d values, which sfnapic serve does not validate (API Gateway does)", MaxBodyValues)}
	}
	v, err := jsonschema4.Unmarshal(strings.NewReader(body))
	if err != nil {
		return []string{"the body is not JSON: " + err.Error()}
	}
	verr, ok := s.Validate(v).(*jsonschema4.Error)
	if !ok {
		return nil
	}
	var out []string
	collect(verr, v, &out)
	if len(out) > maxListedErrors {
		out = append(out[:maxListedErrors], fmt.Sprintf("and %d more", len(out)-maxListedErrors))
	}
	return out
}

// shape is how deep a JSON text nests arrays and objects, and about how
// many values it holds (one more than its separators and containers),
// what is in strings aside: one pass, before anything is decoded.
func shape(text string) (deepest, values int) {
	d, inString := 0, false
	values = 1
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case inString && c == '\\':
			i++
		case c == '"':
			inString = !inString
		case inString:
		case c == '[' || c == '{':
			d++
			values++
			deepest = max(deepest, d)
		case c == ']' || c == '}':
			d--
		case c == ',' || c == ':':
			values++
		}
	}
	return deepest, values
}

// collect appends the messages of an error's leaves, in order.
func collect(e *jsonschema4.Error, instance any, out *[]string) {
	switch e.Kind {
	case jsonschema4.Group, jsonschema4.Reference, jsonschema4.AllOf:
		for _, c := range e.Causes {
			collect(c, instance, out)
		}
		return
	}
	*out = append(*out, message(e, at(instance, e.InstanceLocation)))
}

// at is the value at a location in an instance.
func at(v any, loc []string) any {
	for _, tok := range loc {
		switch x := v.(type) {
		case map[string]any:
			v = x[tok]
		case []any:
			var i int
			if _, err := fmt.Sscan(tok, &i); err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}
