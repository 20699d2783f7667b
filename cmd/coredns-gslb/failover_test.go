package main

import (
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// Failover with the real binary: members are documentation addresses whose
// `probe` points at HTTP backends the test runs, kills, hangs and revives.

// The check of failoverCorefile and the bounds its answers must follow.
const (
	probeInterval = 200 * time.Millisecond
	probeRise     = 2
	probeFall     = 2
	// schedSlack covers process scheduling: the prober's goroutine, the
	// table swap and the polling query, on a loaded CI machine.
	schedSlack = 300 * time.Millisecond
	// failBound: fall probes in a row must fail (one interval apart, ±10%
	// jitter, a hung one taking its 100ms timeout), and the first of them
	// comes up to one interval after the failure began.
	failBound = probeFall*probeInterval + probeInterval + schedSlack
	// riseBound: the same with rise successes.
	riseBound = probeRise*probeInterval + probeInterval + schedSlack
)

// failoverCorefile: %[1]s and %[2]s are the ports of the eu and us backends.
// Every record has TTL 30: 15 (half) while it answers from a failover pool
// or per on_all_down.
const failoverCorefile = `gslb.test:1053 {
    bind 127.0.0.1
    gslb {
        check web {
            http 80 /healthz
            interval 200ms
            timeout 100ms
            rise 2
            fall 2
        }
        pool eu {
            member 192.0.2.10 probe 127.0.0.1:%[1]s
            check web
        }
        pool us {
            member 198.51.100.10 probe 127.0.0.1:%[2]s
            check web
        }
        pool sorry {
            member 192.0.2.99
        }
        record app {
            policy failover
            pools eu us
            ttl 30
        }
        record servfail {
            policy failover
            pools eu us
            ttl 30
            on_all_down servfail
        }
        record sorry {
            policy failover
            pools eu us
            ttl 30
            on_all_down pool sorry
        }
    }
}
`

// Replies as replySummary gives them.
const (
	fromEU    = "NOERROR 192.0.2.10/30"    // the first pool, all healthy
	fromUS    = "NOERROR 198.51.100.10/15" // failover: half the TTL
	openEU    = "NOERROR 192.0.2.10/15"    // all down, on_all_down all: fail open
	fromSorry = "NOERROR 192.0.2.99/15"    // all down, on_all_down pool sorry
	servFail  = "SERVFAIL"
)

func TestFailover(t *testing.T) {
	t.Parallel()
	t.Logf("bounds: failover within %v (fall %d × interval %v + one interval + %v slack), recovery within %v (rise %d)",
		failBound, probeFall, probeInterval, schedSlack, riseBound, probeRise)
	cases := []struct {
		name       string
		fail, heal func(*httpBackend, *testing.T)
	}{
		{"refused", (*httpBackend).kill, (*httpBackend).revive},
		{"hung", (*httpBackend).hang, (*httpBackend).revive},
		{"status 503", func(b *httpBackend, _ *testing.T) { b.status.Store(http.StatusServiceUnavailable) },
			func(b *httpBackend, _ *testing.T) { b.status.Store(http.StatusOK) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			eu, us := newHTTPBackend(t), newHTTPBackend(t)
			s := startServer(t, fmt.Sprintf(failoverCorefile, eu.port(), us.port()))
			eu.settled(t)
			us.settled(t)
			s.expect(t, "app.gslb.test.", fromEU)

			failed := time.Now()
			tc.fail(eu, t)
			took := s.pollUntil(t, "app.gslb.test.", failed, failBound, fromUS, fromEU)
			t.Logf("eu %s: answers from us %v after the failure", tc.name, took.Round(time.Millisecond))
			s.holds(t, "app.gslb.test.", 2*probeInterval, fromUS)

			healed := time.Now()
			tc.heal(eu, t)
			took = s.pollUntil(t, "app.gslb.test.", healed, riseBound, fromEU, fromUS)
			t.Logf("eu %s healed: answers from eu %v after", tc.name, took.Round(time.Millisecond))
			s.holds(t, "app.gslb.test.", 2*probeInterval, fromEU)
		})
	}
	t.Run("all down", func(t *testing.T) {
		t.Parallel()
		eu, us := newHTTPBackend(t), newHTTPBackend(t)
		s := startServer(t, fmt.Sprintf(failoverCorefile, eu.port(), us.port()))
		eu.settled(t)
		us.settled(t)
		for _, name := range []string{"app", "servfail", "sorry"} {
			s.expect(t, name+".gslb.test.", fromEU)
		}

		killed := time.Now()
		eu.kill(t)
		us.kill(t)
		took := s.pollUntil(t, "servfail.gslb.test.", killed, failBound, servFail, fromEU, fromUS)
		t.Logf("both down: SERVFAIL %v after the kill", took.Round(time.Millisecond))
		s.expect(t, "app.gslb.test.", openEU)
		s.expect(t, "sorry.gslb.test.", fromSorry)
		s.holds(t, "servfail.gslb.test.", 2*probeInterval, servFail)
	})
}

// replySummary is the rcode of r and its addresses with their TTLs, sorted.
func replySummary(r *dns.Msg) string {
	parts := []string{dns.RcodeToString[r.Rcode]}
	var answers []string
	for _, rr := range r.Answer {
		h := rr.Header()
		switch rr := rr.(type) {
		case *dns.A:
			answers = append(answers, fmt.Sprintf("%s/%d", rr.A, h.Ttl))
		case *dns.AAAA:
			answers = append(answers, fmt.Sprintf("%s/%d", rr.AAAA, h.Ttl))
		default:
			answers = append(answers, rr.String())
		}
	}
	slices.Sort(answers)
	return strings.Join(append(parts, answers...), " ")
}

// expect checks that name answers want, over UDP and TCP.
func (s *server) expect(t *testing.T, name, want string) {
	t.Helper()
	for _, netw := range []string{"udp", "tcp"} {
		if got := replySummary(s.query(t, netw, name, dns.TypeA, false)); got != want {
			t.Fatalf("%s A over %s: %q, want %q", name, netw, got, want)
		}
	}
}

// pollUntil asks for name every 20ms until the reply is want and returns
// how long after since that was, failing the test when that is later than
// bound. Every reply before must be one of before. It polls until bound plus
// 3s, so a slow switch still reports its real delay.
func (s *server) pollUntil(t *testing.T, name string, since time.Time, bound time.Duration, want string, before ...string) time.Duration {
	t.Helper()
	seen := map[string]int{}
	for {
		got := replySummary(s.query(t, "udp", name, dns.TypeA, false))
		took := time.Since(since)
		switch {
		case got == want:
			if took > bound {
				t.Errorf("%s A: %q after %v, want within %v (replies before: %v)", name, want, took, bound, seen)
			}
			return took
		case !slices.Contains(before, got):
			t.Fatalf("%s A: %q after %v, want %q or, until then, one of %q", name, got, took, want, before)
		case took > bound+3*time.Second:
			t.Fatalf("%s A: still %v after %v, want %q within %v", name, seen, took, want, bound)
		}
		seen[got]++
		time.Sleep(20 * time.Millisecond)
	}
}

// holds checks that name keeps answering want for d, asking every 20ms.
func (s *server) holds(t *testing.T, name string, d time.Duration, want string) {
	t.Helper()
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if got := replySummary(s.query(t, "udp", name, dns.TypeA, false)); got != want {
			t.Fatalf("%s A: %q, want it to stay %q", name, got, want)
		}
	}
}

