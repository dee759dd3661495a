package gateway

import (
	"fmt"
	"reflect"

	"github.com/sfnapic/sfnapic/integration"
	"github.com/sfnapic/sfnapic/vtl"
)

// VariantDiff is a variant of API Gateway's undocumented behaviour under
// which a request's input differs from the reference rendering.
type VariantDiff struct {
	Variant string // the variant, spelled out
	Input   string // the input it gives, when it renders
	Err     error  // why it does not render, when it does not
}

// VariantDiffs renders a request under every variant of the renderer (see
// vtl.Variants) and reports those whose input differs from call's, the
// request's rendering under the gateway's own variant; n is how many
// variants there are. Variants may spell the same input differently
// (\u00e9 or é, \/ or /): what counts is the value Step Functions decodes.
func (g *Gateway) VariantDiffs(req *Request, call *Call) (diffs []VariantDiff, n int) {
	variants := vtl.Variants()
	for _, v := range variants {
		other, err := g.start(req, v)
		if err == nil && sameValue(other.Request, call.Request) {
			continue
		}
		d := VariantDiff{Variant: fmt.Sprintf("%+v", v), Err: err}
		if err == nil {
			d.Input = other.Request.Input()
		}
		diffs = append(diffs, d)
	}
	return diffs, len(variants)
}

// sameValue reports whether two requests carry the same JSON value.
func sameValue(a, b *integration.Request) bool {
	va, erra := a.Value()
	vb, errb := b.Value()
	return erra == nil && errb == nil && reflect.DeepEqual(va, vb)
}
