package compile_test

import (
	"fmt"

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
	fmt.Println(t.MethodIDs, len(t.CFN.Resources), "resources")
	out, _ := t.JSON()
	fmt.Println(len(out) > 0)
	// Output:
	// [RouteItemIdPost] 11 resources
	// true
}
