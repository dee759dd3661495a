package jsonschema4

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"unicode/utf8"
)

// Validate checks v against the schema: nil when it passes, else an
// *Error of kind Group whose causes are the failures, in the order the
// schema's keywords are checked (type, enum, format and $ref each end
// the check of their schema; then the keywords of the value's type; then
// not, allOf, anyOf, oneOf).
func (s *Schema) Validate(v any) error {
	e := s.validate(v, nil, nil)
	if e == nil {
		return nil
	}
	if e.Kind == Group {
		return e
	}
	return &Error{Kind: Group, Causes: []*Error{e}}
}

// validate checks one value against one schema; several failures come
// back as a Group. seen are the schemas this value is being checked
// against already (through $ref, allOf, ...): meeting one again is a
// cycle that would never end.
func (s *Schema) validate(v any, loc []string, seen []*Schema) *Error {
	vd := &validation{loc: loc, seen: append(seen, s)}
	if slices.Contains(seen, s) {
		return vd.err(&Error{Kind: RefCycle, Value: v, Schema: s.loc})
	}
	s.check(v, vd)
	switch len(vd.errs) {
	case 0:
		return nil
	case 1:
		return vd.errs[0]
	}
	return vd.err(&Error{Kind: Group, Causes: vd.errs})
}

type validation struct {
	loc  []string
	seen []*Schema
	errs []*Error
}

// same checks the value against another schema of it.
func (vd *validation) same(s *Schema, v any) *Error {
	return s.validate(v, vd.loc, vd.seen)
}

// below checks a member or item against its schema.
func (vd *validation) below(s *Schema, v any, tok string) *Error {
	return s.validate(v, vd.at(tok), nil)
}

func (vd *validation) err(e *Error) *Error {
	e.InstanceLocation = append([]string(nil), vd.loc...)
	return e
}

func (vd *validation) add(e *Error) { vd.errs = append(vd.errs, vd.err(e)) }

func (vd *validation) addErr(e *Error) {
	if e != nil {
		vd.errs = append(vd.errs, e)
	}
}

// at is a location one token below this one.
func (vd *validation) at(tok string) []string {
	return append(append(make([]string, 0, len(vd.loc)+1), vd.loc...), tok)
}

func (s *Schema) check(v any, vd *validation) {
	t := typeName(v)
	if len(s.types) > 0 && !s.allows(t, v) {
		vd.add(&Error{Kind: Type, Value: v, GotType: t, WantTypes: s.types})
		return
	}
	if s.enum != nil && !contains(s.enum, v) {
		vd.add(&Error{Kind: Enum, Value: v, Enum: s.enum})
		return
	}
	if s.format != nil {
		if err := s.format(v); err != nil {
			vd.add(&Error{Kind: Format, Value: v, FormatName: s.formatName, FormatErr: err})
			return
		}
	}
	if s.ref != nil {
		if e := vd.same(s.ref, v); e != nil {
			ref := vd.err(&Error{Kind: Reference})
			if e.Kind == Group {
				ref.Causes = e.Causes
			} else {
				ref.Causes = []*Error{e}
			}
			vd.errs = append(vd.errs, ref)
		}
		return
	}
	switch x := v.(type) {
	case map[string]any:
		s.checkObject(x, vd)
	case []any:
		s.checkArray(x, vd)
	case string:
		s.checkString(x, vd)
	default:
		if t == "number" {
			s.checkNumber(v, vd)
		}
	}
	s.checkCombinators(v, vd)
}

func (s *Schema) allows(t string, v any) bool {
	for _, want := range s.types {
		if want == t || want == "integer" && t == "number" && isInteger(v) {
			return true
		}
	}
	return false
}

func (s *Schema) checkString(str string, vd *validation) {
	n := utf8.RuneCountInString(str)
	if s.minLength != nil && n < *s.minLength {
		vd.add(&Error{Kind: MinLength, Value: str, Got: n, Want: *s.minLength})
	}
	if s.maxLength != nil && n > *s.maxLength {
		vd.add(&Error{Kind: MaxLength, Value: str, Got: n, Want: *s.maxLength})
	}
	if s.pattern != nil && !s.pattern.MatchString(str) {
		vd.add(&Error{Kind: Pattern, Value: str, Pattern: s.pattern.String()})
	}
}

