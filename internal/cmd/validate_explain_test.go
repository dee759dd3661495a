package cmd

import (
	"strings"
	"testing"
)

// TestValidateExplain: --explain prints each derived statement under the
// position and path of the Task it came from, nested Tasks included; a
// plain validate prints nothing on stdout.
func TestValidateExplain(t *testing.T) {
	spec := "../../golden/derived-policies/spec.yaml"
	code, out, errs := run(t, "validate", "--explain", spec)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		spec + ":8:3: stateMachines.fulfil: 15 statement(s) derived from 13 Task state(s), 0 under policies\n",
		"  " + spec + ":64:17: stateMachines.fulfil.definition.States.Each.ItemProcessor.States.Pick (arn:aws:states:::states:startExecution.sync:2)\n" +
			"    Allow states:DescribeExecution, states:StopExecution\n" +
			"      on arn:aws:states:eu-west-1:123456789012:execution:pick:*\n",
		"    Allow sqs:SendMessage\n      on arn:${AWS::Partition}:sqs:eu-west-1:123456789012:approvals\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks\n%s\ngot\n%s", want, out)
		}
	}
	if !strings.Contains(errs, "States.Notify: warning: FunctionName is chosen at run time") {
		t.Errorf("stderr lacks the run-time warning:\n%s", errs)
	}
	if code, out, _ := run(t, "validate", spec); code != 0 || out != "" {
		t.Errorf("plain validate: exit %d, stdout %q; want 0 and nothing", code, out)
	}
}

// TestValidateExplainSettings: --explain also lists what a machine's own
// settings add to its role (log delivery, X-Ray, its KMS key), each with
// why its resource is what it is.
func TestValidateExplainSettings(t *testing.T) {
	spec := "../../golden/encryption/spec.yaml"
	code, out, errs := run(t, "validate", "--explain", spec)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"  stateMachines.orders.logs\n    Allow logs:CreateLogDelivery,",
		"  stateMachines.ledger.encryption\n    Allow kms:Decrypt, kms:GenerateDataKey\n      on ${LedgerKey} (for this machine's data only, by kms:EncryptionContext:aws:states:stateMachineArn)\n",
		"  stateMachines.orders.encryption\n    Allow kms:GenerateDataKey\n      on arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab (for log delivery, by kms:EncryptionContext:SourceArn)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks\n%s\ngot\n%s", want, out)
		}
	}
	if code, out, _ := run(t, "validate", "--explain", "../../golden/observability/spec.yaml"); code != 0 || !strings.Contains(out, ".tracing\n    Allow xray:PutTraceSegments,") {
		t.Errorf("the traced machine's X-Ray statement is not explained: exit %d\n%s", code, out)
	}
}
