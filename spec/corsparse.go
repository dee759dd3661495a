package spec

// Parsing of api.cors, and the durations that access settings are
// written in (an authorizer's ttl, a preflight's maxAge).

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// MaxCORSMaxAge is the longest maxAge, in seconds: Firefox caps
// Access-Control-Max-Age at 24 hours (Chromium at 2), so more is never
// used (MDN, Access-Control-Max-Age).
const MaxCORSMaxAge = 86400

// duration reads a whole number of seconds, minutes or hours written with
// its unit (300s, 5m, 1h), from 0 to max seconds.
func (p *parser) duration(n *yaml.Node, at, what string, max int, maxText string) (int, bool) {
	if r := resolve(n); r.Kind == yaml.ScalarNode && r.ShortTag() == "!!int" {
		p.errs.Add(p.pos(r), at, "%s is written with its unit, such as %ss", what, r.Value)
		return 0, false
	}
	v, ok := p.str(n, at)
	if !ok {
		return 0, false
	}
	scale, count, err := 0, 0, strconv.ErrSyntax
	if v != "" {
		scale = map[byte]int{'s': 1, 'm': 60, 'h': 3600}[v[len(v)-1]]
		count, err = strconv.Atoi(v[:len(v)-1])
	}
	if scale == 0 || err != nil || count < 0 || strings.HasPrefix(v, "+") {
		p.errs.Add(p.pos(resolve(n)), at, "%q is not a duration: write a whole number of seconds, minutes or hours with its unit, such as 300s, 5m or 1h", v)
		return 0, false
	}
	if count > max/scale {
		p.errs.Add(p.pos(resolve(n)), at, "%s is too long: at most %s", v, maxText)
		return 0, false
	}
	return count * scale, true
}

// cors reads api.cors.
func (p *parser) cors(n *yaml.Node, at string) *CORS {
	c := &CORS{Pos: p.pos(resolve(n))}
	var credentials *yaml.Node
	p.mapping(n, at, CORSFields.Keys(), CORSFields.RequiredKeys(), func(key string, k, v *yaml.Node) {
		fat := at + "." + key
		switch key {
		case "origins":
			c.Origins = p.origins(v, fat)
		case "headers":
			c.Headers = p.headerList(v, fat)
		case "expose":
			c.Expose = p.headerList(v, fat)
		case "credentials":
			credentials = v
			if b := resolve(v); b.Kind != yaml.ScalarNode || b.ShortTag() != "!!bool" {
				p.errs.Add(p.pos(b), fat, "expected true or false, got %s", describe(b))
			} else {
				c.Credentials = b.Value == "true"
			}
		case "maxAge":
			c.MaxAge, _ = p.duration(v, fat, "maxAge", MaxCORSMaxAge, "24h, Firefox's cap (Chromium caps at 2h)")
		}
	})
	if c.Credentials && c.AnyOrigin() {
		p.errs.Add(p.pos(resolve(credentials)), at+".credentials", "browsers refuse credentials from an API that allows any origin (\"*\"): list the origins of your pages instead, or drop credentials")
	}
	if c.Credentials && contains(c.Headers, "*") {
		p.errs.Add(p.pos(resolve(credentials)), at+".credentials", "with credentials, browsers read headers: [\"*\"] as a header named \"*\": list the headers instead")
	}
	return c
}

// origins reads the allowed origins: "*" alone, or origins as browsers
// send them in the Origin header.
func (p *parser) origins(n *yaml.Node, at string) []string {
	var out []string
	list := p.stringList(n, at, "origins such as https://shop.example.com, or [\"*\"]")
	for i, s := range list {
		if s == "" {
			continue
		}
		oat, pos := fmt.Sprintf("%s[%d]", at, i), p.pos(resolve(resolve(n).Content[i]))
		switch {
		case s == "*" && len(list) > 1:
			p.errs.Add(pos, oat, "\"*\" allows every origin: give it alone, or list origins without it")
		case s == "*":
		case contains(out, s):
			p.errs.Add(pos, oat, "%s is listed twice", s)
			continue
		default:
			if reason := badOrigin(s); reason != "" {
				p.errs.Add(pos, oat, "%q is not an origin (scheme://host[:port]): %s", s, reason)
				continue
			}
		}
		out = append(out, s)
	}
	return out
}

// badOrigin says why s can never equal an Origin header a browser sends,
// or "". Browsers serialize an origin as scheme "://" host [":" port], in
// lower case, without a path and without the scheme's default port (the
// HTML standard's ASCII serialization of an origin).
func badOrigin(s string) string {
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok || scheme == "" {
		return "it lacks the scheme, such as https://"
	}
	if strings.ToLower(s) != s {
		return "browsers send origins in lower case; write " + strings.ToLower(s)
	}
	if !nameRuleOK(scheme, letters, alnum+"+.-") {
		return fmt.Sprintf("%q is not a URL scheme", scheme)
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		return fmt.Sprintf("an origin has no path, query or fragment; write %s://%s", scheme, rest[:i])
	}
	host, port := rest, ""
	if i := strings.LastIndexByte(rest, ':'); i >= 0 && !strings.HasSuffix(rest, "]") {
		host, port = rest[:i], rest[i+1:]
	}
	switch {
	case strings.Contains(host, "*"):
		return "an origin names one host; list each origin instead of a wildcard"
	case host == "" || !(nameRuleOK(host, alnum, alnum+".-") || strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]")):
		return fmt.Sprintf("%q is not a host name", host)
	case port == "":
		return ""
	}
	num, err := strconv.Atoi(port)
	switch {
	case err != nil || num < 1 || num > 65535 || strconv.Itoa(num) != port:
		return fmt.Sprintf("%q is not a port (1 to 65535)", port)
	case scheme == "https" && num == 443 || scheme == "http" && num == 80:
		return fmt.Sprintf("browsers leave the default port out of the origin; write %s://%s", scheme, host)
	}
	return ""
}

func nameRuleOK(s, first, rest string) bool { return nameRule{first, rest, 0}.ok(s) }

// headerList reads header names, each once whatever its case.
func (p *parser) headerList(n *yaml.Node, at string) []string {
	n = resolve(n)
	if n.Kind != yaml.SequenceNode {
		p.errs.Add(p.pos(n), at, "expected a list of header names, got %s", describe(n))
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for i, c := range n.Content {
		hat := fmt.Sprintf("%s[%d]", at, i)
		s, ok := p.str(c, hat)
		switch {
		case !ok:
		case !headerName.ok(s):
			p.errs.Add(p.pos(resolve(c)), hat, "%q is not a valid HTTP header name", s)
		case seen[strings.ToLower(s)]:
			p.errs.Add(p.pos(resolve(c)), hat, "%s is listed twice (header names match in any case)", s)
		default:
			seen[strings.ToLower(s)] = true
			out = append(out, s)
		}
	}
	return out
}