func (s *Schema) checkNumber(v any, vd *validation) {
	n, _ := new(big.Rat).SetString(fmt.Sprint(v))
	if n == nil {
		return
	}
	num := func(k Kind, want *big.Rat) {
		vd.add(&Error{Kind: k, Value: v, GotNum: n, WantNum: want})
	}
	switch {
	case s.minimum == nil:
	case !s.exclusiveMin && n.Cmp(s.minimum) < 0:
		num(Minimum, s.minimum)
	}
	switch {
	case s.maximum == nil:
	case !s.exclusiveMax && n.Cmp(s.maximum) > 0:
		num(Maximum, s.maximum)
	}
	// The library checks exclusive bounds after both inclusive ones.
	if s.minimum != nil && s.exclusiveMin && n.Cmp(s.minimum) <= 0 {
		num(ExclusiveMinimum, s.minimum)
	}
	if s.maximum != nil && s.exclusiveMax && n.Cmp(s.maximum) >= 0 {
		num(ExclusiveMaximum, s.maximum)
	}
	if s.multipleOf != nil && s.multipleOf.Sign() != 0 && !new(big.Rat).Quo(n, s.multipleOf).IsInt() {
		num(MultipleOf, s.multipleOf)
	}
}

func (s *Schema) checkArray(arr []any, vd *validation) {
	if s.minItems != nil && len(arr) < *s.minItems {
		vd.add(&Error{Kind: MinItems, Value: arr, Got: len(arr), Want: *s.minItems})
	}
	if s.maxItems != nil && len(arr) > *s.maxItems {
		vd.add(&Error{Kind: MaxItems, Value: arr, Got: len(arr), Want: *s.maxItems})
	}
	if s.uniqueItems {
		if i, j := duplicates(arr); i >= 0 {
			vd.add(&Error{Kind: UniqueItems, Value: arr, Duplicates: [2]int{i, j}})
		}
	}
	evaluated := 0
	switch {
	case s.items != nil:
		for i, it := range arr {
			vd.addErr(vd.below(s.items, it, strconv.Itoa(i)))
		}
		evaluated = len(arr)
	case s.itemsList != nil:
		evaluated = min(len(arr), len(s.itemsList))
		for i, it := range arr[:evaluated] {
			vd.addErr(vd.below(s.itemsList[i], it, strconv.Itoa(i)))
		}
	}
	switch add := s.additionalItm.(type) {
	case bool:
		if !add && s.itemsList != nil && evaluated != len(arr) {
			vd.add(&Error{Kind: AdditionalItems, Value: arr, Count: len(arr) - evaluated})
		}
	case *Schema:
		for i, it := range arr[evaluated:] {
			vd.addErr(vd.below(add, it, strconv.Itoa(evaluated+i)))
		}
	}
}

func (s *Schema) checkObject(obj map[string]any, vd *validation) {
	if s.minProps != nil && len(obj) < *s.minProps {
		vd.add(&Error{Kind: MinProperties, Value: obj, Got: len(obj), Want: *s.minProps})
	}
	if s.maxProps != nil && len(obj) > *s.maxProps {
		vd.add(&Error{Kind: MaxProperties, Value: obj, Got: len(obj), Want: *s.maxProps})
	}
	if missing := missing(obj, s.required); missing != nil {
		vd.add(&Error{Kind: Required, Value: obj, Missing: missing})
	}
	for _, d := range s.dependencies {
		if _, ok := obj[d.prop]; !ok {
			continue
		}
		if d.schema != nil {
			vd.addErr(vd.same(d.schema, obj))
		} else if m := missing(obj, d.required); m != nil {
			vd.add(&Error{Kind: Dependency, Value: obj, Prop: d.prop, Missing: m})
		}
	}
	var extra []string
	for _, name := range sortedKeys(obj) {
		if !s.checkProperty(name, obj[name], vd) {
			extra = append(extra, name)
		}
	}
	if extra != nil {
		vd.add(&Error{Kind: AdditionalProperties, Value: obj, Properties: extra})
	}
}

// checkProperty checks one member; false when additionalProperties:
// false refuses it.
func (s *Schema) checkProperty(name string, v any, vd *validation) bool {
	evaluated := false
	if sub, ok := s.properties[name]; ok {
		evaluated = true
		vd.addErr(vd.below(sub, v, name))
	}
	for _, pp := range s.patternProps {
		if pp.re.MatchString(name) {
			evaluated = true
			vd.addErr(vd.below(pp.schema, v, name))
		}
	}
	if evaluated {
		return true
	}
	switch add := s.additionalPrp.(type) {
	case bool:
		return add
	case *Schema:
		vd.addErr(vd.below(add, v, name))
	}
	return true
}

