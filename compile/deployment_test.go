package compile

import (
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/apigateway"
	"github.com/awslabs/goformation/v7/cloudformation/tags"

	"github.com/sfnapic/sfnapic/internal/golden"
	"github.com/sfnapic/sfnapic/spec"
)

func deploymentID(t *testing.T, src string) string {
	t.Helper()
	s, diags := spec.Parse("d.yaml", []byte(src), nil)
	if s == nil || diags.HasErrors() {
		t.Fatal(diags)
	}
	for id, r := range Compile(s).CFN.Resources {
		if r.AWSCloudFormationType() == "AWS::ApiGateway::Deployment" {
			return id
		}
	}
	t.Fatal("no Deployment")
	return ""
}

// TestDeploymentIDFollowsTheAPI: whatever changes what the API serves
// (routes, request templates, parameters, content types, the machine a
// route starts) gives a new Deployment logical ID, so CloudFormation
// deploys again; what does not (tags, the definition) keeps it.
func TestDeploymentIDFollowsTheAPI(t *testing.T) {
	base := `version: 1
api:
  name: d
  tags: {team: a}
stateMachines:
  m: {definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}}
  n: {definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}}
routes:
  POST /items/{id}:
    stateMachine: m
    input:
      id: path.id
      q: query.q
`
	id := deploymentID(t, base)
	if again := deploymentID(t, base); again != id {
		t.Fatalf("the same spec gave %s and %s", id, again)
	}
	for name, edit := range map[string][2]string{
		"input key":       {"      id: path.id", "      item: path.id"},
		"literal value":   {"      q: query.q", "      q: {value: x}"},
		"default":         {"      q: query.q", "      q: {from: query.q, default: 1}"},
		"required":        {"      q: query.q", "      q: {from: query.q, required: true}"},
		"new route":       {"routes:\n", "routes:\n  GET /health: {stateMachine: n}\n"},
		"verb":            {"POST /items", "PUT /items"},
		"state machine":   {"stateMachine: m", "stateMachine: n"},
		"content types":   {"    stateMachine: m\n", "    stateMachine: m\n    contentTypes: [json, form]\n"},
		"execution name":  {"    stateMachine: m\n", "    stateMachine: m\n    executionName: requestId\n"},
		"machine type":    {"  m: {definition:", "  m: {type: EXPRESS, definition:"},
		"api description": {"  name: d\n", "  name: d\n  description: x\n"},
		"timeout":         {"    stateMachine: m\n", "    stateMachine: m\n    timeout: 5s\n"},
	} {
		if !strings.Contains(base, edit[0]) {
			t.Fatalf("%s: edit does not apply", name)
		}
		if got := deploymentID(t, strings.Replace(base, edit[0], edit[1], 1)); got == id {
			t.Errorf("changing the %s keeps Deployment %s: the stage would serve the old API", name, id)
		}
	}
	sync := strings.Replace(strings.Replace(base, "  m: {definition:", "  m: {type: EXPRESS, definition:", 1),
		"    stateMachine: m\n", "    stateMachine: m\n    action: startSync\n    errors: {NotFound: 404}\n", 1)
	syncID := deploymentID(t, sync)
	for name, edit := range map[string][2]string{
		"action":        {"    action: startSync\n    errors: {NotFound: 404}\n", ""},
		"mapped status": {"NotFound: 404", "NotFound: 410"},
		"mapped name":   {"NotFound: 404", "Gone: 404"},
	} {
		if got := deploymentID(t, strings.Replace(sync, edit[0], edit[1], 1)); got == syncID || strings.Replace(sync, edit[0], edit[1], 1) == sync {
			t.Errorf("changing the %s keeps Deployment %s: the stage would serve the old API", name, syncID)
		}
	}
	// The lifecycle actions' settings change what the templates send and
	// answer, so each is covered too.
	for name, variant := range map[string][2]string{
		"response":      {"action: startSync\n    response: {statuses: [201]}", "action: startSync\n    response: {statuses: [201], headers: [Location]}"},
		"include input": {"action: status\n    execution: path.id", "action: status\n    execution: path.id\n    includeInput: true"},
		"stop cause":    {"action: stop\n    execution: path.id", "action: stop\n    execution: path.id\n    cause: body.why"},
		"token":         {"action: taskFailure", "action: taskFailure\n    token: header.X-Task-Token"},
		"output":        {"action: taskSuccess", "action: taskSuccess\n    output: {ok: {value: true}}"},
	} {
		machine := "m"
		if name == "response" {
			machine = "x"
		}
		route := func(settings string) string {
			return "version: 1\napi: {name: d}\nstateMachines:\n" +
				"  m: {definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}}\n" +
				"  x: {type: EXPRESS, definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}}\n" +
				"routes:\n  POST /items/{id}:\n    stateMachine: " + machine + "\n    " + settings + "\n"
		}
		if deploymentID(t, route(variant[0])) == deploymentID(t, route(variant[1])) {
			t.Errorf("changing the %s keeps the Deployment: the stage would serve the old API", name)
		}
	}
	for name, edit := range map[string][2]string{
		"tags":       {"tags: {team: a}", "tags: {team: b}"},
		"definition": {"  m: {definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}}", "  m: {definition: {StartAt: B, States: {B: {Type: Pass, End: true}}}}"},
	} {
		if got := deploymentID(t, strings.Replace(base, edit[0], edit[1], 1)); got != id {
			t.Errorf("changing the %s gives a new Deployment: a needless redeploy", name)
		}
	}
}

