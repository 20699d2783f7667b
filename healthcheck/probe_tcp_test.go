package healthcheck

import (
	"context"
	"github.com/gslb/gslb/internal/listentest"
	"net"
	"testing"
	"time"
)

// TestTCPProbe probes an IPv4 and an IPv6 address and a host name. How the
// connection is made and closed (with a reset) is package dial's test.
func TestTCPProbe(t *testing.T) {
	for _, network := range []string{"tcp4", "tcp6", "localhost"} {
		t.Run(network, func(t *testing.T) {
			listen, byName := network, false
			if network == "localhost" {
				listen, byName = "tcp4", true
			}
			_, addr := listentest.Loopback(t, listen, byName)
			wantReason(t, runProbe(t, Target{Addr: addr, Check: testCheck(TCP)}), "")
		})
	}
	wantReason(t, runProbe(t, Target{Addr: closedPort(t, "tcp"), Check: testCheck(TCP)}), reasonRefused)
}

// A backend that drops connection attempts times out, by address (bare
// socket) and by name (net.Dialer); a stop of the prober ends the probe at once.
func TestTCPProbeTimesOutOnFullBacklog(t *testing.T) {
	addr, _ := listentest.Full(t)
	_, port, _ := net.SplitHostPort(addr)
	for _, addr := range []string{addr, net.JoinHostPort("localhost", port)} {
		c := testCheck(TCP)
		c.Timeout = 200 * time.Millisecond
		target := Target{Addr: addr, Check: c}
		start := time.Now()
		wantReason(t, runProbe(t, target), reasonTimeout)
		if took := time.Since(start); took < c.Timeout || took > c.Timeout+slack {
			t.Errorf("%s: probe took %s, want about the timeout %s", addr, took, c.Timeout)
		}

		p := newProbe(target)
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		start = time.Now()
		if err := probeBy(ctx, p, start.Add(time.Minute)); err == nil {
			t.Fatalf("%s: probe of a full backlog succeeded", addr)
		}
		if took := time.Since(start); took > slack {
			t.Errorf("%s: stopped probe returned after %s", addr, took)
		}
	}
}
