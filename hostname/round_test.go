package hostname

import (
	"slices"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// A family whose query fails keeps its last answer, Stale; one that never
// answered adds nothing and leaves the other's addresses fresh.
func TestAbsorbOneFamilyFailing(t *testing.T) {
	var e entry
	e.init(key{"192.0.2.53:53", "nlb.example.net."})
	now := time.Now()
	v4 := answer{addrs: addrs("192.0.2.1"), ttl: time.Minute, from: "192.0.2.53:53"}
	v6 := answer{addrs: addrs("2001:db8::1"), ttl: 30 * time.Second, from: "192.0.2.53:53"}
	timeout := answer{err: "timeout from 192.0.2.53:53"}

	res, next, out := e.absorb(now, [2]answer{v4, timeout})
	if !slices.Equal(res.Addrs, addrs("192.0.2.1")) || res.Stale || out != failure || next != time.Minute ||
		res.Err != "host name nlb.example.net: AAAA query: timeout from 192.0.2.53:53" || !res.Expires.Equal(now.Add(time.Minute)) {
		t.Errorf("AAAA never answered, failing: %+v, next %v, %s", res, next, outcomeNames[out])
	}

	res, next, out = e.absorb(now, [2]answer{v4, v6})
	if !slices.Equal(res.Addrs, addrs("192.0.2.1", "2001:db8::1")) || res.Err != "" || out != success ||
		next != 30*time.Second || !res.Expires.Equal(now.Add(30*time.Second)) {
		t.Errorf("both answered: %+v, next %v, %s", res, next, outcomeNames[out])
	}

	later := now.Add(time.Hour)
	res, _, out = e.absorb(later, [2]answer{v4, timeout})
	if !slices.Equal(res.Addrs, addrs("192.0.2.1", "2001:db8::1")) || !res.Stale || out != failure || !res.Expires.Before(later) {
		t.Errorf("AAAA failing after an answer: %+v, %s; want its addresses kept, stale", res, outcomeNames[out])
	}

	gone := answer{rcode: dns.RcodeNameError, ttl: time.Second, from: "192.0.2.53:53"}
	res, _, out = e.absorb(later, [2]answer{gone, timeout})
	if len(res.Addrs) != 0 || res.Stale || out != nxdomain {
		t.Errorf("NXDOMAIN beside a failure: %+v, %s; want no addresses kept", res, outcomeNames[out])
	}
}
