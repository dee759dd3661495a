package gateway

import "testing"

// TestAliasARNsRunTheMachine: a route that starts a machine through its
// alias is a call to that machine (its express flag applies), and the
// qualifier never reaches an execution's name.
func TestAliasARNsRunTheMachine(t *testing.T) {
	for arn, want := range map[string]string{
		"arn:aws:states:us-east-1:123456789012:stateMachine:orders:live": "arn:aws:states:us-east-1:123456789012:stateMachine:orders",
		"arn:aws:states:us-east-1:123456789012:stateMachine:orders":      "arn:aws:states:us-east-1:123456789012:stateMachine:orders",
		"arn:aws:states:us-east-1:123456789012:execution:orders:x":       "arn:aws:states:us-east-1:123456789012:execution:orders:x",
	} {
		if got := Unqualified(arn); got != want {
			t.Errorf("Unqualified(%q) = %q, want %q", arn, got, want)
		}
	}
	g := &Gateway{Vars: map[string]string{"StateMachineOrders": "arn:aws:states:us-east-1:123456789012:stateMachine:StateMachineOrders"}, express: map[string]bool{"StateMachineOrders": true}}
	if id, ok := g.MachineOf("arn:aws:states:us-east-1:123456789012:stateMachine:StateMachineOrders:live"); !ok || id != "StateMachineOrders" {
		t.Errorf("MachineOf(alias ARN) = %q, %v; want StateMachineOrders", id, ok)
	}
}
