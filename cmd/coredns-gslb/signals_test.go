package main

import (
	"fmt"
	"math"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/gslb/gslb/internal/promtest"
)

// Issue 14's distribution tests: soft signals (an agent's word, slowstart,
// an error rate, a Prometheus metric) scale a pool's share of the answers
// of a weighted record, measured against the built binary. Every record
// here is app over pools eu (192.0.2.10) and us (198.51.100.10), weight 1
// each, so eu's share is f/(f+1) for eu's member factor f.

const (
	signalName = "app.gslb.test."
	signalEU   = "192.0.2.10"
	signalUS   = "198.51.100.10"
	// signalN queries measure a share: its standard deviation is at most
	// 1.1 percentage points, so signalTol is 4.5 of them.
	signalN   = 2000
	signalTol = 0.05
	// signalSettle bounds how long a share takes to follow a signal on a
	// loaded machine: a few probes of 200ms, the 0.2-per-interval steps
	// and the scheduler's delays.
	signalSettle = 15 * time.Second
)

// signalCorefile: prometheus on %[1]s; eu's check lines %[2]s, its pool
// options %[3]s, its probe port %[4]s; us is probed by tcp on %[5]s; %[6]s
// are more checks.
const signalCorefile = `gslb.test:1053 {
    bind 127.0.0.1
    prometheus 127.0.0.1:%[1]s
    gslb {
        check eu {
%[2]s
            interval 200ms
            timeout 150ms
            rise 1
            fall 2
        }
        check plain {
            tcp 80
            interval 200ms
            timeout 150ms
            rise 1
            fall 2
        }
        pool eu {
            member 192.0.2.10 probe 127.0.0.1:%[4]s
            check eu
            weight 1%[3]s
        }
        pool us {
            member 198.51.100.10 probe 127.0.0.1:%[5]s
            check plain
            weight 1
        }
        record app {
            policy weighted
            pools eu us
            ttl 30
        }
    }
}
`

// signalSetup runs the binary with eu checked by checkLines (and pool
// options poolLines) probing port euPort, us by tcp on a listener of its
// own; it returns the server and its metrics port.
func signalSetup(t *testing.T, checkLines, poolLines, euPort string) (*server, string) {
	t.Helper()
	us := newAgentServer(t, "") // a tcp check only needs the connection accepted
	metrics := freePort(t)
	if poolLines != "" {
		poolLines = "\n            " + poolLines
	}
	s := startServer(t, fmt.Sprintf(signalCorefile, metrics, checkLines, poolLines, euPort, us.port()))
	return s, metrics
}

// euShare sends n A queries for app over netw and returns the share of
// answers from eu, failing on any answer that is neither pool's member.
func (s *server) euShare(t *testing.T, netw string, n int) float64 {
	t.Helper()
	var counts map[string]int
	if netw == "udp" {
		counts = s.firstAnswers(t, signalName, n)
	} else {
		counts = map[string]int{}
		for range n {
			got := addrs(s.query(t, netw, signalName, dns.TypeA, false))
			if len(got) == 0 {
				t.Fatalf("%s A over %s: no address", signalName, netw)
			}
			counts[got[0]]++
		}
	}
	for addr, c := range counts {
		if addr != signalEU && addr != signalUS {
			t.Fatalf("%d answers were %s, want %s or %s only", c, addr, signalEU, signalUS)
		}
	}
	return float64(counts[signalEU]) / float64(n)
}

// expectShare measures eu's share over signalN UDP queries and checks it
// is want within signalTol.
func (s *server) expectShare(t *testing.T, step string, want float64) float64 {
	t.Helper()
	got := s.euShare(t, "udp", signalN)
	t.Logf("%s: eu %.1f%% of %d answers (want %.1f%% ± %.0f)", step, 100*got, signalN, 100*want, 100*signalTol)
	if math.Abs(got-want) > signalTol {
		t.Errorf("%s: eu in %.1f%% of %d answers, want %.1f%% ± %.0f", step, 100*got, signalN, 100*want, 100*signalTol)
	}
	return got
}

