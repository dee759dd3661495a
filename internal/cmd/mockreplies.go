package cmd

import (
	"fmt"
	"sort"
	"strings"

	"github.com/sfnapic/sfnapic/gateway"
	"github.com/sfnapic/sfnapic/restapi"
	"github.com/sfnapic/sfnapic/spec"
)

// checkReplyKeys refuses a --mock-replies file whose keys name neither a
// route of the API that calls Step Functions ("POST /quotes") nor an
// action one of them takes ("StartSyncExecution"): the mock would never
// use such a reply, and a misspelt key would leave the user wondering why
// the route answers as before. Every such key is reported, with the
// closest name when one is close.
func checkReplyKeys(scripts map[string]gateway.Reply, api *restapi.API) error {
	var routes, actions []string
	seen := map[string]bool{}
	for _, m := range api.Methods {
		if m.Kind != restapi.StepFunctions || m.Action == nil {
			continue // a MOCK method calls nothing, so no reply is read
		}
		routes = append(routes, m.Route())
		if name := m.Action.Name(); !seen[name] {
			seen[name] = true
			actions = append(actions, name)
		}
	}
	sort.Strings(actions)
	known := map[string]bool{}
	for _, k := range append(append([]string{}, routes...), actions...) {
		known[k] = true
	}
	var bad []string
	for k := range scripts {
		if !known[k] {
			bad = append(bad, k)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	sort.Strings(bad)
	problems := make([]string, len(bad))
	for i, k := range bad {
		problems[i] = fmt.Sprintf("%q names no route or action of this API%s", k, spec.Suggest(k, append(append([]string{}, routes...), actions...)))
	}
	return fmt.Errorf("%s; a key is a route (%s) or an action its routes take (%s)",
		strings.Join(problems, "; "), strings.Join(routes, ", "), strings.Join(actions, ", "))
}
