package kube

import (
	"fmt"
	"net/netip"
	"slices"
	"time"

	"github.com/miekg/dns"
)

// askA sends one A query for name to addr over UDP and returns the
// addresses of an authoritative NOERROR reply; ok is false for no reply
// (the server not listening yet) or any other reply.
func askA(addr, name string) (got []netip.Addr, ok bool) {
	m := new(dns.Msg)
	m.SetQuestion(name, dns.TypeA)
	c := dns.Client{Net: "udp", Timeout: 50 * time.Millisecond}
	r, _, err := c.Exchange(m, addr)
	if err != nil || r.Rcode != dns.RcodeSuccess || !r.Authoritative {
		return nil, false
	}
	for _, rr := range r.Answer {
		if a, isA := rr.(*dns.A); isA {
			ip, _ := netip.AddrFromSlice(a.A.To4())
			got = append(got, ip)
		}
	}
	return got, true
}

// among is a check of an answer: one address at least, each of them in want.
func among(want map[netip.Addr]bool) func([]netip.Addr) bool {
	return func(got []netip.Addr) bool {
		return len(got) > 0 && !slices.ContainsFunc(got, func(a netip.Addr) bool { return !want[a] })
	}
}

// only is a check of an answer: exactly the address want.
func only(want netip.Addr) func([]netip.Addr) bool {
	return func(got []netip.Addr) bool { return len(got) == 1 && got[0] == want }
}

// waitAnswer asks s for name every pause until an answer passes good, and
// returns when that reply came; an error when s exits or within passes.
func waitAnswer(s *server, name string, good func([]netip.Addr) bool, pause, within time.Duration) (time.Time, error) {
	deadline := time.Now().Add(within)
	var last []netip.Addr
	for {
		got, ok := askA(s.dns, name)
		if ok && good(got) {
			return time.Now(), nil
		}
		if ok {
			last = got
		}
		if err := s.exited(); err != nil {
			return time.Time{}, err
		}
		if time.Now().After(deadline) {
			return time.Time{}, fmt.Errorf("%s A: no good answer within %v (the last: %v)", name, within, last)
		}
		time.Sleep(pause)
	}
}
