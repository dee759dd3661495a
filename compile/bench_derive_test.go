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

// benchWorkflow is the machine of BenchmarkBuildWorkflow: issue 20's
// features on the machine every route starts. Parameters with an
// environment; ${Name}s of parameters and pseudo parameters in its Task
// fields (DefinitionSubstitutions); statements derived from eight Tasks,
// among them a Parallel branch and a Map processor; logs with a
// retention, tracing, a version and an alias moving by a canary.
const benchWorkflow = `parameters:
  Table: {default: orders}
  Queue: {default: approvals}
  Topic: {default: "arn:aws:sns:eu-west-1:123456789012:orders"}
  Pricer: {default: price}
  LogLevel: {allowed: [ERROR, ALL], default: ERROR}
environments:
  prod: {Table: orders-prod, Queue: approvals-prod, LogLevel: ALL}
stateMachines:
  flow:
    definition:
      StartAt: Price
      States:
        Price: {Type: Task, Resource: "arn:aws:states:::lambda:invoke", Parameters: {FunctionName: "${Pricer}", Payload.$: $}, Next: Both}
        Both:
          Type: Parallel
          Next: Each
          Branches:
            - StartAt: Save
              States:
                Save: {Type: Task, Resource: "arn:aws:states:::dynamodb:putItem", Parameters: {TableName: "${Table}", Item: {id: {S.$: $.id}, level: {S: "${LogLevel}"}}}, Next: Find}
                Find: {Type: Task, Resource: "arn:aws:states:::aws-sdk:dynamodb:query", Parameters: {TableName: "${Table}", IndexName: by-customer, KeyConditionExpression: "c = :c"}, End: true}
            - StartAt: Ask
              States:
                Ask: {Type: Task, Resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken", Parameters: {QueueUrl: "https://sqs.${AWS::Region}.amazonaws.com/${AWS::AccountId}/${Queue}", MessageBody: {token.$: $$.Task.Token}}, Next: Tell}
                Tell: {Type: Task, Resource: "arn:aws:states:::sns:publish", Parameters: {TopicArn: "${Topic}", Message.$: $}, End: true}
        Each:
          Type: Map
          ItemsPath: $.items
          Next: Archive
          ItemProcessor:
            StartAt: Announce
            States:
              Announce: {Type: Task, Resource: "arn:aws:states:::events:putEvents", Parameters: {Entries: [{EventBusName: partners, Source: shop, DetailType: placed, Detail.$: $}]}, End: true}
        Archive: {Type: Task, Resource: "arn:aws:states:::aws-sdk:s3:putObject", Parameters: {Bucket: "archive-${AWS::AccountId}", Key: orders.json, Body.$: $}, Next: Label}
        Label: {Type: Task, Resource: "arn:aws:lambda:eu-west-1:123456789012:function:label:live", End: true}
    logs: {level: ERROR, includeData: false, retention: 30d}
    tracing: true
    publish: true
    alias:
      name: live
      deployment: {type: CANARY, percentage: 10, interval: 5m, alarms: [orders-errors]}
`

// BenchmarkBuildWorkflow is BenchmarkBuild's 100 routes (and 1000) to a
// machine that uses issue 20's features (benchWorkflow); the README of
// issue 20's work compares its time per route with BenchmarkBuild's.
//
//	go test ./compile -run '^$' -bench 'Build(Workflow)?/routes=(100|1000)/json' -benchmem -count 5
func BenchmarkBuildWorkflow(b *testing.B) {
	for _, n := range []int{100, 1000} {
		s := benchSpecWith(b, n, false, benchWorkflow)
		if grants, warns := Derive(s, s.StateMachines[0]); len(grants) != 8 || len(warns) != 0 {
			b.Fatalf("the workflow derives %d statements (want 8), warnings: %s", len(grants), warns)
		}
		b.Run(fmt.Sprintf("routes=%d/json", n), func(b *testing.B) {
			b.ReportAllocs()
			var size int
			for b.Loop() {
				out, _, err := Build(s, "json")
				if err != nil {
					b.Fatal(err)
				}
				size = len(out)
			}
			b.ReportMetric(float64(size), "bytes/template")
		})
	}
}
