package spec_test

import (
	"fmt"

	"github.com/sfnapic/sfnapic/spec"
)

func ExampleParse() {
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
	s, diags := spec.Parse("item-api.yaml", src, nil)
	fmt.Print(diags.String())
	r := s.Routes[0]
	fmt.Println(r.Method, r.Path, "->", r.StateMachine.Name, r.Input[0].Key, "from", r.Input[0].From, r.Input[0].Name)
	// Output:
	// POST /{item_id} -> items item_id from path item_id
}

func ExampleParse_errors() {
	src := []byte(`version: 1
api:
  name: item-api
stateMachines:
  items:
    definition: {StartAt: Done, States: {Done: {Type: Pass, End: true}}}
routes:
  PSOT /{item_id}:
    stateMachine: itms
`)
	_, diags := spec.Parse("item-api.yaml", src, nil)
	fmt.Print(diags.String())
	// Output:
	// item-api.yaml:8:3: routes["PSOT /{item_id}"]: unknown HTTP method "PSOT" (did you mean "POST"?); use one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY
	// item-api.yaml:9:19: routes["PSOT /{item_id}"].stateMachine: state machine "itms" is not declared under stateMachines (did you mean "items"?); declared: items
}
