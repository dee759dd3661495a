package spec

import (
	"strings"
	"testing"
)

// TestASLChecksDescendIntoMap: the definition checks reach the states of a
// Map's item processor, in the current form (ItemProcessor) and the older
// one (Iterator), and position what they find there with the path through
// the Map state.
func TestASLChecksDescendIntoMap(t *testing.T) {
	for _, key := range []string{"ItemProcessor", "Iterator"} {
		src := `version: 1
api: {name: a}
stateMachines:
  m:
    definition:
      StartAt: Each
      States:
        Each:
          Type: Map
          End: true
          ` + key + `:
            StartAt: Work
            States:
              Work:
                Type: Pass
                Next: Nowhere
routes:
  POST /a: {stateMachine: m}
`
		_, errs := Parse("s.yaml", []byte(src), nil)
		want := Error{
			Pos:  Pos{File: "s.yaml", Line: 16, Col: 23},
			Path: "stateMachines.m.definition.States.Each." + key + ".States.Work.Next",
		}
		var found bool
		for _, e := range errs {
			if e.Pos == want.Pos && e.Path == want.Path && strings.Contains(e.Msg, `names state "Nowhere", which is not in States`) {
				found = true
			}
		}
		if !found || len(errs) != 1 {
			t.Errorf("%s: got\n%s\nwant one error at %s: %s: ... names state \"Nowhere\" ...", key, errs.String(), want.Pos, want.Path)
		}
	}
}
