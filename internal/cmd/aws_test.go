package cmd

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

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

// TestAWSMessages: the errors people meet first get one line that says
// what is wrong and how to fix it, and nothing of the SDK's logging.
func TestAWSMessages(t *testing.T) {
	f := fakeAWS(t)
	code, _, errs := mainWithin(t, "destroy", "--stack", "demo", "--yes")
	if code != 0 || !strings.Contains(errs, "Stack demo does not exist in region us-east-1: nothing to destroy") {
		t.Errorf("missing stack: exit %d\n%s", code, errs)
	}

	// No credentials anywhere.
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	code, _, errs = mainWithin(t, "destroy", "--stack", "demo", "--yes")
	if code != 1 || !strings.HasPrefix(errs, "sfnapic: no AWS credentials found: set AWS_PROFILE") || strings.Contains(errs, "WARN") || strings.Count(errs, "\n") != 1 {
		t.Errorf("no credentials: exit %d\n%s", code, errs)
	}
	if code, _, errs = mainWithin(t, "destroy", "--stack", "demo", "--yes", "--debug"); code != 1 || !strings.Contains(errs, "cause: ") {
		t.Errorf("--debug: exit %d\n%s", code, errs)
	}
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")

	// Nothing listening.
	f.Close()
	code, _, errs = mainWithin(t, "destroy", "--stack", "demo", "--yes")
	if code != 1 || !strings.Contains(errs, "nothing answers at "+f.URL()) {
		t.Errorf("nothing listening: exit %d\n%s", code, errs)
	}

	// Something that is not CloudFormation.
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprint(w, "<html><body>hello</body")
	}))
	defer other.Close()
	t.Setenv("AWS_ENDPOINT_URL", other.URL)
	code, _, errs = mainWithin(t, "destroy", "--stack", "demo", "--yes")
	if code != 1 || !strings.Contains(errs, other.URL+" does not answer like CloudFormation") {
		t.Errorf("not CloudFormation: exit %d\n%s", code, errs)
	}
}

// TestExplainDNS: a host that does not exist points at the region.
func TestExplainDNS(t *testing.T) {
	cause := fmt.Errorf("describing stack demo: %w", &net.DNSError{Err: "no such host", Name: "cloudformation.us-eats-1.amazonaws.com", IsNotFound: true})
	err := explainAWS(cause, aws.Config{Region: "us-eats-1"}, false)
	if err == nil || !strings.Contains(err.Error(), `cannot find the host cloudformation.us-eats-1.amazonaws.com: is the region "us-eats-1" right`) {
		t.Fatalf("%v", err)
	}
	if err := explainAWS(errors.New("other"), aws.Config{}, false); err == nil || err.Error() != "other" {
		t.Fatalf("other errors pass through: %v", err)
	}
}
