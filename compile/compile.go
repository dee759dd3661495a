package compile

import (
	"github.com/awslabs/goformation/v7/cloudformation/tags"

	"github.com/sfnapic/sfnapic/cfn"
	"github.com/sfnapic/sfnapic/integration"
	"github.com/sfnapic/sfnapic/spec"
)

// Fixed logical IDs. Every other ID starts with a prefix of its own
// (Resource, Route, StateMachine, ExecutionRole, StageDeployment,
// GatewayResponse, Authorizer, LambdaPermission, UsagePlan, ApiKey,
// PlanKey, Model, RequestValidator), none the start of another, so no two
// kinds can collide.
const (
	idAPI     = "Api"
	idAPIRole = "ApiRole"
	idStage   = "Stage"
)

// builder carries what the parts of one compilation share.
type builder struct {
	s *spec.Spec
	t *cfn.Template
	// machines holds how routes refer to each state machine.
	machines map[*spec.StateMachine]integration.Machine
	// shaping lists what, besides the API Gateway resources, changes what
	// a deployment serves (see deployment.go).
	shaping []string
	// methods holds the logical ID of each route's method, in route order.
	methods []string
	// paths names the path resources (see pathIDs).
	paths namer
	// auths names the authorizers (see authorizerIDs).
	auths namer
	// values are the parameters' values a deploy gives (nil when the
	// template is built without them): see apiHash.
	values map[string]string
}

func ptr[T any](v T) *T { return &v }

// Compile builds the template for a spec that spec.Parse accepted. The
// template is serialized with its JSON or YAML method (or with Build).
func Compile(s *spec.Spec) *cfn.Template { return compile(s).t }

// CompileFor builds the template that a deploy with these parameter
// values sends: the Deployment's ID also hashes the values of the
// parameters the API itself reads (see apiHash).
func CompileFor(s *spec.Spec, values map[string]string) *cfn.Template {
	return compileWith(s, values).t
}

// compile builds every resource, then, in a final pass, the Deployment
// whose ID hashes them and the Stage that serves it.
func compile(s *spec.Spec) *builder { return compileWith(s, nil) }

// compileWith is compile with the values a deploy gives.
func compileWith(s *spec.Spec, values map[string]string) *builder {
	b := build(s)
	b.values = values
	b.deployment()
	return b
}

// build makes every resource but the Deployment and its Stage, which
// deployment adds last: the Deployment's ID hashes what build made.
func build(s *spec.Spec) *builder {
	b := &builder{s: s, t: cfn.New(), machines: map[*spec.StateMachine]integration.Machine{}}
	b.t.CFN.Description = fit("sfnapic: "+s.API.Name+" (generated from the spec; edit the spec, not this template)", maxTemplateDescription)
	b.parameters()
	b.stateMachines()
	b.paths = b.pathIDs()
	b.auths = b.authorizerIDs()
	b.restAPI()
	b.apiRole()
	b.pathResources()
	b.authorizers()
	b.routeMethods()
	b.preflights()
	b.gatewayResponses()
	b.usagePlans()
	return b
}

// action is the Step Functions action behind a route.
func action(r *spec.Route) integration.Action {
	switch r.Action {
	case spec.ActionStartSync:
		a := integration.StartSync{}
		for _, e := range r.Errors {
			a.Errors = append(a.Errors, integration.ErrorStatus{Name: e.Name, Status: e.Status})
		}
		if r.Response != nil {
			a.Proxy = &integration.Proxy{Statuses: r.Response.Statuses, Headers: r.Response.Headers}
		}
		return a
	case spec.ActionStatus:
		return integration.Describe{IncludeInput: r.IncludeInput}
	case spec.ActionStop:
		return integration.Stop{}
	case spec.ActionTaskSuccess:
		return integration.TaskSuccess{}
	case spec.ActionTaskFailure:
		return integration.TaskFailure{}
	case spec.ActionTaskHeartbeat:
		return integration.TaskHeartbeat{}
	}
	return integration.StartExecution
}

// tags are the spec's tags, put on every taggable resource.
func (b *builder) tags() []tags.Tag {
	var out []tags.Tag
	for _, t := range b.s.API.Tags {
		out = append(out, tags.Tag{Key: t.Key, Value: b.deployed(t.Value)})
	}
	return out
}
