package main

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/miekg/dns"
)

// Through Unbound (subnetcache module, ECS to the stub on 127.0.0.1): each
// client, a loopback address 127.0.X.Y, reaches gslb as the client subnet
// 127.0.X.0/24 (max-client-subnet-ipv4 24), and Unbound's ECS cache reuses
// an answer exactly for the network its SCOPE names (docs/ecs.md C, H14).
//
// How Unbound 1.17 caches (subnetcache/addrtree.c, addrtree_insert): an
// answer is stored at depth min(SOURCE, SCOPE), SCOPE capped at
// max-client-subnet (24), and found for every later client subnet inside
// that prefix. So a SCOPE below 24 is reused across /24s (it is not kept
// under the SOURCE /24; only a SCOPE above the SOURCE is, docs/ecs.md C4), and a
// SCOPE 0 answer is stored at the root, for everyone. A client that sends
// its own ECS option gets the stored SCOPE back from a cache hit, which
// shows the prefix Unbound filed the answer under.

// unboundCorefile is the gslb zone the Unbound tests resolve: pool a, b and
// c are one address each, routed by nested loopback networks the way
// 10.0.0.0/8 and 10.1.0.0/16 would be.
const unboundCorefile = `gslb.test:1053 {
    bind 127.0.0.1
    log
    gslb {
        ttl 300
        pool a {
            member 192.0.2.1
        }
        pool b {
            member 192.0.2.2
        }
        pool c {
            member 192.0.2.3
        }
        record split {
            policy geo
            pools c a b
            route a net 127.0.1.0/24
            route b net 127.0.2.0/24
        }
        record wide {
            policy geo
            pools b a
            route a net 127.0.16.0/20
        }
        record nested {
            policy geo
            pools a b
            route a net 127.0.0.0/16
            route b net 127.0.4.0/24
        }
        record fail {
            policy failover
            pools a b
        }
        record v4only www.eu api.us {
            pools a
        }
    }
}
`

const (
	poolA = "192.0.2.1"
	poolB = "192.0.2.2"
	poolC = "192.0.2.3"
)

// checkScopes asks coredns-gslb directly what Unbound asks it for each
// client subnet, and checks the answer and the SCOPE: these are the
// scopes the Unbound cache behaviour below follows from.
func checkScopes(t *testing.T, up ubCounter, name string, want map[string]addrScope) {
	t.Helper()
	for _, subnet := range slices.Sorted(maps.Keys(want)) {
		w := want[subnet]
		got, scope := askGSLB(t, up.s, name, subnet)
		if len(got) != 1 || got[0] != w.addr || scope != w.scope {
			t.Errorf("coredns-gslb: %s A with ECS %s = %v scope %d, want %s scope %d (docs/ecs.md C2/C3)", name, subnet, got, scope, w.addr, w.scope)
		}
	}
}

type addrScope struct {
	addr  string
	scope int
}

// checkNodata checks a NODATA reply: NOERROR, no answer, the zone's SOA.
func checkNodata(t *testing.T, what string, r *dns.Msg) {
	t.Helper()
	if r.Rcode != dns.RcodeSuccess || len(r.Answer) != 0 || len(r.Ns) != 1 {
		t.Errorf("%s: %s with %d answers and authority %v, want NODATA: NOERROR, no answer, the SOA (docs/ecs.md F2/F3)\n%s", what, dns.RcodeToString[r.Rcode], len(r.Answer), r.Ns, r)
		return
	}
	checkSOA(t, r.Ns[0])
}

