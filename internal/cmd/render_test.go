package cmd

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestRenderJSON: render --output json is one document with the request,
// the input and the reply, or the refusal.
func TestRenderJSON(t *testing.T) {
	reply := t.TempDir() + "/reply.json"
	writeTestFile(t, reply, `{"status": 200, "body": {"status": "FAILED", "error": "EmptyCart", "cause": "it's \"gone\""}}`)
	code, stdout, stderr := run(t, "render", "../../golden/orders-open/spec.yaml", "POST /quotes", "-d", `{"items": ["a'b"]}`, "--reply", reply, "--output", "json")
	var res renderResult
	if err := json.Unmarshal([]byte(stdout), &res); err != nil || code != 0 {
		t.Fatalf("exit %d, %v:\n%s\n%s", code, err, stdout, stderr)
	}
	var input map[string]any
	_ = json.Unmarshal(res.Input, &input)
	if res.Route != "POST /quotes" || res.Action != "StartSyncExecution" || res.Document != "execution input" ||
		input["cart"].([]any)[0] != "a'b" || res.Reply == nil || res.Reply.Status != 422 || !strings.Contains(string(res.Reply.Body), `it's \"gone\"`) {
		t.Errorf("render --output json: %s", stdout)
	}
	code, stdout, _ = run(t, "render", "../../golden/orders-open/spec.yaml", "GET /nowhere", "--output", "json")
	res = renderResult{}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil || code != 1 || res.Refused == nil || res.Refused.Status != 404 {
		t.Errorf("a refused request: exit %d %s", code, stdout)
	}
}

// TestRenderStack: render --stack shows the deployed state machine's ARN,
// read from the stack's outputs, instead of the placeholder account's.
func TestRenderStack(t *testing.T) {
	f := fakeAWS(t)
	const arn = "arn:aws:states:eu-west-1:210987654321:stateMachine:orders-StateMachineOrders-AbC123"
	st := f.AddStack("orders", "CREATE_COMPLETE", map[string]any{"Outputs": map[string]any{"StateMachineOrdersArn": map[string]any{}, "StateMachineQuoteArn": map[string]any{}}})
	st.Outputs = map[string]string{"StateMachineOrdersArn": arn, "StateMachineQuoteArn": "arn:aws:states:eu-west-1:210987654321:stateMachine:quote"}
	code, stdout, stderr := run(t, "render", "../../golden/orders-open/spec.yaml", "GET /orders/o-1", "--stack", "orders")
	if code != 0 || !strings.Contains(stdout, `"executionArn": "arn:aws:states:eu-west-1:210987654321:execution:orders-StateMachineOrders-AbC123:o-1"`) ||
		!strings.Contains(stdout, "-> state machine orders") || strings.Contains(stderr, "123456789012") {
		t.Errorf("render --stack: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if code, _, stderr := run(t, "render", "../../golden/orders-open/spec.yaml", "GET /orders/o-1", "--stack", "nope"); code != 1 || !strings.Contains(stderr, "nope") {
		t.Errorf("a missing stack: exit %d %s", code, stderr)
	}
}

// TestRenderAllVariants: render --all-variants says when the input does
// not depend on API Gateway's undocumented behaviours, and names each
// variant under which it does, exiting 1. sfnapic's own templates agree
// under every variant (the golden requests hold them to it), so the
// difference comes from a template written by hand, as people write them:
// a body value put in without a null guard, which API Gateway renders
// empty when it is missing and stock Velocity renders as written.
func TestRenderAllVariants(t *testing.T) {
	var tpl map[string]any
	if err := json.Unmarshal(mustRead(t, "../../golden/item-api/template.json"), &tpl); err != nil {
		t.Fatal(err)
	}
	method := tpl["Resources"].(map[string]any)["RouteItemIdPost"].(map[string]any)["Properties"].(map[string]any)
	method["Integration"].(map[string]any)["RequestTemplates"] = map[string]any{"application/json": map[string]any{
		"Fn::Sub": `{"stateMachineArn": "${StateMachineItems}", "input": "{\"note\": \"$input.path('$.note')\"}"}`,
	}}
	b, err := json.Marshal(tpl)
	if err != nil {
		t.Fatal(err)
	}
	file := t.TempDir() + "/template.json"
	writeTestFile(t, file, string(b))

	code, _, stderr := run(t, "render", "--template", file, "POST /42", "-d", `{"note": "hi"}`, "--all-variants")
	if code != 0 || !strings.Contains(stderr, "the input is the same under all 64 variants") {
		t.Errorf("a note given: exit %d\n%s", code, stderr)
	}
	code, _, stderr = run(t, "render", "--template", file, "POST /42", "-d", `{}`, "--all-variants")
	if code != 1 || !strings.Contains(stderr, "the input differs under 32 of 64 variants") ||
		strings.Count(stderr, "NullAsWritten:true}: input {\"note\": \"$input.path('$.note')\"}\n") != 32 || strings.Contains(stderr, "NullAsWritten:false}") {
		t.Errorf("a note missing: exit %d\n%s", code, stderr)
	}
}

// TestRenderStackPlace: with --stack, ${AWS::Partition}, ${AWS::Region}
// and ${AWS::AccountId} are the stack's, read from its ID, also for a
// spec whose only machine exists already (no machine of its own tells
// them).
func TestRenderStackPlace(t *testing.T) {
	f := fakeAWS(t)
	st := f.AddStack("legacy-api", "CREATE_COMPLETE", map[string]any{})
	st.ID = "arn:aws:cloudformation:eu-west-1:210987654321:stack/legacy-api/1"
	spec := writeSpec(t, t.TempDir(), "s.yaml", "version: 1\napi: {name: legacy-api}\nstateMachines:\n  legacy: {arn: \"arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:legacy\"}\nroutes:\n  POST /a: {stateMachine: legacy}\n")
	code, stdout, stderr := run(t, "render", spec, "POST /a", "-d", "{}", "--stack", "legacy-api")
	if code != 0 || !strings.Contains(stdout, `"stateMachineArn": "arn:aws:states:eu-west-1:210987654321:stateMachine:legacy"`) {
		t.Errorf("render --stack: exit %d\n%s\n%s", code, stdout, stderr)
	}
}
