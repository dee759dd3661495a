package cmd

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"
)

// TestExplainAWSNamesTheService: explainAWS names the service whose call
// failed, and that service's endpoint, not CloudFormation's whatever was
// called (invoke --wait calls Step Functions, test-invoke API Gateway).
func TestExplainAWSNamesTheService(t *testing.T) {
	t.Setenv("AWS_ENDPOINT_URL", "")
	cfg := aws.Config{Region: "eu-west-1"}
	for service, want := range map[string]string{
		"SFN":            "https://states.eu-west-1.amazonaws.com does not answer like Step Functions",
		"API Gateway":    "https://apigateway.eu-west-1.amazonaws.com does not answer like API Gateway",
		"CloudFormation": "https://cloudformation.eu-west-1.amazonaws.com does not answer like CloudFormation",
	} {
		err := explainAWS(opError(service), cfg, false)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", service, err, want)
		}
	}
	// An error that names no call is CloudFormation's, as before.
	if err := explainAWS(&smithy.DeserializationError{Err: errors.New("x")}, cfg, false); err == nil || !strings.Contains(err.Error(), "like CloudFormation") {
		t.Errorf("no operation: %v", err)
	}
}

// opError is the error of a call to service whose answer the SDK could
// not read.
func opError(service string) error {
	return &smithy.OperationError{ServiceID: service, OperationName: "Describe", Err: &smithy.DeserializationError{Err: errors.New("invalid character '<'")}}
}
