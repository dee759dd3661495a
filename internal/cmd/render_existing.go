package cmd

import (
	"github.com/sfnapic/sfnapic/cfn"
	"github.com/sfnapic/sfnapic/spec"
)

// nameExisting names each existing machine whose ARN takes parameters'
// values by that ARN as the deployment would give it (the Vars: the
// environment's values, the pseudo parameters' placeholders), which is
// the ARN a rendered request carries; loadTarget named it by its text.
func (t *target) nameExisting() {
	if t.spec == nil {
		return
	}
	for _, m := range t.spec.StateMachines {
		if !m.Existing() || len(spec.DeployRefs(m.ARN)) == 0 {
			continue
		}
		arn, err := cfn.Substitute(m.ARN, func(name string) (string, bool) {
			v, ok := t.g.Vars[name]
			return v, ok
		})
		if err == nil {
			t.names[arn] = m.Name
		}
	}
}
