package compile

import (
	"github.com/sfnapic/sfnapic/spec"
)

// sdkPrefixes maps the service names of AWS SDK integrations to IAM's
// action prefixes where the two differ ("AWS SDK service integrations":
// the service name is the SDK client's; the IAM prefix is the service
// authorization reference's).
var sdkPrefixes = map[string]string{
	"sfn":                    "states",
	"cloudwatchlogs":         "logs",
	"eventbridge":            "events",
	"efs":                    "elasticfilesystem",
	"sesv2":                  "ses",
	"elasticloadbalancingv2": "elasticloadbalancing",
	"apigatewayv2":           "apigateway",
	"mediapackagevod":        "mediapackage-vod",
	"mwaa":                   "airflow",
	"opensearch":             "es",
}

// sdk derives the grant of an AWS SDK integration. The action is the
// service's prefix and the API action's name (getItem → GetItem); the
// resource is read from the parameters the services below take, and for
// any other service the warning gives the action and leaves the resource
// to the author.
func (d *deriver) sdk(t *spec.Task, service, api string) {
	prefix := service
	if p, ok := sdkPrefixes[service]; ok {
		prefix = p
	}
	action := prefix + ":" + upperFirst(api)
	switch prefix {
	case "lambda":
		d.lambda(t, action)
	case "dynamodb":
		d.dynamodb(t, action)
	case "sqs":
		d.sqs(t, action)
	case "sns":
		d.sns(t, action)
	case "s3":
		d.s3(t, action)
	case "states":
		d.sdkStates(t, action)
	default:
		d.warn(t, t.Pos, []string{action}, "<the ARN of what it calls>", "sfnapic does not know which resource "+service+":"+api+" acts on")
	}
}

// s3 grants an object action on Bucket/Key, and a bucket action (one
// without a Key, such as listObjectsV2's s3:ListBucket) on the bucket.
func (d *deriver) s3(t *spec.Task, action string) {
	if action == "s3:ListObjectsV2" || action == "s3:ListObjects" {
		action = "s3:ListBucket" // the IAM action behind both list calls
	}
	actions := []string{action}
	bucket, ok := d.fixed(t, "Bucket", actions, "<the bucket's or object's ARN>")
	if !ok {
		return
	}
	arn := "arn:" + partition + ":s3:::" + bucket
	if _, has := t.Param("Key"); has {
		key, ok := d.fixed(t, "Key", actions, arn+"/<the object keys>")
		if !ok {
			return
		}
		arn += "/" + key
	}
	d.grant(t, actions, arn)
}

// sdkStates grants a Step Functions SDK call on the machine or execution
// it names.
func (d *deriver) sdkStates(t *spec.Task, action string) {
	for _, key := range []string{"StateMachineArn", "ExecutionArn"} {
		if _, ok := t.Param(key); ok {
			if arn, ok := d.fixed(t, key, []string{action}, "<the ARN it acts on>"); ok {
				d.grant(t, []string{action}, arn)
			}
			return
		}
	}
	d.warn(t, t.Pos, []string{action}, "<the ARN it acts on>", "sfnapic does not know which resource "+action+" acts on")
}