// httpBackend is an HTTP health endpoint on a loopback port of its own that a
// test can kill (connections refused), hang (accepted, never answered),
// revive on the same port, or make answer another status.
type httpBackend struct {
	addr   string
	status atomic.Int32 // what GET /healthz answers
	hits   atomic.Int64 // GET /healthz requests served

	mu    sync.Mutex
	srv   *http.Server // while serving HTTP
	hung  net.Listener // while hung
	conns []net.Conn   // accepted by the hung listener
}

// newHTTPBackend starts a backend answering 200; it is killed when the test ends.
func newHTTPBackend(t *testing.T) *httpBackend {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b := &httpBackend{addr: l.Addr().String()}
	b.status.Store(http.StatusOK)
	b.serve(l)
	t.Cleanup(func() { b.kill(t) })
	return b
}

func (b *httpBackend) port() string {
	_, port, _ := net.SplitHostPort(b.addr)
	return port
}

func (b *httpBackend) serve(l net.Listener) {
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/healthz" {
				http.NotFound(w, r)
				return
			}
			b.hits.Add(1)
			w.WriteHeader(int(b.status.Load()))
		}),
		ReadHeaderTimeout: 5 * time.Second,
	}
	b.mu.Lock()
	b.srv = srv
	b.mu.Unlock()
	go srv.Serve(l)
}

// kill closes the listener and every connection: nothing listens any more.
func (b *httpBackend) kill(*testing.T) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.srv != nil {
		b.srv.Close()
		b.srv = nil
	}
	if b.hung != nil {
		b.hung.Close()
		b.hung = nil
	}
	for _, c := range b.conns {
		c.Close()
	}
	b.conns = nil
}

// revive serves HTTP on the same port again (after kill or hang).
func (b *httpBackend) revive(t *testing.T) {
	b.kill(t)
	b.serve(b.listen(t))
}

// hang replaces the HTTP server by a listener on the same port that accepts
// connections and never reads from them nor answers.
func (b *httpBackend) hang(t *testing.T) {
	b.kill(t)
	l := b.listen(t)
	b.mu.Lock()
	b.hung = l
	b.mu.Unlock()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			b.mu.Lock()
			if b.hung == l {
				b.conns = append(b.conns, c)
			} else {
				c.Close()
			}
			b.mu.Unlock()
		}
	}()
}

// listen listens on the backend's port again.
func (b *httpBackend) listen(t *testing.T) net.Listener {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		l, err := net.Listen("tcp", b.addr)
		if err == nil {
			return l
		}
		if time.Now().After(deadline) {
			t.Fatalf("listening on %s again: %v", b.addr, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// settled waits until the backend has answered rise+1 probes: its member
// then has its up verdict, not only the benefit of the doubt at start.
func (b *httpBackend) settled(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for b.hits.Load() < probeRise+1 {
		if time.Now().After(deadline) {
			t.Fatalf("backend %s: %d probes within 5s, want %d", b.addr, b.hits.Load(), probeRise+1)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
