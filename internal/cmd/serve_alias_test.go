package cmd

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation/stepfunctions"

	"github.com/sfnapic/sfnapic/internal/golden"
	"github.com/sfnapic/sfnapic/internal/sfnfake"
)

// emulatorARN is the ARN the stateful fake gives a machine serve makes
// (the signed region, the fake's account: not the placeholder ARNs').
func emulatorARN(id string) string {
	return "arn:aws:states:us-east-1:" + sfnfake.Account + ":stateMachine:" + id
}

// statefulFake starts a fake that keeps what serve makes, with the AWS
// settings of a test pointing at it.
func statefulFake(t *testing.T) *sfnfake.Server {
	t.Helper()
	fake := sfnfake.Start()
	t.Cleanup(fake.Close)
	fake.Stateful()
	for _, k := range []string{"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SFN", "AWS_PROFILE"} {
		t.Setenv(k, "")
	}
	kv := awsSettings(filepath.Join(t.TempDir(), "config"), nil)
	for i := 0; i+1 < len(kv); i += 2 {
		t.Setenv(kv[i], kv[i+1])
	}
	return fake
}

// calls lists the fake's requests of the actions named, as
// "Action field", field being the first of the fields named that the body
// holds.
func calls(t *testing.T, fake *sfnfake.Server, actions string, fields ...string) []string {
	t.Helper()
	var out []string
	for _, r := range fake.Requests() {
		if !strings.Contains(" "+actions+" ", " "+r.Action+" ") {
			continue
		}
		var body map[string]any
		if err := json.Unmarshal(r.Body, &body); err != nil {
			t.Fatal(err)
		}
		line := r.Action
		for _, f := range fields {
			if v, ok := body[f].(string); ok {
				line += " " + v
				break
			}
		}
		out = append(out, line)
	}
	return out
}

// TestServeCreateInDependencyOrder: a machine whose definition names
// another (orders names shipping through ${shipping} and
// ${shipping.Name}) is created after it, with its real ARN and name; on
// exit the one that names the other is deleted first.
func TestServeCreateInDependencyOrder(t *testing.T) {
	fake := statefulFake(t)
	s := startServe(t, paramsSpec, "--create", "--endpoint-url", fake.URL, "--env", "prod")
	created := calls(t, fake, "CreateStateMachine", "name")
	if strings.Join(created, ", ") != "CreateStateMachine StateMachineShipping, CreateStateMachine StateMachineOrders" {
		t.Fatalf("created in the order %v, want shipping (which orders names) first", created)
	}
	var in struct{ Definition string }
	for _, r := range fake.Requests() {
		if r.Action == "CreateStateMachine" && strings.Contains(string(r.Body), `"StateMachineOrders"`) {
			_ = json.Unmarshal(r.Body, &in)
		}
	}
	for _, want := range []string{`"StateMachineArn":"` + emulatorARN("StateMachineShipping") + `"`, `"name":"StateMachineShipping"`} {
		if !strings.Contains(in.Definition, want) {
			t.Errorf("orders was created without shipping's real ARN and name (%s):\n%s", want, in.Definition)
		}
	}
	if code := s.stop(); code != 0 {
		t.Fatalf("serve ended with %d:\n%s", code, s.stderr)
	}
	deleted := calls(t, fake, "DeleteStateMachine", "stateMachineArn")
	if strings.Join(deleted, ", ") != "DeleteStateMachine "+emulatorARN("StateMachineOrders")+", DeleteStateMachine "+emulatorARN("StateMachineShipping") {
		t.Errorf("deleted in the order %v, want orders first", deleted)
	}
}

