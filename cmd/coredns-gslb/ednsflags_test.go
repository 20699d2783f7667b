package main

import (
	"fmt"
	"net"
	"testing"

	"github.com/miekg/dns"
)

const ednsFlagsCorefile = `gslb.test:1053 {
    bind 127.0.0.1
    gslb {
        pool p {
            member 192.0.2.1
            member 192.0.2.2
        }
        record app {
            pools p
        }
        record sticky {
            pools p
            select hash
        }
    }
}
`

// TestEDNSFlagsNotEchoed: the built server's replies carry DO when asked
// and no other EDNS flag the query set (RFC 6891 §6.1.4), with and without
// a client subnet option, on answers, negative answers and errors.
func TestEDNSFlagsNotEchoed(t *testing.T) {
	t.Parallel()
	s := startServer(t, ednsFlagsCorefile)
	ecs := func(addrs ...string) []dns.EDNS0 {
		var opts []dns.EDNS0
		for _, a := range addrs {
			opts = append(opts, &dns.EDNS0_SUBNET{Code: dns.EDNS0SUBNET, Family: 1, SourceNetmask: 24, Address: net.ParseIP(a).To4()})
		}
		return opts
	}
	kinds := []struct {
		name   string
		qname  string
		qtype  uint16
		subnet []dns.EDNS0
		rcode  int
	}{
		{"answer", "app.gslb.test.", dns.TypeA, nil, dns.RcodeSuccess},
		{"answer with ECS", "sticky.gslb.test.", dns.TypeA, ecs("192.0.2.0"), dns.RcodeSuccess},
		{"NODATA", "app.gslb.test.", dns.TypeAAAA, nil, dns.RcodeSuccess},
		{"NODATA with ECS", "app.gslb.test.", dns.TypeTXT, ecs("192.0.2.0"), dns.RcodeSuccess},
		{"NXDOMAIN", "nope.gslb.test.", dns.TypeA, nil, dns.RcodeNameError},
		{"NXDOMAIN with ECS", "nope.gslb.test.", dns.TypeA, ecs("198.51.100.0"), dns.RcodeNameError},
		{"SOA", "gslb.test.", dns.TypeSOA, nil, dns.RcodeSuccess},
		{"NS", "gslb.test.", dns.TypeNS, nil, dns.RcodeSuccess},
		{"FORMERR", "app.gslb.test.", dns.TypeA, ecs("192.0.2.0", "198.51.100.0"), dns.RcodeFormatError}, // two client subnet options
		{"REFUSED", "gslb.test.", dns.TypeAXFR, nil, dns.RcodeRefused},
	}
	for _, k := range kinds {
		for _, z := range []uint32{0x2000, 0x4000 | 0x0100, 0x7fff} {
			for _, do := range []bool{false, true} {
				for _, netw := range []string{"udp", "tcp"} {
					t.Run(fmt.Sprintf("%s/z=%#04x/do=%v/%s", k.name, z, do, netw), func(t *testing.T) {
						m := new(dns.Msg)
						m.SetQuestion(k.qname, k.qtype)
						m.SetEdns0(1232, do)
						opt := m.IsEdns0()
						opt.Hdr.Ttl |= z
						if k.subnet != nil {
							opt.Option = k.subnet
						}
						r := s.exchange(t, netw, m)
						if r.Rcode != k.rcode {
							t.Fatalf("rcode %s, want %s", dns.RcodeToString[r.Rcode], dns.RcodeToString[k.rcode])
						}
						o := r.IsEdns0()
						if o == nil {
							t.Fatal("no OPT in the reply to a query with one")
						}
						if flags := o.Hdr.Ttl & 0x7fff; flags != 0 {
							t.Errorf("reply's EDNS flags beside DO %#04x, want none", flags)
						}
						if o.Do() != do {
							t.Errorf("reply's DO %v, asked %v", o.Do(), do)
						}
					})
				}
			}
		}
	}
}
