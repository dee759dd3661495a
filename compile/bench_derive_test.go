package compile

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/spec"
)

// BenchmarkBuildTasks compiles 100 routes to a workflow of 100 Task
// states (Lambda, DynamoDB, SQS and SNS in turn), so that the statements
// derived from them are part of what is measured.
//
//	go test ./compile -run '^$' -bench BuildTasks -benchmem
func BenchmarkBuildTasks(b *testing.B) {
	var src strings.Builder
	src.WriteString("version: 1\napi: {name: bench}\nstateMachines:\n  flow:\n    definition:\n      StartAt: T0\n      States:\n")
	calls := []string{
		`{Type: Task, Resource: "arn:aws:states:::lambda:invoke", Parameters: {FunctionName: fn%d, Payload.$: $}`,
		`{Type: Task, Resource: "arn:aws:states:::dynamodb:putItem", Parameters: {TableName: t%d, Item: {id: {S.$: $.id}}}`,
		`{Type: Task, Resource: "arn:aws:states:::sqs:sendMessage", Parameters: {QueueUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012/q%d", MessageBody.$: $}`,
		`{Type: Task, Resource: "arn:aws:states:::sns:publish", Parameters: {TopicArn: "arn:aws:sns:eu-west-1:123456789012:t%d", Message.$: $}`,
	}
	for i := range 100 {
		next := fmt.Sprintf(", Next: T%d}", i+1)
		if i == 99 {
			next = ", End: true}"
		}
		fmt.Fprintf(&src, "        T%d: "+calls[i%4]+next+"\n", i, i)
	}
	src.WriteString("routes:\n")
	for i := range 100 {
		fmt.Fprintf(&src, "  POST /things%d/{id}:\n    stateMachine: flow\n    input: {id: path.id, thing.name: body.name}\n", i)
	}
	s, errs := spec.Parse("bench.yaml", []byte(src.String()), nil)
	if s == nil || errs.HasErrors() {
		b.Fatalf("bench spec: %s", errs)
	}
	b.Run("routes=100/tasks=100/json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := Build(s, "json"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
