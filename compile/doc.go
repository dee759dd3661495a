// Package compile turns a checked spec into a CloudFormation template: a
// REST API whose routes start Step Functions executions through AWS
// integrations, the least-privilege roles they need, a Deployment whose
// logical ID changes whenever the API does, and a Stage.
//
// The package is pure: a *spec.Spec in, template bytes and diagnostics out.
// Resources are built with goformation's typed structs; the bytes are
// produced by this package's own serializer (see encode.go), which keeps the
// user's state machine definition exactly as written and is fast enough to
// compile thousands of routes in milliseconds.
package compile
