package aslgraph

import "unicode/utf8"

// Sizes, in SVG user units (pixels at 100%).
const (
	nodeH     = 36.0 // a state's box
	noteH     = 14.0 // the Retry line under a state's name
	minNodeW  = 110.0
	charW     = 7.0 // an average glyph at 12px
	maxLabel  = 40  // characters of a name or label shown; the rest is in the tooltip
	gapX      = 28.0
	gapY      = 44.0
	pad       = 14.0 // inside a nested box, and around the picture
	headerH   = 22.0 // a nested box's title
	terminalW = 56.0 // the Start and End marks
	terminalH = 24.0
	backLane  = 12.0 // the room right of a layout for each back edge
)

// kind is what a node stands for.
type kind int

const (
	stateNode kind = iota
	startNode
	endNode
)

// node is a state (or the start or end mark) placed in its layout.
type node struct {
	kind  kind
	name  string
	st    *state
	rank  int
	order int // first visit, which orders a row
	x, y  float64
	w, h  float64
	inner []*layout // a Parallel's branches, a Map's processor
}

// edge joins two nodes of one layout.
type edge struct {
	from, to *node
	label    string
	catch    bool
	back     bool // goes up (or across): drawn around the right side
}

// layout is one machine placed in its own coordinates, (0,0) top left.
type layout struct {
	nodes []*node // by rank, then order
	edges []*edge
	w, h  float64
	// lanes is where the back edges' lanes begin, right of the rows.
	lanes float64
}

// place lays out a machine: nodes ranked by the longest path from the
// start over forward edges, rows centred, nested machines laid out first
// so that their boxes have a size.
func place(m *machine, depth int) *layout {
	l := &layout{}
	byName := map[string]*node{}
	start := &node{kind: startNode, name: "Start", w: terminalW, h: terminalH}
	end := &node{kind: endNode, name: "End", w: terminalW, h: terminalH}
	for _, name := range m.names() {
		n := &node{name: name, st: m.States[name], order: -1}
		sizeNode(n, depth)
		byName[name] = n
	}
	l.link(start, end, byName, m)
	l.rank(start, end, byName, m)
	l.position()
	return l
}

// sizeNode sets a state's box from its label, note and nested machines.
func sizeNode(n *node, depth int) {
	n.w = max(minNodeW, float64(min(utf8.RuneCountInString(n.name), maxLabel))*charW+24)
	n.h = nodeH
	if note := n.st.retryNote(); note != "" {
		n.w = max(n.w, float64(min(utf8.RuneCountInString(note), maxLabel))*charW*0.85+24)
		n.h += noteH
	}
	in := n.st.inner()
	if len(in) == 0 {
		return
	}
	w, h := 0.0, 0.0
	for i, m := range in {
		sub := place(m, depth+1)
		n.inner = append(n.inner, sub)
		if i > 0 {
			w += gapX
		}
		w += sub.w
		h = max(h, sub.h)
	}
	n.w = max(n.w, w+2*pad)
	n.h = headerH + h + pad
}

// link makes the edges: the start to StartAt, each state's transitions,
// and each terminal state to the end. A transition to a state the machine
// does not have is left out (Step Functions refuses such a definition).
func (l *layout) link(start, end *node, byName map[string]*node, m *machine) {
	l.edges = append(l.edges, &edge{from: start, to: byName[m.StartAt]})
	for _, name := range m.names() {
		n := byName[name]
		for _, t := range n.st.transitions() {
			if to, ok := byName[t.to]; ok {
				l.edges = append(l.edges, &edge{from: n, to: to, label: t.label, catch: t.catch})
			}
		}
		if n.st.terminal() {
			l.edges = append(l.edges, &edge{from: n, to: end})
		}
	}
}
