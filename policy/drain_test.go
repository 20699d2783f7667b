package policy

import (
	"net"
	"testing"
)

// overrides is a test health with members drained or down by "pool/address".
type overrides struct{ drained, down map[string]bool }

func (o overrides) State(pool string, m Member) State {
	key := pool + "/" + m.Addr.String()
	if o.down[key] {
		return State{}
	}
	return State{Up: true, Factor: 1, Drained: o.drained[key]}
}

func TestDrainedPoolTakesNoTrafficUnlessNothingElseIsUp(t *testing.T) {
	euDrained := map[string]bool{"eu/192.0.2.10": true, "eu/192.0.2.11": true}
	usDown := map[string]bool{"us/198.51.100.10": true, "us/2001:db8::10": true}
	tests := []struct {
		name    string
		health  overrides
		pool    string
		allDown bool
	}{
		{"drained pool is skipped", overrides{drained: euDrained}, "us", false},
		{"drained pool serves when nothing else is up", overrides{drained: euDrained, down: usDown}, "eu", false},
	}
	for _, tc := range tests {
		for _, policy := range []Kind{Failover, Weighted} {
			table := compile(t, failoverPools(), Record{Policy: policy, Pools: []string{"eu", "us"}}, tc.health)
			for range 50 {
				a := table.Choose(0, IPv4, client("127.0.0.1"), make([]net.IP, 0, 1))
				// Weighted answers are reduced only when the draw fell on eu.
				if a.Pool != tc.pool || a.AllDown != tc.allDown || (policy == Failover && !a.Reduced) {
					t.Fatalf("%s, policy %s: pool %q allDown %v reduced %v, want %q allDown %v with a reduced TTL", tc.name, policy, a.Pool, a.AllDown, a.Reduced, tc.pool, tc.allDown)
				}
			}
			if table.AllDown(0) {
				t.Errorf("%s: AllDown though drained members are up", tc.name)
			}
		}
	}
}

func TestDrainedMember(t *testing.T) {
	pools := []Pool{testPool("eu", 1, member("192.0.2.10", 1), member("192.0.2.11", 1))}
	rec := Record{Pools: []string{"eu"}}
	drained := overrides{drained: map[string]bool{"eu/192.0.2.10": true}}
	got := shares(compile(t, pools, rec, drained), IPv4, client("127.0.0.1"), 1000)
	if got["192.0.2.10"] != 0 || got["192.0.2.11"] != 1000 {
		t.Fatalf("answers %v, want none to the drained member", got)
	}
	drained.down = map[string]bool{"eu/192.0.2.11": true}
	got = shares(compile(t, pools, rec, drained), IPv4, client("127.0.0.1"), 1000)
	if got["192.0.2.10"] != 1000 {
		t.Fatalf("answers %v, want the drained member once the other is down", got)
	}
}