// awaitShare waits until batches of 200 queries give eu a share within
// 8 points of want, then measures it with expectShare.
func (s *server) awaitShare(t *testing.T, step string, want float64) float64 {
	t.Helper()
	var last float64
	took := eventuallyf(t, signalSettle, func() bool {
		last = s.euShare(t, "udp", 200)
		return math.Abs(last-want) <= 0.08
	}, func() string {
		return fmt.Sprintf("%s: eu's share %.1f%% of 200 answers, want %.1f%%", step, 100*last, 100*want)
	})
	t.Logf("%s: share near %.1f%% after %v", step, 100*want, took.Round(time.Millisecond))
	return s.expectShare(t, step, want)
}

// signalFactor is eu's coredns_gslb_member_weight_factor, 1 when there is no
// such series (the metric is present only while below 1).
func signalFactor(t *testing.T, metrics string) float64 {
	t.Helper()
	v, ok := metricValue(scrapeMetrics(t, metrics), "coredns_gslb_member_weight_factor", "pool", "eu", "member", signalEU)
	if !ok {
		return 1
	}
	return v
}

// awaitFactor waits until eu's factor is want (within 0.001).
func awaitFactor(t *testing.T, metrics, step string, want float64) {
	t.Helper()
	var last float64
	took := eventuallyf(t, signalSettle, func() bool {
		last = signalFactor(t, metrics)
		return math.Abs(last-want) < 0.001
	}, func() string {
		return fmt.Sprintf("%s: member_weight_factor of eu is %v, want %v", step, last, want)
	})
	t.Logf("%s: member_weight_factor %v after %v", step, want, took.Round(time.Millisecond))
}

// signalHealthy is eu's coredns_gslb_member_healthy, -1 without a series.
func signalHealthy(t *testing.T, metrics string) float64 {
	t.Helper()
	v, ok := metricValue(scrapeMetrics(t, metrics), "coredns_gslb_member_healthy", "pool", "eu", "member", signalEU)
	if !ok {
		return -1
	}
	return v
}

// agentServer is a HAProxy agent on a loopback port: each connection gets
// the current line and is closed.
type agentServer struct {
	l     net.Listener
	word  atomic.Value // string
	reads atomic.Int64 // connections served
}

func newAgentServer(t *testing.T, word string) *agentServer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	a := &agentServer{l: l}
	a.word.Store(word)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			if w := a.word.Load().(string); w != "" {
				c.SetWriteDeadline(time.Now().Add(time.Second))
				fmt.Fprintf(c, "%s\n", w)
			}
			a.reads.Add(1)
			c.Close()
		}
	}()
	t.Cleanup(func() { l.Close() })
	return a
}

func (a *agentServer) port() string {
	_, port, _ := net.SplitHostPort(a.l.Addr().String())
	return port
}

// say changes the line and waits until two more probes have read it.
func (a *agentServer) say(t *testing.T, word string) {
	t.Helper()
	a.word.Store(word)
	n := a.reads.Load()
	eventually(t, "the agent read twice", signalSettle, func() bool { return a.reads.Load() >= n+2 })
}

