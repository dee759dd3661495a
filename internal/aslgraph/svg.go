package aslgraph

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Draw returns the SVG picture of a definition (JSON), with the states
// of path (the states an execution entered, in order) and the
// transitions between consecutive ones highlighted: class "visited" on
// their elements, and the last one "current" too. Every name and label
// is escaped, and shortened past 40 characters (the whole is in the
// state's tooltip). The same definition and path give the same bytes.
func Draw(definition []byte, path []string) ([]byte, error) {
	m, err := parse(definition)
	if err != nil {
		return nil, err
	}
	l := place(m, 0)
	d := &drawing{visited: map[string]bool{}}
	for _, name := range path {
		d.visited[name] = true
	}
	if len(path) > 0 {
		d.current = path[len(path)-1]
	}
	d.path = path
	fmt.Fprintf(&d.b, `<svg xmlns="http://www.w3.org/2000/svg" class="aslgraph" width="%s" height="%s" viewBox="0 0 %s %s" font-family="sans-serif" font-size="12">`+"\n",
		num(l.w), num(l.h), num(l.w), num(l.h))
	d.b.WriteString(`<defs><marker id="aslgraph-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#555"/></marker>` +
		`<marker id="aslgraph-arrow-visited" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#0a7d32"/></marker></defs>` + "\n")
	d.layout(l, 0, 0)
	d.b.WriteString("</svg>\n")
	return []byte(d.b.String()), nil
}

type drawing struct {
	b       strings.Builder
	path    []string
	visited map[string]bool
	current string
}

// layout draws one machine at (ox, oy): its edges first, so that the
// boxes cover their ends.
func (d *drawing) layout(l *layout, ox, oy float64) {
	pairs := d.pairs(l)
	lane := 0
	outs := map[*node][]*edge{}
	for _, e := range l.edges {
		if !e.back {
			outs[e.from] = append(outs[e.from], e)
		}
	}
	for _, e := range l.edges {
		on := d.edgeVisited(e, pairs)
		if e.back {
			d.backEdge(e, l.lanes+(float64(lane)+0.5)*backLane, ox, oy, on)
			lane++
			continue
		}
		k := indexOf(outs[e.from], e)
		d.forwardEdge(e, k, len(outs[e.from]), ox, oy, on)
	}
	for _, n := range l.nodes {
		d.node(n, ox, oy)
	}
}

// pairs are the transitions the path took within a layout: consecutive
// entries once the path is cut down to the layout's own states (a
// Parallel's branches interleave in a history).
func (d *drawing) pairs(l *layout) map[[2]string]bool {
	own := map[string]bool{}
	for _, n := range l.nodes {
		if n.kind == stateNode {
			own[n.name] = true
		}
	}
	out := map[[2]string]bool{}
	prev := ""
	for _, name := range d.path {
		if !own[name] {
			continue
		}
		if prev != "" {
			out[[2]string{prev, name}] = true
		}
		prev = name
	}
	return out
}

func (d *drawing) edgeVisited(e *edge, pairs map[[2]string]bool) bool {
	switch {
	case e.from.kind == startNode:
		return d.visited[e.to.name]
	case e.to.kind == endNode:
		return d.visited[e.from.name] && e.from.st.terminal()
	}
	return pairs[[2]string{e.from.name, e.to.name}]
}

// forwardEdge joins the k-th of n points along the bottom of its source
// to the middle of its target's top.
func (d *drawing) forwardEdge(e *edge, k, n int, ox, oy float64, on bool) {
	x1 := ox + e.from.x + e.from.w*float64(k+1)/float64(n+1)
	y1 := oy + e.from.y + e.from.h
	x2, y2 := ox+e.to.x+e.to.w/2, oy+e.to.y
	d.edge(e, fmt.Sprintf("M%s %sL%s %s", num(x1), num(y1), num(x2), num(y2)), x1+(x2-x1)*0.35, y1+(y2-y1)*0.35, on)
}

// backEdge leaves its source on the right, runs up its lane and enters
// its target on the right.
func (d *drawing) backEdge(e *edge, lane, ox, oy float64, on bool) {
	x1, y1 := ox+e.from.x+e.from.w, oy+e.from.y+e.from.h*0.7
	x2, y2 := ox+e.to.x+e.to.w, oy+e.to.y+e.to.h*0.3
	d.edge(e, fmt.Sprintf("M%s %sH%sV%sH%s", num(x1), num(y1), num(ox+lane), num(y2), num(x2)), ox+lane+2, (y1+y2)/2, on)
}

