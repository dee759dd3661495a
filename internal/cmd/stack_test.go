package cmd

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"

	"github.com/sfnapic/sfnapic/compile"
	"github.com/sfnapic/sfnapic/internal/cfnfake"
)

// TestStackOutputsThroughFake reads a deployed stack's outputs through
// the narrow stackDescriber, from the CloudFormation fake, and gives a
// target the stack's ARNs from them.
func TestStackOutputsThroughFake(t *testing.T) {
	f := cfnfake.New()
	defer f.Close()
	const arn = "arn:aws:states:eu-west-1:210987654321:stateMachine:item-api-StateMachineItems-AbC123"
	machine := compile.MachineOutput("StateMachineItems")
	st := f.AddStack("items", "CREATE_COMPLETE", map[string]any{"Outputs": map[string]any{
		compile.OutputAPIURL: map[string]any{}, compile.OutputAPIID: map[string]any{}, machine: map[string]any{}}})
	st.Outputs = map[string]string{compile.OutputAPIID: "abc123", machine: arn}
	var cf stackDescriber = cloudformation.New(cloudformation.Options{Region: "us-east-1", BaseEndpoint: aws.String(f.URL()),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "")})

	outputs, err := stackOutputs(context.Background(), cf, "items")
	if err != nil || outputs[compile.OutputAPIID] != "abc123" || outputs[machine] != arn || !strings.HasPrefix(outputs[compile.OutputAPIURL], "https://") {
		t.Fatalf("outputs: %v %v", outputs, err)
	}
	tg, _, err := loadTarget("../../examples/item-api.yaml", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := tg.useStack(outputs, "", "items"); err != nil || tg.g.Vars["StateMachineItems"] != arn || tg.names[arn] != "items" || !tg.deployed {
		t.Errorf("useStack: %v %v %v", err, tg.g.Vars, tg.names)
	}
	if _, err := stackOutputs(context.Background(), cf, "nope"); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("a missing stack: %v", err)
	}
	delete(outputs, machine)
	if err := tg.useStack(outputs, "", "items"); err == nil || !strings.Contains(err.Error(), "no output for state machine StateMachineItems") {
		t.Errorf("a stack without the machine's output: %v", err)
	}
}

// TestDeployEndpointFlag: deploy, diff and destroy go to --endpoint-url
// (here the CloudFormation fake), with no AWS_ENDPOINT_URL, as serve and
// invoke do; a template over 51,200 bytes is uploaded there by path
// (bucket/key), as an emulator needs.
func TestDeployEndpointFlag(t *testing.T) {
	f := cfnfake.New()
	defer f.Close()
	t.Setenv("AWS_ENDPOINT_URL", "")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	// A host name, not 127.0.0.1: the SDK sends to an IP address by path
	// whatever the client says.
	endpoint := strings.Replace(f.URL(), "127.0.0.1", "localhost", 1)
	at := []string{"--endpoint-url", endpoint, "--poll", "1ms", "--timeout", "30s"}

	code, stdout, stderr := mainWithin(t, append([]string{"deploy", "../../examples/item-api.yaml", "--stack", "items", "--yes"}, at...)...)
	if code != 0 || !strings.Contains(stdout, compile.OutputAPIURL+"\t") || f.Count("ExecuteChangeSet") != 1 {
		t.Fatalf("deploy --endpoint-url: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if code, _, stderr := mainWithin(t, append([]string{"diff", "../../examples/item-api.yaml", "--stack", "items"}, at...)...); code != 0 || f.Count("CreateChangeSet") != 2 {
		t.Errorf("diff --endpoint-url: exit %d\n%s", code, stderr)
	}

	big := filepath.Join(t.TempDir(), "big.yaml")
	writeTestFile(t, big, bigSpec(600))
	code, _, stderr = mainWithin(t, append([]string{"deploy", big, "--stack", "big", "--yes", "--s3-bucket", "artifacts"}, at...)...)
	uploaded := 0
	for key := range f.Objects {
		if strings.HasPrefix(key, "artifacts/") {
			uploaded++
		}
	}
	if code != 0 || uploaded != 1 {
		t.Errorf("deploy --endpoint-url --s3-bucket: exit %d, %d uploads by path %v\n%s", code, uploaded, f.Calls(), stderr)
	}

	if code, _, stderr := mainWithin(t, append([]string{"destroy", "--stack", "items", "--yes"}, at...)...); code != 0 || f.Count("DeleteStack") != 1 {
		t.Errorf("destroy --endpoint-url: exit %d\n%s", code, stderr)
	}
}

// bigSpec is a spec whose template is over 51,200 bytes: one state
// machine of n Pass states.
func bigSpec(n int) string {
	var b strings.Builder
	b.WriteString("version: 1\napi:\n  name: big-api\nstateMachines:\n  big:\n    definition:\n      StartAt: S0\n      States:\n")
	for i := range n {
		next := fmt.Sprintf("Next: S%d", i+1)
		if i == n-1 {
			next = "End: true"
		}
		fmt.Fprintf(&b, "        S%d: {Type: Pass, Comment: %q, %s}\n", i, strings.Repeat("a long comment ", 5), next)
	}
	b.WriteString("routes:\n  POST /{id}:\n    stateMachine: big\n    input:\n      id: path.id\n")
	return b.String()
}
