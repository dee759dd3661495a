package compile

import (
	"strings"
	"testing"

	"github.com/sfnapic/sfnapic/cfn"
)

func TestLimits(t *testing.T) {
	s := benchSpec(t, 1)
	tpl := Compile(s)
	for _, c := range []struct {
		size int
		want string
	}{
		{cfn.MaxBodyBytes, ""},
		{cfn.MaxBodyBytes + 1, "bench.yaml:7:1: routes: warning: the template is 51201 bytes, over the 51200-byte limit for a template sent inline: deploy it with --s3-bucket\n"},
		{cfn.MaxURLBytes + 1, "bench.yaml:7:1: routes: the template is 1000001 bytes; CloudFormation accepts at most 1000000: split the routes over several specs\n"},
	} {
		got := Limits(s, tpl, make([]byte, c.size)).String()
		if got != c.want {
			t.Errorf("size %d: got %q, want %q", c.size, got, c.want)
		}
	}
	big := Compile(benchSpec(t, 400))
	if got := Limits(s, big, nil); !got.HasErrors() || !strings.Contains(got.String(), "resources; CloudFormation allows at most 500 per stack") {
		t.Errorf("400 routes: %s", got)
	}
}
