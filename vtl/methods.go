package vtl

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

type inputObj struct{}
type utilObj struct{}

// errArgType is an argument whose type no overload of the Java method
// takes: Velocity then finds no method, and the reference is null.
var errArgType = errors.New("no method takes an argument of this type")

func (e *env) call(recv any, method string, args []any) (any, error) {
	if l, ok := args0(args).(*lazyJSON); ok && len(args) == 1 && recv == (utilObj{}) && method == "escapeJavaScript" {
		// Fresh for the next step of this reference only, as any value
		// a method built: the room's record must not stay fresh, or a
		// later replaceAll would rewrite a value that a variable, a map,
		// the output or the regex cache holds by then.
		v := escapeLazy(l, e.v, e.rooms())
		e.recvFresh = false
		e.fresh = e.rooms().unfresh(v)
		return v, nil
	}
	for i, a := range args {
		args[i] = plain(a)
	}
	v, err := e.callMethod(recv, method, args)
	e.recvFresh = false
	// A value a method built is fresh only until the next step of the
	// reference (room.go): from here on, the caller says whether it is.
	e.fresh = e.rooms().unfresh(v)
	if errors.Is(err, errArgType) {
		return nil, nil
	}
	return v, err
}

func (e *env) callMethod(recv any, method string, args []any) (any, error) {
	str := func(i int) (string, error) {
		if i >= len(args) {
			return "", fmt.Errorf("%s: missing argument %d", method, i+1)
		}
		switch s := args[i].(type) {
		case string:
			return s, nil
		case nil:
			return "", fmt.Errorf("%s: argument %d is null", method, i+1)
		}
		return "", errArgType
	}
	integer := func(i int) (int, error) {
		if i >= len(args) {
			return 0, fmt.Errorf("%s: missing argument %d", method, i+1)
		}
		n, ok := args[i].(int64)
		if !ok {
			return 0, errArgType
		}
		return int(n), nil
	}
	arity := func(n int) error {
		if len(args) != n {
			return fmt.Errorf("%s takes %d arguments, got %d", method, n, len(args))
		}
		return nil
	}
	switch r := recv.(type) {
	case nil:
		// A method on null renders the reference as written.
		return nil, nil
	case inputObj:
		return e.input(method, args, str)
	case utilObj:
		if err := arity(1); err != nil {
			return nil, err
		}
		if args[0] == nil && (method == "escapeJavaScript" || method == "parseJson") {
			return nil, nil // both answer null for null
		}
		s, err := str(0)
		if err != nil {
			return nil, err
		}
		switch method {
		case "escapeJavaScript":
			return escapeJavaScript(s, e.v, e.rooms()), nil
		case "parseJson":
			v, err := parseJSON(s)
			if err != nil {
				return nil, fmt.Errorf("parseJson: %v", err)
			}
			return v, nil
		case "urlEncode":
			return urlEncode(s), nil
		case "urlDecode":
			return urlDecode(s)
		case "base64Encode":
			return base64.StdEncoding.EncodeToString([]byte(s)), nil
		case "base64Decode":
			b, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				return nil, fmt.Errorf("base64Decode: %v", err)
			}
			return string(b), nil
		case "toJson":
			return nil, fmt.Errorf("$util.toJson does not exist in API Gateway (it is AppSync's)")
		}
		return nil, fmt.Errorf("$util has no method %s (API Gateway offers escapeJavaScript, parseJson, urlEncode, urlDecode, base64Encode, base64Decode)", method)
	case string:
		return stringMethod(r, method, args, str, integer, arity, e.rooms(), e.recvFresh)
	case []any:
		switch method {
		case "size":
			return int64(len(r)), nil
		case "isEmpty":
			return len(r) == 0, nil
		case "get":
			i, err := integer(0)
			if err != nil {
				return nil, err
			}
			if i < 0 || i >= len(r) {
				return nil, fmt.Errorf("get(%d): index out of bounds for length %d", i, len(r))
			}
			return r[i], nil
		case "contains":
			for _, it := range r {
				if len(args) == 1 && equal(it, args[0]) {
					return true, nil
				}
			}
			return false, nil
		}
	case *Map:
		if method == "put" || method == "replace" {
			// Map.put(k, v) and Map.replace(k, v) answer the previous
			// value; replace changes only a key that is there.
			if err := arity(2); err != nil {
				return nil, err
			}
			k, err := str(0)
			if err != nil {
				return nil, err
			}
			prev := r.get(k)
			if method == "put" || r.has(k) {
				r.put(k, args[1])
			}
			return prev, nil
		}
		return mapMethod(method, args, str, r.get, r.has, r.keys, r.vals)
	case map[string]any:
		keys := sortedKeys(r)
		vals := make([]any, len(keys))
		for i, k := range keys {
			vals[i] = r[k]
		}
		return mapMethod(method, args, str, func(k string) any { return r[k] }, func(k string) bool { _, ok := r[k]; return ok }, keys, vals)
	case bool, int64, float64:
		if method == "toString" {
			return toString(r), nil
		}
		if method == "equals" && len(args) == 1 {
			return equal(r, args[0]), nil
		}
	}
	return noMethod(typeName(recv), method)
}

