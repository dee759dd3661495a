package awsconfig

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/sfnapic/sfnapic/internal/loopback"
)

// StepFunctions is the Step Functions client for cfg. --endpoint-url
// (o.Endpoint) wins over every other setting, AWS_ENDPOINT_URL_SFN and a
// profile's services section included: "any explicit endpoint set in code
// or on the service client itself is used ... --endpoint-url ... always
// takes effect" (AWS SDKs and Tools reference, Service-specific endpoints,
// feature-ss-endpoints.html). The SDK alone would let the
// service-specific setting override a config's BaseEndpoint.
func StepFunctions(cfg aws.Config, o Options, optFns ...func(*sfn.Options)) *sfn.Client {
	if o.Endpoint != "" {
		optFns = append([]func(*sfn.Options){func(so *sfn.Options) { so.BaseEndpoint = aws.String(o.Endpoint) }}, optFns...)
	}
	return sfn.NewFromConfig(cfg, optFns...)
}

// Resolved is where a client's calls go, and which setting chose it.
type Resolved struct {
	URL string // such as http://127.0.0.1:5000 or https://states.us-east-1.amazonaws.com
	// From names the setting: "--endpoint-url", "AWS_ENDPOINT_URL_SFN",
	// "AWS_ENDPOINT_URL", "profile dev's endpoint_url", "profile dev's
	// services section", or the SDK's default for the region (saying so
	// when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS set aside an endpoint).
	From string
}

// Loopback reports whether the endpoint is on this machine: localhost, a
// name under .localhost, or a loopback address. No name is looked up: a
// name that resolves to 127.0.0.1 today may not tomorrow.
func (r Resolved) Loopback() bool {
	u, err := url.Parse(r.URL)
	if err != nil {
		return false
	}
	return u.Hostname() != "" && loopback.Host(u.Hostname())
}

// StepFunctionsEndpoint resolves where client's calls go, with the
// client's own options and endpoint resolver, as each of its calls does
// (sfn's bindEndpointParams: region, FIPS, dual-stack and base endpoint),
// and names the setting that chose it. It makes no call.
func StepFunctionsEndpoint(ctx context.Context, cfg aws.Config, o Options, client *sfn.Client) (Resolved, error) {
	opts := client.Options()
	params := sfn.EndpointParameters{
		Region:       aws.String(opts.Region),
		Endpoint:     opts.BaseEndpoint,
		UseFIPS:      aws.Bool(opts.EndpointOptions.UseFIPSEndpoint == aws.FIPSEndpointStateEnabled),
		UseDualStack: aws.Bool(opts.EndpointOptions.UseDualStackEndpoint == aws.DualStackEndpointStateEnabled),
	}
	ep, err := opts.EndpointResolverV2.ResolveEndpoint(ctx, params)
	if err != nil {
		return Resolved{}, fmt.Errorf("resolving the Step Functions endpoint: %w", err)
	}
	r := Resolved{URL: ep.URI.String()}
	if opts.BaseEndpoint == nil {
		r.From = "the SDK's default for region " + opts.Region + ignored(ctx, cfg)
		return r, nil
	}
	r.From = endpointSource(ctx, cfg, o, *opts.BaseEndpoint)
	return r, nil
}

// endpointSource names the setting that gave a client's base endpoint, in
// the SDK's order: --endpoint-url, the service's variable, the global
// one, then the profile's services section and its endpoint_url.
func endpointSource(ctx context.Context, cfg aws.Config, o Options, base string) string {
	if o.Endpoint != "" && base == o.Endpoint {
		return "--endpoint-url"
	}
	for _, src := range cfg.ConfigSources {
		switch c := src.(type) {
		case config.EnvConfig:
			if v, ok, _ := c.GetServiceBaseEndpoint(ctx, sfn.ServiceID); ok && v == base {
				return "AWS_ENDPOINT_URL_SFN"
			}
			if c.BaseEndpoint == base {
				return "AWS_ENDPOINT_URL"
			}
		case config.SharedConfig:
			if v, ok, _ := c.GetServiceBaseEndpoint(ctx, sfn.ServiceID); ok && v == base {
				return fmt.Sprintf("profile %s's services section (%s)", c.Profile, configFile())
			}
			if c.BaseEndpoint == base {
				return fmt.Sprintf("profile %s's endpoint_url (%s)", c.Profile, configFile())
			}
		}
	}
	return "the configuration"
}

// ignored says when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS (or the profile's
// ignore_configured_endpoint_urls) set an endpoint aside.
func ignored(ctx context.Context, cfg aws.Config) string {
	for _, src := range cfg.ConfigSources {
		switch c := src.(type) {
		case config.EnvConfig:
			if v, ok, _ := c.GetIgnoreConfiguredEndpoints(ctx); ok && v {
				return " (AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true sets aside AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_SFN and the profile's endpoint_url)"
			}
		case config.SharedConfig:
			if v, ok, _ := c.GetIgnoreConfiguredEndpoints(ctx); ok && v {
				return fmt.Sprintf(" (profile %s's ignore_configured_endpoint_urls sets aside the configured endpoints)", c.Profile)
			}
		}
	}
	return ""
}

// configFile is the shared config file the SDK reads.
func configFile() string {
	if f := os.Getenv("AWS_CONFIG_FILE"); f != "" {
		return f
	}
	return config.DefaultSharedConfigFilename()
}

// NamesEndpoint reports whether some setting may name an endpoint for the
// service sdkID ("SFN"): --endpoint-url, AWS_ENDPOINT_URL or
// AWS_ENDPOINT_URL_<sdkID>, or the profile's endpoint_url or services
// section. It reads the shared config file, and nothing else; it is a
// hint for usage errors, not where the calls go (StepFunctionsEndpoint).
func NamesEndpoint(ctx context.Context, o Options, sdkID string) bool {
	if o.Endpoint != "" || os.Getenv("AWS_ENDPOINT_URL") != "" || os.Getenv("AWS_ENDPOINT_URL_"+sdkID) != "" {
		return true
	}
	profile := o.Profile
	if profile == "" {
		profile = os.Getenv("AWS_PROFILE")
	}
	if profile == "" {
		profile = config.DefaultSharedConfigProfile
	}
	sc, err := config.LoadSharedConfigProfile(ctx, profile, func(lo *config.LoadSharedConfigOptions) {
		lo.ConfigFiles, lo.CredentialsFiles = []string{configFile()}, []string{}
	})
	if err != nil {
		return false
	}
	_, service, _ := sc.GetServiceBaseEndpoint(ctx, sdkID)
	return sc.BaseEndpoint != "" || service
}

// AWS reports whether the endpoint is one of AWS's own: a host under
// amazonaws.com, amazonaws.com.cn or api.aws (the dual-stack domain).
func (r Resolved) AWS() bool {
	u, err := url.Parse(r.URL)
	if err != nil {
		return true
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	for _, d := range []string{"amazonaws.com", "amazonaws.com.cn", "api.aws"} {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}
