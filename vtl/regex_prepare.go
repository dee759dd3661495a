package vtl

// After parsing, prepare marks what lets the matcher take shortcuts that
// change nothing it finds: the nodes whose body sets no group (nothing to
// save and restore around it), loops over a fixed run of character tests
// (iterated in place, without a frame per iteration, as Java's GroupCurly
// does), and the characters a match can begin with (a search skips every
// other position without trying it).

// prepare sets n.capture and n.fixed below n and reports whether n holds
// a capturing group.
func prepare(n *rxNode) bool {
	capture := n.op == rxGroup
	for _, s := range n.subs {
		if prepare(s) {
			capture = true
		}
	}
	n.capture = capture
	if n.op == rxRepeat && n.subs[0].op == rxConcat {
		n.fixed = true
		for _, s := range n.subs[0].subs {
			n.fixed = n.fixed && s.op == rxChar
		}
	}
	return capture
}

// firstSet is the characters a match can begin with: ascii for those
// below 0x80, tests for the rest.
type firstSet struct {
	ascii [128]bool
	tests []func(rune) bool
}

func (f *firstSet) has(c rune) bool {
	if c < 0x80 {
		return f.ascii[c]
	}
	for _, t := range f.tests {
		if t(c) {
			return true
		}
	}
	return false
}

// firstOf is the first set of a pattern, or nil when a match may be empty
// or begin with anything (a backreference): then every position is tried.
func firstOf(n *rxNode) *firstSet {
	tests, nullable, known := firsts(n, nil)
	if nullable || !known {
		return nil
	}
	f := &firstSet{tests: tests}
	for c := rune(0); c < 0x80; c++ {
		for _, t := range tests {
			f.ascii[c] = f.ascii[c] || t(c)
		}
	}
	return f
}

// firsts adds to out the tests of the characters a match of n can begin
// with; nullable when n can match without consuming a character (its
// followers then begin the match), known false when it cannot say.
func firsts(n *rxNode, out []func(rune) bool) (tests []func(rune) bool, nullable, known bool) {
	switch n.op {
	case rxEmpty, rxAssert, rxLook:
		// Zero-width: what follows consumes the first character.
		return out, true, true
	case rxChar:
		return append(out, n.set), false, true
	case rxLinebreak:
		return append(out, func(c rune) bool { return c == '\r' || predefined['v'](c) }), false, true
	case rxGroup, rxAtomic:
		return firsts(n.subs[0], out)
	case rxRepeat:
		out, nullable, known = firsts(n.subs[0], out)
		return out, nullable || n.min == 0, known
	case rxConcat:
		for _, s := range n.subs {
			if out, nullable, known = firsts(s, out); !known || !nullable {
				return out, nullable, known
			}
		}
		return out, true, true
	case rxAlt:
		any := false
		for _, s := range n.subs {
			if out, nullable, known = firsts(s, out); !known {
				return out, false, false
			}
			any = any || nullable
		}
		return out, any, true
	}
	return out, false, false
}
