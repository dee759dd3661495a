package vtl

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
)

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// Variant selects one answer for each behaviour of API Gateway that is not
// documented. The zero Variant is Velocity 1.7 with Commons Lang 2's
// escapeJavaScript.
type Variant struct {
	// Velocity2: #if treats empty strings, empty collections and zero as
	// false, and #set assigns null (1.7: only null and false are false, and
	// #set of null leaves the variable unchanged).
	Velocity2 bool
	// KeepSlash: escapeJavaScript leaves '/' alone (Commons Lang 2 writes \/).
	KeepSlash bool
	// KeepNonASCII: escapeJavaScript leaves non-ASCII characters alone
	// (Commons Lang writes \uXXXX).
	KeepNonASCII bool
	// KeepApostrophe: escapeJavaScript leaves ' alone (Commons Lang writes \').
	KeepApostrophe bool
	// MissingJSONIsNull: $input.json of a path that matches nothing renders
	// null (otherwise an empty string).
	MissingJSONIsNull bool
	// NullAsWritten: a null reference such as $nope renders as written, as
	// stock Velocity does. Otherwise it renders empty, as users report of
	// API Gateway (toqoz/api-gateway-mapping-template#5,
	// serverless-offline#1362); the differential test assumes that.
	NullAsWritten bool
}

// Variants returns every combination of the undocumented behaviours.
func Variants() []Variant {
	var out []Variant
	for i := 0; i < 64; i++ {
		out = append(out, Variant{i&1 != 0, i&2 != 0, i&4 != 0, i&8 != 0, i&16 != 0, i&32 != 0})
	}
	return out
}

// Request is what a mapping template can see of an HTTP request.
type Request struct {
	Path           map[string]string // path parameters
	Query          map[string]string // query-string parameters (the last value of each)
	Header         map[string]string // headers, names as the client sent them
	Body           string
	Context        map[string]any // $context: requestId, stage, identity.sourceIp, ...
	StageVariables map[string]string
}

// Result is a rendering: the body, and the $context after the template ran,
// which holds any responseOverride or requestOverride it set.
type Result struct {
	Body    string
	Context map[string]any
}

// StatusOverride returns $context.responseOverride.status, if the template
// set it.
func (r *Result) StatusOverride() (int, bool) {
	ro, ok := r.Context["responseOverride"].(map[string]any)
	if !ok {
		return 0, false
	}
	switch s := ro["status"].(type) {
	case int64:
		return int(s), true
	case string:
		n, err := strconv.Atoi(s)
		return n, err == nil
	}
	return 0, false
}

// HeaderOverrides returns the headers the template set with
// $context.responseOverride.header.NAME, as text; nil when it set none.
func (r *Result) HeaderOverrides() map[string]string {
	ro, _ := r.Context["responseOverride"].(map[string]any)
	h, _ := ro["header"].(map[string]any)
	if len(h) == 0 {
		return nil
	}
	out := make(map[string]string, len(h))
	for k, v := range h {
		out[k] = toString(v)
	}
	return out
}

// ErrBadJSON is returned (wrapped) when a template reads a request body
// that is not JSON. API Gateway answers such a request with HTTP 400.
var ErrBadJSON = errors.New("could not parse request body into json")

// Render runs the template against a request.
func (t *Template) Render(req *Request, v Variant) (*Result, error) {
	return t.render(req, v, true)
}

// render is Render, its large values built with room when withRooms
// (room.go; else as before, which the tests compare with).
func (t *Template) render(req *Request, v Variant, withRooms bool) (*Result, error) {
	ctx := map[string]any{}
	for k, val := range req.Context {
		ctx[k] = deepCopy(val)
	}
	e := &env{v: v, req: req, vars: map[string]any{}, context: ctx}
	if withRooms && len(req.Body) >= roomFrom {
		// Only a body this large makes values that large in practice
		// (API Gateway caps headers at 10 KiB); a rendering of small
		// values allocates nothing for rooms.
		e.rs = &roomSet{}
	}
	var b output
	err := e.render(&b, t.nodes)
	if errors.Is(err, errStop) {
		err = nil
	}
	if err != nil {
		return nil, err
	}
	return &Result{Body: b.join(e.rooms()), Context: ctx}, nil
}

