package plugin

import (
	"net/netip"
	"testing"

	"github.com/coredns/coredns/plugin/test"
	"github.com/miekg/dns"
)

// With ecs_trust, a client subnet from a resolver outside the trusted
// networks is echoed but not used: the answer follows the resolver's own
// address and holds for every subnet (SCOPE 0). From a trusted resolver it
// steers the answer as before.
func TestECSTrust(t *testing.T) {
	steer := subnet(1, "10.1.2.0", 24) // 10.1/16 routes to us; 10/8, the resolver's network, to eu
	for _, tt := range []struct {
		name   string
		trust  []string
		remote string
		want   string
		scope  uint8
	}{
		{"every resolver trusted (default)", nil, "10.240.0.1", "198.51.100.10", 16},
		{"trusted resolver", []string{"10.240.0.0/16"}, "10.240.0.1", "198.51.100.10", 16},
		{"trusted resolver, one address", []string{"192.0.2.53/32", "10.240.0.1/32"}, "10.240.0.1", "198.51.100.10", 16},
		{"untrusted resolver", []string{"192.0.2.0/24"}, "10.240.0.1", "192.0.2.10", 0},
		{"untrusted IPv4-mapped transport", []string{"192.0.2.0/24"}, "::ffff:10.240.0.1", "192.0.2.10", 0},
		{"trusted IPv6 resolver", []string{"2001:db8::/32"}, "2001:db8::53", "198.51.100.10", 16},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := geoConfig(t)
			for _, p := range tt.trust {
				cfg.ECSTrust = append(cfg.ECSTrust, netip.MustParsePrefix(p))
			}
			g := newTestGSLB(t, cfg)
			m := serveECS(t, g, &test.ResponseWriter{RemoteIP: tt.remote}, "geo.gslb.test.", dns.TypeA, steer)
			if len(m.Answer) != 1 || m.Answer[0].(*dns.A).A.String() != tt.want {
				t.Fatalf("answer %v, want %s", m.Answer, tt.want)
			}
			checkEcho(t, m, steer, tt.scope)
		})
	}
}
