package cfn

import (
	"strings"
	"testing"

	"github.com/awslabs/goformation/v7/cloudformation/stepfunctions"
)

// TestSetProperty: a property goformation's struct lacks is written after
// the struct's own, intrinsics restored, and only into its resource.
func TestSetProperty(t *testing.T) {
	tpl := New()
	tpl.CFN.Resources["M"] = &stepfunctions.StateMachine{RoleArn: "r"}
	tpl.CFN.Resources["N"] = &stepfunctions.StateMachine{RoleArn: "r"}
	tpl.SetProperty("M", "EncryptionConfiguration", map[string]any{"Type": "CUSTOMER_MANAGED_KMS_KEY", "KmsKeyId": tpl.Ref("Key")})
	got, err := tpl.ResourceJSON("M")
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Type":"AWS::StepFunctions::StateMachine","Properties":{"RoleArn":"r","EncryptionConfiguration":{"KmsKeyId":{"Ref":"Key"},"Type":"CUSTOMER_MANAGED_KMS_KEY"}}}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if other, _ := tpl.ResourceJSON("N"); strings.Contains(string(other), "Encryption") {
		t.Errorf("the property leaked into another resource: %s", other)
	}
	if v, ok := tpl.Property("M", "EncryptionConfiguration"); !ok || v == nil {
		t.Errorf("Property does not return what SetProperty set")
	}
}

// TestParseKeepsMissingProperty: a template holding a property that
// goformation's struct lacks reads back (the struct would refuse it), the
// property kept beside the resource and written out as it was.
func TestParseKeepsMissingProperty(t *testing.T) {
	src := `{"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"RoleArn": "r",
		"EncryptionConfiguration": {"Type": "CUSTOMER_MANAGED_KMS_KEY", "KmsKeyId": {"Ref": "Key"}}}}}}`
	tpl, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	v, ok := tpl.Property("M", "EncryptionConfiguration")
	cfg, _ := v.(map[string]any)
	if !ok || cfg["Type"] != "CUSTOMER_MANAGED_KMS_KEY" {
		t.Fatalf("Property = %v, %v", v, ok)
	}
	if ref, ok := tpl.RefTarget(cfg["KmsKeyId"].(string)); !ok || ref != "Key" {
		t.Errorf("KmsKeyId is not held as the Ref it was: %v", cfg["KmsKeyId"])
	}
	out, err := tpl.ResourceJSON("M")
	if err != nil || !strings.Contains(string(out), `"EncryptionConfiguration":{"Type":"CUSTOMER_MANAGED_KMS_KEY","KmsKeyId":{"Ref":"Key"}}`) {
		t.Errorf("written back as %s (%v)", out, err)
	}
}
