package aslgraph

import "sort"

// rank orders the nodes: a depth-first walk from the start (unreached
// states after, by name) marks the edges that go back to a state being
// walked, and each node's rank is then the longest path to it over the
// other edges, so that every forward edge points down. The end mark comes
// last, below everything.
func (l *layout) rank(start, end *node, byName map[string]*node, m *machine) {
	out := map[*node][]*edge{}
	for _, e := range l.edges {
		out[e.from] = append(out[e.from], e)
	}
	var post []*node
	onStack := map[*node]bool{}
	seen := map[*node]bool{}
	order := 0
	var walk func(n *node)
	walk = func(n *node) {
		seen[n], onStack[n] = true, true
		n.order = order
		order++
		for _, e := range out[n] {
			switch {
			case onStack[e.to]:
				e.back = true
			case !seen[e.to]:
				walk(e.to)
			}
		}
		onStack[n] = false
		post = append(post, n)
	}
	walk(start)
	for _, name := range m.names() {
		if n := byName[name]; !seen[n] {
			walk(n)
		}
	}
	last := 0
	for i := len(post) - 1; i >= 0; i-- { // reverse postorder: a topological order of the forward edges
		n := post[i]
		if n != start && n.rank == 0 {
			n.rank = 1 // an unreached state sits below the start mark
		}
		for _, e := range out[n] {
			if !e.back {
				e.to.rank = max(e.to.rank, n.rank+1)
			}
		}
		if n != end {
			last = max(last, n.rank)
		}
		l.nodes = append(l.nodes, n)
	}
	if !seen[end] {
		l.nodes = append(l.nodes, end)
	}
	end.rank = last + 1
	sort.SliceStable(l.nodes, func(i, j int) bool {
		a, b := l.nodes[i], l.nodes[j]
		if a.rank != b.rank {
			return a.rank < b.rank
		}
		return a.order < b.order
	})
}

// position places the rows top to bottom, each centred, and leaves a lane
// on the right for each back edge.
func (l *layout) position() {
	var rows [][]*node
	for _, n := range l.nodes {
		if len(rows) == 0 || rows[len(rows)-1][0].rank != n.rank {
			rows = append(rows, nil)
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], n)
	}
	widths := make([]float64, len(rows))
	content := 0.0
	for i, row := range rows {
		for j, n := range row {
			if j > 0 {
				widths[i] += gapX
			}
			widths[i] += n.w
		}
		content = max(content, widths[i])
	}
	backs := 0
	for _, e := range l.edges {
		if e.back {
			backs++
		}
	}
	y := pad
	for i, row := range rows {
		x := pad + (content-widths[i])/2
		rowH := 0.0
		for _, n := range row {
			n.x, n.y = x, y
			x += n.w + gapX
			rowH = max(rowH, n.h)
		}
		for _, n := range row { // centre each node in its row's height
			n.y += (rowH - n.h) / 2
		}
		y += rowH + gapY
	}
	l.lanes = pad + content
	l.w = content + 2*pad + float64(backs)*backLane
	l.h = y - gapY + pad
}
