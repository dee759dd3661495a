package compile

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"

	"github.com/sfnapic/sfnapic/restapi/pathparam"
)

// pascal turns a spec name into a logical-ID fragment: every run of letters
// and digits starts with an upper-case letter, everything else is dropped.
// item_id -> ItemId, X-Request-Id -> XRequestId.
func pascal(s string) string {
	var b strings.Builder
	up := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z':
			if up {
				c -= 'a' - 'A'
			}
			b.WriteByte(c)
			up = false
		case 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			b.WriteByte(c)
			up = false
		default:
			up = true
		}
	}
	return b.String()
}

// segmentID names one path segment: {item_id} -> ItemId, {proxy+} -> ProxyPlus.
func segmentID(seg string) string {
	if name, greedy, ok := pathparam.Parse(seg); ok {
		if greedy {
			return pascal(name) + "Plus"
		}
		return pascal(name)
	}
	return pascal(seg)
}

func shortHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])[:6]
}

// namer assigns readable logical-ID fragments to a set of keys (paths or
// state machine names). Keys whose fragments collide (item_id and itemId
// both give ItemId) each get a short hash of the key appended, so IDs stay
// stable when unrelated keys are added or removed.
type namer map[string]string

func newNamer(keys []string, frag func(string) string) namer {
	groups := map[string][]string{}
	for _, k := range keys {
		f := frag(k)
		groups[f] = append(groups[f], k)
	}
	n := namer{}
	for f, ks := range groups {
		sort.Strings(ks)
		ks = dedupe(ks)
		for _, k := range ks {
			id := f
			if len(ks) > 1 || f == "" {
				id += "X" + shortHash(k)
			}
			if len(id) > 180 {
				id = id[:170] + "X" + shortHash(k)
			}
			n[k] = id
		}
	}
	return n
}

func dedupe(s []string) []string {
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}

func pathFragment(p string) string {
	if p == "" {
		return "Root"
	}
	var b strings.Builder
	for _, s := range strings.Split(p, "/") {
		b.WriteString(segmentID(s))
	}
	return b.String()
}
