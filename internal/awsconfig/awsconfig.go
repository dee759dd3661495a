// Package awsconfig loads the AWS configuration the way the AWS CLI does
// and builds the service clients sfnapic's commands use. It is the only
// importer of the SDK's config package, so that a command that does not
// call it (build, validate, render, schema) reads no credentials, no
// shared config files and no environment of AWS's.
package awsconfig

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Options are the flags every AWS command shares.
type Options struct {
	Region  string // --region; empty: from the environment or profile
	Profile string // --profile; empty: the default chain
}

// ErrNoRegion means neither a flag, the environment nor the profile names
// a region.
var ErrNoRegion = errors.New("no AWS region: pass --region or set AWS_REGION")

// Load reads the configuration from the environment, the shared files,
// SSO or the instance, honouring AWS_ENDPOINT_URL. Retries are generous:
// CloudFormation throttles polling.
func Load(ctx context.Context, o Options) (aws.Config, error) {
	var opts []func(*config.LoadOptions) error
	if o.Region != "" {
		opts = append(opts, config.WithRegion(o.Region))
	}
	if o.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(o.Profile))
	}
	opts = append(opts, config.WithRetryer(func() aws.Retryer {
		return retry.NewStandard(func(s *retry.StandardOptions) { s.MaxAttempts = 8 })
	}))
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("loading AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return aws.Config{}, ErrNoRegion
	}
	return cfg, nil
}

// CloudFormation is the CloudFormation client for cfg.
func CloudFormation(cfg aws.Config) *cloudformation.Client { return cloudformation.NewFromConfig(cfg) }

// S3 is the S3 client for cfg. An endpoint override (an emulator) serves
// buckets by path, not by host name.
func S3(cfg aws.Config) *s3.Client {
	return s3.NewFromConfig(cfg, func(s *s3.Options) {
		s.UsePathStyle = os.Getenv("AWS_ENDPOINT_URL") != "" || os.Getenv("AWS_ENDPOINT_URL_S3") != ""
	})
}
