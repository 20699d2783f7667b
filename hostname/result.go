package hostname

import (
	"net/netip"
	"slices"
	"strings"
	"time"
)

// Result is what a name resolved to last. A Result handed out is never
// modified, its Addrs included, so readers keep it without copying.
type Result struct {
	// Addrs are the usable addresses, sorted: IPv4 first, then IPv6, each
	// ascending, without duplicates. Empty: the member is down, Err says why.
	Addrs []netip.Addr
	// Err says why Addrs is empty or, beside Addrs, why the last attempt
	// failed in whole or for one family.
	Err string
	// Stale is set when Addrs hold addresses of an earlier answer because
	// the last attempt for their family failed (timeout, SERVFAIL, REFUSED).
	Stale bool
	// Expires is when the TTL of Addrs runs out (without Addrs, that of the
	// negative answer): the name is asked again by then. It is in the past
	// for a Stale Result, zero before any answer.
	Expires time.Time
}

// same reports whether r and o differ at most in Expires: a re-resolution
// giving the same answer is no change to tell the leases about.
func (r *Result) same(o *Result) bool {
	return r.Err == o.Err && r.Stale == o.Stale && slices.Equal(r.Addrs, o.Addrs)
}

// notAcquired is a lease's Lookup of a name it does not hold: a value made
// once, so that Lookup allocates nothing even then.
var notAcquired = Result{Err: "host name not acquired by this lease"}

// pending is the Result of a name before its first answer.
func pending(name string) *Result {
	return &Result{Err: "host name " + display(name) + " not resolved yet"}
}

// display is name as messages show it, without the root's dot.
func display(name string) string { return strings.TrimSuffix(name, ".") }

// sortAddrs sorts addrs in place and drops duplicates (two CNAME paths to
// one address, say). netip.Addr.Compare orders IPv4 before IPv6.
func sortAddrs(addrs []netip.Addr) []netip.Addr {
	slices.SortFunc(addrs, netip.Addr.Compare)
	return slices.Compact(addrs)
}
