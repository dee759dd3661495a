package compile

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestEncryptedMachine: a machine with encryption carries its
// EncryptionConfiguration (the key as written, a Ref for ${P}, the reuse
// period in seconds); the execution role sfnapic makes may use the key
// for that machine only, in a RolePolicy of its own (one inside the role
// would be a cycle); a machine whose role is given gets none; the API role
// uses each key for its machine's executions only. Only the golden
// snapshot held these before.
func TestEncryptedMachine(t *testing.T) {
	out, err := compile(goldenSpec(t, "encryption")).t.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var tmpl struct {
		Resources map[string]struct {
			Type       string
			Properties map[string]any
		}
	}
	if err := json.Unmarshal(out, &tmpl); err != nil {
		t.Fatal(err)
	}
	res := tmpl.Resources
	text := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	const key = `arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab`
	for id, want := range map[string]string{
		"StateMachineOrders": `{"KmsDataKeyReusePeriodSeconds":600,"KmsKeyId":"` + key + `","Type":"CUSTOMER_MANAGED_KMS_KEY"}`,
		"StateMachineLedger": `{"KmsKeyId":{"Ref":"LedgerKey"},"Type":"CUSTOMER_MANAGED_KMS_KEY"}`,
	} {
		if got := text(res[id].Properties["EncryptionConfiguration"]); got != want {
			t.Errorf("%s's EncryptionConfiguration is %s, want %s", id, got, want)
		}
	}
	context := func(m string) string {
		return `"Condition":{"StringEquals":{"kms:EncryptionContext:aws:states:stateMachineArn":{"Ref":"StateMachine` + m + `"}}}`
	}
	for _, m := range []string{"Orders", "Ledger"} {
		p := res["KeyPolicy"+m]
		doc := text(p.Properties["PolicyDocument"])
		if p.Type != "AWS::IAM::RolePolicy" || text(p.Properties["RoleName"]) != `{"Ref":"ExecutionRole`+m+`"}` ||
			!strings.Contains(doc, `"Action":["kms:Decrypt","kms:GenerateDataKey"],`+context(m)) {
			t.Errorf("KeyPolicy%s does not let ExecutionRole%s use the key for its machine only: %s %s", m, m, p.Type, doc)
		}
		if role := text(res["ExecutionRole"+m].Properties); strings.Contains(role, "kms:") {
			t.Errorf("ExecutionRole%s holds the key itself (a cycle with its machine): %s", m, role)
		}
	}
	if _, ok := res["KeyPolicyAudit"]; ok {
		t.Error("the machine whose role the spec gives got a key policy")
	}
	api := text(res["ApiRole"].Properties["Policies"])
	for _, m := range []string{"Orders", "Ledger", "Audit"} {
		if !strings.Contains(api, context(m)) {
			t.Errorf("the API role cannot use %s's key for its executions: %s", m, api)
		}
	}
}
