package sfncall

import (
	"testing"

	"github.com/sfnapic/sfnapic/integration"
)

// TestCallsCoverActions: serve can call every action a route can take,
// and no name integration does not know, so a new action without its SDK
// call fails here rather than as a SerializationException in serve.
func TestCallsCoverActions(t *testing.T) {
	if err := integration.CheckTable(calls); err != nil {
		t.Errorf("serve's calls: %v", err)
	}
}