// TestSignalAgent: eu's agent says 100%, 50%, drain, then ready 100%; eu's
// share follows its weight (50%, 33%, 0, 50%), and member_weight_factor
// shows 0.5 while the agent says 50%.
func TestSignalAgent(t *testing.T) {
	t.Parallel()
	start := time.Now()
	agent := newAgentServer(t, "100%")
	s, metrics := signalSetup(t, "            agent 80", "", agent.port())
	eventually(t, "eu healthy", signalSettle, func() bool { return signalHealthy(t, metrics) == 1 })

	s.awaitShare(t, "agent 100%", 0.5)

	agent.say(t, "50%")
	awaitFactor(t, metrics, "agent 50%", 0.5)
	s.expectShare(t, "agent 50%", 0.5/1.5)
	// A TCP spot check of the same step: 500 queries, σ 2.1 points.
	tcp := s.euShare(t, "tcp", 500)
	t.Logf("agent 50%%: eu %.1f%% of 500 answers over TCP", 100*tcp)
	if math.Abs(tcp-0.5/1.5) > 0.08 {
		t.Errorf("agent 50%%: eu in %.1f%% of 500 TCP answers, want 33.3%% ± 8", 100*tcp)
	}
	if f := signalFactor(t, metrics); f != 0.5 {
		t.Errorf("agent 50%%: member_weight_factor %v after the shares, want 0.5 still", f)
	}

	agent.say(t, "drain")
	s.awaitShare(t, "agent drain", 0)
	if h := signalHealthy(t, metrics); h != 1 {
		t.Errorf("agent drain: member_healthy of eu %v, want 1: a drained member is up", h)
	}
	t.Logf("agent drain: member_weight_factor %v (the 50%% holds under the drain)", signalFactor(t, metrics))

	// ready lifts the drain, 100% the weight: back to 50% in steps of 0.2.
	agent.say(t, "ready 100%")
	awaitFactor(t, metrics, "agent ready 100%", 1)
	s.expectShare(t, "agent ready 100%", 0.5)
	if h := signalHealthy(t, metrics); h != 1 {
		t.Errorf("agent ready 100%%: member_healthy of eu %v, want 1", h)
	}
	t.Logf("took %v", time.Since(start).Round(time.Millisecond))
}

// TestSignalSlowStart: eu, with slowstart 3s, goes down (503) and comes
// back: its share starts near 0.1/1.1, rises over the ramp and is 50%
// after it.
func TestSignalSlowStart(t *testing.T) {
	t.Parallel()
	start := time.Now()
	const ramp = 3 * time.Second
	b := newHTTPBackend(t)
	s, metrics := signalSetup(t, "            http 80 /healthz", "slowstart 3s", b.port())
	eventually(t, "eu healthy", signalSettle, func() bool { return signalHealthy(t, metrics) == 1 })
	s.awaitShare(t, "up", 0.5)

	b.status.Store(http.StatusServiceUnavailable)
	eventually(t, "eu down", signalSettle, func() bool { return signalHealthy(t, metrics) == 0 })
	s.expectShare(t, "503", 0)

	// Back up: query without pause and put each answer in a bucket of
	// 250ms since the first one from eu, which comes within a few
	// queries of the ramp's start (at 9%).
	b.status.Store(http.StatusOK)
	c := dns.Client{Net: "udp", Timeout: 2 * time.Second}
	conn, err := c.Dial(s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	const bucket = 250 * time.Millisecond
	nb := int((ramp + time.Second) / bucket)
	eu, all := make([]int, nb), make([]int, nb)
	var first time.Time
	deadline := time.Now().Add(signalSettle)
	for {
		m := new(dns.Msg)
		m.SetQuestion(signalName, dns.TypeA)
		r, _, err := c.ExchangeWithConn(m, conn)
		if err != nil {
			r = s.exchange(t, "udp", m)
		}
		got := addrs(r)
		if len(got) == 0 {
			t.Fatalf("reply to %s A:\n%s\nwant an address", signalName, r)
		}
		now := time.Now()
		if first.IsZero() {
			if got[0] != signalEU {
				if now.After(deadline) {
					t.Fatalf("no answer from eu within %v of its backend's 200", signalSettle)
				}
				continue
			}
			first = now
		}
		i := int(now.Sub(first) / bucket)
		if i >= nb {
			break
		}
		all[i]++
		if got[0] == signalEU {
			eu[i]++
		}
	}
	share := func(i int) float64 { return float64(eu[i]) / float64(max(all[i], 1)) }
	for i := range nb {
		mid := time.Duration(i)*bucket + bucket/2
		f := min(1, 0.1+0.9*float64(mid)/float64(ramp))
		t.Logf("ramp %v-%v: eu %.1f%% of %d answers (ramp says %.1f%%)", time.Duration(i)*bucket, time.Duration(i+1)*bucket, 100*share(i), all[i], 100*f/(f+1))
	}
	// Early: the first half second, the factor at most 0.25: 20% at most.
	if e := float64(eu[0]+eu[1]) / float64(max(all[0]+all[1], 1)); e > 0.3 {
		t.Errorf("the first 500ms of the ramp: eu in %.1f%% of answers, want well below 50%% (near 9-17%%)", 100*e)
	}
	// By half seconds, those of 200 answers or more: a share's standard
	// deviation is then at most 3.5 points.
	halves, counted := make([]float64, nb/2), make([]int, nb/2)
	for i := range halves {
		counted[i] = all[2*i] + all[2*i+1]
		halves[i] = float64(eu[2*i]+eu[2*i+1]) / float64(max(counted[i], 1))
	}
	for i := range halves {
		from, to := time.Duration(2*i)*bucket, time.Duration(2*i+2)*bucket
		// Late: from 2.5s on the factor is at least 0.85, eu 46%.
		if from >= 2500*time.Millisecond && counted[i] >= 200 && halves[i] < 0.4 {
			t.Errorf("ramp %v-%v: eu in %.1f%% of %d answers, want at least 40%%", from, to, 100*halves[i], counted[i])
		}
		// Monotonic, give or take the noise: not below the half second
		// before by more than 8 points.
		if i > 0 && counted[i] >= 200 && counted[i-1] >= 200 && halves[i] < halves[i-1]-0.08 {
			t.Errorf("ramp %v-%v: eu %.1f%%, down from %.1f%% the half second before: want it rising", from, to, 100*halves[i], 100*halves[i-1])
		}
	}
	if halves[len(halves)-1]-halves[0] < 0.2 {
		t.Errorf("ramp: eu %.1f%% in its first half second, %.1f%% in its last: want a rise of about 35 points", 100*halves[0], 100*halves[len(halves)-1])
	}
	s.expectShare(t, "after the ramp", 0.5)
	t.Logf("took %v", time.Since(start).Round(time.Millisecond))
}

// flakyBackend answers GET /healthz 503 to every fourth request, 200 to
// the others.
type flakyBackend struct {
	addr string
	n    atomic.Int64
}

func newFlakyBackend(t *testing.T) *flakyBackend {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b := &flakyBackend{addr: l.Addr().String()}
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if b.n.Add(1)%4 == 0 {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			w.WriteHeader(http.StatusOK)
		}),
		ReadHeaderTimeout: 5 * time.Second,
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return b
}

