package hostname

import (
	"math"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// answer is one family's outcome of a resolution: a definitive reply, or
// why none came (err).
type answer struct {
	addrs  []netip.Addr  // sorted; none for NXDOMAIN and NODATA
	ttl    time.Duration // clamped: how long the reply is good for
	rcode  int           // dns.RcodeSuccess or dns.RcodeNameError
	server int           // which of the servers asked gave it
	from   string        // that server
	err    string        // why no definitive reply came; "" when one did
}

// read takes a reply to qname/qtype. NOERROR and NXDOMAIN are definitive;
// any other rcode (SERVFAIL, REFUSED...) is the server failing, not an
// answer about the name.
func (t *timing) read(m *dns.Msg, qname string, qtype uint16) answer {
	switch m.Rcode {
	case dns.RcodeSuccess:
		if addrs, ttl := chainAddrs(m, qname, qtype); len(addrs) > 0 {
			return answer{addrs: sortAddrs(addrs), ttl: t.clamp(ttl, t.maxTTL)}
		}
		return answer{ttl: t.negativeTTL(m)} // NODATA
	case dns.RcodeNameError:
		return answer{rcode: m.Rcode, ttl: t.negativeTTL(m)}
	}
	return answer{err: dns.RcodeToString[m.Rcode]}
}

// chainAddrs takes the records of type qtype in m's answer section whose
// owner is qname or a CNAME target reached from it: a recursive server
// returns the chain it followed. It returns their addresses and the least
// TTL of the records used, the chain's CNAMEs included.
func chainAddrs(m *dns.Msg, qname string, qtype uint16) ([]netip.Addr, uint32) {
	least := uint32(math.MaxUint32)
	chain := []string{qname}
	for owner := qname; ; {
		c := cnameOf(m.Answer, owner)
		if c == nil || slices.ContainsFunc(chain, equalFold(c.Target)) {
			break // the end, or a loop
		}
		least = min(least, c.Hdr.Ttl)
		owner = c.Target
		chain = append(chain, owner)
	}
	var addrs []netip.Addr
	for _, rr := range m.Answer {
		h := rr.Header()
		if h.Rrtype != qtype || !slices.ContainsFunc(chain, equalFold(h.Name)) {
			continue
		}
		var a netip.Addr
		switch rr := rr.(type) {
		case *dns.A:
			a, _ = netip.AddrFromSlice(rr.A)
			a = a.Unmap() // miekg/dns may hold an IPv4 address in 16 bytes
		case *dns.AAAA:
			a, _ = netip.AddrFromSlice(rr.AAAA)
		}
		if a.IsValid() {
			addrs = append(addrs, a)
			least = min(least, h.Ttl)
		}
	}
	return addrs, least
}

func cnameOf(rrs []dns.RR, owner string) *dns.CNAME {
	for _, rr := range rrs {
		if c, ok := rr.(*dns.CNAME); ok && strings.EqualFold(c.Hdr.Name, owner) {
			return c
		}
	}
	return nil
}

func equalFold(s string) func(string) bool {
	return func(o string) bool { return strings.EqualFold(s, o) }
}

// negativeTTL is how long a negative answer is good for: its SOA's TTL or
// MINIMUM, whichever is less (RFC 2308 5).
func (t *timing) negativeTTL(m *dns.Msg) time.Duration {
	for _, rr := range m.Ns {
		if soa, ok := rr.(*dns.SOA); ok {
			return t.clamp(min(soa.Hdr.Ttl, soa.Minttl), t.maxNegTTL)
		}
	}
	return t.noSOA
}