// RenderString parses and renders src in one step.
func RenderString(src string, req *Request, v Variant) (*Result, error) {
	t, err := Parse(src)
	if err != nil {
		return nil, err
	}
	return t.Render(req, v)
}

func deepCopy(v any) any {
	if m, ok := v.(map[string]any); ok {
		out := map[string]any{}
		for k, x := range m {
			out[k] = deepCopy(x)
		}
		return out
	}
	return v
}

type env struct {
	v       Variant
	req     *Request
	vars    map[string]any
	context map[string]any
	body    any
	parsed  bool
	// fresh: the value the last call answered was fresh; recvFresh: the
	// receiver of the call being made is (set by ref, for that call).
	fresh, recvFresh bool
	steps            int
	params           *Map  // $input.params(), built at its first call
	rs               rooms // where large values are built with room (room.go), or nil
}

// rooms is where the rendering keeps its rooms, or nil when it does not.
func (e *env) rooms() rooms { return e.rs }

var (
	errStop  = errors.New("#stop")
	errBreak = errors.New("#break")
)

// maxSteps bounds the work one rendering may do, as API Gateway bounds
// template evaluation, so that a runaway #foreach fails instead of hanging.
const maxSteps = 1_000_000

func (e *env) render(b *output, nodes []node) error {
	for _, n := range nodes {
		e.steps++
		if e.steps > maxSteps {
			return fmt.Errorf("template does too much work (over %d steps)", maxSteps)
		}
		switch n := n.(type) {
		case textNode:
			b.WriteString(string(n))
		case *refNode:
			v, err := e.eval(n)
			if err != nil {
				return err
			}
			e.writeRef(b, n, v)
		case escapedRef:
			v, err := e.eval(n.ref)
			if err != nil {
				return err
			}
			b.WriteString(strings.Repeat(`\`, n.n/2))
			switch {
			case n.n%2 == 0 && v != nil:
				b.WriteString(toString(v))
			case n.n%2 == 0:
				if !n.ref.quiet && e.v.NullAsWritten {
					b.WriteString(n.raw)
				}
			case v != nil:
				b.WriteString(n.raw) // \$ref renders the reference as written
			default:
				b.WriteString(`\` + n.raw) // \$undefined keeps its backslash
			}
		case *setNode:
			if err := e.set(n); err != nil {
				return err
			}
		case *ifNode:
			for i, body := range n.bodies {
				if i < len(n.conds) {
					c, err := e.cond(n.conds[i])
					if err != nil {
						return err
					}
					if !c {
						continue
					}
				}
				if err := e.render(b, body); err != nil {
					return err
				}
				break
			}
		case *foreachNode:
			if err := e.foreach(b, n); err != nil {
				return err
			}
		case breakNode:
			return errBreak
		case stopNode:
			return errStop
		default:
			return fmt.Errorf("internal error: node %T", n)
		}
	}
	return nil
}

// escapedRef is a reference after n backslashes (n >= 1). Velocity 1.7
// writes n/2 of them; then an even run renders the reference, and an odd
// one writes it as text (keeping one more backslash when the reference is
// undefined).
type escapedRef struct {
	ref *refNode
	n   int
	raw string // the reference as written, without the backslashes
}

// writeRef writes the value of a reference, null as the variant writes it.
func (e *env) writeRef(b *output, n *refNode, v any) {
	if v == nil {
		if !n.quiet && e.v.NullAsWritten {
			b.WriteString(n.raw)
		}
		return
	}
	b.WriteString(toString(v))
}

// lazyString is a string literal that is one reference ("$!v0") whose
// value is a lazyJSON: that value, as it is. ok is false for any other
// literal; one that is a reference to anything else is rendered here,
// from that one evaluation, as render would.
func (e *env) lazyString(x *strExpr) (any, bool, error) {
	if len(x.nodes) != 1 {
		return nil, false, nil
	}
	ref, isRef := x.nodes[0].(*refNode)
	if !isRef {
		return nil, false, nil
	}
	if e.steps++; e.steps > maxSteps {
		return nil, false, fmt.Errorf("template does too much work (over %d steps)", maxSteps)
	}
	v, err := e.evalAny(ref)
	if err != nil {
		return nil, true, err
	}
	if l, ok := v.(*lazyJSON); ok {
		return l, true, nil
	}
	var b output
	e.writeRef(&b, ref, v)
	return b.join(e.rooms()), true, nil
}

func (e *env) foreach(b *output, n *foreachNode) error {
	list, err := e.eval(n.list)
	if err != nil {
		return err
	}
	var items []any
	switch l := list.(type) {
	case nil:
		return nil
	case []any:
		items = l
	case *Map:
		items = l.values()
	case map[string]any:
		for _, k := range sortedKeys(l) {
			items = append(items, l[k])
		}
	default:
		// Velocity 1.7 iterates nothing over a value that is not a
		// collection (it logs a warning).
		return nil
	}
	saved, had := e.vars[n.varName]
	savedLoop, hadLoop := e.vars["foreach"]
	defer func() {
		restore(e.vars, n.varName, saved, had)
		restore(e.vars, "foreach", savedLoop, hadLoop)
	}()
	for i, it := range items {
		e.vars[n.varName] = it
		e.vars["velocityCount"] = int64(i + 1)
		e.vars["foreach"] = map[string]any{"index": int64(i), "count": int64(i + 1), "hasNext": i+1 < len(items), "first": i == 0, "last": i+1 == len(items)}
		err := e.render(b, n.body)
		if errors.Is(err, errBreak) {
			break
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func restore(m map[string]any, k string, v any, had bool) {
	if had {
		m[k] = v
	} else {
		delete(m, k)
	}
}

// cond is an expression's truth where Velocity evaluates one (#if,
// #elseif, !, && and ||). Velocity 1.7 asks the node, not its value: a
// string, number, list, map or range literal is false there (only true is
// true), while a reference holding any value is true.
func (e *env) cond(x expr) (bool, error) {
	if !e.v.Velocity2 {
		switch x := x.(type) {
		case litExpr:
			b, _ := x.v.(bool)
			return b, nil
		case *strExpr, *listExpr, *mapExpr, *rangeExpr:
			return false, nil
		case *unaryExpr:
			if _, lit := x.x.(litExpr); lit && x.op == "-" {
				return false, nil
			}
		case *binExpr:
			switch x.op {
			case "+", "-", "*", "/", "%":
				// Velocity 1.7's arithmetic nodes have no truth value of
				// their own: #if($a + 1) is false, whatever $a is.
				return false, nil
			}
		}
	}
	v, err := e.eval(x)
	return e.truthy(v), err
}

func (e *env) truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	}
	if !e.v.Velocity2 {
		return true
	}
	switch x := v.(type) {
	case string:
		return x != ""
	case int64:
		return x != 0
	case float64:
		return x != 0
	case []any:
		return len(x) > 0
	case *Map:
		return len(x.keys) > 0
	case map[string]any:
		return len(x) > 0
	}
	return true
}

func (e *env) set(n *setNode) error {
	eval := e.eval
	if len(n.target.parts) == 0 {
		eval = e.evalAny // a variable may hold a lazyJSON
	}
	v, err := eval(n.value)
	if err != nil {
		return err
	}
	if v == nil && !e.v.Velocity2 {
		return nil
	}
	if len(n.target.parts) == 0 {
		switch n.target.name {
		case "input", "util", "context", "stageVariables":
			return fmt.Errorf("cannot #set $%s", n.target.name)
		}
		e.vars[n.target.name] = v
		return nil
	}
	// $a.b.c = v: every step but the last must be a map. Velocity logs
	// and does nothing when one is null or is not a map; under $context,
	// API Gateway's responseOverride and requestOverride objects exist
	// already, which creating the missing maps stands for.
	var cur any
	vivify := n.target.name == "context"
	if vivify {
		cur = e.context
	} else {
		cur = e.vars[n.target.name]
	}
	for i, part := range n.target.parts {
		last := i == len(n.target.parts)-1
		switch m := cur.(type) {
		case map[string]any:
			if last {
				m[part.name] = v
				return nil
			}
			next, ok := m[part.name]
			if (!ok || next == nil) && vivify {
				next = map[string]any{}
				m[part.name] = next
			}
			cur = next
		case *Map:
			if last {
				m.put(part.name, v)
				return nil
			}
			next := m.get(part.name)
			if next == nil && vivify {
				next = map[string]any{}
				m.put(part.name, next)
			}
			cur = next
		default:
			return nil
		}
	}
	return nil
}

// eval is the value of x; evalAny's, which may be a lazyJSON, only where
// one is taken as it is (lazy.go).
func (e *env) eval(x expr) (any, error) {
	v, err := e.evalAny(x)
	if err != nil {
		return nil, err
	}
	return plain(v), nil
}

func (e *env) evalAny(x expr) (any, error) {
	switch x := x.(type) {
	case litExpr:
		return x.v, nil
	case *strExpr:
		if v, ok, err := e.lazyString(x); ok || err != nil {
			return v, err
		}
		var b output
		if err := e.render(&b, x.nodes); err != nil {
			return nil, err
		}
		return b.join(e.rooms()), nil
	case *refNode:
		return e.ref(x)
	case *listExpr:
		out := make([]any, 0, len(x.items))
		for _, it := range x.items {
			v, err := e.eval(it)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case *rangeExpr:
		from, err := e.eval(x.from)
		if err != nil {
			return nil, err
		}
		to, err := e.eval(x.to)
		if err != nil {
			return nil, err
		}
		a, ok1 := from.(int64)
		z, ok2 := to.(int64)
		if !ok1 || !ok2 {
			// Velocity 1.7 logs that a range needs integers, and the
			// range is null.
			return nil, nil
		}
		var out []any
		step := int64(1)
		if z < a {
			step = -1
		}
		for i := a; ; i += step {
			out = append(out, i)
			if i == z || len(out) > 100000 {
				break
			}
		}
		return out, nil
	case *mapExpr:
		m := &Map{}
		for i := range x.keys {
			k, err := e.eval(x.keys[i])
			if err != nil {
				return nil, err
			}
			v, err := e.eval(x.vals[i])
			if err != nil {
				return nil, err
			}
			m.put(toString(k), v)
		}
		return m, nil
	case *unaryExpr:
		if x.op == "!" {
			c, err := e.cond(x.x)
			return !c, err
		}
		v, err := e.eval(x.x)
		if err != nil {
			return nil, err
		}
		switch n := v.(type) {
		case int64:
			return -n, nil
		case float64:
			return -n, nil
		}
		return nil, nil
	case *binExpr:
		return e.binary(x)
	}
	return nil, fmt.Errorf("internal error: expression %T", x)
}

func (e *env) binary(x *binExpr) (any, error) {
	switch x.op {
	case "&&", "||":
		l, err := e.cond(x.l)
		if err != nil || l == (x.op == "||") {
			return l, err
		}
		return e.cond(x.r)
	}
	if x.op == "==" || x.op == "!=" {
		return e.equality(x)
	}
	l, err := e.eval(x.l)
	if err != nil {
		return nil, err
	}
	r, err := e.eval(x.r)
	if err != nil {
		return nil, err
	}
	if x.op == "+" && !e.v.Velocity2 {
		// Velocity 1.7 joins a string to a null reference as the
		// reference is written: "a" + $nope is "a$nope".
		if ref, ok := x.r.(*refNode); ok && r == nil && isString(l) {
			r = ref.raw
		}
		if ref, ok := x.l.(*refNode); ok && l == nil && isString(r) {
			l = ref.raw
		}
	}
	switch x.op {
	case "<", ">", "<=", ">=":
		c, ok := compare(l, r)
		if !ok {
			// Velocity 1.7 orders numbers only: any other comparison is
			// false (with an error in its log).
			return false, nil
		}
		switch x.op {
		case "<":
			return c < 0, nil
		case ">":
			return c > 0, nil
		case "<=":
			return c <= 0, nil
		}
		return c >= 0, nil
	}
	return arith(x.op, l, r), nil
}

// equality is == and !=, whose sides may be lazyJSON (lazy.go).
func (e *env) equality(x *binExpr) (any, error) {
	l, err := e.evalAny(x.l)
	if err != nil {
		return nil, err
	}
	r, err := e.evalAny(x.r)
	if err != nil {
		return nil, err
	}
	return equalLazy(l, r) == (x.op == "=="), nil
}

func isString(v any) bool {
	_, ok := v.(string)
	return ok
}

// equal follows Velocity: numbers compare by value, values of the same
// class with equals, others by their string forms.
func equal(l, r any) bool {
	if l == nil || r == nil {
		return l == nil && r == nil
	}
	if a, ok := integer(l); ok {
		if b, ok := integer(r); ok {
			return a.Cmp(b) == 0
		}
	}
	if a, ok := number(l); ok {
		if b, ok := number(r); ok {
			return a == b
		}
	}
	return toString(l) == toString(r)
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case int64:
		return float64(n), true
	case float64:
		return n, true
	case *big.Int:
		f, _ := new(big.Float).SetInt(n).Float64()
		return f, true
	}
	return 0, false
}

// integer is an integer value (a long, or a BigInteger beyond it) as a
// big.Int.
func integer(v any) (*big.Int, bool) {
	switch n := v.(type) {
	case int64:
		return big.NewInt(n), true
	case *big.Int:
		return n, true
	}
	return nil, false
}

// bigArith is Velocity 1.7's integer arithmetic: a result that overflows
// a long becomes a BigInteger (it does not wrap); division truncates; by
// zero it is null.
func bigArith(op string, a, b *big.Int) any {
	r := new(big.Int)
	switch op {
	case "+":
		r.Add(a, b)
	case "-":
		r.Sub(a, b)
	case "*":
		r.Mul(a, b)
	case "/", "%":
		if b.Sign() == 0 {
			return nil
		}
		if op == "/" {
			r.Quo(a, b)
		} else {
			r.Rem(a, b)
		}
	default:
		return nil
	}
	if r.IsInt64() {
		return r.Int64()
	}
	return r
}

func compare(l, r any) (int, bool) {
	if a, ok := integer(l); ok {
		if b, ok := integer(r); ok {
			return a.Cmp(b), true
		}
	}
	a, ok1 := number(l)
	b, ok2 := number(r)
	if ok1 && ok2 {
		switch {
		case a < b:
			return -1, true
		case a > b:
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

// arith is Velocity's integer and decimal arithmetic; anything else, and
// division by zero, gives null.
func arith(op string, l, r any) any {
	if a, ok := integer(l); ok {
		if b, ok := integer(r); ok {
			return bigArith(op, a, b)
		}
	}
	_, ls := l.(string)
	_, rs := r.(string)
	if op == "+" && (ls || rs) && l != nil && r != nil {
		// Velocity 1.7 concatenates when either side is a string.
		return toString(l) + toString(r)
	}
	if a, ok := l.(int64); ok {
		if b, ok := r.(int64); ok {
			return apply(op, a, b, func(x, y int64) int64 { return x % y })
		}
	}
	a, ok1 := number(l)
	b, ok2 := number(r)
	if !ok1 || !ok2 {
		return nil
	}
	return apply(op, a, b, math.Mod)
}

func apply[T int64 | float64](op string, a, b T, mod func(T, T) T) any {
	switch op {
	case "+":
		return a + b
	case "-":
		return a - b
	case "*":
		return a * b
	case "/", "%":
		if b == 0 {
			return nil
		}
		if op == "/" {
			return a / b
		}
		return mod(a, b)
	}
	return nil
}

func (e *env) ref(r *refNode) (any, error) {
	var v any
	switch r.name {
	case "input":
		v = inputObj{}
	case "util":
		v = utilObj{}
	case "context":
		v = e.context
	case "stageVariables":
		m := map[string]any{}
		for k, s := range e.req.StageVariables {
			m[k] = s
		}
		v = m
	default:
		v = e.vars[r.name]
	}
	fresh := false // v is a value the previous step built (room.go)
	for _, part := range r.parts {
		v = plain(v) // a lazyJSON's methods and properties are its text's
		if part.isIdx {
			fresh = false
			idx, err := e.eval(part.index)
			if err != nil {
				return nil, err
			}
			v, err = index(v, idx)
			if err != nil {
				return nil, err
			}
			continue
		}
		if part.call {
			args := make([]any, 0, len(part.args))
			for _, a := range part.args {
				x, err := e.evalAny(a) // e.call takes what a method may take lazily
				if err != nil {
					return nil, err
				}
				args = append(args, x)
			}
			var err error
			e.recvFresh = fresh
			v, err = e.call(v, part.name, args)
			fresh = e.fresh
			if err != nil {
				return nil, fmt.Errorf("%s: %w", r.raw, err)
			}
			continue
		}
		var err error
		fresh = false
		v, err = e.property(v, part.name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.raw, err)
		}
	}
	return v, nil
}

func index(v, idx any) (any, error) {
	switch c := v.(type) {
	case nil:
		return nil, nil
	case []any:
		i, ok := idx.(int64)
		if !ok {
			return nil, fmt.Errorf("a list index must be an integer")
		}
		if i < 0 {
			i += int64(len(c))
		}
		if i < 0 || i >= int64(len(c)) {
			return nil, nil
		}
		return c[i], nil
	case *Map:
		return c.get(toString(idx)), nil
	case map[string]any:
		return c[toString(idx)], nil
	}
	return nil, fmt.Errorf("cannot index %s", typeName(v))
}

// property is Velocity's $a.name: a map key, or a getter.
func (e *env) property(v any, name string) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case map[string]any:
		return x[name], nil
	case *Map:
		return x.get(name), nil
	case inputObj:
		switch name {
		case "body":
			return e.req.Body, nil
		}
		return nil, nil // as for any unknown property
	case string:
		switch name {
		case "empty":
			return x == "", nil
		case "bytes":
			return nil, fmt.Errorf("String.getBytes is not supported")
		}
	case []any:
		if name == "empty" {
			return len(x) == 0, nil
		}
	}
	// Velocity finds no getter: the reference is null (rendered as
	// written by stock Velocity, empty on API Gateway).
	return nil, nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a String"
	case int64, *big.Int:
		return "an Integer"
	case float64:
		return "a Double"
	case bool:
		return "a Boolean"
	case []any:
		return "a List"
	case *Map, map[string]any:
		return "a Map"
	case inputObj:
		return "$input"
	case utilObj:
		return "$util"
	}
	return fmt.Sprintf("%T", v)
}

// toString renders a value as Java's toString would.
func toString(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case *big.Int:
		return x.String()
	case float64:
		return javaDouble(x)
	case bool:
		return strconv.FormatBool(x)
	case []any:
		parts := make([]string, len(x))
		for i, it := range x {
			parts[i] = toString(it)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case *Map:
		parts := make([]string, len(x.keys))
		for i, k := range x.keys {
			parts[i] = k + "=" + toString(x.vals[i])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case map[string]any:
		keys := sortedKeys(x)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + "=" + toString(x[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprint(v)
}

// javaDouble formats like Double.toString: 1.0, 0.5, 1.7E9.
func javaDouble(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	a := math.Abs(f)
	if a != 0 && (a < 1e-3 || a >= 1e7) {
		s := strconv.FormatFloat(f, 'E', -1, 64)
		mant, exp, _ := strings.Cut(s, "E")
		if !strings.Contains(mant, ".") {
			mant += ".0"
		}
		n, _ := strconv.Atoi(exp) // "+09" is 9: Java writes no sign or padding
		return mant + "E" + strconv.Itoa(n)
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// Map is an insertion-ordered map, like the LinkedHashMap that parsed JSON
// and map literals become. A map past indexAt keys keeps an index beside
// its ordered keys, so that get, has and put cost the same however large it
// is (a JSON body or $input.params() with 10,000 names was quadratic).
type Map struct {
	keys  []string
	vals  []any
	index map[string]int // key -> position, once len(keys) > indexAt
}

// indexAt is the size up to which a Map finds a key by scanning its keys:
// for the few keys of most maps, cheaper than an index.
const indexAt = 8

// find is the position of k, or -1.
func (m *Map) find(k string) int {
	if m.index != nil {
		if i, ok := m.index[k]; ok {
			return i
		}
		return -1
	}
	for i, x := range m.keys {
		if x == k {
			return i
		}
	}
	return -1
}

func (m *Map) get(k string) any {
	if i := m.find(k); i >= 0 {
		return m.vals[i]
	}
	return nil
}

func (m *Map) has(k string) bool { return m.find(k) >= 0 }

// put sets k's value; a new key goes last, a known one keeps its place.
func (m *Map) put(k string, v any) {
	if i := m.find(k); i >= 0 {
		m.vals[i] = v
		return
	}
	m.keys = append(m.keys, k)
	m.vals = append(m.vals, v)
	switch {
	case m.index != nil:
		m.index[k] = len(m.keys) - 1
	case len(m.keys) > indexAt:
		m.index = make(map[string]int, 2*len(m.keys))
		for i, x := range m.keys {
			m.index[x] = i
		}
	}
}

func (m *Map) values() []any { return append([]any(nil), m.vals...) }
