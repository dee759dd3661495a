package compile

import (
	"strings"
	"testing"
)

// TestDerivePseudoParametersInARNs: an ARN written with pseudo parameters
// (CDK's arn:${AWS::Partition}:states:::lambda:invoke, a function ARN with
// ${AWS::Region} and ${AWS::AccountId}), as the Task's Resource or as its
// FunctionName, is read part by part, ${AWS::Region} being one part: it
// derives the grant the literal ARN would, not a warning or a grant on a
// function named after a fragment.
func TestDerivePseudoParametersInARNs(t *testing.T) {
	g := "arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:g"
	f := "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:f"
	cases := []struct{ name, task, want string }{
		{"optimized integration", `          {Type: Task, Resource: "arn:${AWS::Partition}:states:::lambda:invoke", Parameters: {FunctionName: "` + f + `"}, End: true}`,
			"lambda:InvokeFunction on " + f + " " + f + ":*\n"},
		{"function ARN as Resource", `          {Type: Task, Resource: "` + g + `", End: true}`,
			"lambda:InvokeFunction on " + g + " " + g + ":*\n"},
		{"activity", `          {Type: Task, Resource: "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:activity:a", End: true}`, ""},
	}
	for _, c := range cases {
		grants, warns := deriveOne(t, c.task)
		if got := render(grants); got != c.want || len(warns) != 0 {
			t.Errorf("%s: got\n%s%s\nwant\n%s", c.name, got, warns.String(), c.want)
		}
	}
}

// TestDerivePutEventsWithoutEntries: a putEvents Task that gives no
// Entries is warned of at the Task (the absent field has no position).
func TestDerivePutEventsWithoutEntries(t *testing.T) {
	_, warns := deriveOne(t, `          {Type: Task, Resource: "arn:aws:states:::events:putEvents", End: true}`)
	if len(warns) != 1 || warns[0].Pos.String() != "s.yaml:9:24" || !strings.Contains(warns[0].Msg, "the Task gives no Entries") {
		t.Errorf("got\n%s", warns.String())
	}
}
