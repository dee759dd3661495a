package compile

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/apigateway"
)

// deployment creates the Deployment, the Stage that serves it and the
// API's outputs.
//
// The Deployment's logical ID carries a hash of everything that shapes the
// API, so any change makes CloudFormation create a new one and the stage
// serve it. It sorts after the Route IDs: CloudFormation follows DependsOn,
// but emulators that create resources in key order (moto's change sets)
// then still create the methods first.
func (b *builder) deployment() {
	methods := append([]string(nil), b.methods...)
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

// apiHash hashes the canonical JSON of every API Gateway resource built so
// far (the API, its resources, methods, templates, responses, validator)
// plus the other facts that change what a deployment serves.
func (b *builder) apiHash() string {
	h := sha256.New()
	ids := make([]string, 0, len(b.t.CFN.Resources))
	for id, r := range b.t.CFN.Resources {
		if strings.HasPrefix(r.AWSCloudFormationType(), "AWS::ApiGateway::") {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
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
	}
	for _, e := range b.shaping {
		h.Write([]byte(e + "\n"))
	}
	return strings.ToUpper(hex.EncodeToString(h.Sum(nil))[:10])
}
