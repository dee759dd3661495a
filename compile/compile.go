package compile

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/apigateway"
	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/stepfunctions"
	"github.com/awslabs/goformation/v7/cloudformation/tags"

	"github.com/sfnapic/sfnapic/spec"
)

// Fixed logical IDs. Every other ID starts with a prefix of its own
// (Resource, Route, StateMachine, ExecutionRole, StageDeployment,
// GatewayResponse), so no two kinds can collide.
const (
	idAPI       = "Api"
	idAPIRole   = "ApiRole"
	idStage     = "Stage"
	idValidator = "RequestValidatorParams"
)

// Template is a compiled spec: the goformation template plus what the
// serializer needs to emit it.
type Template struct {
	CFN *cloudformation.Template
	// MethodIDs holds the logical ID of each route's AWS::ApiGateway::Method,
	// in the order of the spec's routes.
	MethodIDs []string
	// MachineIDs maps each created state machine's name to its logical ID.
	MachineIDs map[string]string
	intrinsics map[string]json.RawMessage
	marshalled map[string][]byte // compact JSON of resources, by logical ID
}

type builder struct {
	s    *spec.Spec
	t    *Template
	memo map[string]string // intrinsic call -> placeholder, to encode each once
}

// intrinsic stands for a CloudFormation intrinsic function in a
// string-typed goformation field: it returns a placeholder string, unique
// to this template, that the serializer swaps for the function object.
// (goformation's own helpers use base64 of the object and build it with
// %q, which mis-escapes control characters.) Each distinct call is encoded
// once.
func (b *builder) intrinsic(name string, arg any) string {
	var memo string
	switch a := arg.(type) {
	case string:
		memo = name + "\x00" + a
	case []string:
		memo = name + "\x00" + strings.Join(a, "\x00")
	}
	if key, ok := b.memo[memo]; ok {
		return key
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(map[string]any{name: arg}); err != nil {
		panic(err) // arguments are strings and string slices: cannot fail
	}
	raw := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	key := fmt.Sprintf("%s%d", placeholderPrefix, len(b.t.intrinsics))
	b.t.intrinsics[key] = raw
	b.memo[memo] = key
	return key
}

// placeholderPrefix starts every intrinsic placeholder; the serializer
// looks a string up only when it starts with it.
const placeholderPrefix = "\u2063sfnapic-intrinsic-"

func (b *builder) ref(id string) string { return b.intrinsic("Ref", id) }
func (b *builder) getAtt(id, attr string) string {
	return b.intrinsic("Fn::GetAtt", []string{id, attr})
}
func (b *builder) sub(s string) string { return b.intrinsic("Fn::Sub", s) }

func ptr[T any](v T) *T { return &v }

// Intrinsic returns the intrinsic function object that a property value
// stands for, when it is one of this template's placeholders (such as the
// Fn::Sub around a request template).
func (t *Template) Intrinsic(value string) (json.RawMessage, bool) {
	raw, ok := t.intrinsics[value]
	return raw, ok
}

// Compile builds the template for a spec that spec.Parse accepted.
func Compile(s *spec.Spec) *Template {
	b := &builder{s: s, memo: map[string]string{}, t: &Template{
		CFN:        cloudformation.NewTemplate(),
		MachineIDs: map[string]string{},
		intrinsics: map[string]json.RawMessage{},
		marshalled: map[string][]byte{},
	}}
	b.build()
	return b.t
}

func (b *builder) tags() []tags.Tag {
	var out []tags.Tag
	for _, t := range b.s.API.Tags {
		out = append(out, tags.Tag{Key: t.Key, Value: t.Value})
	}
	return out
}

func trust(service string) map[string]any {
	return map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{map[string]any{
			"Effect":    "Allow",
			"Principal": map[string]any{"Service": service},
			"Action":    "sts:AssumeRole",
		}},
	}
}

