package cli

import (
	"strings"
	"testing"
)

func TestCheckCaller(t *testing.T) {
	t.Setenv(CallerVersionEnv, "")
	if err := CheckCaller(); err != nil {
		t.Fatalf("run directly: %v", err)
	}
	t.Setenv(CallerVersionEnv, Version())
	if err := CheckCaller(); err != nil {
		t.Fatalf("same version: %v", err)
	}
	t.Setenv(CallerVersionEnv, "v9.9.9")
	err := CheckCaller()
	if err == nil || !strings.Contains(err.Error(), "go install github.com/sfnapic/sfnapic/cmd/sfnapic-aws@v9.9.9") {
		t.Fatalf("another version: %v", err)
	}
}

func TestInstallHint(t *testing.T) {
	for v, want := range map[string]string{
		"v1.2.3":                                   "go install github.com/sfnapic/sfnapic/cmd/sfnapic-aws@v1.2.3",
		"v0.0.0-20261125101600-06a1c50ab123":       "go install github.com/sfnapic/sfnapic/cmd/sfnapic-aws@v0.0.0-20261125101600-06a1c50ab123",
		"v0.0.0-20261125101600-06a1c50ab123+dirty": "go install ./cmd/...",
		"(devel)": "go install ./cmd/...",
	} {
		if got := InstallHint(v); !strings.HasPrefix(got, want) {
			t.Errorf("InstallHint(%q) = %q, want %q...", v, got, want)
		}
	}
}