// TestCreationOrderRefusesRing: machines that name each other (which
// spec refuses, and CloudFormation too) are refused, the ring named,
// rather than looped over or created with a placeholder ARN.
func TestCreationOrderRefusesRing(t *testing.T) {
	src, err := os.ReadFile(paramsSpec)
	if err != nil {
		t.Fatal(err)
	}
	g := routeGateway(t, src)
	order, err := creationOrder(g.Template)
	if err != nil || strings.Join(order, " ") != "StateMachineShipping StateMachineOrders" {
		t.Fatalf("creationOrder = %v, %v", order, err)
	}
	shipping := g.Template.CFN.Resources["StateMachineShipping"].(*stepfunctions.StateMachine)
	shipping.DefinitionSubstitutions = map[string]any{"orders": g.Template.GetAtt("StateMachineOrders", "Name")}
	_, err = creationOrder(g.Template)
	if err == nil || !strings.Contains(err.Error(), "state machines StateMachineOrders -> StateMachineShipping -> StateMachineOrders name each other") {
		t.Errorf("a ring: %v", err)
	}
}

// TestServeCreateAlias: a machine with publish and an alias gets a
// version and the alias routing all starts to it; the routes start
// through the alias (a standard start, then its status, and a synchronous
// run), a machine without one is started as it is; on exit each alias is
// deleted before its version, and the version before its machine.
func TestServeCreateAlias(t *testing.T) {
	fake := statefulFake(t)
	s := startServe(t, filepath.Join(golden.Root(), "observability", "spec.yaml"), "--create", "--endpoint-url", fake.URL)
	orders, quote, ping := emulatorARN("StateMachineOrders"), emulatorARN("StateMachineQuote"), emulatorARN("StateMachinePing")
	for _, want := range []string{"published version " + orders + ":1", "created alias " + orders + ":live, routing all starts to " + orders + ":1",
		"created alias " + quote + ":current", "3 state machines created from the template and 2 aliases"} {
		if !strings.Contains(s.stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, s.stderr)
		}
	}
	status, _, body := s.do(t, "POST", "/orders", "application/json", `{}`)
	if status != 200 {
		t.Fatalf("POST /orders: %d %s", status, body)
	}
	var started struct{ ExecutionArn string }
	_ = json.Unmarshal([]byte(body), &started)
	id := started.ExecutionArn[strings.LastIndex(started.ExecutionArn, ":")+1:]
	if id == "" {
		t.Fatalf("POST /orders answered no execution: %s", body)
	}
	if status, _, body := s.do(t, "GET", "/orders/"+id, "", ""); status != 200 || !strings.Contains(body, "SUCCEEDED") {
		t.Errorf("GET /orders/%s: %d %s", id, status, body)
	}
	if status, _, body := s.do(t, "POST", "/quote", "application/json", `{}`); status != http.StatusOK {
		t.Errorf("POST /quote: %d %s", status, body)
	}
	if status, _, body := s.do(t, "POST", "/ping", "application/json", `{}`); status != http.StatusOK {
		t.Errorf("POST /ping: %d %s", status, body)
	}
	starts := strings.Join(calls(t, fake, "StartExecution StartSyncExecution", "stateMachineArn"), ", ")
	if starts != "StartExecution "+orders+":live, StartSyncExecution "+quote+":current, StartExecution "+ping {
		t.Errorf("the routes started %s", starts)
	}
	if code := s.stop(); code != 0 {
		t.Fatalf("serve ended with %d:\n%s", code, s.stderr)
	}
	deleted := calls(t, fake, "DeleteStateMachine DeleteStateMachineVersion DeleteStateMachineAlias", "stateMachineArn", "stateMachineVersionArn", "stateMachineAliasArn")
	want := []string{"DeleteStateMachineAlias " + quote + ":current", "DeleteStateMachineVersion " + quote + ":1", "DeleteStateMachine " + quote,
		"DeleteStateMachine " + ping, "DeleteStateMachineAlias " + orders + ":live", "DeleteStateMachineVersion " + orders + ":1", "DeleteStateMachine " + orders}
	if strings.Join(deleted, "\n") != strings.Join(want, "\n") {
		t.Errorf("deleted:\n%s\nwant:\n%s", strings.Join(deleted, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(s.stderr.String(), "deleted alias "+orders+":live\ndeleted version "+orders+":1\ndeleted "+orders+"\n") {
		t.Errorf("stderr does not say what was deleted:\n%s", s.stderr)
	}
}

// TestServeCreateAliasUnsupported: an emulator without versions (moto
// 5.2.1 answers PublishStateMachineVersion with HTTP 500) is named as the
// cause, with what to do instead, and the machines made are deleted.
func TestServeCreateAliasUnsupported(t *testing.T) {
	fake := statefulFake(t)
	fake.Script("PublishStateMachineVersion", sfnfake.Reply{Status: 500, Body: "<!doctype html><title>500 Internal Server Error</title>"})
	code, _, errs := mainWithin(t, "serve", filepath.Join(golden.Root(), "observability", "spec.yaml"), "--create", "--endpoint-url", fake.URL, "--addr", "127.0.0.1:0")
	if code != 1 || !strings.Contains(errs, "publishing a version of state machine StateMachineOrders (VersionOrders): the emulator at "+fake.URL+" does not do PublishStateMachineVersion") ||
		!strings.Contains(errs, "moto 5.2.1 cannot") || !strings.Contains(errs, "Serve with --mock") {
		t.Errorf("exit %d:\n%s", code, errs)
	}
	if got := calls(t, fake, "DeleteStateMachine", "stateMachineArn"); len(got) != 1 || got[0] != "DeleteStateMachine "+emulatorARN("StateMachineOrders") {
		t.Errorf("deleted %v, want the machine made before the failure", got)
	}
	if calls := calls(t, fake, "PublishStateMachineVersion", ""); len(calls) != 1 {
		t.Errorf("PublishStateMachineVersion was sent %d times: an emulator's 500 for an action it lacks is not worth retrying", len(calls))
	}
}

// TestServeCreateAliasLeftBehind: a machine and alias an earlier serve
// left (killed before its cleanup) are brought to the template's: the
// machine's definition updated, a new version published, and the alias,
// which routed to the old one, moved to it; all are deleted on exit.
func TestServeCreateAliasLeftBehind(t *testing.T) {
	fake := statefulFake(t)
	orders := emulatorARN("StateMachineOrders")
	for _, call := range []struct{ action, body string }{
		{"CreateStateMachine", `{"name": "StateMachineOrders", "definition": "{\"StartAt\":\"Old\",\"States\":{\"Old\":{\"Type\":\"Succeed\"}}}", "roleArn": "r", "publish": true}`},
		{"CreateStateMachineAlias", `{"name": "live", "routingConfiguration": [{"stateMachineVersionArn": "` + orders + `:1", "weight": 100}]}`},
	} {
		req, _ := http.NewRequest("POST", fake.URL, strings.NewReader(call.body))
		req.Header.Set("X-Amz-Target", "AWSStepFunctions."+call.action)
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: %v %v", call.action, resp, err)
		}
		resp.Body.Close()
	}
	s := startServe(t, filepath.Join(golden.Root(), "observability", "spec.yaml"), "--create", "--endpoint-url", fake.URL)
	for _, want := range []string{"updated " + orders + ", which was already there", "published version " + orders + ":2",
		"updated alias " + orders + ":live, which was already there (left by an earlier serve?), to route to " + orders + ":2"} {
		if !strings.Contains(s.stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, s.stderr)
		}
	}
	if status, _, body := s.do(t, "POST", "/orders", "application/json", `{}`); status != 200 {
		t.Errorf("POST /orders through the moved alias: %d %s", status, body)
	}
	if code := s.stop(); code != 0 {
		t.Fatalf("serve ended with %d:\n%s", code, s.stderr)
	}
	if !strings.Contains(s.stderr.String(), "deleted alias "+orders+":live\ndeleted version "+orders+":2\ndeleted "+orders+"\n") {
		t.Errorf("stderr does not say the alias, version and machine were deleted:\n%s", s.stderr)
	}
}

