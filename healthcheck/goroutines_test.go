package healthcheck

import (
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// Probers of every kind leave no goroutine behind once released.
func TestReleaseLeavesNoGoroutines(t *testing.T) {
	web := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(web.Close)
	secure := httptest.NewTLSServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	t.Cleanup(secure.Close)
	tcp, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tcp.Close() })
	go func() {
		for {
			c, err := tcp.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	dnsAddr := dnsBackend(t, dns.RcodeSuccess, nil)
	_, grpcListener := grpcBackend(t, "127.0.0.1:0")
	hung := newHungServer(t)

	baseline := runtime.NumGoroutine()

	check := func(kind Kind, modify func(*Check)) Check {
		c := testCheck(kind)
		c.Rise, c.Timeout = 1, 90*time.Millisecond
		if modify != nil {
			modify(&c)
		}
		return c
	}
	targets := []Target{
		{Addr: web.Listener.Addr().String(), Check: check(HTTP, func(c *Check) { c.Path = "/" })},
		{Addr: secure.Listener.Addr().String(), Check: check(HTTPS, func(c *Check) {
			c.Path, c.TLS.CAFile, c.Timeout, c.Interval = "/", caFileOf(t, secure), time.Second, 2*time.Second
		})},
		{Addr: tcp.Addr().String(), Check: check(TCP, nil)},
		{Addr: dnsAddr, Check: check(DNS, func(c *Check) { c.QName, c.QType = "a.example.", dns.TypeA })},
		{Addr: grpcListener.Addr().String(), Check: check(GRPC, func(c *Check) { c.Timeout, c.Interval = time.Second, 2*time.Second })},
		{Addr: hung.Addr().String(), Check: check(HTTP, func(c *Check) { c.Path = "/" })},
	}
	r := NewRegistry(8)
	l := r.Acquire(targets, nil)
	select {
	case <-l.FirstRound():
	case <-time.After(5 * time.Second):
		t.Fatal("first round not finished")
	}
	for _, tg := range targets[:5] {
		if s := l.Status(tg); s.State != Up {
			t.Errorf("%s %s: %+v, want up", tg.Check.Kind, tg.Addr, s)
		}
	}
	if n := runtime.NumGoroutine(); n < baseline+len(targets) {
		t.Fatalf("%d goroutines while probing, want at least one per prober above the baseline %d", n, baseline)
	}

	l.Release()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > baseline {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines after release, baseline %d:\n%s", runtime.NumGoroutine(), baseline, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}
