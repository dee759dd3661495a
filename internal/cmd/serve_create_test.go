package cmd

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sfnapic/sfnapic/internal/awsconfig"
	"github.com/sfnapic/sfnapic/internal/sfnfake"
)

// childArgs carries the command line of TestServeCreateChild, fields
// separated by \x1f.
const childArgs = "SFNAPIC_SERVE_CREATE_CHILD"

// TestServeCreateChild runs one sfnapic command for
// TestServeCreateRefusesRemote, in a process of its own whose proxy
// variables Go reads afresh (net/http reads them once per process).
func TestServeCreateChild(t *testing.T) {
	args := os.Getenv(childArgs)
	if args == "" {
		t.Skip("run by TestServeCreateRefusesRemote")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	code := mainContext(ctx, strings.Split(args, "\x1f"), strings.NewReader(""), os.Stdout, os.Stderr)
	os.Stderr.WriteString("\nchild exit " + strconv.Itoa(code) + "\n")
}

// TestServeCreateRefusesRemote: serve --create judges the endpoint that
// the Step Functions client resolved, not AWS_ENDPOINT_URL alone, and
// refuses one off this machine before any call, saying which endpoint and
// from where. Each case runs in a child process whose HTTP(S)_PROXY is a
// loopback listener that fails the test when contacted: a call to AWS, or
// to a remote emulator, would go there.
func TestServeCreateRefusesRemote(t *testing.T) {
	var contacted atomic.Int64
	trip := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		contacted.Add(1)
		t.Errorf("the network was reached: %s %s (Host %s)", r.Method, r.URL, r.Host)
		http.Error(w, "no", http.StatusBadGateway)
	}))
	defer trip.Close()
	dir := t.TempDir()
	config := filepath.Join(dir, "config")
	writeTestFile(t, config, "[profile dev]\nendpoint_url = http://emulator.example:4566\n")
	for _, c := range []struct {
		name string
		env  []string
		args []string
		want string
	}{
		{"ignored", []string{"AWS_ENDPOINT_URL", "http://127.0.0.1:1", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"}, nil,
			"the Step Functions endpoint resolved is https://states.us-east-1.amazonaws.com, from the SDK's default for region us-east-1 (AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true sets aside"},
		{"service variable", []string{"AWS_ENDPOINT_URL", "http://127.0.0.1:1", "AWS_ENDPOINT_URL_SFN", "https://states.eu-west-1.amazonaws.com"}, nil,
			"resolved is https://states.eu-west-1.amazonaws.com, from AWS_ENDPOINT_URL_SFN, which is AWS: serve does not create them in AWS"},
		{"profile", []string{"AWS_PROFILE", "dev"}, nil,
			"resolved is http://emulator.example:4566, from profile dev's endpoint_url (" + config + "), which is not on this machine: name a loopback one with --endpoint-url URL, or pass --allow-remote-endpoint"},
		{"remote flag", nil, []string{"--endpoint-url", "http://emulator.example:4566"}, "resolved is http://emulator.example:4566, from --endpoint-url, which is not on this machine"},
		{"allowed, but AWS", []string{"AWS_ENDPOINT_URL_SFN", "https://states.us-east-1.amazonaws.com"}, []string{"--allow-remote-endpoint"}, "which is AWS"},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := childEnv(dir, config, trip.URL, c.env)
			args := append([]string{"serve", "../../examples/item-api.yaml", "--addr", "127.0.0.1:0", "--create"}, c.args...)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestServeCreateChild$")
			cmd.Env = append(env, childArgs+"="+strings.Join(args, "\x1f"))
			out, _ := cmd.CombinedOutput()
			if !strings.Contains(string(out), "child exit 2") || !strings.Contains(string(out), c.want) {
				t.Errorf("serve --create %v with %v:\n%s\nwant exit 2 and %q", c.args, c.env, out, c.want)
			}
		})
	}
	if contacted.Load() != 0 {
		t.Errorf("%d requests reached the network", contacted.Load())
	}
}

