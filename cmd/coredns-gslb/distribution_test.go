package main

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// TestDistribution queries the records of e2eCorefile that spread load,
// all from 127.0.0.1.
func TestDistribution(t *testing.T) {
	t.Parallel()
	s := startServer(t, e2eCorefile)

	t.Run("pool weights 9:1", func(t *testing.T) {
		t.Parallel()
		shares(t, s.firstAnswers(t, "shift.gslb.test.", 2000), map[string]float64{"192.0.2.90": 0.9, "192.0.2.91": 0.1})
	})
	t.Run("member weights 3:1", func(t *testing.T) {
		t.Parallel()
		shares(t, s.firstAnswers(t, "spread.gslb.test.", 2000), map[string]float64{"198.51.100.20": 0.75, "198.51.100.21": 0.25})
	})
	t.Run("answers 2", func(t *testing.T) {
		t.Parallel()
		quad := []string{"203.0.113.11", "203.0.113.12", "203.0.113.13", "203.0.113.14"}
		for range 50 {
			got := addrs(s.query(t, "udp", "two.gslb.test.", dns.TypeA, false))
			if len(got) != 2 || got[0] == got[1] || !slices.Contains(quad, got[0]) || !slices.Contains(quad, got[1]) {
				t.Fatalf("answer %v, want 2 distinct members of %v", got, quad)
			}
		}
	})
	t.Run("select hash is sticky", func(t *testing.T) {
		t.Parallel()
		first := addrs(s.query(t, "udp", "sticky.gslb.test.", dns.TypeA, false))
		if len(first) != 1 {
			t.Fatalf("answer %v, want one address", first)
		}
		for i := range 50 {
			netw := []string{"udp", "tcp"}[i%2]
			if got := addrs(s.query(t, netw, "sticky.gslb.test.", dns.TypeA, false)); !slices.Equal(got, first) {
				t.Fatalf("query %d over %s: answer %v, want %v as before: the client did not change", i+2, netw, got, first)
			}
		}
	})
	// The control for the test above: without select hash the same four
	// members do vary, so a constant answer is the hash's doing.
	t.Run("select random varies", func(t *testing.T) {
		t.Parallel()
		counts := s.firstAnswers(t, "random.gslb.test.", 200)
		if len(counts) != 4 {
			t.Errorf("200 answers spread over %v, want all 4 members of the pool", counts)
		}
	})
}

// firstAnswers sends n A queries over one UDP socket and counts the first
// address of each answer.
func (s *server) firstAnswers(t *testing.T, name string, n int) map[string]int {
	t.Helper()
	c := dns.Client{Net: "udp", Timeout: 2 * time.Second}
	conn, err := c.Dial(s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	counts := map[string]int{}
	for range n {
		m := new(dns.Msg)
		m.SetQuestion(name, dns.TypeA)
		r, _, err := c.ExchangeWithConn(m, conn)
		if err != nil {
			r = s.exchange(t, "udp", m) // a lost datagram: ask again afresh
		}
		got := addrs(r)
		if r.Rcode != dns.RcodeSuccess || len(got) == 0 {
			t.Fatalf("reply to %s A:\n%s\nwant NOERROR with an address", name, r)
		}
		counts[got[0]]++
	}
	return counts
}

// shares checks that counts split as want, within 4 percentage points
// (more than 4 standard deviations at 2000 samples).
func shares(t *testing.T, counts map[string]int, want map[string]float64) {
	t.Helper()
	total := 0
	for _, n := range counts {
		total += n
	}
	for addr, n := range counts {
		if _, ok := want[addr]; !ok {
			t.Errorf("%d of %d answers were %s, which is not among %v", n, total, addr, want)
		}
	}
	for addr, share := range want {
		got := float64(counts[addr]) / float64(total)
		if math.Abs(got-share) > 0.04 {
			t.Errorf("%s in %.1f%% of %d answers, want %.0f%% ± 4", addr, 100*got, total, 100*share)
		}
	}
}