// javaMethods are the public methods of the Java classes behind template
// values (JDK 17), by vtl's type name.
var javaMethods = map[string]string{
	"a String": "charAt chars codePointAt codePointBefore codePointCount codePoints compareTo compareToIgnoreCase concat contains contentEquals " +
		"describeConstable endsWith equals equalsIgnoreCase formatted getBytes getChars getClass hashCode indent indexOf intern isBlank isEmpty " +
		"lastIndexOf length lines matches notify notifyAll offsetByCodePoints regionMatches repeat replace replaceAll replaceFirst " +
		"resolveConstantDesc split startsWith strip stripIndent stripLeading stripTrailing subSequence substring toCharArray toLowerCase " +
		"toString toUpperCase transform translateEscapes trim wait",
	"a List": "add addAll clear clone contains containsAll ensureCapacity equals forEach get getClass hashCode indexOf isEmpty iterator " +
		"lastIndexOf listIterator notify notifyAll parallelStream remove removeAll removeIf replaceAll retainAll set size sort spliterator " +
		"stream subList toArray toString trimToSize wait",
	"a Map": "clear clone compute computeIfAbsent computeIfPresent containsKey containsValue entrySet equals forEach get getClass " +
		"getOrDefault hashCode isEmpty keySet merge notify notifyAll put putAll putIfAbsent remove replace replaceAll size toString values wait",
	"an Integer": "byteValue compareTo describeConstable doubleValue equals floatValue getClass hashCode intValue longValue notify " +
		"notifyAll resolveConstantDesc shortValue toString wait",
	"a Double": "byteValue compareTo describeConstable doubleValue equals floatValue getClass hashCode intValue isInfinite isNaN " +
		"longValue notify notifyAll resolveConstantDesc shortValue toString wait",
	"a Boolean": "booleanValue compareTo describeConstable equals getClass hashCode notify notifyAll toString wait",
}

// noMethod is a call that vtl does not answer. When the value's Java class
// has no such method, Velocity finds none and the reference is null (it
// logs a warning); a method Java has but vtl does not implement is an
// error, never a silent wrong answer.
func noMethod(kind, method string) (any, error) {
	names, known := javaMethods[kind]
	if !known || slices.Contains(strings.Fields(names), method) {
		return nil, fmt.Errorf("%s has no method %s in vtl", kind, method)
	}
	return nil, nil
}

// args0 is the first argument, or nil.
func args0(args []any) any {
	if len(args) == 0 {
		return nil
	}
	return args[0]
}

func mapMethod(method string, args []any, str func(int) (string, error), get func(string) any, has func(string) bool, keys []string, vals []any) (any, error) {
	if _, isString := args0(args).(string); method == "containsKey" && len(args) == 1 && args[0] != nil && !isString {
		return false, nil // containsKey(Object): the keys are strings
	}
	switch method {
	case "get":
		k, err := str(0)
		if err != nil {
			return nil, err
		}
		return get(k), nil
	case "containsKey":
		k, err := str(0)
		if err != nil {
			return nil, err
		}
		return has(k), nil
	case "keySet":
		out := make([]any, len(keys))
		for i, k := range keys {
			out[i] = k
		}
		return out, nil
	case "values":
		return append([]any(nil), vals...), nil
	case "size":
		return int64(len(keys)), nil
	case "isEmpty":
		return len(keys) == 0, nil
	}
	return noMethod("a Map", method)
}

// Java strings are UTF-16: lengths and indexes count code units.
func units(s string) []uint16 { return utf16.Encode([]rune(s)) }

