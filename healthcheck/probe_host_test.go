package healthcheck

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// staticNames is a Names whose answers the test sets: what the background
// resolver would have found (the hostname package's tests resolve for real).
type staticNames struct {
	mu    sync.Mutex
	addrs map[string][]netip.Addr
}

func (n *staticNames) set(host string, addrs ...string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	var as []netip.Addr
	for _, a := range addrs {
		as = append(as, netip.MustParseAddr(a))
	}
	n.addrs[host] = as
}

func (n *staticNames) Addrs(host string) ([]netip.Addr, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if as := n.addrs[host]; len(as) > 0 {
		return as, nil
	}
	return nil, errors.New("host name " + host + " does not resolve: NXDOMAIN")
}

func (n *staticNames) String() string { return "static" }

func TestHostProbeDialsWhatTheNameResolvesTo(t *testing.T) {
	var host atomic.Pointer[string]
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := r.Host
		host.Store(&h)
	}))
	defer srv.Close()
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	names := &staticNames{addrs: map[string][]netip.Addr{}}
	names.set("nlb.example.net.", "127.0.0.1")
	chk := testCheck(HTTP)
	chk.Path = "/"
	target := Target{Addr: net.JoinHostPort("nlb.example.net.", port), Check: chk, Names: names}
	p := newProbe(target)
	defer p.close()
	run := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		return p.run(ctx)
	}
	wantReason(t, run(), "")
	if got := *host.Load(); got != "nlb.example.net" {
		t.Errorf("Host %q, want the member's name", got)
	}
	// The name moves to an address where nothing listens: the probe follows.
	names.set("nlb.example.net.", "127.0.0.254")
	wantReason(t, run(), reasonRefused)
	names.set("nlb.example.net.", "127.0.0.1")
	wantReason(t, run(), "")
	names.set("nlb.example.net.")
	wantReason(t, run(), reasonResolve)
	// A source of the other family finds no address to dial.
	names.set("nlb.example.net.", "127.0.0.1")
	chk.Source = netip.MustParseAddr("::1")
	other := newProbe(Target{Addr: target.Addr, Check: chk, Names: names})
	defer other.close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	wantReason(t, other.run(ctx), reasonResolve)
}

func TestHostTargetKeyNamesTheResolver(t *testing.T) {
	a := Target{Addr: "nlb.example.net.:80", Check: testCheck(TCP), Names: &staticNames{}}
	b := Target{Addr: "nlb.example.net.:80", Check: testCheck(TCP)}
	if a.Key() == b.Key() {
		t.Error("a target resolved through a resolver shares its key with one that is not")
	}
}
