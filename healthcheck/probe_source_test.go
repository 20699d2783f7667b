package healthcheck

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"
	"google.golang.org/grpc"
	"google.golang.org/grpc/peer"

	"github.com/gslb/gslb/internal/listentest"
)

// sourceBackends start, for each probe kind, a backend on 127.0.0.1 that
// notes the peer of every connection, request or query, and the check that
// probes it.
var sourceBackends = map[Kind]func(t *testing.T, peers listentest.Peers) (string, Check){
	TCP: func(t *testing.T, peers listentest.Peers) (string, Check) {
		l, addr := listentest.Loopback(t, "tcp4", false)
		go peers.Accept(l)
		return addr, testCheck(TCP)
	},
	HTTP: func(t *testing.T, peers listentest.Peers) (string, Check) {
		srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { peers.Note(r.RemoteAddr) }))
		t.Cleanup(srv.Close)
		c := testCheck(HTTP)
		c.Path, c.Timeout = "/", time.Second
		return srv.Listener.Addr().String(), c
	},
	HTTPS: func(t *testing.T, peers listentest.Peers) (string, Check) {
		srv := httptest.NewTLSServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { peers.Note(r.RemoteAddr) }))
		t.Cleanup(srv.Close)
		c := tlsCheck()
		c.TLS.SkipVerify = true
		return srv.Listener.Addr().String(), c
	},
	DNS: func(t *testing.T, peers listentest.Peers) (string, Check) {
		addr := dnsBackendSeeing(t, dns.RcodeSuccess, func(w dns.ResponseWriter, _ *dns.Msg) { peers.Note(w.RemoteAddr().String()) })
		return addr, dnsCheck("health.example.", dns.TypeA)
	},
	GRPC: func(t *testing.T, peers listentest.Peers) (string, Check) {
		_, l := grpcBackend(t, "127.0.0.1:0", grpc.UnaryInterceptor(
			func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, handle grpc.UnaryHandler) (any, error) {
				if p, ok := peer.FromContext(ctx); ok {
					peers.Note(p.Addr.String())
				}
				return handle(ctx, req)
			}))
		return l.Addr().String(), grpcCheck("")
	},
}

// Every probe kind leaves from its check's source: probes from 127.0.0.2
// and from 127.0.0.3 (Linux routes all of 127/8 to lo) reach a backend on
// 127.0.0.1 from those addresses.
func TestProbesLeaveFromSource(t *testing.T) {
	for kind, backend := range sourceBackends {
		t.Run(kind.String(), func(t *testing.T) {
			peers := listentest.NewPeers()
			addr, check := backend(t, peers)
			for _, source := range []string{"127.0.0.2", "127.0.0.3"} {
				check.Source = netip.MustParseAddr(source)
				wantReason(t, runProbe(t, Target{Addr: addr, Check: check}), "")
				if got := peers.Next(t); got != check.Source {
					t.Errorf("probe from %s: the backend saw %s", source, got)
				}
			}
		})
	}
}

// A source cannot reach a target of the other family: every probe kind
// fails with reason error, naming both, and dials nothing.
func TestProbeFromSourceOfTheOtherFamily(t *testing.T) {
	for kind, backend := range sourceBackends {
		t.Run(kind.String(), func(t *testing.T) {
			peers := listentest.NewPeers()
			addr, check := backend(t, peers)
			check.Source = netip.MustParseAddr("::1")
			err := runProbe(t, Target{Addr: addr, Check: check})
			wantReason(t, err, reasonError)
			if want := "source ::1 is IPv6, target " + addr + " is IPv4"; !strings.Contains(err.Error(), want) {
				t.Errorf("probe of %s from ::1: %v, want %q", addr, err, want)
			}
			if len(peers) != 0 {
				t.Errorf("the backend saw %s", <-peers)
			}
		})
	}
}
