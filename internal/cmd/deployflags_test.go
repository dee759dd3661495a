package cmd

import (
	"net/url"
	"testing"

	"github.com/sfnapic/sfnapic/internal/cfnfake"
)

// deployCalls runs `sfnapic deploy` against a fresh CloudFormation fake
// and returns the fake, with what reached it, once the deploy succeeded.
func deployCalls(t *testing.T, flags ...string) *cfnfake.Fake {
	t.Helper()
	f := fakeAWS(t)
	args := append([]string{"deploy", "../../examples/item-api.yaml", "--stack", "demo", "--yes", "--poll", "1ms"}, flags...)
	if code, _, errs := mainWithin(t, args...); code != 0 {
		t.Fatalf("deploy %v: exit %d\n%s", flags, code, errs)
	}
	return f
}

// form is the form of the only call of an action the fake received.
func form(t *testing.T, f *cfnfake.Fake, action string) url.Values {
	t.Helper()
	var out []url.Values
	for _, r := range f.Requests {
		if r.Action == action {
			out = append(out, r.Form)
		}
	}
	if len(out) != 1 {
		t.Fatalf("%d %s calls, want 1: %v", len(out), action, f.Calls())
	}
	return out[0]
}

// TestDeployFlagsReachCloudFormation: --role-arn, --tags,
// --disable-rollback and --termination-protection reach CloudFormation's
// calls as they were given, and nothing of them is sent without the
// flags.
func TestDeployFlagsReachCloudFormation(t *testing.T) {
	f := deployCalls(t,
		"--role-arn", "arn:aws:iam::123456789012:role/cfn-deployer",
		"--tags", "team=payments", "--tags", "cost-centre=42",
		"--disable-rollback", "--termination-protection")
	cs := form(t, f, "CreateChangeSet")
	for key, want := range map[string]string{
		"RoleARN":             "arn:aws:iam::123456789012:role/cfn-deployer",
		"Tags.member.1.Key":   "team",
		"Tags.member.1.Value": "payments",
		"Tags.member.2.Key":   "cost-centre",
		"Tags.member.2.Value": "42",
	} {
		if got := cs.Get(key); got != want {
			t.Errorf("CreateChangeSet %s = %q, want %q", key, got, want)
		}
	}
	if got := form(t, f, "ExecuteChangeSet").Get("DisableRollback"); got != "true" {
		t.Errorf("ExecuteChangeSet DisableRollback = %q, want true", got)
	}
	if got := form(t, f, "UpdateTerminationProtection").Get("EnableTerminationProtection"); got != "true" || !f.Stacks["demo"].Protected {
		t.Errorf("UpdateTerminationProtection EnableTerminationProtection = %q, stack protected %t: want it on", got, f.Stacks["demo"].Protected)
	}

	// Without the flags, none of it.
	f = deployCalls(t)
	cs = form(t, f, "CreateChangeSet")
	for _, key := range []string{"RoleARN", "Tags.member.1.Key", "Parameters.member.1.ParameterKey"} { // item-api has no parameters
		if cs.Has(key) {
			t.Errorf("without flags, CreateChangeSet has %s = %q", key, cs.Get(key))
		}
	}
	if got := form(t, f, "ExecuteChangeSet").Get("DisableRollback"); got == "true" {
		t.Errorf("without --disable-rollback, ExecuteChangeSet DisableRollback = %q", got)
	}
	if n := f.Count("UpdateTerminationProtection"); n != 0 || f.Stacks["demo"].Protected {
		t.Errorf("without --termination-protection: %d UpdateTerminationProtection calls, protected %t", n, f.Stacks["demo"].Protected)
	}
}
