package restapi_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/awslabs/goformation/v7/cloudformation/apigateway"

	"github.com/sfnapic/sfnapic/cfn"
	"github.com/sfnapic/sfnapic/internal/golden"
	"github.com/sfnapic/sfnapic/restapi"
)

// ordersWithAuth is golden/orders-open's template with a Cognito and a
// Lambda authorizer, and methods that use them, IAM, and a broken
// AuthorizerId.
func ordersWithAuth(t *testing.T) *cfn.Template {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(golden.Root(), "orders-open", "template.json"))
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := cfn.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	ttl := 60
	tpl.CFN.Resources["AuthorizerUsers"] = &apigateway.Authorizer{Name: "users", Type: "COGNITO_USER_POOLS", RestApiId: tpl.Ref("Api"),
		ProviderARNs: []string{"arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf"}}
	tpl.CFN.Resources["AuthorizerPartners"] = &apigateway.Authorizer{Name: "partners", Type: "REQUEST", RestApiId: tpl.Ref("Api"),
		IdentitySource: ptr("method.request.header.X-Partner, method.request.querystring.key,context.sourceIp,stageVariables.v"), AuthorizerResultTtlInSeconds: &ttl}
	set := func(id, typ, authorizer string, scopes ...string) {
		m := tpl.CFN.Resources[id].(*apigateway.Method)
		m.AuthorizationType, m.AuthorizationScopes = ptr(typ), scopes
		if authorizer != "" {
			m.AuthorizerId = ptr(tpl.Ref(authorizer))
		}
	}
	set("RouteOrdersPost", "COGNITO_USER_POOLS", "AuthorizerUsers", "orders/write")
	set("RouteOrdersIdGet", "CUSTOM", "AuthorizerPartners")
	set("RouteOrdersIdDelete", "AWS_IAM", "")
	set("RouteQuotesPost", "CUSTOM", "AuthorizerUsers")
	set("RouteApprovalsApprovePost", "CUSTOM", "AuthorizerMissing")
	return tpl
}

// TestReadAuth: the authorizers with their type, identity sources (in
// order, each kind mapped), user pools and TTL (300 s unless set), and
// each method's authorization; an AuthorizerId naming no authorizer, or
// one of the wrong type, is a problem of that method, not of the whole
// API.
func TestReadAuth(t *testing.T) {
	api, err := restapi.Read(ordersWithAuth(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(api.Authorizers) != 2 || api.Authorizers[0].ID != "AuthorizerPartners" || api.Authorizers[1].ID != "AuthorizerUsers" {
		t.Fatalf("authorizers: %+v", api.Authorizers)
	}
	partners, users := api.Authorizers[0], api.Authorizers[1]
	var ids []string
	for _, s := range partners.Identity {
		ids = append(ids, s.Where+":"+s.Name+"="+s.String())
	}
	if got := strings.Join(ids, " "); got != "header:X-Partner=method.request.header.X-Partner querystring:key=method.request.querystring.key context:sourceIp=context.sourceIp stageVariables:v=stageVariables.v" {
		t.Errorf("identity sources: %s", got)
	}
	if partners.TTL != time.Minute || users.TTL != restapi.DefaultAuthorizerTTL || users.Type != restapi.AuthorizerCognito {
		t.Errorf("TTLs %s %s, type %s", partners.TTL, users.TTL, users.Type)
	}
	if len(users.Identity) != 1 || users.Identity[0].String() != "method.request.header.Authorization" || len(users.ProviderARNs) != 1 {
		t.Errorf("a Cognito authorizer reads Authorization by default: %+v", users)
	}
	want := map[string]string{
		"POST /orders":            "COGNITO_USER_POOLS AuthorizerUsers [orders/write] ",
		"GET /orders/{id}":        "CUSTOM AuthorizerPartners [] ",
		"DELETE /orders/{id}":     "AWS_IAM - [] ",
		"POST /quotes":            "CUSTOM - [] AuthorizationType CUSTOM names authorizer AuthorizerUsers, of type COGNITO_USER_POOLS",
		"POST /approvals/approve": "CUSTOM - [] AuthorizationType CUSTOM needs an AuthorizerId that is a Ref to an AWS::ApiGateway::Authorizer of the template (authorizers: AuthorizerPartners, AuthorizerUsers)",
		"POST /approvals/reject":  "NONE - [] ",
	}
	for _, m := range api.Methods {
		a := m.Auth
		name := "-"
		if a.Authorizer != nil {
			name = a.Authorizer.ID
		}
		got := a.Type + " " + name + " [" + strings.Join(a.Scopes, ",") + "] " + a.Problem
		if got != want[m.Route()] {
			t.Errorf("%s: %q, want %q", m.Route(), got, want[m.Route()])
		}
	}
}