// childEnv is the environment of a child: the test's, without any AWS or
// proxy setting, with a home of its own, the AWS settings of awsSettings,
// and the proxy at trip.
func childEnv(home, config, trip string, extra []string) []string {
	var env []string
	skip := regexp.MustCompile(`(?i)^(AWS_|HTTPS?_PROXY=|NO_PROXY=|HOME=)`)
	for _, kv := range os.Environ() {
		if !skip.MatchString(kv) {
			env = append(env, kv)
		}
	}
	env = append(env, "HOME="+home, "HTTP_PROXY="+trip, "HTTPS_PROXY="+trip, "NO_PROXY=")
	kv := awsSettings(config, extra)
	for i := 0; i+1 < len(kv); i += 2 {
		env = append(env, kv[i]+"="+kv[i+1])
	}
	return env
}

// awsSettings are the AWS variables of a test, as name, value pairs: static
// credentials, a region, the config file, no instance metadata, and extra.
func awsSettings(config string, extra []string) []string {
	return append([]string{"AWS_CONFIG_FILE", config, "AWS_SHARED_CREDENTIALS_FILE", os.DevNull, "AWS_REGION", "us-east-1",
		"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY", "secret", "AWS_EC2_METADATA_DISABLED", "true"}, extra...)
}

// TestServeCreateResolvedEndpoint: an emulator on this machine named by
// AWS_ENDPOINT_URL_SFN alone, or by a profile's endpoint_url, is where
// --create makes the machines; --endpoint-url wins over
// AWS_ENDPOINT_URL_SFN, as in the AWS CLI.
func TestServeCreateResolvedEndpoint(t *testing.T) {
	fake := sfnfake.Start()
	defer fake.Close()
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("AWS_ENDPOINT_URL_SFN was called over --endpoint-url: %s %s", r.Method, r.URL)
		http.Error(w, "no", http.StatusBadGateway)
	}))
	defer other.Close()
	config := filepath.Join(t.TempDir(), "config")
	writeTestFile(t, config, "[profile emu]\nendpoint_url = "+fake.URL+"\n")
	for _, c := range []struct {
		name string
		env  []string
		args []string
		from string
	}{
		{"service variable", []string{"AWS_ENDPOINT_URL_SFN", fake.URL}, nil, "AWS_ENDPOINT_URL_SFN"},
		{"profile", []string{"AWS_PROFILE", "emu"}, nil, "profile emu"},
		{"flag over service variable", []string{"AWS_ENDPOINT_URL_SFN", other.URL}, []string{"--endpoint-url", fake.URL}, "--endpoint-url"},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, k := range []string{"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SFN", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "AWS_PROFILE"} {
				t.Setenv(k, "")
				os.Unsetenv(k)
			}
			kv := awsSettings(config, c.env)
			for i := 0; i+1 < len(kv); i += 2 {
				t.Setenv(kv[i], kv[i+1])
			}
			before := len(fake.Requests())
			s := startServe(t, append([]string{"../../examples/item-api.yaml", "--create"}, c.args...)...)
			if !strings.Contains(s.stderr.String(), "backend: Step Functions at "+fake.URL) {
				t.Errorf("serve does not call the emulator:\n%s", s.stderr)
			}
			if len(fake.Requests()) == before {
				t.Error("the emulator received nothing")
			}
		})
	}
}

// TestCheckCreateEndpoint: --allow-remote-endpoint lets --create use an
// emulator off this machine, never AWS itself; --stack is not judged.
func TestCheckCreateEndpoint(t *testing.T) {
	remote := awsconfig.Resolved{URL: "http://localstack:4566", From: "--endpoint-url"}
	aws := awsconfig.Resolved{URL: "https://states.us-east-1.amazonaws.com", From: "AWS_ENDPOINT_URL_SFN"}
	local := awsconfig.Resolved{URL: "http://127.0.0.1:5000", From: "--endpoint-url"}
	create := serveOptions{create: true}
	allow := serveOptions{create: true, allowRemote: true}
	if create.checkCreateEndpoint(local) != nil || allow.checkCreateEndpoint(remote) != nil || (serveOptions{}).checkCreateEndpoint(aws) != nil {
		t.Error("a loopback emulator, an allowed remote one, or --stack is refused")
	}
	if create.checkCreateEndpoint(remote) == nil || allow.checkCreateEndpoint(aws) == nil {
		t.Error("a remote emulator without the flag, or AWS with it, is not refused")
	}
}