func (b *builder) build() {
	s, t := b.s, b.t.CFN
	t.Description = "sfnapic: " + s.API.Name + " (generated from the spec; edit the spec, not this template)"

	// State machines, each with its own execution role.
	names := make([]string, 0, len(s.StateMachines))
	for _, m := range s.StateMachines {
		names = append(names, m.Name)
	}
	machineIDs := newNamer(names, pascal)
	arnOf := map[*spec.StateMachine]string{}    // ARN value for policies and outputs
	arnInSub := map[*spec.StateMachine]string{} // ARN text inside a Fn::Sub template
	var shaping []string                        // what besides resources forces a redeploy
	for _, m := range s.StateMachines {
		frag := machineIDs[m.Name]
		smID := "StateMachine" + frag
		if m.Existing() {
			arnOf[m] = m.ARN
			arnInSub[m] = m.ARN
			shaping = append(shaping, m.Name+"="+m.ARN)
		} else {
			b.t.MachineIDs[m.Name] = smID
			roleArn := m.RoleARN
			if roleArn == "" {
				roleID := "ExecutionRole" + frag
				role := &iam.Role{
					Description:              ptr("Execution role of state machine " + m.Name),
					AssumeRolePolicyDocument: trust("states.amazonaws.com"),
					Tags:                     b.tags(),
				}
				if len(m.Policies) > 0 {
					statements := make([]any, len(m.Policies))
					for i, st := range m.Policies {
						statements[i] = st
					}
					role.Policies = []iam.Role_Policy{{
						PolicyName:     "Workflow",
						PolicyDocument: map[string]any{"Version": "2012-10-17", "Statement": statements},
					}}
				}
				t.Resources[roleID] = role
				roleArn = b.getAtt(roleID, "Arn")
			}
			var smTags []stepfunctions.StateMachine_TagsEntry
			for _, tg := range s.API.Tags {
				smTags = append(smTags, stepfunctions.StateMachine_TagsEntry{Key: tg.Key, Value: tg.Value})
			}
			t.Resources[smID] = &stepfunctions.StateMachine{
				Definition:       m.Definition,
				RoleArn:          roleArn,
				StateMachineType: ptr(m.Type),
				Tags:             smTags,
			}
			arnOf[m] = b.ref(smID)
			arnInSub[m] = "${" + smID + "}"
			// Changing the type replaces the machine, and with it the ARN
			// that the deployed request templates carry.
			shaping = append(shaping, m.Name+"="+m.Type)
		}
		t.Outputs[smID+"Arn"] = cloudformation.Output{
			Description: ptr("ARN of state machine " + m.Name),
			Value:       arnOf[m],
		}
	}

	// The REST API and the role it uses to start executions.
	api := &apigateway.RestApi{
		Name:                  ptr(s.API.Name),
		EndpointConfiguration: &apigateway.RestApi_EndpointConfiguration{Types: []string{s.API.Endpoint}},
		Tags:                  b.tags(),
	}
	if s.API.Description != "" {
		api.Description = ptr(s.API.Description)
	}
	if s.API.Endpoint == spec.EndpointPrivate {
		api.EndpointConfiguration.VpcEndpointIds = s.API.VPCEndpoints
		api.Policy = b.privatePolicy()
	}
	t.Resources[idAPI] = api

	var started []string
	seen := map[string]bool{}
	for _, r := range s.Routes {
		if a := arnOf[r.StateMachine]; !seen[a] {
			seen[a] = true
			started = append(started, a)
		}
	}
	t.Resources[idAPIRole] = &iam.Role{
		Description:              ptr("Lets API Gateway start the executions of " + s.API.Name),
		AssumeRolePolicyDocument: trust("apigateway.amazonaws.com"),
		Policies: []iam.Role_Policy{{
			PolicyName: "StartExecution",
			PolicyDocument: map[string]any{
				"Version": "2012-10-17",
				"Statement": []any{map[string]any{
					"Effect":   "Allow",
					"Action":   "states:StartExecution",
					"Resource": started,
				}},
			},
		}},
		Tags: b.tags(),
	}

	// Path resources, shared by every route below them.
	var paths []string
	for _, r := range s.Routes {
		for i := range r.Segments {
			paths = append(paths, strings.Join(r.Segments[:i+1], "/"))
		}
		paths = append(paths, strings.Join(r.Segments, "/"))
	}
	pathIDs := newNamer(paths, pathFragment)
	resourceOf := func(segs []string) string {
		if len(segs) == 0 {
			return b.getAtt(idAPI, "RootResourceId")
		}
		return b.ref("Resource" + pathIDs[strings.Join(segs, "/")])
	}
	for _, r := range s.Routes {
		for i, seg := range r.Segments {
			id := "Resource" + pathIDs[strings.Join(r.Segments[:i+1], "/")]
			if _, done := t.Resources[id]; done {
				continue
			}
			t.Resources[id] = &apigateway.Resource{
				RestApiId: b.ref(idAPI),
				ParentId:  resourceOf(r.Segments[:i]),
				PathPart:  seg,
			}
		}
	}

	// One method per route.
	methods := make([]string, 0, len(s.Routes))
	validator := false
	for _, r := range s.Routes {
		id := "Route" + pathIDs[strings.Join(r.Segments, "/")] + pascal(strings.ToLower(r.Method))
		methods = append(methods, id)
		b.t.MethodIDs = append(b.t.MethodIDs, id)
		templates := map[string]string{}
		for _, ct := range r.ContentTypes {
			text := requestTemplate(r, ct)
			if r.StateMachine.Existing() {
				templates[ct] = strings.Replace(text, ArnMarker, r.StateMachine.ARN, 1)
				continue
			}
			// In Fn::Sub, ${ starts a variable: any other ${ (from a
			// literal in the spec) is written ${! to stay as it is.
			text = strings.ReplaceAll(text, "${", "${!")
			templates[ct] = b.sub(strings.Replace(text, ArnMarker, arnInSub[r.StateMachine], 1))
		}
		params := map[string]string{}
		needsValidator := false
		for _, name := range r.Params() {
			params["method.request.path."+name] = "true"
		}
		for _, m := range r.Input {
			loc := map[spec.Location]string{spec.FromQuery: "querystring", spec.FromHeader: "header"}[m.From]
			if loc == "" {
				continue
			}
			params["method.request."+loc+"."+m.Name] = boolString(m.Required)
			needsValidator = needsValidator || m.Required
		}
		if len(params) == 0 {
			params = nil
		}
		method := &apigateway.Method{
			RestApiId:         b.ref(idAPI),
			ResourceId:        resourceOf(r.Segments),
			HttpMethod:        r.Method,
			AuthorizationType: ptr("NONE"),
			RequestParameters: params,
			Integration: &apigateway.Method_Integration{
				Type:                  "AWS",
				IntegrationHttpMethod: ptr("POST"),
				Uri:                   ptr(b.sub("arn:${AWS::Partition}:apigateway:${AWS::Region}:states:action/StartExecution")),
				Credentials:           ptr(b.getAtt(idAPIRole, "Arn")),
				PassthroughBehavior:   ptr("NEVER"),
				RequestTemplates:      templates,
				IntegrationResponses: []apigateway.Method_IntegrationResponse{
					{StatusCode: "200", SelectionPattern: ptr(`2\d{2}`), ResponseTemplates: map[string]string{"application/json": successTemplate}},
					{StatusCode: "400", SelectionPattern: ptr(`4\d{2}`), ResponseTemplates: map[string]string{"application/json": errorTemplate}},
					// The default response: 5xx, and anything else that is
					// not a success, is a bad gateway, never a 200.
					{StatusCode: "502", ResponseTemplates: map[string]string{"application/json": badGatewayTemplate}},
				},
			},
			MethodResponses: methodResponses,
		}
		if needsValidator {
			method.RequestValidatorId = ptr(b.ref(idValidator))
			validator = true
		}
		t.Resources[id] = method
	}
	if validator {
		// Without a validator API Gateway ignores "required" on query and
		// header parameters.
		t.Resources[idValidator] = &apigateway.RequestValidator{
			RestApiId:                 b.ref(idAPI),
			ValidateRequestParameters: ptr(true),
		}
	}

	// API Gateway's own errors (a missing parameter, an unsupported content
	// type, a body that is not JSON, throttling) use the same envelope as
	// Step Functions errors, and a request no route matches is a 404, not
	// the default 403 "Missing Authentication Token".
	for id, gr := range gatewayResponses {
		t.Resources[id] = &apigateway.GatewayResponse{
			RestApiId:         b.ref(idAPI),
			ResponseType:      gr.responseType,
			StatusCode:        gr.status,
			ResponseTemplates: map[string]string{"application/json": gr.template},
		}
	}

	// The Deployment's logical ID carries a hash of everything that shapes
	// the API, so any change makes CloudFormation create a new one and the
	// stage serve it. It sorts after the Route IDs: CloudFormation follows
	// DependsOn, but emulators that create resources in key order (moto's
	// change sets) then still create the methods first.
	sort.Strings(methods)
	depID := "StageDeployment" + b.apiHash(shaping)
	t.Resources[depID] = &apigateway.Deployment{
		RestApiId:                  b.ref(idAPI),
		Description:                ptr("sfnapic deployment " + strings.TrimPrefix(depID, "StageDeployment")),
		AWSCloudFormationDependsOn: methods,
	}
	t.Resources[idStage] = &apigateway.Stage{
		RestApiId:    b.ref(idAPI),
		DeploymentId: ptr(b.ref(depID)),
		StageName:    ptr(s.API.Stage),
		Tags:         b.tags(),
	}

	t.Outputs["ApiUrl"] = cloudformation.Output{
		Description: ptr("Invoke URL of stage " + s.API.Stage),
		Value:       b.sub("https://${" + idAPI + "}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${" + idStage + "}"),
	}
	t.Outputs["ApiId"] = cloudformation.Output{
		Description: ptr("ID of the REST API"),
		Value:       b.ref(idAPI),
	}
}