// TestSignalErrorRate: a backend failing one probe in four, with errors
// 20: eu's factor is 0.75 and its share 0.75/1.75.
func TestSignalErrorRate(t *testing.T) {
	t.Parallel()
	start := time.Now()
	b := newFlakyBackend(t)
	_, port, _ := net.SplitHostPort(b.addr)
	s, metrics := signalSetup(t, "            http 80 /healthz\n            errors 20", "", port)
	// Until 20 probes fill the window its ratio wanders (3/4, 4/5, 5/6...);
	// with it full, any 20 probes in a row hold exactly 5 failures.
	eventually(t, "24 probes of the backend", 30*time.Second, func() bool { return b.n.Load() >= 24 })
	awaitFactor(t, metrics, "errors 20, one probe in 4 failing", 0.75)
	s.expectShare(t, "errors 20, one probe in 4 failing", 0.75/1.75)
	tcp := s.euShare(t, "tcp", 500)
	t.Logf("errors 20: eu %.1f%% of 500 answers over TCP", 100*tcp)
	if math.Abs(tcp-0.75/1.75) > 0.09 {
		t.Errorf("errors 20: eu in %.1f%% of 500 TCP answers, want 42.9%% ± 9", 100*tcp)
	}
	if f := signalFactor(t, metrics); f != 0.75 {
		t.Errorf("member_weight_factor %v after the shares, want 0.75 still", f)
	}
	if h := signalHealthy(t, metrics); h != 1 {
		t.Errorf("member_healthy of eu %v, want 1: no two probes in a row fail", h)
	}
	t.Logf("took %v (%d probes)", time.Since(start).Round(time.Millisecond), b.n.Load())
}