// unitLen is len(units(s)), without the copies: a character beyond
// U+FFFF is two units, any other (a byte that is not UTF-8 becomes
// U+FFFD) one.
func unitLen(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

func fromUnits(u []uint16) string {
	return string(utf16.Decode(u))
}

func stringMethod(s, method string, args []any, str func(int) (string, error), integer func(int) (int, error), arity func(int) error, rs rooms, fresh bool) (any, error) {
	switch method {
	case "length":
		return int64(unitLen(s)), nil
	case "isEmpty":
		return s == "", nil
	case "toString", "trim", "toLowerCase", "toUpperCase":
		switch method {
		case "trim":
			return strings.TrimFunc(s, func(r rune) bool { return r <= ' ' }), nil
		case "toLowerCase":
			return javaToLower(s), nil
		case "toUpperCase":
			return javaToUpper(s), nil
		}
		return s, nil
	case "equals", "equalsIgnoreCase", "contains", "startsWith", "endsWith", "indexOf", "lastIndexOf", "concat":
		if _, isString := args0(args).(string); method == "equals" && !isString {
			return false, nil // equals(Object): only a string can be equal
		}
		a, err := str(0)
		if c, ok := args0(args).(int64); ok && (method == "indexOf" || method == "lastIndexOf") && c >= 0 && c <= 0x10ffff {
			// indexOf(int ch): the character with that code.
			a, err = string(rune(c)), nil
		}
		if err != nil {
			return nil, err
		}
		switch method {
		case "equals":
			return s == a, nil
		case "equalsIgnoreCase":
			return strings.EqualFold(s, a), nil
		case "contains":
			return strings.Contains(s, a), nil
		case "startsWith":
			return strings.HasPrefix(s, a), nil
		case "endsWith":
			return strings.HasSuffix(s, a), nil
		case "concat":
			return s + a, nil
		case "indexOf":
			i := strings.Index(s, a)
			if i < 0 {
				return int64(-1), nil
			}
			return int64(unitLen(s[:i])), nil
		}
		i := strings.LastIndex(s, a)
		if i < 0 {
			return int64(-1), nil
		}
		return int64(unitLen(s[:i])), nil
	case "substring":
		u := units(s)
		from, err := integer(0)
		if err != nil {
			return nil, err
		}
		to := len(u)
		if len(args) > 1 {
			if to, err = integer(1); err != nil {
				return nil, err
			}
		}
		if from < 0 || to > len(u) || from > to {
			return nil, fmt.Errorf("substring(%d, %d): out of range for length %d", from, to, len(u))
		}
		return fromUnits(u[from:to]), nil
	case "charAt":
		u := units(s)
		i, err := integer(0)
		if err != nil {
			return nil, err
		}
		if i < 0 || i >= len(u) {
			return nil, fmt.Errorf("charAt(%d): out of range for length %d", i, len(u))
		}
		return fromUnits(u[i : i+1]), nil
	case "replace":
		a, b, err := two(arity, str)
		if err != nil {
			return nil, err
		}
		if a == "" {
			// Java inserts the replacement between every character.
			var out strings.Builder
			out.WriteString(b)
			for _, r := range s {
				out.WriteRune(r)
				out.WriteString(b)
			}
			return out.String(), nil
		}
		return strings.ReplaceAll(s, a, b), nil
	case "replaceAll", "replaceFirst":
		re, repl, err := two(arity, str)
		if err != nil {
			return nil, err
		}
		rx, err := compileJava(re)
		if err != nil {
			return nil, err
		}
		return rx.replaceIn(rs, s, repl, method == "replaceAll", fresh)
	case "matches":
		re, err := str(0)
		if err != nil {
			return nil, err
		}
		rx, err := compileJava(re)
		if err != nil {
			return nil, err
		}
		return rx.matchesWhole(s)
	case "split":
		re, err := str(0)
		if err != nil {
			return nil, err
		}
		rx, err := compileJava(re)
		if err != nil {
			return nil, err
		}
		limit := 0
		if len(args) > 1 {
			if limit, err = integer(1); err != nil {
				return nil, err
			}
		}
		parts, err := rx.split(s, limit)
		if err != nil {
			return nil, err
		}
		out := make([]any, len(parts))
		for i, p := range parts {
			out[i] = p
		}
		return out, nil
	}
	return noMethod("a String", method)
}

// two reads the two string arguments of a two-argument method.
func two(arity func(int) error, str func(int) (string, error)) (string, string, error) {
	if err := arity(2); err != nil {
		return "", "", err
	}
	a, err := str(0)
	if err != nil {
		return "", "", err
	}
	b, err := str(1)
	return a, b, err
}

// escapeJavaScript follows Apache Commons Lang StringEscapeUtils.escapeJavaScript:
// ' " \ / escaped with a backslash, \b \t \n \f \r in short form, other
// controls and every UTF-16 code unit above 0x7f as \uXXXX (upper case).
func escapeJavaScript(s string, v Variant, rs rooms) string {
	// One pass measures, the next writes: a 10 MB value is copied once,
	// at its size, not grown by doubling.
	var buf [12]byte
	n := 0
	for _, r := range s {
		if esc := jsEscape(&buf, r, v); esc != nil {
			n += len(esc)
		} else {
			n += utf8.RuneLen(r)
		}
	}
	b := newRoomWriter(rs, n)
	for _, r := range s {
		if esc := jsEscape(&buf, r, v); esc != nil {
			b.Write(esc)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// jsEscape is escapeJavaScript's escape for r, written in buf, or nil
// when r is written as it is.
func jsEscape(buf *[12]byte, r rune, v Variant) []byte {
	short := func(c byte) []byte { buf[0], buf[1] = '\\', c; return buf[:2] }
	switch {
	case r == '\'' && !v.KeepApostrophe, r == '"', r == '\\':
		return short(byte(r))
	case r == '/' && !v.KeepSlash:
		return short('/')
	case r == '\b':
		return short('b')
	case r == '\n':
		return short('n')
	case r == '\t':
		return short('t')
	case r == '\f':
		return short('f')
	case r == '\r':
		return short('r')
	case r < 0x20:
		return unitEscape(buf[:0], uint16(r))
	case r > 0x7f && !v.KeepNonASCII:
		if r1, r2 := utf16.EncodeRune(r); r1 != utf8.RuneError {
			return unitEscape(unitEscape(buf[:0], uint16(r1)), uint16(r2))
		}
		return unitEscape(buf[:0], uint16(r))
	}
	return nil
}

// unitEscape appends \uXXXX (upper-case hex) for one UTF-16 unit.
func unitEscape(dst []byte, u uint16) []byte {
	const hex = "0123456789ABCDEF"
	return append(dst, '\\', 'u', hex[u>>12], hex[u>>8&0xf], hex[u>>4&0xf], hex[u&0xf])
}

// urlEncode is java.net.URLEncoder.encode(s, "UTF-8").
func urlEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '.', c == '-', c == '*', c == '_':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// urlDecode is java.net.URLDecoder.decode(s, "UTF-8").
func urlDecode(s string) (string, error) {
	out, err := url.QueryUnescape(s)
	if err != nil {
		return "", fmt.Errorf("urlDecode: %v", err)
	}
	return out, nil
}

// parseJSON decodes JSON into Velocity values: *Map (ordered), []any,
// string, int64, *big.Int (an integer beyond int64) or float64, bool,
// nil.
func parseJSON(s string) (any, error) {
	// json.Valid reads the bytes in place (it keeps and changes nothing),
	// so checking costs no copy of a large body.
	if s != "" && json.Valid(unsafe.Slice(unsafe.StringData(s), len(s))) {
		p := &validParser{s: s}
		return p.value(0)
	}
	// Not JSON: the decoder says what is wrong, as it always has.
	return decodeJSON(s)
}

// decodeJSON decodes JSON with encoding/json's tokens: the reference that
// validParser agrees with (FuzzParseJSON), and the errors of what is not
// JSON.
func decodeJSON(s string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	v, err := decodeValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("unexpected data after the JSON value")
	}
	return v, nil
}

func decodeValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			m := &Map{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				m.put(kt.(string), v)
			}
			_, err := dec.Token()
			return m, err
		case '[':
			var out []any
			for dec.More() {
				v, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				out = append(out, v)
			}
			_, err := dec.Token()
			if out == nil {
				out = []any{}
			}
			return out, err
		}
	case json.Number:
		if n, err := strconv.ParseInt(string(t), 10, 64); err == nil {
			return n, nil
		}
		// An integer beyond a long stays exact, as json-smart keeps it
		// (a BigInteger), rather than becoming 1e+20.
		if !strings.ContainsAny(string(t), ".eE") {
			if n, ok := new(big.Int).SetString(string(t), 10); ok {
				return n, nil
			}
		}
		f, err := strconv.ParseFloat(string(t), 64)
		return f, err
	}
	return tok, nil
}

