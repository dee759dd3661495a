package integration

import (
	"strings"
	"testing"
)

func TestURIRoundTrip(t *testing.T) {
	if len(Names()) == 0 {
		t.Fatal("no actions registered")
	}
	for _, name := range Names() {
		a, _ := Lookup(name)
		for _, uri := range []string{URI(a), "arn:aws-cn:apigateway:cn-north-1:states:action/" + name} {
			got, ok := FromURI(uri)
			if !ok || got.Name() != name {
				t.Errorf("FromURI(%q) = %v, %v", uri, got, ok)
			}
		}
	}
	for _, uri := range []string{"", "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/x/invocations",
		"arn:aws:apigateway:us-east-1:states:action/NoSuchAction", "https://example.com/states:action/StartExecution"} {
		if a, ok := FromURI(uri); ok {
			t.Errorf("FromURI(%q) = %s", uri, a.Name())
		}
	}
}

func TestStartExecutionDecode(t *testing.T) {
	r, err := StartExecution.Decode(`{"stateMachineArn": "arn:m", "input": "{\"a\":1}"}`)
	if err != nil || r.StateMachineArn != "arn:m" || !r.HasInput || r.Input != `{"a":1}` {
		t.Fatalf("%+v %v", r, err)
	}
	if _, err := StartExecution.Decode(`{"input": "x`); err == nil || !strings.Contains(err.Error(), "SerializationException") {
		t.Errorf("broken body: %v", err)
	}
	if _, err := StartExecution.Decode(`{"input": "{nope"}`); err == nil || !strings.Contains(err.Error(), "InvalidExecutionInput") {
		t.Errorf("broken input: %v", err)
	}
	if p := StartExecution.Permissions(Machine{ARN: "arn:m"}); len(p) != 1 || p[0] != (Permission{"states:StartExecution", "arn:m"}) {
		t.Errorf("permissions: %v", p)
	}
}