// promValue is Prometheus's answer to the query slo_value, "" on an error.
func promValue(t *testing.T, p *promtest.Server) string {
	t.Helper()
	code, body := getURL(t, p.URL+"/api/v1/query?query=slo_value")
	if code != http.StatusOK {
		return ""
	}
	return body
}

// TestSignalPromQL: eu's weight follows a metric in Prometheus: within the
// shed band its share follows the factor, above down_above it is 0, and
// with Prometheus gone the share holds for stale, then the signal is
// ignored (factor 1, 50%).
func TestSignalPromQL(t *testing.T) {
	t.Parallel()
	start := time.Now()
	const stale = 8 * time.Second
	exp := promtest.StartExporter(t, "0.5")
	prom := promtest.Start(t, exp.Addr)
	probe := newAgentServer(t, "") // the member's probe address, which a promql check does not dial
	check := fmt.Sprintf("            promql %s \"slo_value{site='{pool}'}\"\n            shed_above 1 2\n            down_above 3\n            stale %v", prom.URL, stale)
	s, metrics := signalSetup(t, check, "", probe.port())
	eventually(t, "Prometheus has a sample of slo_value", 30*time.Second, func() bool {
		return strings.Contains(promValue(t, prom), `"value":[`)
	})
	eventually(t, "eu healthy", signalSettle, func() bool { return signalHealthy(t, metrics) == 1 })
	s.awaitShare(t, "slo 0.5, below the band", 0.5)

	// 1.5 in the band 1..2: 1 - 0.9 × 0.5 = 0.55.
	exp.Set("1.5")
	awaitFactor(t, metrics, "slo 1.5", 0.55)
	s.expectShare(t, "slo 1.5", 0.55/1.55)

	exp.Set("4")
	eventually(t, "eu down above 3", signalSettle, func() bool { return signalHealthy(t, metrics) == 0 })
	s.expectShare(t, "slo 4, above down_above", 0)

	exp.Set("1.5")
	eventually(t, "eu back up", signalSettle, func() bool { return signalHealthy(t, metrics) == 1 })
	awaitFactor(t, metrics, "slo 1.5 again", 0.55)
	s.expectShare(t, "slo 1.5 again", 0.55/1.55)

	// Prometheus gone: the last value holds for stale, then is ignored.
	killed := time.Now()
	prom.Kill()
	// The value is as old as the last query that had one, up to an
	// interval before the kill: check the hold until 2s before stale.
	for time.Since(killed) < stale-2*time.Second {
		got := s.euShare(t, "udp", 1000)
		f, h := signalFactor(t, metrics), signalHealthy(t, metrics)
		ago := time.Since(killed)
		t.Logf("Prometheus killed %v ago: eu %.1f%% of 1000 answers, factor %v", ago.Round(100*time.Millisecond), 100*got, f)
		if ago >= stale-time.Second {
			break // a slow round: the hold may end now
		}
		if h != 1 || f != 0.55 || math.Abs(got-0.55/1.55) > 0.065 {
			t.Fatalf("Prometheus killed %v ago (stale %v): eu %.1f%% of 1000 answers, healthy %v, factor %v; want the share to hold at 35.5%% ± 6.5, up, factor 0.55", ago.Round(time.Millisecond), stale, 100*got, h, f)
		}
		time.Sleep(500 * time.Millisecond)
	}
	awaitFactor(t, metrics, "Prometheus gone beyond stale", 1)
	if d := time.Since(killed); d < stale-time.Second {
		t.Errorf("factor 1 (signal ignored) %v after Prometheus was killed, want not before stale %v", d, stale)
	}
	if h := signalHealthy(t, metrics); h != 1 {
		t.Errorf("Prometheus gone beyond stale: member_healthy of eu %v, want 1", h)
	}
	s.expectShare(t, "Prometheus gone beyond stale", 0.5)
	t.Logf("took %v", time.Since(start).Round(time.Millisecond))
}
