package sfnmock

import (
	"slices"
	"sort"
	"testing"

	"github.com/sfnapic/sfnapic/integration"
)

// TestHandlersCoverActions: the mock answers every action a route can
// take, and no name integration does not know, so a new action without a
// handler fails here rather than as UnknownOperationException in serve.
func TestHandlersCoverActions(t *testing.T) {
	var got []string
	for name := range handlers {
		got = append(got, name)
	}
	sort.Strings(got)
	if want := integration.Names(); !slices.Equal(got, want) {
		t.Errorf("the mock answers %v; integration registers %v", got, want)
	}
}