func (s *Schema) checkCombinators(v any, vd *validation) {
	if s.not != nil && vd.same(s.not, v) == nil {
		vd.add(&Error{Kind: Not, Value: v})
	}
	if errs := failures(s.allOf, v, vd); len(errs) > 0 {
		vd.add(&Error{Kind: AllOf, Value: v, Causes: errs})
	}
	if len(s.anyOf) > 0 {
		var errs []*Error
		for _, sub := range s.anyOf {
			e := vd.same(sub, v)
			if e == nil {
				errs = nil
				break
			}
			errs = append(errs, e)
		}
		if errs != nil {
			vd.add(&Error{Kind: AnyOf, Value: v, Causes: errs})
		}
	}
	if len(s.oneOf) > 0 {
		s.checkOneOf(v, vd)
	}
}

func (s *Schema) checkOneOf(v any, vd *validation) {
	matched := -1
	var errs []*Error
	for i, sub := range s.oneOf {
		e := vd.same(sub, v)
		switch {
		case e != nil && matched == -1:
			errs = append(errs, e)
		case e != nil:
		case matched == -1:
			matched = i
		default:
			vd.add(&Error{Kind: OneOf, Value: v, Matched: []int{matched, i}})
			return
		}
	}
	if matched == -1 {
		vd.add(&Error{Kind: OneOf, Value: v, Causes: errs})
	}
}

func failures(subs []*Schema, v any, vd *validation) []*Error {
	var errs []*Error
	for _, sub := range subs {
		if e := vd.same(sub, v); e != nil {
			errs = append(errs, e)
		}
	}
	return errs
}

func missing(obj map[string]any, names []string) []string {
	var out []string
	for _, n := range names {
		if _, ok := obj[n]; !ok {
			out = append(out, n)
		}
	}
	return out
}

// typeName is a JSON value's type; a number is "number" whether or not
// it has a fraction; "" for what is no JSON value.
func typeName(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return ""
		}
		return "number"
	case json.Number, float32, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return ""
}

func isInteger(v any) bool {
	n, ok := new(big.Rat).SetString(fmt.Sprint(v))
	return ok && n.IsInt()
}

func contains(list []any, v any) bool {
	for _, it := range list {
		if Equal(it, v) {
			return true
		}
	}
	return false
}

// Equal is JSON equality: numbers are equal by value (1 == 1.0), objects
// whatever their members' order.
func Equal(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !Equal(xv, yv) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !Equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case string, bool, nil:
		return a == b
	}
	if typeName(a) != "number" || typeName(b) != "number" {
		return false
	}
	n, ok1 := new(big.Rat).SetString(fmt.Sprint(a))
	m, ok2 := new(big.Rat).SetString(fmt.Sprint(b))
	return ok1 && ok2 && n.Cmp(m) == 0
}

// duplicates finds the first pair of equal items, as the library
// reports it: the smallest later index, then the earlier one. Long
// arrays are compared by a canonical key, not pair by pair: a body may
// have 50,000 items.
func duplicates(arr []any) (int, int) {
	if len(arr) <= 20 {
		for i := 1; i < len(arr); i++ {
			for j := 0; j < i; j++ {
				if Equal(arr[i], arr[j]) {
					return j, i
				}
			}
		}
		return -1, -1
	}
	first := make(map[string]int, len(arr))
	for i, it := range arr {
		k := canonical(it)
		if j, ok := first[k]; ok {
			return j, i
		}
		first[k] = i
	}
	return -1, -1
}

// canonical writes a value so that equal values (Equal) write the same.
func canonical(v any) string {
	switch x := v.(type) {
	case map[string]any:
		out := "{"
		for _, k := range sortedKeys(x) {
			out += strconv.Quote(k) + ":" + canonical(x[k]) + ","
		}
		return out + "}"
	case []any:
		out := "["
		for _, it := range x {
			out += canonical(it) + ","
		}
		return out + "]"
	case string:
		return strconv.Quote(x)
	}
	if typeName(v) == "number" {
		if n, ok := new(big.Rat).SetString(fmt.Sprint(v)); ok {
			return n.RatString()
		}
	}
	return fmt.Sprint(v)
}
