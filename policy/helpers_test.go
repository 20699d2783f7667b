package policy

import (
	"net"
	"net/netip"
	"testing"
)

// memberStates is a test's health, by pool name and member: Health is
// built from it by position.
type memberStates interface {
	State(pool string, m Member) State
}

// AllUp is the health of a configuration without checks: every member up.
type AllUp struct{}

// State implements memberStates.
func (AllUp) State(string, Member) State { return State{Up: true, Factor: 1} }

// healthOf builds the Health of pools from s.
func healthOf(pools []Pool, s memberStates) *Health {
	h := NewHealth(pools)
	for p, pool := range pools {
		for m, member := range pool.Members {
			*h.Member(p, m) = s.State(pool.Name, member)
		}
	}
	return h
}

// downSet is a test health with the listed "pool/address" members down.
type downSet map[string]bool

func (d downSet) State(pool string, m Member) State {
	if d[pool+"/"+m.Addr.String()] {
		return State{}
	}
	return State{Up: true, Factor: 1}
}

// slowSet is a test health with the listed members up at half weight.
type slowSet map[string]bool

func (s slowSet) State(pool string, m Member) State {
	if s[pool+"/"+m.Addr.String()] {
		return State{Up: true, Factor: 0.5}
	}
	return State{Up: true, Factor: 1}
}

func member(addr string, weight int) Member {
	return Member{Addr: netip.MustParseAddr(addr), Weight: weight}
}

func testPool(name string, weight int, members ...Member) Pool {
	return Pool{Name: name, Weight: weight, MinHealthy: 1, Members: members}
}

func compile(t testing.TB, pools []Pool, rec Record, h memberStates) *Table {
	t.Helper()
	if rec.Answers == 0 {
		rec.Answers = 1
	}
	rec.Names = []string{"app.gslb.test."}
	table, err := Compile(pools, []Record{rec}, healthOf(pools, h))
	if err != nil {
		t.Fatal(err)
	}
	return table
}

func client(addr string) *Client {
	a := netip.MustParseAddr(addr)
	return &Client{Addr: a, Bits: a.BitLen()}
}

// shares runs n selections and counts the first answer of each.
func shares(table *Table, f Family, c *Client, n int) map[string]int {
	counts := map[string]int{}
	buf := make([]net.IP, 0, maxTestAnswers)
	for range n {
		a := table.Choose(0, f, c, buf)
		if len(a.IPs) > 0 {
			counts[a.IPs[0].String()]++
		}
	}
	return counts
}

const maxTestAnswers = 8

// within checks that got/n is want (a fraction) ± tolerance.
func within(t *testing.T, what string, got, n int, want, tolerance float64) {
	t.Helper()
	share := float64(got) / float64(n)
	if share < want-tolerance || share > want+tolerance {
		t.Errorf("%s: share %.3f, want %.3f ± %.3f", what, share, want, tolerance)
	}
}