// TestServeCreateAliasOtherARN: an emulator that names an alias otherwise
// than Step Functions (the machine's ARN and ":NAME", which the routes
// start) is refused, saying so, rather than called at an ARN it does not
// know; what was made is deleted.
func TestServeCreateAliasOtherARN(t *testing.T) {
	fake := statefulFake(t)
	odd := emulatorARN("StateMachineOrders") + "/alias/live"
	fake.Script("CreateStateMachineAlias", sfnfake.Reply{Status: 200, Body: map[string]any{"stateMachineAliasArn": odd, "creationDate": 1.7e9}})
	code, _, errs := mainWithin(t, "serve", filepath.Join(golden.Root(), "observability", "spec.yaml"), "--create", "--endpoint-url", fake.URL, "--addr", "127.0.0.1:0")
	if code != 1 || !strings.Contains(errs, "made alias live of state machine StateMachineOrders as "+odd+", not "+emulatorARN("StateMachineOrders")+":live as Step Functions names an alias") {
		t.Errorf("exit %d:\n%s", code, errs)
	}
	if got := calls(t, fake, "DeleteStateMachineAlias", "stateMachineAliasArn"); len(got) != 1 || got[0] != "DeleteStateMachineAlias "+odd {
		t.Errorf("deleted aliases %v, want the one made", got)
	}
}