// Different /24s get their own pool's answer through the cache, again and
// again; a second client of a /24 is answered from the cache.
func TestUnboundSeparatesSubnets(t *testing.T) {
	t.Parallel()
	u, up := unboundFixture(t, unboundCorefile)
	const name = "split.gslb.test."
	checkScopes(t, up, name, map[string]addrScope{
		"127.0.1.0/24": {poolA, 24},
		"127.0.2.0/24": {poolB, 24},
		"127.0.3.0/24": {poolC, 24}, // the default answer, excluding 127.0.2.0/24
	})
	if n := up.count(t, 0, name); n != 0 {
		t.Fatalf("%d queries for %s reached coredns-gslb from unbound before any client asked", n, name)
	}
	first := []unboundStep{
		{"127.0.1.5", poolA, 1, "127.0.1.0/24 routes to a"},
		{"127.0.2.5", poolB, 2, "127.0.2.0/24 routes to b: a's cached answer (scope 24) is not for it"},
		{"127.0.3.5", poolC, 3, "127.0.3.0/24 has no route: the first pool, c"},
	}
	u.run(t, up, name, first)
	for round := 2; round <= 3; round++ {
		u.run(t, up, name, []unboundStep{
			{"127.0.2.5", poolB, 3, "cached for 127.0.2.0/24"},
			{"127.0.1.5", poolA, 3, "cached for 127.0.1.0/24"},
			{"127.0.3.5", poolC, 3, "cached for 127.0.3.0/24"},
		})
	}
	// docs/ecs.md C2, SCOPE = SOURCE: another client of the same /24 is
	// answered from the cache.
	u.run(t, up, name, []unboundStep{
		{"127.0.1.77", poolA, 3, "same /24 as 127.0.1.5: from the cache"},
		{"127.0.2.200", poolB, 3, "same /24 as 127.0.2.5: from the cache"},
		{"127.0.3.1", poolC, 3, "same /24 as 127.0.3.5: from the cache"},
	})
	if n := up.count(t, 0, name); n != 3 {
		t.Errorf("%d queries of any type for %s reached coredns-gslb, want 3 (one per /24)", n, name)
	}
}

