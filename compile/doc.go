// Package compile turns a checked spec into a CloudFormation template: a
// REST API whose routes start Step Functions executions through AWS
// integrations, the least-privilege roles they need, a Deployment whose
// logical ID changes whenever the API does, and a Stage.
//
// The package is pure: a *spec.Spec in, a cfn.Template and diagnostics
// out. Resources are built with goformation's typed structs, one file per
// concern (machines, roles, resources, methods, responses, deployment,
// input, ids); cfn writes the bytes. It is a library: Compile, Build,
// Limits, Exposure and MachineIDs are its API.
package compile
