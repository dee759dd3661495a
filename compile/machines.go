package compile

import (
	"strings"

	"github.com/awslabs/goformation/v7/cloudformation"
	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/stepfunctions"

	"github.com/sfnapic/sfnapic/integration"
	"github.com/sfnapic/sfnapic/spec"
)

// stateMachines creates each defined state machine with its execution
// role (unless the spec names one), records how routes refer to every
// machine, created or existing, and outputs each ARN.
func (b *builder) stateMachines() {
	frags := machineFragments(b.s)
	ids := MachineIDs(b.s)
	for _, m := range b.s.StateMachines {
		frag := frags[m.Name]
		smID := "StateMachine" + frag
		if m.Existing() {
			prefix := strings.Replace(m.ARN, ":stateMachine:", ":execution:", 1) + ":"
			// The ARN may take parameters' values: the request
			// templates then read it through Fn::Sub (requestTemplates).
			b.machines[m] = integration.Machine{ARN: b.deployed(m.ARN), ARNText: m.ARN, Executions: b.deployed(prefix + "*"), ExecutionsText: prefix}
			b.shaping = append(b.shaping, m.Name+"="+m.ARN)
		} else {
			b.stateMachine(m, smID, frag, ids)
			// An execution's ARN holds the machine's name, which
			// CloudFormation picks: the template reads it back.
			prefix := "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:${" + smID + ".Name}:"
			b.machines[m] = integration.Machine{ARN: b.t.Ref(smID), ARNText: machineText(m, smID), Executions: b.t.Sub(prefix + "*"), ExecutionsText: prefix}
			// Changing the type replaces the machine, and with it the ARN
			// that the deployed request templates carry.
			b.shaping = append(b.shaping, m.Name+"="+m.Type)
		}
		b.t.CFN.Outputs[MachineOutput(smID)] = cloudformation.Output{
			Description: ptr(fit("ARN of state machine "+m.Name, maxOutputDescription)),
			Value:       b.machines[m].ARN,
		}
	}
}

// stateMachine creates one state machine, and its execution role unless
// the spec gives a roleArn.
func (b *builder) stateMachine(m *spec.StateMachine, smID, frag string, ids map[string]string) {
	roleArn := b.deployed(m.RoleARN)
	if roleArn == "" {
		roleID := "ExecutionRole" + frag
		role := &iam.Role{
			Description:              ptr("Execution role of state machine " + m.Name),
			AssumeRolePolicyDocument: trust("states.amazonaws.com"),
			Tags:                     b.tags(),
		}
		// What the Tasks call is derived; the spec's policies add to it.
		if derived := b.derivedStatements(m, ids); len(derived) > 0 {
			role.Policies = append(role.Policies, iam.Role_Policy{
				PolicyName:     "Derived",
				PolicyDocument: policyDocument(derived),
			})
		}
		if len(m.Policies) > 0 {
			statements := make([]any, len(m.Policies))
			for i, st := range m.Policies {
				statements[i] = st
			}
			role.Policies = append(role.Policies, iam.Role_Policy{
				PolicyName:     "Workflow",
				PolicyDocument: policyDocument(statements),
			})
		}
		b.t.CFN.Resources[roleID] = role
		roleArn = b.t.GetAtt(roleID, "Arn")
	}
	var smTags []stepfunctions.StateMachine_TagsEntry
	for _, tg := range b.s.API.Tags {
		smTags = append(smTags, stepfunctions.StateMachine_TagsEntry{Key: tg.Key, Value: b.deployed(tg.Value)})
	}
	def := m.Definition
	if m.Literals {
		def = literals(def)
	}
	sm := &stepfunctions.StateMachine{
		Definition:              def,
		DefinitionSubstitutions: b.substitutions(m, ids),
		RoleArn:                 roleArn,
		StateMachineType:        ptr(m.Type),
		Tags:                    smTags,
	}
	b.t.CFN.Resources[smID] = sm
	role, _ := b.t.CFN.Resources["ExecutionRole"+frag].(*iam.Role)
	b.operations(m, sm, role, frag)
	if m.Encryption != nil {
		b.encryption(m, smID, frag)
	}
}

// machineText is how a request template names the machine a route starts:
// through its alias when it has one. An alias's ARN is the machine's with
// ":NAME" after it (StateMachineAliasListItem, Step Functions API
// reference). IAM authorizes a call through an alias on the machine's own
// ARN ("Authorization for versions and aliases", Step Functions developer
// guide), so the API role's statements keep naming the machine.
func machineText(m *spec.StateMachine, smID string) string {
	if m.Alias != nil {
		return "${" + smID + "}:" + m.Alias.Name
	}
	return "${" + smID + "}"
}

// machineFragments names the state machines' logical IDs.
func machineFragments(s *spec.Spec) namer {
	names := make([]string, 0, len(s.StateMachines))
	for _, m := range s.StateMachines {
		names = append(names, m.Name)
	}
	return newNamer(names, pascal)
}

// MachineIDs maps the name of each state machine the template creates to
// its logical ID (existing machines, given by ARN, have none).
func MachineIDs(s *spec.Spec) map[string]string {
	frags := machineFragments(s)
	ids := map[string]string{}
	for _, m := range s.StateMachines {
		if !m.Existing() {
			ids[m.Name] = "StateMachine" + frags[m.Name]
		}
	}
	return ids
}