// toJSON writes a value as compact JSON, keys in order, without HTML
// escaping, as API Gateway's $input.json does.
func toJSON(v any) string {
	var b bytes.Buffer
	writeJSON(&b, v)
	return b.String()
}

func writeJSON(b *bytes.Buffer, v any) {
	switch x := v.(type) {
	case *Map:
		b.WriteByte('{')
		for i, k := range x.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(b, k)
			b.WriteByte(':')
			writeJSON(b, x.vals[i])
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, it := range x {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(b, it)
		}
		b.WriteByte(']')
	case float64:
		// json-smart writes a double as Java's Double.toString does.
		b.WriteString(javaDouble(x))
	default:
		enc := json.NewEncoder(b)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(x)
		b.Truncate(b.Len() - 1)
	}
}

func (e *env) parsedBody() (any, error) {
	if !e.parsed {
		e.parsed = true
		if strings.TrimSpace(e.req.Body) == "" {
			e.body = &Map{} // an empty body reads as {}
		} else {
			v, err := parseJSON(e.req.Body)
			if err != nil {
				return nil, fmt.Errorf("%w: %v", ErrBadJSON, err)
			}
			e.body = v
		}
	}
	return e.body, nil
}

func (e *env) input(method string, args []any, str func(int) (string, error)) (any, error) {
	switch method {
	case "params":
		if len(args) == 0 {
			return e.allParams(), nil
		}
		name, err := str(0)
		if err != nil {
			return nil, err
		}
		// Path, then query string, then header; missing is "".
		for _, m := range []map[string]string{e.req.Path, e.req.Query, e.req.Header} {
			if v, ok := m[name]; ok {
				return v, nil
			}
		}
		return "", nil
	case "json", "path":
		p, err := str(0)
		if err != nil {
			return nil, err
		}
		if text, ok := e.wholeBodyJSON(method, p); ok {
			return text, nil
		}
		body, err := e.parsedBody()
		if err != nil {
			return nil, err
		}
		v, found, err := jsonPath(body, p)
		if err != nil {
			return nil, err
		}
		if method == "path" {
			return v, nil
		}
		if !found {
			if e.v.MissingJSONIsNull {
				return "null", nil
			}
			return "", nil
		}
		return toJSON(v), nil
	case "body":
		return e.req.Body, nil
	}
	return nil, fmt.Errorf("$input has no method %s (it has body, json(), path(), params())", method)
}

