package sfnmock

import (
	"testing"

	"github.com/sfnapic/sfnapic/integration"
)

// TestHandlersCoverActions: the mock answers every action a route can
// take, and no name integration does not know, so a new action without a
// handler fails here rather than as UnknownOperationException in serve.
func TestHandlersCoverActions(t *testing.T) {
	if err := integration.CheckTable(handlers); err != nil {
		t.Errorf("the mock's handlers: %v", err)
	}
}
