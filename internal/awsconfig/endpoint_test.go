package awsconfig

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// cleanEnv clears the settings that choose an endpoint, and points the
// shared files at a config file with text (none when empty).
func cleanEnv(t *testing.T, text string) string {
	t.Helper()
	for _, v := range []string{"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SFN", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_USE_FIPS_ENDPOINT", "AWS_USE_DUALSTACK_ENDPOINT"} {
		t.Setenv(v, "")
		os.Unsetenv(v)
	}
	t.Setenv("AWS_REGION", "us-east-1")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	name := os.DevNull
	if text != "" {
		name = filepath.Join(t.TempDir(), "config")
		if err := os.WriteFile(name, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("AWS_CONFIG_FILE", name)
	return name
}

const profiles = `[profile dev]
endpoint_url = http://emulator.example:4566

[profile svc]
services = local-sfn
endpoint_url = http://global.example:1

[services local-sfn]
sfn =
  endpoint_url = http://localhost:8083
`

// TestStepFunctionsEndpoint: the endpoint the Step Functions client
// resolves, and the setting named for it, for each way of choosing one;
// no call is made.
func TestStepFunctionsEndpoint(t *testing.T) {
	for _, c := range []struct {
		name     string
		env      []string
		o        Options
		url      string
		from     string
		loopback bool
	}{
		{"default", nil, Options{}, "https://states.us-east-1.amazonaws.com", "the SDK's default for region us-east-1", false},
		{"global variable", []string{"AWS_ENDPOINT_URL", "http://127.0.0.1:5000"}, Options{}, "http://127.0.0.1:5000", "AWS_ENDPOINT_URL", true},
		{"ignored", []string{"AWS_ENDPOINT_URL", "http://127.0.0.1:5000", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"}, Options{},
			"https://states.us-east-1.amazonaws.com", "the SDK's default for region us-east-1 (AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true sets aside", false},
		{"service variable", []string{"AWS_ENDPOINT_URL", "http://127.0.0.1:5000", "AWS_ENDPOINT_URL_SFN", "https://states.eu-west-1.amazonaws.com"}, Options{},
			"https://states.eu-west-1.amazonaws.com", "AWS_ENDPOINT_URL_SFN", false},
		{"flag over service variable", []string{"AWS_ENDPOINT_URL_SFN", "https://states.eu-west-1.amazonaws.com"}, Options{Endpoint: "http://[::1]:5000"},
			"http://[::1]:5000", "--endpoint-url", true},
		{"flag over ignore", []string{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"}, Options{Endpoint: "http://localhost:5000"}, "http://localhost:5000", "--endpoint-url", true},
		{"profile", []string{"AWS_PROFILE", "dev"}, Options{}, "http://emulator.example:4566", "profile dev's endpoint_url (", false},
		{"profile flag", nil, Options{Profile: "dev"}, "http://emulator.example:4566", "profile dev's endpoint_url (", false},
		{"profile ignored", []string{"AWS_PROFILE", "dev", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"}, Options{}, "https://states.us-east-1.amazonaws.com", "(AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true", false},
		{"services section", nil, Options{Profile: "svc"}, "http://localhost:8083", "profile svc's services section (", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			file := cleanEnv(t, profiles)
			for i := 0; i+1 < len(c.env); i += 2 {
				t.Setenv(c.env[i], c.env[i+1])
			}
			ctx := context.Background()
			cfg, err := Load(ctx, c.o)
			if err != nil {
				t.Fatal(err)
			}
			r, err := StepFunctionsEndpoint(ctx, cfg, c.o, StepFunctions(cfg, c.o))
			if err != nil {
				t.Fatal(err)
			}
			if r.URL != c.url || !strings.Contains(r.From, c.from) || r.Loopback() != c.loopback {
				t.Errorf("resolved %s from %q (loopback %v); want %s from %q... (loopback %v)", r.URL, r.From, r.Loopback(), c.url, c.from, c.loopback)
			}
			if strings.Contains(c.from, "profile") && !strings.Contains(r.From, file) {
				t.Errorf("%q does not name the file %s", r.From, file)
			}
			if got := NamesEndpoint(ctx, c.o, "SFN"); got != (c.name != "default") {
				t.Errorf("NamesEndpoint = %v", got)
			}
		})
	}
}

// TestResolvedKinds: loopback names and addresses, and AWS's own domains;
// no name is looked up.
func TestResolvedKinds(t *testing.T) {
	for url, want := range map[string][2]bool{
		"http://127.0.0.1:5000":                      {true, false},
		"http://127.9.9.9":                           {true, false},
		"http://[::1]:4566":                          {true, false},
		"http://LocalHost:4566":                      {true, false},
		"http://sfn.localhost:4566":                  {true, false},
		"http://localhost.example:4566":              {false, false},
		"http://127.0.0.1.nip.io:4566":               {false, false},
		"http://10.0.0.5:4566":                       {false, false},
		"https://states.us-east-1.amazonaws.com":     {false, true},
		"https://states.cn-north-1.amazonaws.com.cn": {false, true},
		"https://states.us-east-1.api.aws":           {false, true},
		"https://notamazonaws.com":                   {false, false},
	} {
		r := Resolved{URL: url}
		if r.Loopback() != want[0] || r.AWS() != want[1] {
			t.Errorf("%s: loopback %v, AWS %v; want %v", url, r.Loopback(), r.AWS(), want)
		}
	}
}
