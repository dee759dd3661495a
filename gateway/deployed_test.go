package gateway

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/cfn"
	"github.com/sfnapic/sfnapic/internal/golden"
)

// TestPoolsFromParameters: a user pool ARN that is a parameter's value (a
// Ref) or takes values in an Fn::Sub is read with the Vars the
// environment gives, so serve verifies tokens against that pool.
func TestPoolsFromParameters(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(golden.Root(), "arn-params", "template.json"))
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := cfn.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	g, err := New(tpl)
	if err != nil {
		t.Fatal(err)
	}
	g.Vars["PoolSuffix"] = "AbCdEf"
	g.Vars["OtherPool"] = "arn:aws:cognito-idp:eu-west-1:111111111111:userpool/eu-west-1_Staging"
	for _, a := range g.API.Authorizers {
		if a.ID != "AuthorizerUsers" {
			continue
		}
		issuers, err := g.poolIssuers(a)
		want := "https://cognito-idp." + PlaceholderRegion + ".amazonaws.com/" + PlaceholderRegion + "_AbCdEf " +
			"https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Staging"
		if err != nil || strings.Join(issuers, " ") != want {
			t.Errorf("issuers %q, %v; want %s", issuers, err, want)
		}
		delete(g.Vars, "OtherPool")
		if _, err := g.poolIssuers(a); err == nil || !strings.Contains(err.Error(), "OtherPool (a Ref) has no value here") {
			t.Errorf("a Ref without a value: %v", err)
		}
		return
	}
	t.Fatal("no authorizer AuthorizerUsers")
}
