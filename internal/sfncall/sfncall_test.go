package sfncall

import (
	"slices"
	"sort"
	"testing"

	"github.com/sfnapic/sfnapic/integration"
)

// TestCallsCoverActions: serve can call every action a route can take,
// and no name integration does not know, so a new action without its SDK
// call fails here rather than as a SerializationException in serve.
func TestCallsCoverActions(t *testing.T) {
	var got []string
	for name := range calls {
		got = append(got, name)
	}
	sort.Strings(got)
	if want := integration.Names(); !slices.Equal(got, want) {
		t.Errorf("serve calls %v; integration registers %v", got, want)
	}
}
