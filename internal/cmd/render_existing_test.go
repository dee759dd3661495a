package cmd

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestRenderExistingARNWithEnv: an existing machine whose arn takes
// parameters' values is started, and named, with the ARN the environment
// gives it (--param over --env), the pseudo parameters' placeholders in
// the rest; without a value the parameter shows as <Name>.
func TestRenderExistingARNWithEnv(t *testing.T) {
	const arnSpec = "../../golden/arn-params/spec.yaml"
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--env", "staging"}, "arn:aws:states:us-east-1:111111111111:stateMachine:legacy-orders-staging"},
		{[]string{"--env", "prod"}, "arn:aws:states:us-east-1:222222222222:stateMachine:legacy-orders"},
		{[]string{"--env", "prod", "--param", "Machine=other"}, "arn:aws:states:us-east-1:222222222222:stateMachine:other"},
	} {
		args := append([]string{"render", arnSpec, "POST /orders", "-d", "{}", "--output", "json"}, c.args...)
		code, stdout, stderr := run(t, args...)
		var res renderResult
		if err := json.Unmarshal([]byte(stdout), &res); err != nil || code != 0 {
			t.Fatalf("%v: exit %d %v\n%s\n%s", c.args, code, err, stdout, stderr)
		}
		var req struct{ StateMachineArn string }
		_ = json.Unmarshal(res.Request, &req)
		if req.StateMachineArn != c.want || res.Target != "state machine legacy" {
			t.Errorf("%v: starts %q (%s), want %q (state machine legacy)", c.args, req.StateMachineArn, res.Target, c.want)
		}
	}
	code, stdout, stderr := run(t, "render", arnSpec, "GET /orders/e-1")
	if code != 0 || !strings.Contains(stdout, `"executionArn": "arn:aws:states:us-east-1:111111111111:execution:<Machine>:e-1"`) ||
		!strings.Contains(stderr, "parameter Machine has no value and no default: shown as <Machine>") {
		t.Errorf("without --env: exit %d\n%s\n%s", code, stdout, stderr)
	}
}
