// Package loopback says whether a host name or address is this machine,
// without looking any name up: a name that resolves to 127.0.0.1 today
// may not tomorrow. serve's guard (the Host of a request) and the
// endpoint check of serve --create share it. It imports nothing of
// sfnapic's.
package loopback

import (
	"net"
	"strings"
)

// Host reports whether host (a name or address, without a port; an IPv6
// address may keep its brackets) is localhost or a name under .localhost
// (which RFC 6761 reserves for loopback, and which no one can register),
// or an address in 127.0.0.0/8 or ::1.
func Host(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
