package compile

import (
	"sort"

	"github.com/awslabs/goformation/v7/cloudformation/iam"
	"github.com/awslabs/goformation/v7/cloudformation/logs"
	"github.com/awslabs/goformation/v7/cloudformation/policies"
	"github.com/awslabs/goformation/v7/cloudformation/stepfunctions"

	"github.com/sfnapic/sfnapic/spec"
)

// operations gives a created machine what its spec asks for to be watched
// and released: a log group and its LoggingConfiguration, X-Ray tracing
// (each with the execution role's permissions for it, when sfnapic makes
// the role: a roleArn must hold them itself), a version for each revision,
// and an alias.
func (b *builder) operations(m *spec.StateMachine, sm *stepfunctions.StateMachine, role *iam.Role, frag string) {
	if m.Logs != nil {
		sm.LoggingConfiguration = b.logging(m, frag)
		if m.Logs.Level != "OFF" && role != nil {
			role.Policies = append(role.Policies, anyResourcePolicy("Logs", logDeliveryActions))
		}
	}
	if m.Tracing {
		sm.TracingConfiguration = &stepfunctions.StateMachine_TracingConfiguration{Enabled: ptr(true)}
		if role != nil {
			role.Policies = append(role.Policies, anyResourcePolicy("Tracing", xrayActions))
		}
	}
	if m.Publish {
		b.version(m, frag)
	}
}

// logDeliveryActions are what Step Functions needs to deliver a machine's
// logs to CloudWatch Logs ("IAM policies for logging to CloudWatch Logs",
// Step Functions developer guide). The log delivery APIs take no resource
// ARN, so AWS's policy, and this one, name the resource "*".
var logDeliveryActions = []string{
	"logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery",
	"logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups",
}

// xrayActions are what a traced machine needs to send X-Ray its traces
// ("Concepts: IAM policies for X-Ray", Step Functions developer guide);
// X-Ray's trace APIs take no resource ARN either.
var xrayActions = []string{"xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"}

func anyResourcePolicy(name string, actions []string) iam.Role_Policy {
	return iam.Role_Policy{PolicyName: name, PolicyDocument: policyDocument([]any{map[string]any{
		"Effect": "Allow", "Action": actions, "Resource": "*",
	}})}
}

// logging makes a machine's LoggingConfiguration, and the log group it
// writes to unless the spec names one. The group's name starts
// /aws/vendedlogs/: CloudWatch Logs' resource policy, which Step Functions
// extends for each group it delivers to, has a size limit that groups
// under that prefix do not count against (Logging using CloudWatch Logs in
// Step Functions). The stack's name keeps the groups of two stacks of one
// spec (dev and prod, say) apart.
func (b *builder) logging(m *spec.StateMachine, frag string) *stepfunctions.StateMachine_LoggingConfiguration {
	l := m.Logs
	cfg := &stepfunctions.StateMachine_LoggingConfiguration{Level: ptr(l.Level), IncludeExecutionData: ptr(l.IncludeData)}
	if l.Level == "OFF" {
		return cfg
	}
	arn := b.deployed(l.GroupARN)
	if arn == "" {
		id := "LogGroup" + frag
		group := &logs.LogGroup{
			LogGroupName: ptr(b.t.Sub("/aws/vendedlogs/states/${AWS::StackName}-" + m.Name)),
			Tags:         b.tags(),
		}
		if l.RetentionDays > 0 {
			group.RetentionInDays = ptr(l.RetentionDays)
		}
		b.t.CFN.Resources[id] = group
		// A log group's Arn attribute ends in ":*", the form Step
		// Functions takes.
		arn = b.t.GetAtt(id, "Arn")
	}
	cfg.Destinations = []stepfunctions.StateMachine_LogDestination{{
		CloudWatchLogsLogGroup: &stepfunctions.StateMachine_CloudWatchLogsLogGroup{LogGroupArn: ptr(arn)},
	}}
	return cfg
}