// wholeBodyJSON is $input.json('$') written straight from the body's
// text (compactJSON), while the template has not read the body as values:
// once it has, it may have changed them, and they are what it writes.
// A large body's is a lazyJSON (lazy.go) when the rendering keeps rooms.
func (e *env) wholeBodyJSON(method, path string) (any, bool) {
	if method != "json" || path != "$" || e.parsed || strings.TrimSpace(e.req.Body) == "" {
		return nil, false
	}
	if !json.Valid(unsafe.Slice(unsafe.StringData(e.req.Body), len(e.req.Body))) {
		return nil, false // the tree's parser says what is wrong
	}
	if e.rs != nil {
		if l, ok := lazyBodyJSON(e.req.Body); ok {
			return l, true
		}
	}
	return compactJSON(e.req.Body)
}

// allParams is $input.params(): {path: {...}, querystring: {...},
// header: {...}}, each sorted by name. It is built at the first call of a
// rendering and every later call answers the same map, as the getter of
// the Java object behind $input does (testdata/velocity/Render.java): a
// change the template makes to it stays for the rest of the rendering.
func (e *env) allParams() *Map {
	if e.params == nil {
		e.params = &Map{}
		e.params.put("path", stringMap(e.req.Path))
		e.params.put("querystring", stringMap(e.req.Query))
		e.params.put("header", stringMap(e.req.Header))
	}
	return e.params
}

func stringMap(m map[string]string) *Map {
	out := &Map{}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sortStrings(keys)
	for _, k := range keys {
		out.put(k, m[k])
	}
	return out
}