func (d *drawing) edge(e *edge, path string, lx, ly float64, on bool) {
	class, marker, stroke := "edge", "aslgraph-arrow", "#555"
	if e.catch {
		class += " catch"
	}
	if on {
		class, marker, stroke = class+" visited", "aslgraph-arrow-visited", "#0a7d32"
	}
	dash := ""
	if e.catch {
		dash = ` stroke-dasharray="5 4"`
	}
	fmt.Fprintf(&d.b, `<g class="%s"><path d="%s" fill="none" stroke="%s"%s marker-end="url(#%s)"/>`, class, path, stroke, dash, marker)
	if e.label != "" {
		fmt.Fprintf(&d.b, `<text x="%s" y="%s" font-size="10" fill="#333">%s</text>`, num(lx+3), num(ly), esc(short(e.label)))
	}
	d.b.WriteString("</g>\n")
}

// fills by state type: what the kinds look like apart from the CSS.
var fills = map[string]string{"Task": "#e8f0fe", "Choice": "#fff4d6", "Fail": "#fde2e1", "Succeed": "#e3f5e8",
	"Parallel": "#f6f6f6", "Map": "#f6f6f6", "Wait": "#efe8fb", "Pass": "#ffffff"}

// node draws a state (its nested machines inside) or a start or end mark.
func (d *drawing) node(n *node, ox, oy float64) {
	x, y := ox+n.x, oy+n.y
	if n.kind != stateNode {
		fmt.Fprintf(&d.b, `<g class="mark"><rect x="%s" y="%s" width="%s" height="%s" rx="12" fill="#444"/><text x="%s" y="%s" text-anchor="middle" fill="#fff">%s</text></g>`+"\n",
			num(x), num(y), num(n.w), num(n.h), num(x+n.w/2), num(y+n.h/2+4), n.name)
		return
	}
	class := "state type-" + esc(n.st.Type)
	if d.visited[n.name] {
		class += " visited"
	}
	if n.name == d.current {
		class += " current"
	}
	fill, ok := fills[n.st.Type]
	if !ok {
		fill = "#ffffff"
	}
	fmt.Fprintf(&d.b, `<g class="%s" data-state="%s"><title>%s (%s)</title>`, class, esc(cut(n.name, maxName)), esc(cut(n.name, maxName)), esc(cut(n.st.Type, maxName)))
	fmt.Fprintf(&d.b, `<rect x="%s" y="%s" width="%s" height="%s" rx="6" fill="%s" stroke="#777"/>`, num(x), num(y), num(n.w), num(n.h), fill)
	ty := y + nodeH/2 + 4
	anchor, tx := "middle", x+n.w/2
	if len(n.inner) > 0 {
		anchor, tx, ty = "start", x+pad/2, y+15
	}
	fmt.Fprintf(&d.b, `<text x="%s" y="%s" text-anchor="%s">%s</text>`, num(tx), num(ty), anchor, esc(short(n.name)))
	if note := n.st.retryNote(); note != "" && len(n.inner) == 0 {
		fmt.Fprintf(&d.b, `<text class="note" x="%s" y="%s" text-anchor="middle" font-size="10" fill="#555">%s</text>`, num(x+n.w/2), num(ty+noteH), esc(short("↻ "+note)))
	}
	d.b.WriteString("</g>\n")
	d.nested(n, x, y)
}

// nested draws a Parallel's branches (or a Map's processor) side by side
// under the state's title.
func (d *drawing) nested(n *node, x, y float64) {
	inner := 0.0
	for i, sub := range n.inner {
		if i > 0 {
			inner += gapX
		}
		inner += sub.w
	}
	bx := x + (n.w-inner)/2
	for _, sub := range n.inner {
		fmt.Fprintf(&d.b, `<rect class="branch" x="%s" y="%s" width="%s" height="%s" rx="4" fill="none" stroke="#bbb" stroke-dasharray="2 3"/>`+"\n",
			num(bx), num(y+headerH), num(sub.w), num(sub.h))
		d.layout(sub, bx, y+headerH)
		bx += sub.w + gapX
	}
}

func indexOf(edges []*edge, e *edge) int {
	for i, x := range edges {
		if x == e {
			return i
		}
	}
	return 0
}

// num writes a coordinate with one decimal at most.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

// short cuts a text to maxLabel characters.
func short(s string) string { return cut(s, maxLabel) }

// maxName bounds a name in a tooltip or attribute: Step Functions takes
// state names of 80 characters at most ("States" in the Amazon States
// Language), so only a broken definition reaches it.
const maxName = 256

// cut cleans a text and cuts it to n characters, ending with … when cut.
func cut(s string, n int) string {
	s = clean(s)
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// clean makes a text safe to show: characters XML cannot carry (controls,
// U+FFFE, invalid UTF-8) and those that reorder what is shown (bidi
// controls) or hide (line and paragraph separators, zero width marks)
// are written as \uXXXX, so that a name reads as what it is.
func clean(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			b.WriteString(`\uFFFD`)
		case r < 0x20, r == 0x7f, r == 0xFFFE, r == 0xFFFF, unicode.Is(unicode.Bidi_Control, r),
			unicode.In(r, unicode.Zl, unicode.Zp, unicode.Cf):
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// esc escapes a text for XML text and attribute values.
func esc(s string) string {
	return xmlEscaper.Replace(clean(s))
}

var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")
