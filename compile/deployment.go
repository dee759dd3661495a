package compile

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/apigateway"
)

// deployment creates the Deployment, the Stage that serves it and the
// API's outputs. It is compile's final pass, after build has made every
// other resource, so the hash covers all of them.
//
// The Deployment's logical ID carries a hash of everything that shapes the
// API, so any change makes CloudFormation create a new one and the stage
// serve it. It sorts after the Route IDs: CloudFormation follows DependsOn,
// but emulators that create resources in key order (moto's change sets)
// then still create the methods first.
func (b *builder) deployment() {
	// The Deployment snapshots the methods and the gateway responses: it
	// waits for both (a gateway response, which no method refers to,
	// would otherwise be created or updated alongside it, and the stage
	// serve the old one: aws/aws-cdk#10963).
	methods := append([]string(nil), b.methods...)
	for id, r := range b.t.CFN.Resources {
		if _, ok := r.(*apigateway.GatewayResponse); ok {
			methods = append(methods, id)
		}
	}
	sort.Strings(methods)
	depID := "StageDeployment" + b.apiHash()
	b.t.CFN.Resources[depID] = &apigateway.Deployment{
		RestApiId:                  b.t.Ref(idAPI),
		Description:                ptr("sfnapic deployment " + strings.TrimPrefix(depID, "StageDeployment")),
		AWSCloudFormationDependsOn: methods,
	}
	b.t.CFN.Resources[idStage] = &apigateway.Stage{
		RestApiId:    b.t.Ref(idAPI),
		DeploymentId: ptr(b.t.Ref(depID)),
		StageName:    ptr(b.s.API.Stage),
		Tags:         b.tags(),
	}
	b.t.CFN.Outputs[OutputAPIURL] = cloudformation.Output{
		Description: ptr("Invoke URL of stage " + b.s.API.Stage),
		Value:       b.t.Sub("https://${" + idAPI + "}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${" + idStage + "}"),
	}
	b.t.CFN.Outputs[OutputAPIID] = cloudformation.Output{
		Description: ptr("ID of the REST API"),
		Value:       b.t.Ref(idAPI),
	}
}

// snapshot lists the resource types a Deployment snapshots: API Gateway
// serves a change to any of them only once the API is deployed again, so
// the Deployment's logical ID hashes every resource of these types. Not
// listed, since no deployment holds them: the Stage and the Deployment
// themselves (a stage points at a deployment), UsagePlan, ApiKey and
// UsagePlanKey (they belong to stages and the account, and take effect
// without a redeploy), and DocumentationPart and DocumentationVersion,
// DomainName and BasePathMapping.
var snapshot = []string{
	"AWS::ApiGateway::Authorizer",
	"AWS::ApiGateway::GatewayResponse",
	"AWS::ApiGateway::Method",
	"AWS::ApiGateway::Model",
	"AWS::ApiGateway::RequestValidator",
	"AWS::ApiGateway::Resource",
	"AWS::ApiGateway::RestApi", // without its tags
}

// readValues marks the parameters a snapshotted resource reads: a Ref to
// one, or its ${Name} in a Fn::Sub (an existing machine's ARN in a request
// template, a user pool, an authorizer's function, the VPC endpoints of
// the resource policy). Only a deploy, which has values, looks.
func (b *builder) readValues(read map[string]bool, j []byte) {
	if b.values == nil {
		return
	}
	for _, p := range b.s.Parameters {
		if !read[p.Name] && (bytes.Contains(j, []byte(`{"Ref":"`+p.Name+`"}`)) || bytes.Contains(j, []byte("${"+p.Name+"}"))) {
			read[p.Name] = true
		}
	}
}

// hashValues adds the value of each parameter the snapshotted resources
// read. A Deployment is a snapshot of what those resolved to when it was
// made: without this, a deploy that changes only such a value updates the
// Method but serves the old value until something else changes the API.
// A template built without values (build, the goldens) hashes none.
// NoEcho values are left out, since the ID is printed and ten hex digits
// of a short secret's hash can be searched; a change to one alone does
// not redeploy (docs/deploy.md).
func (b *builder) hashValues(h io.Writer, read map[string]bool) {
	for _, p := range b.s.Parameters {
		v, ok := b.values[p.Name]
		if !ok && p.Default != nil {
			v, ok = *p.Default, true
		}
		if ok && read[p.Name] && !p.NoEcho {
			fmt.Fprintf(h, "parameter %s=%q\n", p.Name, v)
		}
	}
}

// apiHash hashes the canonical JSON of every resource of a type in
// snapshot (the API, its resources, methods, templates, responses,
// validator, ...) plus the other facts that change what a deployment
// serves.
func (b *builder) apiHash() string {
	h := sha256.New()
	ids := make([]string, 0, len(b.t.CFN.Resources))
	for id, r := range b.t.CFN.Resources {
		if slices.Contains(snapshot, r.AWSCloudFormationType()) {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	read := map[string]bool{} // the parameters these resources read
	for _, id := range ids {
		// Hash what CloudFormation will see, intrinsics restored, so that
		// a change inside a Fn::Sub template changes the hash.
		j, err := b.t.ResourceJSON(id)
		if api, ok := b.t.CFN.Resources[id].(*apigateway.RestApi); ok && len(api.Tags) > 0 {
			// Tags change nothing the stage serves: keep them out, so
			// retagging does not redeploy.
			untagged := *api
			untagged.Tags = nil
			j, err = b.t.Resolved(untagged)
		}
		if err != nil {
			panic(err) // goformation structs of strings: cannot fail
		}
		h.Write([]byte(id))
		h.Write(j)
		b.readValues(read, j)
	}
	b.hashValues(h, read)
	for _, e := range b.shaping {
		h.Write([]byte(e + "\n"))
	}
	return strings.ToUpper(hex.EncodeToString(h.Sum(nil))[:10])
}