// hashSpec has a method with a request parameter, a validator and a
// machine the template creates.
const hashSpec = `version: 1
api: {name: d, tags: {team: a}}
stateMachines:
  m: {definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}}
routes:
  POST /items/{id}:
    stateMachine: m
    input: {id: path.id, q: {from: query.q, required: true}}
`

// deployedAfter builds hashSpec, lets edit change the built resources,
// runs the final pass and returns the Deployment's ID.
func deployedAfter(t *testing.T, edit func(b *builder)) string {
	t.Helper()
	s, diags := spec.Parse("d.yaml", []byte(hashSpec), nil)
	if s == nil || diags.HasErrors() {
		t.Fatal(diags)
	}
	b := build(s)
	edit(b)
	b.deployment()
	for id, r := range b.t.CFN.Resources {
		if r.AWSCloudFormationType() == "AWS::ApiGateway::Deployment" {
			return id
		}
	}
	t.Fatal("no Deployment")
	return ""
}

// TestDeploymentHashCoversTheSnapshot: a resource of any type a
// deployment snapshots, added to what build made, moves the hash, however
// late it was built; a resource of another type, and the API's tags, do
// not.
func TestDeploymentHashCoversTheSnapshot(t *testing.T) {
	base := deployedAfter(t, func(*builder) {})
	samples := map[string]cloudformation.Resource{
		"AWS::ApiGateway::Authorizer":       &apigateway.Authorizer{Name: "a", RestApiId: "r", Type: "TOKEN"},
		"AWS::ApiGateway::GatewayResponse":  &apigateway.GatewayResponse{ResponseType: "UNAUTHORIZED", RestApiId: "r"},
		"AWS::ApiGateway::Method":           &apigateway.Method{HttpMethod: "GET", ResourceId: "x", RestApiId: "r"},
		"AWS::ApiGateway::Model":            &apigateway.Model{RestApiId: "r", ContentType: ptr("application/json")},
		"AWS::ApiGateway::RequestValidator": &apigateway.RequestValidator{RestApiId: "r", ValidateRequestBody: ptr(true)},
		"AWS::ApiGateway::Resource":         &apigateway.Resource{ParentId: "p", PathPart: "x", RestApiId: "r"},
		"AWS::ApiGateway::RestApi":          &apigateway.RestApi{Name: ptr("another")},
	}
	for _, typ := range snapshot {
		if _, ok := samples[typ]; !ok {
			t.Errorf("no sample of %s to add", typ)
		}
	}
	for typ, r := range samples {
		if r.AWSCloudFormationType() != typ {
			t.Fatalf("the sample of %s is a %s", typ, r.AWSCloudFormationType())
		}
		if deployedAfter(t, func(b *builder) { b.t.CFN.Resources["Late"] = r }) == base {
			t.Errorf("adding a %s keeps %s: the stage would serve the old API", typ, base)
		}
	}
	for _, r := range []cloudformation.Resource{
		&apigateway.UsagePlan{UsagePlanName: ptr("p")},
		&apigateway.ApiKey{Name: ptr("k")},
		&apigateway.UsagePlanKey{KeyId: "k", KeyType: "API_KEY", UsagePlanId: "p"},
		&apigateway.Stage{RestApiId: "r", StageName: ptr("other")},
		&apigateway.DocumentationPart{Location: &apigateway.DocumentationPart_Location{Type: ptr("API")}, Properties: "{}", RestApiId: "r"},
	} {
		if deployedAfter(t, func(b *builder) { b.t.CFN.Resources["Late"] = r }) != base {
			t.Errorf("adding a %s gives a new Deployment: a needless redeploy", r.AWSCloudFormationType())
		}
	}
	retag := func(b *builder) {
		b.t.CFN.Resources[idAPI].(*apigateway.RestApi).Tags = []tags.Tag{{Key: "team", Value: "b"}, {Key: "x", Value: "y"}}
	}
	if deployedAfter(t, retag) != base {
		t.Error("retagging the API gives a new Deployment: a needless redeploy")
	}
}