// jsonPath evaluates JSONPath as Jayway does for $input.json and
// $input.path: $, .name, ['name'], [index], and
// the wildcards .* and [*], the deep scan ..name and filters [?(...)]
// (jsonpath_filter.go), which make the path indefinite: its value is then
// the list of every match (maybe empty). found is false when a definite
// path matches nothing.
func jsonPath(root any, path string) (any, bool, error) {
	if !strings.HasPrefix(path, "$") {
		return nil, false, fmt.Errorf("JSONPath %q must start with $", path)
	}
	nodes := []any{root}
	indefinite := false
	rest := path[1:]
	child := func(name string) {
		var next []any
		for _, n := range nodes {
			if m, ok := n.(*Map); ok && m.has(name) {
				next = append(next, m.get(name))
			}
		}
		nodes = next
	}
	for rest != "" {
		switch {
		case strings.HasPrefix(rest, "[?"):
			if !strings.HasPrefix(rest, "[?(") {
				return nil, false, fmt.Errorf("JSONPath %q: write a filter as [?(...)]", path)
			}
			f, after, err := parseFilter(rest[3:])
			if err != nil {
				return nil, false, fmt.Errorf("JSONPath %q: %v", path, err)
			}
			rest = after
			var next []any
			for _, n := range nodes {
				var candidates []any
				switch x := n.(type) {
				case []any:
					candidates = x
				case *Map:
					candidates = []any{x}
				default:
					return nil, false, fmt.Errorf("JSONPath %q: a filter applies to an array or an object, not to %s", path, toJSON(n))
				}
				for _, c := range candidates {
					ok, err := f.holds(root, c)
					if err != nil {
						return nil, false, fmt.Errorf("JSONPath %q: %v", path, err)
					}
					if ok {
						next = append(next, c)
					}
				}
			}
			nodes, indefinite = next, true
		case strings.HasPrefix(rest, ".*") || strings.HasPrefix(rest, "[*]"):
			if rest[0] == '.' {
				rest = rest[2:]
			} else {
				rest = rest[3:]
			}
			var next []any
			for _, n := range nodes {
				switch x := n.(type) {
				case *Map:
					next = append(next, x.values()...)
				case []any:
					next = append(next, x...)
				}
			}
			nodes, indefinite = next, true
		case strings.HasPrefix(rest, ".."):
			i := 2
			for i < len(rest) && rest[i] != '.' && rest[i] != '[' {
				i++
			}
			name := rest[2:i]
			if name == "" || name == "*" {
				return nil, false, fmt.Errorf("JSONPath %q: write ..name", path)
			}
			rest = rest[i:]
			var next []any
			for _, n := range nodes {
				next = deepScan(n, name, next)
			}
			nodes, indefinite = next, true
		case rest[0] == '.':
			i := 1
			for i < len(rest) && rest[i] != '.' && rest[i] != '[' {
				i++
			}
			name := rest[1:i]
			rest = rest[i:]
			child(name)
		case strings.HasPrefix(rest, "['") || strings.HasPrefix(rest, `["`):
			q := rest[1]
			end := strings.IndexByte(rest[2:], q)
			if end < 0 || len(rest) < end+4 || rest[end+3] != ']' {
				return nil, false, fmt.Errorf("JSONPath %q: unterminated [", path)
			}
			name := rest[2 : 2+end]
			rest = rest[end+4:]
			child(name)
		case rest[0] == '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return nil, false, fmt.Errorf("JSONPath %q: unterminated [", path)
			}
			i, err := strconv.Atoi(rest[1:end])
			if err != nil {
				return nil, false, fmt.Errorf("JSONPath %q: bad index", path)
			}
			rest = rest[end+1:]
			var next []any
			for _, n := range nodes {
				// Jayway (2.0, as Debian packages it) finds nothing at a
				// negative index.
				if l, ok := n.([]any); ok && i >= 0 && i < len(l) {
					next = append(next, l[i])
				}
			}
			nodes = next
		default:
			return nil, false, fmt.Errorf("JSONPath %q: unexpected %q", path, rest)
		}
	}
	if indefinite {
		if nodes == nil {
			nodes = []any{}
		}
		return nodes, true, nil
	}
	if len(nodes) == 0 {
		return nil, false, nil
	}
	return nodes[0], true, nil
}

// deepScan appends every value under key name at or below n, as Jayway's
// ..name visits them: a node's own member first, then its children in
// order.
func deepScan(n any, name string, out []any) []any {
	switch x := n.(type) {
	case *Map:
		if x.has(name) {
			out = append(out, x.get(name))
		}
		for _, c := range x.values() {
			out = deepScan(c, name, out)
		}
	case []any:
		for _, c := range x {
			out = deepScan(c, name, out)
		}
	}
	return out
}
