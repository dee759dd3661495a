package compile

import (
	"strings"
	"testing"

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