// TestDeploymentHashCoversEveryMethodSetting changes each property of the
// built Method and of its Integration, one at a time, by reflection: every
// one moves the hash, including properties sfnapic does not set yet.
func TestDeploymentHashCoversEveryMethodSetting(t *testing.T) {
	base := deployedAfter(t, func(*builder) {})
	method := func(b *builder) *apigateway.Method {
		return b.t.CFN.Resources[b.methods[0]].(*apigateway.Method)
	}
	check := func(name string, field func(m *apigateway.Method) reflect.Value) {
		changed := true
		id := deployedAfter(t, func(b *builder) { changed = change(field(method(b))) })
		switch {
		case !changed:
			t.Errorf("%s: the test cannot change a %s; teach change", name, field(&apigateway.Method{Integration: &apigateway.Method_Integration{}}).Type())
		case id == base:
			t.Errorf("changing the Method's %s keeps %s: the stage would serve the old API", name, base)
		}
	}
	properties := func(typ reflect.Type) []int {
		var out []int
		for i := 0; i < typ.NumField(); i++ {
			if typ.Field(i).Tag.Get("json") != "-" {
				out = append(out, i)
			}
		}
		return out
	}
	mt, it := reflect.TypeOf(apigateway.Method{}), reflect.TypeOf(apigateway.Method_Integration{})
	n := 0
	for _, i := range properties(mt) {
		if mt.Field(i).Name == "Integration" {
			for _, j := range properties(it) {
				n++
				check("Integration."+it.Field(j).Name, func(m *apigateway.Method) reflect.Value {
					return reflect.ValueOf(m.Integration).Elem().Field(j)
				})
			}
			continue
		}
		n++
		check(mt.Field(i).Name, func(m *apigateway.Method) reflect.Value { return reflect.ValueOf(m).Elem().Field(i) })
	}
	if n < 20 {
		t.Fatalf("only %d properties changed", n)
	}
}

// change sets a settable property to another value, whatever it held;
// false for a kind it cannot change.
func change(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String:
		v.SetString(v.String() + "x")
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Int:
		v.SetInt(v.Int() + 1)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		if !v.IsNil() {
			p.Elem().Set(v.Elem())
		}
		if !change(p.Elem()) {
			return false
		}
		v.Set(p)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		for _, k := range v.MapKeys() {
			m.SetMapIndex(k, v.MapIndex(k))
		}
		m.SetMapIndex(reflect.ValueOf("sfnapic-test").Convert(v.Type().Key()), reflect.Zero(v.Type().Elem()))
		v.Set(m)
	case reflect.Slice:
		v.Set(reflect.Append(v, reflect.Zero(v.Type().Elem())))
	default:
		return false
	}
	return true
}

