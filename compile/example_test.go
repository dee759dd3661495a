package compile_test

import (
	"fmt"
	"sort"
	"strings"

	"github.com/sfnapic/sfnapic/compile"
	"github.com/sfnapic/sfnapic/spec"
)

func ExampleCompile() {
	src := []byte(`version: 1
api:
  name: item-api
stateMachines:
  items:
    definition: {StartAt: Done, States: {Done: {Type: Pass, End: true}}}
routes:
  POST /{item_id}:
    stateMachine: items
    input:
      item_id: path.item_id
`)
	s, _ := spec.Parse("item-api.yaml", src, nil)
	t := compile.Compile(s)
	var ids []string
	for id := range t.CFN.Resources {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	fmt.Println(len(ids), "resources:", strings.Join(ids, " "))
	out, _ := t.JSON()
	fmt.Println(len(out) > 0)
	// Output:
	// 12 resources: Api ApiRole ExecutionRoleItems GatewayResponseDefault4xx GatewayResponseDefault5xx GatewayResponseNotFound GatewayResponseUnsupportedMediaType ResourceItemId RouteItemIdPost Stage StageDeploymentB26509E2C4 StateMachineItems
	// true
}