// Unbound reuses an answer exactly where its SCOPE allows.
func TestUnboundReusesByScope(t *testing.T) {
	t.Parallel()
	u, up := unboundFixture(t, unboundCorefile)

	// A SCOPE below 24 files the answer under the wider prefix: other /24s
	// inside it are answered from the cache, the /24s next to it are not.
	t.Run("wide route", func(t *testing.T) {
		const name = "wide.gslb.test."
		checkScopes(t, up, name, map[string]addrScope{
			"127.0.16.0/24": {poolA, 20},
			"127.0.32.0/24": {poolB, 19}, // default: 127.0.32.0/19 excludes 127.0.16.0/20
			"127.0.15.0/24": {poolB, 20}, // default: 127.0.0.0/20
		})
		u.run(t, up, name, []unboundStep{
			{"127.0.16.5", poolA, 1, "127.0.16.0/20 routes to a, scope 20"},
			{"127.0.31.9", poolA, 1, "127.0.31.0/24 is inside 127.0.16.0/20: from the cache"},
			{"127.0.20.1", poolA, 1, "127.0.20.0/24 is inside 127.0.16.0/20: from the cache"},
			{"127.0.32.5", poolB, 2, "127.0.32.0/24 is outside the /20: b, scope 19"},
			{"127.0.63.5", poolB, 2, "127.0.63.0/24 is inside 127.0.32.0/19: from the cache"},
			{"127.0.15.5", poolB, 3, "127.0.15.0/24, next to the /20: b, scope 20"},
			{"127.0.0.5", poolB, 3, "127.0.0.0/24 is inside 127.0.0.0/20: from the cache"},
			{"127.0.17.5", poolA, 3, "still a from the cache"},
		})
		// A client subnet of its own, inside the /20: Unbound answers from
		// the cache and reports the SCOPE it filed the answer under.
		r := u.ask(t, unboundOutgoing, name, dns.TypeA, "127.0.24.0/24")
		if got := addrs(r); len(got) != 1 || got[0] != poolA || replyScope(r) != 20 {
			t.Errorf("ECS 127.0.24.0/24 through unbound: %v scope %d, want %s scope 20 from the cache entry 127.0.16.0/20\n%s", got, replyScope(r), poolA, r)
		}
		if n := up.count(t, dns.TypeA, name); n != 3 {
			t.Errorf("%d queries for %s reached coredns-gslb, want 3", n, name)
		}
	})

	// A nested more specific prefix: the wider route's answer is cached
	// only for networks that exclude it, so clients of the nested /24
	// still get its own pool.
	t.Run("nested route", func(t *testing.T) {
		const name = "nested.gslb.test."
		checkScopes(t, up, name, map[string]addrScope{
			"127.0.5.0/24": {poolA, 24}, // 127.0.5.0/24 and 127.0.4.0/24 differ in bit 24
			"127.0.4.0/24": {poolB, 24},
			"127.0.8.0/24": {poolA, 21}, // 127.0.8.0/21
			"127.0.6.0/24": {poolA, 23}, // 127.0.6.0/23
		})
		u.run(t, up, name, []unboundStep{
			{"127.0.5.5", poolA, 1, "127.0.0.0/16 routes to a, scope 24 excludes 127.0.4.0/24"},
			{"127.0.4.5", poolB, 2, "127.0.4.0/24 routes to b: a's answer was not cached for it"},
			{"127.0.5.77", poolA, 2, "from the cache"},
			{"127.0.4.77", poolB, 2, "from the cache"},
			{"127.0.8.5", poolA, 3, "a, scope 21"},
			{"127.0.15.5", poolA, 3, "127.0.15.0/24 is inside 127.0.8.0/21: from the cache"},
			{"127.0.6.5", poolA, 4, "a, scope 23"},
			{"127.0.7.5", poolA, 4, "127.0.7.0/24 is inside 127.0.6.0/23: from the cache"},
			{"127.0.4.200", poolB, 4, "still b from the cache"},
		})
		r := u.ask(t, unboundOutgoing, name, dns.TypeA, "127.0.12.0/24")
		if got := addrs(r); len(got) != 1 || got[0] != poolA || replyScope(r) != 21 {
			t.Errorf("ECS 127.0.12.0/24 through unbound: %v scope %d, want %s scope 21 from the cache entry 127.0.8.0/21\n%s", got, replyScope(r), poolA, r)
		}
		if n := up.count(t, dns.TypeA, name); n != 4 {
			t.Errorf("%d queries for %s reached coredns-gslb, want 4", n, name)
		}
	})

	// SCOPE 0 (docs/ecs.md C1): one query, then the cache answers every subnet.
	t.Run("failover", func(t *testing.T) {
		const name = "fail.gslb.test."
		checkScopes(t, up, name, map[string]addrScope{
			"127.0.1.0/24":  {poolA, 0},
			"127.0.99.0/24": {poolA, 0},
		})
		u.run(t, up, name, []unboundStep{
			{"127.0.1.5", poolA, 1, "failover: the first pool, scope 0"},
			{"127.0.2.5", poolA, 1, "scope 0: from the cache for every subnet"},
			{"127.0.4.5", poolA, 1, "from the cache"},
			{"127.0.16.5", poolA, 1, "from the cache"},
			{"127.0.200.5", poolA, 1, "from the cache"},
			{"127.255.0.1", poolA, 1, "from the cache"},
		})
		r := u.ask(t, unboundOutgoing, name, dns.TypeA, "127.0.99.0/24")
		if got := addrs(r); len(got) != 1 || got[0] != poolA || replyScope(r) != 0 {
			t.Errorf("ECS 127.0.99.0/24 through unbound: %v scope %d, want %s scope 0 from the cache\n%s", got, replyScope(r), poolA, r)
		}
		if n := up.count(t, 0, name); n != 1 {
			t.Errorf("%d queries for %s reached coredns-gslb, want 1", n, name)
		}
	})
}

