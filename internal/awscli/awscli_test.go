package awscli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/internal/cli"
)

// TestRefusesAnotherCallerVersion: the helper compiles the spec itself,
// so it must be the same version as the sfnapic that started it.
func TestRefusesAnotherCallerVersion(t *testing.T) {
	t.Setenv(cli.CallerVersionEnv, "v9.9.9")
	var out, errb bytes.Buffer
	code := Main([]string{"destroy", "--stack", "demo", "--yes"}, strings.NewReader(""), &out, &errb)
	if code != 1 || !strings.Contains(errb.String(), "but sfnapic is v9.9.9") {
		t.Fatalf("exit %d:\n%s", code, errb.String())
	}
}