// version publishes the machine's current revision, and points its alias
// at it. A changed definition or setting makes a new revision id, which
// replaces the version resource: a new version is published, and the old
// one is kept (UpdateReplacePolicy: Retain) for the executions that still
// run on it and for rolling back (AWS::StepFunctions::StateMachineVersion).
func (b *builder) version(m *spec.StateMachine, frag string) {
	smID, versionID := "StateMachine"+frag, "Version"+frag
	b.t.CFN.Resources[versionID] = &stepfunctions.StateMachineVersion{
		StateMachineArn:                      b.t.Ref(smID),
		StateMachineRevisionId:               ptr(b.t.GetAtt(smID, "StateMachineRevisionId")),
		Description:                          ptr(fit("Published by sfnapic for state machine "+m.Name, maxVersionDescription)),
		AWSCloudFormationUpdateReplacePolicy: policies.UpdateReplacePolicy("Retain"),
		// Deleting the stack deletes the machine, and with it every
		// version ("Authorization for versions and aliases": DeleteStateMachine
		// deletes all versions and aliases); said outright for cfn-lint's W3011.
		AWSCloudFormationDeletionPolicy: policies.DeletionPolicy("Delete"),
	}
	if m.Alias == nil {
		return
	}
	alias := &stepfunctions.StateMachineAlias{
		Name:        ptr(m.Alias.Name),
		Description: ptr(fit("The version the routes of "+b.s.API.Name+" start", maxVersionDescription)),
	}
	if d := m.Alias.Deployment; d != nil {
		// CloudFormation shifts executions to the new version by the
		// preference, and back when an alarm fires
		// (AWS::StepFunctions::StateMachineAlias DeploymentPreference).
		alias.DeploymentPreference = &stepfunctions.StateMachineAlias_DeploymentPreference{
			StateMachineVersionArn: b.t.Ref(versionID), Type: d.Type, Alarms: b.deployedList(d.Alarms),
		}
		if d.Percentage > 0 {
			alias.DeploymentPreference.Percentage = ptr(d.Percentage)
		}
		if d.IntervalMinutes > 0 {
			alias.DeploymentPreference.Interval = ptr(d.IntervalMinutes)
		}
	} else {
		alias.RoutingConfiguration = []stepfunctions.StateMachineAlias_RoutingConfigurationVersion{{StateMachineVersionArn: b.t.Ref(versionID), Weight: 100}}
	}
	b.t.CFN.Resources["Alias"+frag] = alias
}

// aliases are the logical IDs of the aliases the routes start executions
// through. The API role waits for them, and the methods for the role, so
// that no route is served before the alias it names exists: a request
// template names the alias in text, which makes no dependency.
func (b *builder) aliases() []string {
	frags := machineFragments(b.s)
	var ids []string
	for _, m := range b.s.StateMachines {
		if m.Alias != nil && !m.Existing() {
			ids = append(ids, "Alias"+frags[m.Name])
		}
	}
	sort.Strings(ids)
	return ids
}

// SettingGrant is a statement the execution role gets for a setting of
// its machine (logs, tracing, encryption) rather than for a Task.
type SettingGrant struct {
	Setting  string // the machine's field: logs, tracing or encryption
	Actions  []string
	Resource string // as the spec writes it: * where the API takes no ARN
	Why      string
}

// SettingGrants lists the statements a machine's own settings add to the
// role sfnapic makes for it, as operations and encryption write them, for
// validate --explain.
func SettingGrants(m *spec.StateMachine) []SettingGrant {
	var out []SettingGrant
	if m.Logs != nil && m.Logs.Level != "OFF" {
		out = append(out, SettingGrant{"logs", logDeliveryActions, "*", "log delivery takes no resource ARN"})
	}
	if m.Tracing {
		out = append(out, SettingGrant{"tracing", xrayActions, "*", "X-Ray's trace APIs take no resource ARN"})
	}
	if e := m.Encryption; e != nil {
		out = append(out, SettingGrant{"encryption", keyActions, e.Key, "for this machine's data only, by kms:EncryptionContext:aws:states:stateMachineArn"})
		if logsKey(m) {
			out = append(out, SettingGrant{"encryption", []string{"kms:GenerateDataKey"}, e.Key, "for log delivery, by kms:EncryptionContext:SourceArn"})
		}
	}
	return out
}
