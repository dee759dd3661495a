// Package awsconfig loads the AWS configuration the way the AWS CLI does
// and builds the service clients sfnapic's commands use. It is the only
// importer of the SDK's config package, so that a command that does not
// call it (build, validate, render, schema) reads no credentials, no
// shared config files and no environment of AWS's.
package awsconfig

import (
	"net"
	"net/http"
	"strings"
	"time"

	"context"
	"errors"
	"fmt"
	"os"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go/logging"

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
	// Endpoint is --endpoint-url, over AWS_ENDPOINT_URL and the profile's
	// endpoint_url: every client goes there (an emulator such as moto).
	Endpoint string
}

// Limits of each AWS call. A call is tried at most MaxAttempts times
// (throttling is retried with backoff up to 10 s); each attempt may take
// AttemptTimeout in all, headers within HeaderTimeout, so an endpoint that
// accepts and never answers, or trickles, fails in bounded time. The
// command's --timeout bounds the whole run on top of this.
const (
	MaxAttempts    = 5
	AttemptTimeout = 60 * time.Second
	HeaderTimeout  = 30 * time.Second
)

// httpClient is the SDK's HTTP client with those limits.
func httpClient() *awshttp.BuildableClient {
	return awshttp.NewBuildableClient().
		WithTimeout(AttemptTimeout).
		WithDialerOptions(func(d *net.Dialer) { d.Timeout = 10 * time.Second }).
		WithTransportOptions(func(t *http.Transport) {
			t.TLSHandshakeTimeout = 10 * time.Second
			t.ResponseHeaderTimeout = HeaderTimeout
		})
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
	opts = append(opts,
		config.WithHTTPClient(httpClient()),
		config.WithRetryer(func() aws.Retryer {
			return retry.NewStandard(func(s *retry.StandardOptions) {
				s.MaxAttempts = MaxAttempts
				s.MaxBackoff = 10 * time.Second
				// A host that does not exist (a region typo) will not
				// exist on the next attempt either.
				s.Retryables = append([]retry.IsErrorRetryable{retry.IsErrorRetryableFunc(func(err error) aws.Ternary {
					var dns *net.DNSError
					if errors.As(err, &dns) && dns.IsNotFound {
						return aws.FalseTernary
					}
					return aws.UnknownTernary
				})}, s.Retryables...)
			})
		}),
		// The SDK's own log lines (such as "WARN falling back to IMDSv1")
		// are not for sfnapic's users: errors say what is wrong.
		config.WithLogger(logging.Nop{}),
	)
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("loading AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return aws.Config{}, ErrNoRegion
	}
	if o.Endpoint != "" {
		cfg.BaseEndpoint = aws.String(o.Endpoint)
	}
	return cfg, nil
}

// CloudFormation is the CloudFormation client for cfg.
func CloudFormation(cfg aws.Config) *cloudformation.Client { return cloudformation.NewFromConfig(cfg) }

// S3 is the S3 client for cfg. An endpoint override (an emulator, named by
// --endpoint-url, AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_S3) serves buckets
// by path, not by host name.
func S3(cfg aws.Config) *s3.Client {
	return s3.NewFromConfig(cfg, func(s *s3.Options) {
		s.UsePathStyle = cfg.BaseEndpoint != nil || os.Getenv("AWS_ENDPOINT_URL_S3") != ""
	})
}

// Endpoint is where a service's calls go, for messages: the configured
// endpoint (AWS_ENDPOINT_URL and the like), or the service's regional one.
func Endpoint(cfg aws.Config, service string) string {
	if cfg.BaseEndpoint != nil {
		return *cfg.BaseEndpoint
	}
	suffix := "amazonaws.com"
	if strings.HasPrefix(cfg.Region, "cn-") {
		suffix = "amazonaws.com.cn"
	}
	return "https://" + service + "." + cfg.Region + "." + suffix
}
