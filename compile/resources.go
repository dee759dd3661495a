package compile

import (
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"

	"github.com/sfnapic/sfnapic/restapi/pathparam"
	"github.com/sfnapic/sfnapic/spec"
)

// restAPI creates the REST API; a PRIVATE one gets a resource policy.
func (b *builder) restAPI() {
	s := b.s
	api := &apigateway.RestApi{
		Name:                  ptr(s.API.Name),
		EndpointConfiguration: &apigateway.RestApi_EndpointConfiguration{Types: []string{s.API.Endpoint}},
		Tags:                  b.tags(),
	}
	if s.API.Description != "" {
		api.Description = ptr(s.API.Description)
	}
	if s.API.Endpoint == spec.EndpointPrivate {
		api.EndpointConfiguration.VpcEndpointIds = b.deployedList(s.API.VPCEndpoints)
		api.Policy = b.privatePolicy()
	}
	b.t.CFN.Resources[idAPI] = api
}

// privatePolicy lets only the given VPC endpoints invoke exactly the
// declared routes; path parameters become the only wildcards.
func (b *builder) privatePolicy() map[string]any {
	var res []string
	seen := map[string]bool{}
	for _, r := range b.s.Routes {
		verb := r.Method
		if verb == "ANY" {
			verb = "*"
		}
		segs := make([]string, len(r.Segments))
		for i, s := range r.Segments {
			if _, _, ok := pathparam.Parse(s); ok {
				s = "*"
			}
			segs[i] = s
		}
		arn := "execute-api:/" + b.s.API.Stage + "/" + verb + "/" + strings.Join(segs, "/")
		if !seen[arn] {
			seen[arn] = true
			res = append(res, arn)
		}
	}
	return policyDocument([]any{map[string]any{
		"Effect":    "Allow",
		"Principal": "*",
		"Action":    "execute-api:Invoke",
		"Resource":  res,
		"Condition": map[string]any{"StringEquals": map[string]any{"aws:SourceVpce": b.deployedList(b.s.API.VPCEndpoints)}},
	}})
}

// pathIDs names the path resources: every prefix of every route's path.
func (b *builder) pathIDs() namer {
	var paths []string
	for _, r := range b.s.Routes {
		for i := range r.Segments {
			paths = append(paths, strings.Join(r.Segments[:i+1], "/"))
		}
		paths = append(paths, strings.Join(r.Segments, "/"))
	}
	return newNamer(paths, pathFragment)
}

// resourceOf is the ID value of the resource at a path: the API's root,
// or a path resource.
func (b *builder) resourceOf(ids namer, segs []string) string {
	if len(segs) == 0 {
		return b.t.GetAtt(idAPI, "RootResourceId")
	}
	return b.t.Ref("Resource" + ids[strings.Join(segs, "/")])
}

// pathResources creates one AWS::ApiGateway::Resource per path segment,
// shared by every route below it.
func (b *builder) pathResources() {
	ids := b.paths
	for _, r := range b.s.Routes {
		for i, seg := range r.Segments {
			id := "Resource" + ids[strings.Join(r.Segments[:i+1], "/")]
			if _, done := b.t.CFN.Resources[id]; done {
				continue
			}
			b.t.CFN.Resources[id] = &apigateway.Resource{
				RestApiId: b.t.Ref(idAPI),
				ParentId:  b.resourceOf(ids, r.Segments[:i]),
				PathPart:  seg,
			}
		}
	}
}