// TestDeploymentHashIsOfTheFinalTemplate: for every golden spec, the
// hash of the finished template is the Deployment's, so no resource of a
// snapshot type was made after the final pass.
func TestDeploymentHashIsOfTheFinalTemplate(t *testing.T) {
	for _, dir := range golden.Cases(t) {
		src, err := os.ReadFile(filepath.Join(dir, "spec.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		s, diags := spec.Parse("spec.yaml", src, os.DirFS(dir))
		if s == nil || diags.HasErrors() {
			continue
		}
		b := compile(s)
		if _, ok := b.t.CFN.Resources["StageDeployment"+b.apiHash()]; !ok {
			t.Errorf("%s: the finished template hashes to %s, which no Deployment carries", filepath.Base(dir), b.apiHash())
		}
	}
}

// TestDeploymentHashesValuesTheAPIReads: the template a deploy sends names
// its Deployment after the values of the parameters the API's resources
// read (the existing machine's ARN in a request template, a user pool, an
// authorizer's function, the VPC endpoints), so a new value redeploys;
// a value only a definition, a role or a tag reads, a NoEcho value, and a
// build without values leave the ID as it was.
func TestDeploymentHashesValuesTheAPIReads(t *testing.T) {
	s := goldenSpec(t, "arn-params")
	deployment := func(values map[string]string) string {
		t.Helper()
		return deploymentOf(t, s, values)
	}
	staging := map[string]string{"PoolSuffix": "AbCdEf", "OtherPool": "arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_Staging", "Machine": "legacy-orders-staging"}
	base := deployment(staging)
	if base == deployment(nil) {
		t.Errorf("deploy's Deployment %s is the value-less build's", base)
	}
	if again := deployment(maps.Clone(staging)); again != base {
		t.Errorf("the same values give %s and %s", base, again)
	}
	for name, value := range map[string]string{"Machine": "legacy-orders", "PoolSuffix": "Other1", "OtherPool": "arn:aws:cognito-idp:eu-west-1:1:userpool/eu-west-1_X", "Endpoint": "vpce-0bbbbbbbbbbbbbbbb", "Account": "222222222222", "Team": "edge"} {
		v := maps.Clone(staging)
		v[name] = value
		if deployment(v) == base {
			t.Errorf("a new value of %s, which the API reads, keeps Deployment %s", name, base)
		}
	}

	// params-environments: ApprovalQueue and LogLevel only reach the
	// definition, Table a policy, Secret is NoEcho.
	p := goldenSpec(t, "params-environments")
	values := map[string]string{"ApprovalQueue": "q", "LogLevel": "ERROR", "Table": "/t", "Secret": "s"}
	first := deploymentOf(t, p, values)
	for _, name := range []string{"ApprovalQueue", "LogLevel", "Table", "Secret"} {
		v := maps.Clone(values)
		v[name] += "2"
		if got := deploymentOf(t, p, v); got != first {
			t.Errorf("a new value of %s, which the API does not read, changed the Deployment", name)
		}
	}
	if first != deploymentOf(t, p, nil) {
		t.Errorf("values the API does not read changed the Deployment")
	}
}

func goldenSpec(t *testing.T, name string) *spec.Spec {
	t.Helper()
	dir := filepath.Join(golden.Root(), name)
	src, err := os.ReadFile(filepath.Join(dir, "spec.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s, diags := spec.Parse("spec.yaml", src, os.DirFS(dir))
	if s == nil {
		t.Fatalf("%s does not parse:\n%s", name, diags)
	}
	return s
}

func deploymentOf(t *testing.T, s *spec.Spec, values map[string]string) string {
	t.Helper()
	for id := range compileWith(s, values).t.CFN.Resources {
		if strings.HasPrefix(id, "StageDeployment") {
			return id
		}
	}
	t.Fatal("no Deployment")
	return ""
}