// NODATA and empty non-terminals through Unbound (docs/ecs.md F2, F3, C6).
func TestUnboundNegativeAnswers(t *testing.T) {
	t.Parallel()
	u, up := unboundFixture(t, unboundCorefile)
	// F2: AAAA of an IPv4-only record is NODATA, and does not spoil A.
	t.Run("AAAA of an IPv4-only record", func(t *testing.T) {
		const name = "v4only.gslb.test."
		for _, from := range []string{"127.0.1.5", "127.0.2.5"} {
			checkNodata(t, "client "+from+" asks "+name+" AAAA", u.ask(t, from, name, dns.TypeAAAA, ""))
		}
		// C6: a negative answer has SCOPE 0, so the second subnet's
		// NODATA came from the cache.
		if n := up.count(t, dns.TypeAAAA, name); n != 1 {
			t.Errorf("%d AAAA queries for %s reached coredns-gslb, want 1 (NODATA has scope 0, cached for every subnet)", n, name)
		}
		for _, from := range []string{"127.0.1.5", "127.0.3.5"} {
			r := u.ask(t, from, name, dns.TypeA, "")
			if got := addrs(r); r.Rcode != dns.RcodeSuccess || !slices.Equal(got, []string{poolA}) {
				t.Errorf("client %s asks %s A after the AAAA: %s %v, want NOERROR %s\n%s", from, name, dns.RcodeToString[r.Rcode], got, poolA, r)
			}
		}
		checkNodata(t, name+" AAAA again", u.ask(t, "127.0.1.5", name, dns.TypeAAAA, ""))
	})

	// F3: with qname minimisation, Unbound asks the empty non-terminal
	// first; NODATA there keeps the name below it resolvable. (Unbound 1.17
	// without a validator is forgiving: harden-below-nxdomain only uses
	// DNSSEC-secure NXDOMAINs, and relaxed minimisation goes on with the
	// full name after an NXDOMAIN. With gslb answering NXDOMAIN for eu.,
	// www.eu. still resolves here; the NODATA checks on eu. are what fail.)
	t.Run("empty non-terminal", func(t *testing.T) {
		for _, qtype := range []uint16{dns.TypeA, dns.TypeAAAA} {
			checkNodata(t, "eu.gslb.test. "+dns.TypeToString[qtype], u.ask(t, "127.0.1.5", "eu.gslb.test.", qtype, ""))
		}
		for _, from := range []string{"127.0.1.5", "127.0.2.5"} {
			r := u.ask(t, from, "www.eu.gslb.test.", dns.TypeA, "")
			if got := addrs(r); r.Rcode != dns.RcodeSuccess || !slices.Equal(got, []string{poolA}) {
				t.Errorf("client %s asks www.eu.gslb.test. A after eu.gslb.test.: %s %v, want NOERROR %s\n%s", from, dns.RcodeToString[r.Rcode], got, poolA, r)
			}
		}
		checkNodata(t, "www.eu.gslb.test. AAAA", u.ask(t, "127.0.1.5", "www.eu.gslb.test.", dns.TypeAAAA, ""))

		// A name below a fresh empty non-terminal, asked directly: Unbound
		// minimises, so us.gslb.test. reaches coredns-gslb first.
		r := u.ask(t, "127.0.1.5", "api.us.gslb.test.", dns.TypeA, "")
		if got := addrs(r); r.Rcode != dns.RcodeSuccess || !slices.Equal(got, []string{poolA}) {
			t.Errorf("api.us.gslb.test. A: %s %v, want NOERROR %s\n%s", dns.RcodeToString[r.Rcode], got, poolA, r)
		}
		if n := up.count(t, 0, "us.gslb.test."); n == 0 {
			t.Errorf("no query for us.gslb.test. reached coredns-gslb: unbound did not minimise, so this does not test the empty non-terminal on the way")
		}
		qs := up.u.sent()
		first := func(name string) int {
			return slices.IndexFunc(qs, func(q ubQuery) bool { return strings.EqualFold(q.name, name) })
		}
		if i, j := first("us.gslb.test."), first("api.us.gslb.test."); i < 0 || j < 0 || i > j {
			t.Errorf("unbound sent us.gslb.test. as query %d and api.us.gslb.test. as query %d: want the empty non-terminal first\n%v", i, j, qs)
		}
	})

	// Loopback only: everything outside the gslb zone is refused by
	// Unbound itself and never reaches anyone (the fixture checks
	// Unbound's log too).
	t.Run("outside the zone", func(t *testing.T) {
		for _, name := range []string{"example.com.", "example.org.", "."} {
			r := u.ask(t, "127.0.1.5", name, dns.TypeA, "")
			if r.Rcode != dns.RcodeRefused {
				t.Errorf("%s A through unbound: %s, want REFUSED (local-zone \".\" refuse)", name, dns.RcodeToString[r.Rcode])
			}
		}
	})
}
