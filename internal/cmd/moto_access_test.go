package cmd

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	cfntypes "github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
)

// These tests deploy examples/orders-api.yaml (issue 18: authorizers, API
// keys and usage plans, CORS, validated bodies) to moto 5.2 and read back
// what moto made of it. Each assertion about something moto drops or gets
// wrong is there so that the test fails when moto changes, and docs/moto.md's
// list of what moto keeps and drops is updated with it.

// motoArtifacts makes the S3 bucket deploy uploads the example's template
// to: it is over the 51,200-byte limit for a template sent inline
// (CloudFormation quotas, "Template body size in a request").
func motoArtifacts(t *testing.T, cfg aws.Config) string {
	t.Helper()
	client := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String("artifacts")}); err != nil {
		t.Fatal(err)
	}
	return "artifacts"
}

// motoCall sends one unsigned request to a moto service: moto picks the
// service from the credential scope and checks no signature.
func motoCall(t *testing.T, endpoint, service, method, path, contentType, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, endpoint+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/"+service+"/aws4_request, SignedHeaders=host, Signature=0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// motoAuthorizerFunction creates the partners authorizer's function,
// check-partner, with its role: as on AWS, the AWS::Lambda::Permission the
// template grants fails when the function does not exist (moto looks it up
// by name in the stack's region and account).
func motoAuthorizerFunction(t *testing.T, endpoint string) {
	t.Helper()
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	form := url.Values{"Action": {"CreateRole"}, "Version": {"2010-05-08"}, "RoleName": {"check-partner"}, "AssumeRolePolicyDocument": {trust}}
	if code, out := motoCall(t, endpoint, "iam", "POST", "/", "application/x-www-form-urlencoded", form.Encode()); code != 200 {
		t.Fatalf("CreateRole: %d %s", code, out)
	}
	var zipped bytes.Buffer
	z := zip.NewWriter(&zipped)
	w, _ := z.Create("index.py")
	_, _ = w.Write([]byte("def handler(event, context):\n    return {}\n"))
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	fn, _ := json.Marshal(map[string]any{
		"FunctionName": "check-partner", "Runtime": "python3.12", "Handler": "index.handler",
		"Role": "arn:aws:iam::123456789012:role/check-partner",
		"Code": map[string]string{"ZipFile": base64.StdEncoding.EncodeToString(zipped.Bytes())},
	})
	if code, out := motoCall(t, endpoint, "lambda", "POST", "/2015-03-31/functions", "application/json", string(fn)); code != 201 {
		t.Fatalf("CreateFunction: %d %s", code, out)
	}
}

// motoMethod is what moto answers GetMethod with, in a comparable form.
type motoMethod struct {
	Auth, Authorizer, Validator, Integration string
	Scopes, Models, IntegrationResponses     int
	KeyRequired                              bool
}

// motoMethods reads every method of the REST API id from moto, by
// "VERB /path".
func motoMethods(t *testing.T, ag *apigateway.Client, id string) map[string]motoMethod {
	t.Helper()
	ctx := context.Background()
	res, err := ag.GetResources(ctx, &apigateway.GetResourcesInput{RestApiId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	methods := map[string]motoMethod{}
	for _, r := range res.Items {
		for verb := range r.ResourceMethods {
			m, err := ag.GetMethod(ctx, &apigateway.GetMethodInput{RestApiId: aws.String(id), ResourceId: r.Id, HttpMethod: aws.String(verb)})
			if err != nil {
				t.Fatal(err)
			}
			got := motoMethod{Auth: aws.ToString(m.AuthorizationType), Authorizer: aws.ToString(m.AuthorizerId),
				Validator: aws.ToString(m.RequestValidatorId), Scopes: len(m.AuthorizationScopes),
				Models: len(m.RequestModels), KeyRequired: aws.ToBool(m.ApiKeyRequired)}
			if m.MethodIntegration != nil {
				got.Integration = string(m.MethodIntegration.Type)
				got.IntegrationResponses = len(m.MethodIntegration.IntegrationResponses)
			}
			methods[verb+" "+aws.ToString(r.Path)] = got
		}
	}
	return methods
}

// newRestAPI is the one REST API moto has that is not in before.
func newRestAPI(t *testing.T, ag *apigateway.Client, before map[string]bool) string {
	t.Helper()
	apis, err := ag.GetRestApis(context.Background(), &apigateway.GetRestApisInput{})
	if err != nil {
		t.Fatal(err)
	}
	var made []string
	for _, a := range apis.Items {
		if id := aws.ToString(a.Id); !before[id] {
			before[id] = true
			made = append(made, id)
		}
	}
	if len(made) != 1 {
		t.Fatalf("the deploy made REST APIs %v, want one", made)
	}
	return made[0]
}

// deployToMoto deploys the example (or a spec made from it) with its
// staging values.
func deployToMoto(t *testing.T, spec, stack, bucket string) string {
	t.Helper()
	code, out, errs := run(t, "deploy", spec, "--env", "staging", "--stack", stack, "--yes", "--poll", "10ms", "--s3-bucket", bucket)
	if code != 0 || !strings.Contains(errs, "Stack "+stack+" is CREATE_COMPLETE") {
		t.Fatalf("deploy %s exited %d\nstdout:\n%s\nstderr:\n%s", stack, code, out, errs)
	}
	return errs
}

// withoutCORS is the example's spec without its cors block, which moto's
// CloudFormation cannot create (see TestAccessDeployAgainstMoto).
func withoutCORS(t *testing.T, src string) string {
	t.Helper()
	var kept []string
	skipping := false
	for _, line := range strings.Split(src, "\n") {
		if line == "  cors:" {
			skipping = true
			continue
		}
		if skipping && strings.HasPrefix(line, "    ") {
			continue
		}
		skipping = false
		kept = append(kept, line)
	}
	out := strings.Join(kept, "\n")
	if out == src || strings.Contains(out, "origins:") {
		t.Fatal("the example's cors block moved: withoutCORS needs updating")
	}
	return out
}

func motoRoutes(m map[string]motoMethod) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func writeSpec(t *testing.T, dir, name, src string) string {
	t.Helper()
	p := dir + "/" + name
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func listCount(t *testing.T, what string, n int, err error) int {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return n
}

// TestAccessDeployAgainstMoto deploys the example with sfnapic deploy
// (through --s3-bucket) and reads back, with the SDK, what moto keeps of
// issue 18: see docs/moto.md, "What moto keeps and drops of issue 18".
func TestAccessDeployAgainstMoto(t *testing.T) {
	endpoint := startMoto(t)
	cfg := awsEnv(t, endpoint)
	bucket := motoArtifacts(t, cfg)
	motoAuthorizerFunction(t, endpoint)
	ag := apigateway.NewFromConfig(cfg)
	src, err := os.ReadFile("../../examples/orders-api.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir, seen := t.TempDir(), map[string]bool{}

	// The example as it is. moto's CloudFormation Method reads
	// Integration.IntegrationHttpMethod and Integration.Uri, which a MOCK
	// integration (the CORS preflights) has not: AWS requires them only
	// for the AWS, HTTP and proxy types ("AWS::ApiGateway::Method
	// Integration"). ExecuteChangeSet answers HTTP 500, the SDK retries it,
	// and moto then reports CREATE_COMPLETE with what it made before the
	// error: the REST API and a preflight method with no integration.
	deployToMoto(t, writeSpec(t, dir, "orders-api.yaml", string(src)), "orders", bucket)
	full := newRestAPI(t, ag, seen)
	for route, m := range motoMethods(t, ag, full) {
		if !strings.HasPrefix(route, "OPTIONS ") || m.Integration != "" {
			t.Errorf("moto made %s %+v of the example with CORS: it now creates MOCK methods? Update docs/moto.md's list", route, m)
		}
	}
	if n := stageCount(t, ag, full); n != 0 {
		t.Errorf("moto made %d stages of the example with CORS", n)
	}

	// The example without its cors block deploys, and shows the rest.
	open := deployToMoto(t, writeSpec(t, dir, "orders-open.yaml", withoutCORS(t, string(src))), "orders-open", bucket)
	if !strings.Contains(open, "UsagePlanPartners") || !strings.Contains(open, "ModelOrdersPost") {
		t.Errorf("the change set lacks issue 18's resources:\n%s", open)
	}
	api := newRestAPI(t, ag, seen)
	checkMotoMethods(t, motoMethods(t, ag, api))
	checkMotoDrops(t, cfg, api)
	checkMotoPermission(t, endpoint, api)
	checkMotoExecuteAPI(t, endpoint, api)

	// invoke --api-key-name reads the key's id from the stack's outputs,
	// which moto does not keep for a stack made through a change set.
	code, out, errs := run(t, "invoke", "../../examples/orders-api.yaml", "--stack", "orders-open", "--url", endpoint+"/prod",
		"GET /partner/orders/o-1", "--api-key-name", "acme", "--token", "partner-token")
	if code == 0 || !strings.Contains(errs, "stack orders-open has no outputs at all, so no output with the id of API key acme (ApiKeyAcme): moto does not create stage outputs") {
		t.Errorf("invoke --api-key-name on moto's stack exited %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}

	checkMotoMade(t, cfg, endpoint)
	checkMotoDestroy(t, cfg, endpoint, []string{full, api})
	// moto's Lambda permission has no CloudFormation delete either.
	checkMotoPermission(t, endpoint, api)
}

// checkMotoMade: before the destroy, each stack has its two state
// machines (moto goes on past the preflight it cannot make, though its
// API has no other method), and the IAM roles are check-partner's and
// each stack's three (ApiRole and the two execution roles).
func checkMotoMade(t *testing.T, cfg aws.Config, endpoint string) {
	t.Helper()
	machines, err := sfn.NewFromConfig(cfg).ListStateMachines(context.Background(), &sfn.ListStateMachinesInput{})
	listCount(t, "ListStateMachines", len(machines.StateMachines), err)
	var names []string
	for _, m := range machines.StateMachines {
		name := aws.ToString(m.Name)
		if i := strings.LastIndex(name, "-"); i > 0 {
			name = name[:i] // moto's random suffix
		}
		names = append(names, name)
	}
	sort.Strings(names)
	if want := "[orders-StateMachineOrders orders-StateMachineQuote orders-open-StateMachineOrders orders-open-StateMachineQuote]"; fmt.Sprint(names) != want {
		t.Errorf("state machines %v, want %s", names, want)
	}
	if code, out := motoCall(t, endpoint, "iam", "POST", "/", "application/x-www-form-urlencoded", "Action=ListRoles&Version=2010-05-08"); code != 200 || strings.Count(out, "<RoleName>") != 7 {
		t.Errorf("IAM roles before destroy, want 7:\n%s", out)
	}
}

func stageCount(t *testing.T, ag *apigateway.Client, api string) int {
	t.Helper()
	st, err := ag.GetStages(context.Background(), &apigateway.GetStagesInput{RestApiId: aws.String(api)})
	return listCount(t, "GetStages", len(st.Item), err)
}

// checkMotoMethods: moto keeps each method's AuthorizationType and
// ApiKeyRequired, and its integration's type; it drops AuthorizerId,
// AuthorizationScopes, RequestValidatorId, RequestModels and every
// integration response.
func checkMotoMethods(t *testing.T, got map[string]motoMethod) {
	t.Helper()
	cognito := motoMethod{Auth: "COGNITO_USER_POOLS", Integration: "AWS"}
	iam := motoMethod{Auth: "AWS_IAM", Integration: "AWS"}
	want := map[string]motoMethod{
		"POST /quotes": cognito, "POST /orders": cognito, "GET /orders/{id}": cognito, "DELETE /orders/{id}": cognito,
		"GET /partner/orders/{id}": {Auth: "CUSTOM", Integration: "AWS", KeyRequired: true},
		"POST /approvals/approve":  iam, "POST /approvals/reject": iam,
	}
	if fmt.Sprint(motoRoutes(got)) != fmt.Sprint(motoRoutes(want)) {
		t.Fatalf("moto's methods %v, want %v", motoRoutes(got), motoRoutes(want))
	}
	for route, w := range want {
		if got[route] != w {
			t.Errorf("moto's %s is %+v, want %+v (what moto keeps changed: update docs/moto.md's list)", route, got[route], w)
		}
	}
}

// checkMotoDrops: moto's CloudFormation has no AWS::ApiGateway::Authorizer,
// Model, RequestValidator, GatewayResponse, Stage, UsagePlan, ApiKey or
// UsagePlanKey (it warns "No Moto CloudFormation support" and goes on),
// and keeps no outputs of a stack made through a change set.
func checkMotoDrops(t *testing.T, cfg aws.Config, api string) {
	t.Helper()
	ctx, ag, id := context.Background(), apigateway.NewFromConfig(cfg), aws.String(api)
	auths, err := ag.GetAuthorizers(ctx, &apigateway.GetAuthorizersInput{RestApiId: id})
	counts := map[string]int{"authorizers": listCount(t, "GetAuthorizers", len(auths.Items), err)}
	models, err := ag.GetModels(ctx, &apigateway.GetModelsInput{RestApiId: id})
	counts["models"] = listCount(t, "GetModels", len(models.Items), err)
	vals, err := ag.GetRequestValidators(ctx, &apigateway.GetRequestValidatorsInput{RestApiId: id})
	counts["request validators"] = listCount(t, "GetRequestValidators", len(vals.Items), err)
	grs, err := ag.GetGatewayResponses(ctx, &apigateway.GetGatewayResponsesInput{RestApiId: id})
	counts["gateway responses"] = listCount(t, "GetGatewayResponses", len(grs.Items), err)
	counts["stages"] = stageCount(t, ag, api)
	plans, err := ag.GetUsagePlans(ctx, &apigateway.GetUsagePlansInput{})
	counts["usage plans"] = listCount(t, "GetUsagePlans", len(plans.Items), err)
	keys, err := ag.GetApiKeys(ctx, &apigateway.GetApiKeysInput{IncludeValues: aws.Bool(true)})
	counts["API keys"] = listCount(t, "GetApiKeys", len(keys.Items), err)
	stacks, err := cloudformation.NewFromConfig(cfg).DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String("orders-open")})
	if err != nil || len(stacks.Stacks) != 1 {
		t.Fatalf("DescribeStacks: %v", err)
	}
	counts["stack outputs"] = len(stacks.Stacks[0].Outputs)
	for what, n := range counts {
		if n != 0 {
			t.Errorf("moto now keeps %d %s of the example: update docs/moto.md's list (and read them back here)", n, what)
		}
	}
	deps, err := ag.GetDeployments(ctx, &apigateway.GetDeploymentsInput{RestApiId: id})
	if listCount(t, "GetDeployments", len(deps.Items), err) != 1 {
		t.Errorf("moto made %d deployments, want 1", len(deps.Items))
	}
}

// checkMotoPermission: moto keeps the partners authorizer's
// AWS::Lambda::Permission, but with the authorizer dropped, the
// ${AuthorizerPartners} of its SourceArn's Fn::Sub stays as it is.
func checkMotoPermission(t *testing.T, endpoint, api string) {
	t.Helper()
	code, body := motoCall(t, endpoint, "lambda", "GET", "/2015-03-31/functions/check-partner/policy", "", "")
	var policy struct{ Policy string }
	if err := json.Unmarshal([]byte(body), &policy); code != 200 || err != nil {
		t.Fatalf("GetPolicy: %d %s", code, body)
	}
	var doc struct {
		Statement []struct {
			Action    string
			Principal struct{ Service string }
			Condition struct {
				ArnLike map[string]string
			}
		}
	}
	if err := json.Unmarshal([]byte(policy.Policy), &doc); err != nil {
		t.Fatalf("the policy %s: %v", policy.Policy, err)
	}
	want := "arn:aws:execute-api:us-east-1:123456789012:" + api + "/authorizers/${AuthorizerPartners}"
	found := false
	for _, s := range doc.Statement {
		if s.Condition.ArnLike["AWS:SourceArn"] == want {
			found = s.Action == "lambda:InvokeFunction" && s.Principal.Service == "apigateway.amazonaws.com"
		}
	}
	if !found {
		t.Errorf("no statement of check-partner's policy allows API Gateway with SourceArn %s:\n%s", want, policy.Policy)
	}
}

// checkMotoExecuteAPI sends a request for the partner route, with no key
// and with one no plan has, to moto_server as to the API's invoke URL
// (Host {api}.execute-api.us-east-1.amazonaws.com, path /prod/...). moto
// answers execute-api URLs only inside a Python process (through the
// "responses" mock it registers for each stage URL); moto_server has no
// route for them and takes the GET for S3's path-style request for a
// bucket "prod": 404 NoSuchBucket, the same with a key as without. Nothing
// is enforced because nothing is served.
func checkMotoExecuteAPI(t *testing.T, endpoint, api string) {
	t.Helper()
	for _, key := range []string{"", "not-a-key-of-any-plan"} {
		req, err := http.NewRequest("GET", endpoint+"/prod/partner/orders/o-1", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = api + ".execute-api.us-east-1.amazonaws.com"
		if key != "" {
			req.Header.Set("x-api-key", key)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 404 || !strings.Contains(string(b), "<Code>NoSuchBucket</Code>") {
			t.Errorf("moto_server answered the API's invoke URL (x-api-key %q) %d: it now serves APIs? Update docs/moto.md's list\n%s", key, resp.StatusCode, b)
		}
	}
}

// checkMotoDestroy destroys both stacks: sfnapic says each is deleted,
// and moto deletes the state machines and IAM roles, but its API Gateway
// resources have no CloudFormation delete, so the REST APIs stay.
func checkMotoDestroy(t *testing.T, cfg aws.Config, endpoint string, apis []string) {
	t.Helper()
	ctx := context.Background()
	for _, stack := range []string{"orders", "orders-open"} {
		if code, _, errs := run(t, "destroy", "--stack", stack, "--yes", "--poll", "10ms"); code != 0 || !strings.Contains(errs, "Stack "+stack+" is deleted") {
			t.Fatalf("destroy %s exited %d:\n%s", stack, code, errs)
		}
	}
	machines, err := sfn.NewFromConfig(cfg).ListStateMachines(ctx, &sfn.ListStateMachinesInput{})
	if listCount(t, "ListStateMachines", len(machines.StateMachines), err) != 0 {
		t.Errorf("state machines left after destroy: %v", machines.StateMachines)
	}
	if code, out := motoCall(t, endpoint, "iam", "POST", "/", "application/x-www-form-urlencoded", "Action=ListRoles&Version=2010-05-08"); code != 200 || strings.Count(out, "<RoleName>") != 1 {
		t.Errorf("IAM roles left after destroy (only check-partner's should be):\n%s", out)
	}
	left, err := apigateway.NewFromConfig(cfg).GetRestApis(ctx, &apigateway.GetRestApisInput{})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, a := range left.Items {
		ids[aws.ToString(a.Id)] = true
	}
	for _, id := range apis {
		if !ids[id] {
			t.Errorf("moto deleted REST API %s with its stack: update docs/moto.md's list", id)
		}
	}
}

// TestInvokeAPIKeyNameAgainstMoto: invoke --api-key-name acme reads the
// key's id from the stack's ApiKeyAcmeId output and its value from moto's
// API Gateway (GetApiKey with includeValue), sends it as x-api-key, and
// prints it nowhere. moto's CloudFormation makes neither the key nor the
// outputs of a change-set stack (TestAccessDeployAgainstMoto), so the test
// makes the key with CreateApiKey, as CloudFormation would, and a stack
// with CreateStack whose output holds its id, as the example's stack does.
func TestInvokeAPIKeyNameAgainstMoto(t *testing.T) {
	cfg := awsEnv(t, startMoto(t))
	ctx := context.Background()
	key, err := apigateway.NewFromConfig(cfg).CreateApiKey(ctx, &apigateway.CreateApiKeyInput{Name: aws.String("orders-acme"), Enabled: true})
	if err != nil || len(aws.ToString(key.Value)) < 20 {
		t.Fatalf("CreateApiKey: %v %v", key, err)
	}
	value := aws.ToString(key.Value)
	tmpl := `{"Parameters": {"KeyId": {"Type": "String"}}, "Resources": {"Queue": {"Type": "AWS::SQS::Queue"}},
		"Outputs": {"ApiKeyAcmeId": {"Value": {"Ref": "KeyId"}}}}`
	if _, err := cloudformation.NewFromConfig(cfg).CreateStack(ctx, &cloudformation.CreateStackInput{
		StackName: aws.String("orders"), TemplateBody: aws.String(tmpl),
		Parameters: []cfntypes.Parameter{{ParameterKey: aws.String("KeyId"), ParameterValue: key.Id}},
	}); err != nil {
		t.Fatal(err)
	}
	var got []string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Method+" "+r.URL.Path+" x-api-key="+r.Header.Get("x-api-key")+" authorization="+r.Header.Get("Authorization"))
		// An answer that echoes the key: invoke prints the answer, and
		// must hide the value in it too.
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprintf(w, `{"executionId": "o-1", "status": "RUNNING", "echo": %q}`, r.Header.Get("x-api-key"))
	}))
	defer api.Close()

	code, out, errs := run(t, "invoke", "../../examples/orders-api.yaml", "--stack", "orders", "--url", api.URL+"/prod",
		"GET /partner/orders/o-1", "--api-key-name", "acme", "--token", "partner-token")
	if code != 0 {
		t.Fatalf("invoke exited %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	want := "GET /prod/partner/orders/o-1 x-api-key=" + value + " authorization=partner-token"
	if len(got) != 1 || got[0] != want {
		t.Errorf("the API received %q, want %q", got, want)
	}
	if strings.Contains(out+errs, value) {
		t.Errorf("invoke printed the key's value:\nstdout:\n%s\nstderr:\n%s", out, errs)
	}

	// A name the template does not have is refused before any call.
	code, _, errs = run(t, "invoke", "../../examples/orders-api.yaml", "--stack", "orders", "--url", api.URL+"/prod",
		"GET /partner/orders/o-1", "--api-key-name", "acne", "--token", "partner-token")
	if code == 0 || !strings.Contains(errs, "the template has no API key acne") || len(got) != 1 {
		t.Errorf("invoke --api-key-name acne exited %d (%d requests):\n%s", code, len(got), errs)
	}
}
