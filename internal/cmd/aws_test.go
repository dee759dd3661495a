package cmd

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/sfnapic/sfnapic/internal/cfnfake"
)

func fakeAWS(t *testing.T) *cfnfake.Fake {
	t.Helper()
	f := cfnfake.New()
	t.Cleanup(f.Close)
	t.Setenv("AWS_ENDPOINT_URL", f.URL())
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	return f
}

// mainWithin runs Main and fails the test if it has not returned after a
// minute: a hang detector, not a measure of speed.
func mainWithin(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	type result struct {
		code     int
		out, err string
	}
	done := make(chan result, 1)
	go func() {
		code, out, errs := runMain(args...)
		done <- result{code, out, errs}
	}()
	select {
	case r := <-done:
		return r.code, r.out, r.err
	case <-time.After(time.Minute):
		t.Fatalf("sfnapic %s hung", strings.Join(args, " "))
	}
	return 0, "", ""
}

// TestDeadEndpoint: an endpoint that accepts and never answers stops
// deploy, diff and destroy at --timeout, with a message that names the
// call and the endpoint.
func TestDeadEndpoint(t *testing.T) {
	f := fakeAWS(t)
	f.StallBefore["DescribeStacks"] = 1000
	for _, args := range [][]string{
		{"destroy", "--stack", "demo", "--yes", "--timeout", "1s"},
		{"deploy", "../../examples/item-api.yaml", "--stack", "demo", "--yes", "--timeout", "1s"},
		{"diff", "../../examples/item-api.yaml", "--stack", "demo", "--timeout", "1s"},
	} {
		code, _, errs := mainWithin(t, args...)
		if code != 1 || !strings.Contains(errs, "timed out") || !strings.Contains(errs, "DescribeStacks") || !strings.Contains(errs, f.URL()) {
			t.Errorf("%s: exit %d\n%s", args[0], code, errs)
		}
	}
}
