package cmd

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/sfnapic/sfnapic/internal/awsconfig"
)

// services names the AWS services sfnapic calls, by the SDK's ServiceID
// (which a call's smithy.OperationError carries): how messages name the
// service, and the endpoint prefix of its regional endpoint.
var services = map[string]struct{ name, code string }{
	"CloudFormation": {"CloudFormation", "cloudformation"},
	"SFN":            {"Step Functions", "states"},
	"API Gateway":    {"API Gateway", "apigateway"},
	"STS":            {"STS", "sts"},
	"S3":             {"S3", "s3"},
}

// serviceOf is the service whose call failed with err, by name and
// endpoint prefix: the one the error names, else CloudFormation.
func serviceOf(err error) (name, code string) {
	var op *smithy.OperationError
	if errors.As(err, &op) {
		if s, ok := services[op.ServiceID]; ok {
			return s.name, s.code
		}
	}
	return "CloudFormation", "cloudformation"
}

// explainAWS turns the errors people meet first when talking to AWS into
// one line that says what is wrong and how to fix it: no credentials, a
// host that does not exist (a region typo), nothing listening, or an
// endpoint that does not answer like the service called (named from the
// error: CloudFormation, Step Functions, API Gateway). With debug, the
// SDK's own error follows. Other errors pass through.
func explainAWS(err error, cfg aws.Config, debug bool) error {
	if err == nil {
		return nil
	}
	service, code := serviceOf(err)
	endpoint := awsconfig.Endpoint(cfg, code)
	var (
		signing *v4.SigningError
		dns     *net.DNSError
		deser   *smithy.DeserializationError
	)
	var msg string
	switch {
	case errors.As(err, &signing), strings.Contains(err.Error(), "failed to refresh cached credentials"):
		// The SDK's credential chain gives no typed error of its own.
		msg = "no AWS credentials found: set AWS_PROFILE (after aws configure or aws sso login), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or pass --profile"
	case errors.As(err, &dns) && dns.IsNotFound:
		msg = fmt.Sprintf("cannot find the host %s: is the region %q right (--region, AWS_REGION)? Or AWS_ENDPOINT_URL?", dns.Name, cfg.Region)
	case errors.Is(err, syscall.ECONNREFUSED):
		msg = fmt.Sprintf("nothing answers at %s: check AWS_ENDPOINT_URL, or start the emulator", endpoint)
	case errors.As(err, &deser):
		msg = fmt.Sprintf("%s does not answer like %s: check AWS_ENDPOINT_URL", endpoint, service)
	default:
		return err
	}
	if debug {
		return fmt.Errorf("%s\n  cause: %w", msg, err)
	}
	return fmt.Errorf("%s (--debug shows the cause)", msg)
}

// accountOf names the region, and the account when AWS says which, for a
// message about where something was looked for.
func accountOf(ctx context.Context, cfg aws.Config) string {
	where := "region " + cfg.Region
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	out, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err == nil && out.Account != nil {
		where += ", account " + *out.Account
	}
	return where
}