// TestServeCreateFailureSaysWhatIsLeft: when creating fails part-way and
// deleting what was made fails too, serve says both, with the command
// that deletes what is left.
func TestServeCreateFailureSaysWhatIsLeft(t *testing.T) {
	fake := statefulFake(t)
	fake.Script("PublishStateMachineVersion", sfnfake.Reply{Status: 500, Body: "<!doctype html><title>500 Internal Server Error</title>"})
	fake.Script("DeleteStateMachine", sfnfake.Error(400, "AccessDeniedException", "no"))
	code, _, errs := mainWithin(t, "serve", filepath.Join(golden.Root(), "observability", "spec.yaml"), "--create", "--endpoint-url", fake.URL, "--addr", "127.0.0.1:0")
	orders := emulatorARN("StateMachineOrders")
	if code != 1 || !strings.Contains(errs, "does not do PublishStateMachineVersion") ||
		!strings.Contains(errs, "could not delete state machine "+orders) || !strings.Contains(errs, "aws stepfunctions delete-state-machine --state-machine-arn "+orders) {
		t.Errorf("exit %d:\n%s", code, errs)
	}
}

// TestServeCreateSettlesPseudoParameters: the first machine serve makes is
// made before the emulator's account and region are known; a definition
// naming them is updated to the emulator's (the fake's account is
// 111122223333, serve's placeholder 123456789012), as later machines get
// them at once.
func TestServeCreateSettlesPseudoParameters(t *testing.T) {
	fake := statefulFake(t)
	spec := writeSpec(t, t.TempDir(), "s.yaml", `version: 1
api: {name: a}
stateMachines:
  first:
    definition: {StartAt: A, States: {A: {Type: Pass, Result: {queue: "https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/q"}, End: true}}}
routes:
  POST /a: {stateMachine: first}
`)
	s := startServe(t, spec, "--create", "--endpoint-url", fake.URL)
	defer s.stop()
	var last string
	for _, r := range fake.Requests() {
		if r.Action == "CreateStateMachine" || r.Action == "UpdateStateMachine" {
			var in struct{ Definition string }
			_ = json.Unmarshal(r.Body, &in)
			last = in.Definition
		}
	}
	if !strings.Contains(last, "https://sqs.us-east-1.amazonaws.com/111122223333/q") {
		t.Errorf("the machine's definition at the emulator is\n%s\nwant the emulator's account in it\n%s", last, s.stderr)
	}
}