// GatewayEnvelope is the body of API Gateway's own errors: the same
// {"error", "message"} envelope as Step Functions errors. messageString is
// the message already quoted and escaped by API Gateway.
const GatewayEnvelope = `{"error": "$context.error.responseType", "message": $context.error.messageString}` + "\n"

var gatewayResponses = map[string]struct {
	responseType string
	status       *string
	template     string
}{
	"GatewayResponseDefault4xx": {"DEFAULT_4XX", nil, GatewayEnvelope},
	"GatewayResponseDefault5xx": {"DEFAULT_5XX", nil, GatewayEnvelope},
	"GatewayResponseNotFound": {"MISSING_AUTHENTICATION_TOKEN", ptr("404"),
		`{"error": "NotFound", "message": "no route matches this method and path"}` + "\n"},
}

var methodResponses = func() []apigateway.Method_MethodResponse {
	var out []apigateway.Method_MethodResponse
	for _, code := range []string{"200", "400", "409", "429", "500", "502"} {
		out = append(out, apigateway.Method_MethodResponse{StatusCode: code})
	}
	return out
}()

func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// apiHash hashes the canonical JSON of every API Gateway resource built so
// far (the API, its resources, methods, templates, responses, validator)
// plus extra facts that change what a deployment serves.
func (b *builder) apiHash(extra []string) string {
	h := sha256.New()
	ids := make([]string, 0, len(b.t.CFN.Resources))
	for id, r := range b.t.CFN.Resources {
		if strings.HasPrefix(r.AWSCloudFormationType(), "AWS::ApiGateway::") {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		// Hash what CloudFormation will see, intrinsics restored, so that
		// a change inside a Fn::Sub template changes the hash.
		j, err := b.t.resourceJSON(id)
		if api, ok := b.t.CFN.Resources[id].(*apigateway.RestApi); ok && len(api.Tags) > 0 {
			// Tags change nothing the stage serves: keep them out, so
			// retagging does not redeploy.
			untagged := *api
			untagged.Tags = nil
			j, err = b.t.marshalResolved(untagged)
		}
		if err != nil {
			panic(err) // goformation structs of strings: cannot fail
		}
		h.Write([]byte(id))
		h.Write(j)
	}
	for _, e := range extra {
		h.Write([]byte(e + "\n"))
	}
	return strings.ToUpper(hex.EncodeToString(h.Sum(nil))[:10])
}

// privatePolicy lets only the given VPC endpoints invoke exactly the
// declared routes; path parameters become the only wildcards.
func (b *builder) privatePolicy() map[string]any {
	var res []string
	seen := map[string]bool{}
	for _, r := range b.s.Routes {
		verb := r.Method
		if verb == "ANY" {
			verb = "*"
		}
		segs := make([]string, len(r.Segments))
		for i, s := range r.Segments {
			if _, ok := spec.PathParam(s); ok {
				s = "*"
			}
			segs[i] = s
		}
		arn := "execute-api:/" + b.s.API.Stage + "/" + verb + "/" + strings.Join(segs, "/")
		if !seen[arn] {
			seen[arn] = true
			res = append(res, arn)
		}
	}
	return map[string]any{
		"Version": "2012-10-17",
		"Statement": []any{map[string]any{
			"Effect":    "Allow",
			"Principal": "*",
			"Action":    "execute-api:Invoke",
			"Resource":  res,
			"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceVpce": b.s.API.VPCEndpoints}},
		}},
	}
}
