package compile

import (
	"github.com/awslabs/goformation/v7/cloudformation/iam"

	"github.com/sfnapic/sfnapic/spec"
)

// A machine encrypted with a customer managed key ("Data at rest
// encryption in Step Functions"): the machine's EncryptionConfiguration,
// and the key for each principal that needs it, only for this machine:
// KMS calls Step Functions makes for a machine carry the encryption
// context aws:states:stateMachineArn = the machine's ARN.

// keyActions are what the execution role does with its machine's key:
// decrypt the machine's data and encrypt new data with a new data key.
var keyActions = []string{"kms:Decrypt", "kms:GenerateDataKey"}

// logsKey reports whether log delivery needs the key too: it encrypts the
// logs of an encrypted machine that logs.
func logsKey(m *spec.StateMachine) bool { return m.Logs != nil && m.Logs.Level != "OFF" }

// encryptionContext is the condition that limits a key to one machine.
func (b *builder) encryptionContext(smID string) map[string]any {
	return map[string]any{"StringEquals": map[string]any{"kms:EncryptionContext:aws:states:stateMachineArn": b.t.Ref(smID)}}
}

// keyValue is the key's ARN as the template writes it: a Ref or Fn::Sub
// where it holds ${Name}.
func (b *builder) keyValue(e *spec.Encryption) string { return b.deployed(e.Key) }

// encryption sets a machine's EncryptionConfiguration and, when sfnapic
// makes its role, gives the role the key. goformation v7 lacks the
// property, so the template carries it beside the struct (cfn.SetProperty).
func (b *builder) encryption(m *spec.StateMachine, smID, frag string) {
	e := m.Encryption
	cfg := map[string]any{"Type": "CUSTOMER_MANAGED_KMS_KEY", "KmsKeyId": b.keyValue(e)}
	if e.ReuseSeconds > 0 {
		cfg["KmsDataKeyReusePeriodSeconds"] = e.ReuseSeconds
	}
	b.t.SetProperty(smID, "EncryptionConfiguration", cfg)
	if m.RoleARN != "" {
		return
	}
	// The execution role encrypts and decrypts the execution's data with
	// the key; with logs on, it also makes the data keys CloudWatch Logs
	// delivery uses, whose context names the account's log groups (the
	// CDK's CustomerManagedEncryptionConfiguration grants the same).
	statements := []any{map[string]any{
		"Effect": "Allow", "Action": keyActions, "Resource": b.keyValue(e),
		"Condition": b.encryptionContext(smID),
	}}
	if logsKey(m) {
		statements = append(statements, map[string]any{
			"Effect": "Allow", "Action": "kms:GenerateDataKey", "Resource": b.keyValue(e),
			"Condition": map[string]any{"StringEquals": map[string]any{
				"kms:EncryptionContext:SourceArn": b.t.Sub("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:*")}},
		})
	}
	// A policy of its own, not one of the role's: the condition names the
	// machine, which names the role, so an inline policy of the role
	// would make a cycle. The role needs the key only when executions
	// run, after the stack is complete.
	b.t.CFN.Resources["KeyPolicy"+frag] = &iam.RolePolicy{
		RoleName:       b.t.Ref("ExecutionRole" + frag),
		PolicyName:     "Encryption",
		PolicyDocument: policyDocument(statements),
	}
}

// routeKeyActions are the KMS actions the API role needs on an encrypted
// machine's key for a route's action: every call that reads an
// execution's data decrypts it, and one that gives an execution data
// (its input, a task's output) encrypts it with a new data key. Sources:
// the Step Functions API reference says callers of DescribeExecution and
// StartSyncExecution on a machine encrypted with a KMS key need
// kms:Decrypt (their includedData parameter); the rest is from a Step
// Functions engineer's review of aws-samples/aws-stepfunctions-examples
// PR #74 (StartExecution needs kms:GenerateDataKey and kms:Decrypt,
// StopExecution kms:Decrypt), the best public evidence found; AWS's
// "Data at rest encryption" page could not be read here.
func routeKeyActions(action string) []string {
	switch action {
	case spec.ActionStart, spec.ActionStartSync, spec.ActionTaskSuccess, spec.ActionTaskFailure:
		return []string{"kms:Decrypt", "kms:GenerateDataKey"}
	case spec.ActionStatus, spec.ActionStop:
		return []string{"kms:Decrypt"}
	}
	return nil
}

// apiKeyStatements are the API role's statements on the keys of the
// encrypted machines its routes call: per machine, the actions its routes
// need, on its key, for its executions only.
func (b *builder) apiKeyStatements() []any {
	var out []any
	ids := MachineIDs(b.s)
	for _, m := range b.s.StateMachines {
		if m.Encryption == nil {
			continue
		}
		var actions []string
		for _, r := range b.s.Routes {
			if r.StateMachine != m {
				continue
			}
			for _, a := range routeKeyActions(r.Action) {
				if !containsString(actions, a) {
					actions = append(actions, a)
				}
			}
		}
		if len(actions) > 0 {
			out = append(out, map[string]any{"Effect": "Allow", "Action": actions, "Resource": b.keyValue(m.Encryption),
				"Condition": b.encryptionContext(ids[m.Name])})
		}
	}
	return out
}
