package hostname

import (
	"time"

	"github.com/miekg/dns"
)

// qtypes are the families of entry.families, in their order: IPv4 first,
// as Result.Addrs are sorted.
var qtypes = [2]uint16{dns.TypeA, dns.TypeAAAA}

// absorb takes a resolution's answers for A and AAAA into e's families and
// returns the Result they make, when to resolve again (before any backoff)
// and the resolution's outcome.
func (e *entry) absorb(now time.Time, answers [2]answer) (*Result, time.Duration, outcome) {
	for _, a := range answers {
		if a.err == "" && a.rcode == dns.RcodeNameError { // the name is gone, for both families
			e.families = [2]family{{answered: true, expires: now.Add(a.ttl)}, {answered: true, expires: now.Add(a.ttl)}}
			err := "host name " + display(e.key.name) + " does not resolve: NXDOMAIN from " + a.from
			return &Result{Err: err, Expires: now.Add(a.ttl)}, a.ttl, nxdomain
		}
	}
	res := &Result{}
	next := time.Duration(1<<63 - 1)
	var failed [2]string
	for i, a := range answers {
		f := &e.families[i]
		if a.err == "" {
			*f = family{answered: true, addrs: a.addrs, expires: now.Add(a.ttl)}
			next = min(next, a.ttl)
		} else {
			failed[i] = a.err
			res.Stale = res.Stale || len(f.addrs) > 0 // kept from before
		}
		res.Addrs = append(res.Addrs, f.addrs...) // each sorted, A first: so is the whole
	}
	res.Expires = e.expires()
	switch {
	case failed[0] != "" || failed[1] != "":
		res.Err = "host name " + display(e.key.name) + ": " + failures(failed)
		return res, next, failure
	case len(res.Addrs) == 0:
		res.Err = "host name " + display(e.key.name) + " does not resolve: no A or AAAA records (NODATA) from " + answers[0].from
		return res, next, nodata
	}
	return res, next, success
}

// expires is when the TTL of e's addresses runs out or, without any, that
// of its negative answers; zero before any answer.
func (e *entry) expires() time.Time {
	var at, negative time.Time
	for _, f := range e.families {
		switch {
		case len(f.addrs) > 0 && (at.IsZero() || f.expires.Before(at)):
			at = f.expires
		case f.answered && len(f.addrs) == 0 && (negative.IsZero() || f.expires.Before(negative)):
			negative = f.expires
		}
	}
	if at.IsZero() {
		return negative
	}
	return at
}

// failures says which queries failed and why: the two families' reasons
// once when they are the same, as when a server is down.
func failures(failed [2]string) string {
	switch {
	case failed[0] == failed[1]:
		return "A and AAAA queries: " + failed[0]
	case failed[1] == "":
		return "A query: " + failed[0]
	case failed[0] == "":
		return "AAAA query: " + failed[1]
	}
	return "A query: " + failed[0] + "; AAAA query: " + failed[1]
}
