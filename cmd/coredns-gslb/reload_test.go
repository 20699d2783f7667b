package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// reloadCorefile: %[1]s and %[2]s are the ports of the eu and us backends.
// The test adds records where the marker comment is.
const reloadCorefile = `gslb.test:1053 {
    bind 127.0.0.1
    reload 2s
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
        record app {
            policy failover
            pools eu us
            ttl 30
        }
        # more records
    }
}
`

const reloadMarker = "        # more records\n"

func TestReload(t *testing.T) {
	t.Parallel()
	eu, us := newHTTPBackend(t), newHTTPBackend(t)
	s := startServer(t, fmt.Sprintf(reloadCorefile, eu.port(), us.port()))
	path := s.corefilePath(t)
	base, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	eu.settled(t)
	us.settled(t)
	s.expect(t, "app.gslb.test.", fromEU)

	// eu goes down before the reload: app fails over to us.
	killed := time.Now()
	eu.kill(t)
	s.pollUntil(t, "app.gslb.test.", killed, failBound, fromUS, fromEU)

	// From here on app must answer from us on every query, through both
	// reloads: no SERVFAIL, no timeout, no flap back to eu.
	loop := s.keepAsking(t, "app.gslb.test.", fromUS)

	// A new record: once it answers, the new configuration serves, and its
	// first answer already knows that eu is down.
	added := "        record added {\n            pools eu us\n            ttl 30\n        }\n"
	reloaded := time.Now()
	rewriteCorefile(t, path, string(base), added)
	took := s.pollUntil(t, "added.gslb.test.", reloaded, 10*time.Second, fromUS, "NXDOMAIN")
	t.Logf("new record answers %v after the rewrite", took.Round(time.Millisecond))
	s.expect(t, "added.gslb.test.", fromUS)

	// A broken Corefile: the reload fails with the file, line and problem,
	// and the running configuration (app and added) keeps serving.
	broken := added + "        record broken {\n            policy failover\n            pools eu asia\n        }\n"
	text := rewriteCorefile(t, path, string(base), broken)
	line := slices.Index(strings.Split(text, "\n"), "            pools eu asia") + 1
	logLine := s.waitLog(t, "reload failed", 10*time.Second)
	for _, want := range []string{fmt.Sprintf("%s:%d", path, line), `unknown pool "asia"`} {
		if !strings.Contains(logLine, want) {
			t.Errorf("log line %q does not contain %q", logLine, want)
		}
	}
	s.expect(t, "added.gslb.test.", fromUS)
	s.expect(t, "app.gslb.test.", fromUS)
	s.expect(t, "broken.gslb.test.", "NXDOMAIN")
	s.holds(t, "added.gslb.test.", 2*probeInterval, fromUS)

	a := loop()
	for _, err := range a.errs[:min(len(a.errs), 10)] {
		t.Error(err)
	}
	if len(a.errs) > 0 || a.n < 100 {
		t.Errorf("%d of %d queries for app during the reloads went wrong; want every one of at least 100 answered %q", len(a.errs), a.n, fromUS)
	}
	t.Logf("%d queries during the reloads answered %q (%d TCP connections reset by the restart, answered when asked again)", a.n, fromUS, a.resets)
	t.Logf("reload failure logged: %s", logLine)
}

// corefilePath is the Corefile the process runs, from its -conf argument.
func (s *server) corefilePath(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", s.pid))
	if err != nil {
		t.Fatal(err)
	}
	args := strings.Split(strings.TrimSuffix(string(b), "\x00"), "\x00")
	i := slices.Index(args, "-conf")
	if i < 0 || i+1 >= len(args) {
		t.Fatalf("coredns-gslb runs with %q: no -conf FILE", args)
	}
	return args[i+1]
}

// rewriteCorefile writes base, the Corefile as first run, with extra where
// reloadMarker is to path, in one rename so reload never reads half a file.
// It returns the text written.
func rewriteCorefile(t *testing.T, path, base, extra string) string {
	t.Helper()
	if !strings.Contains(base, reloadMarker) {
		t.Fatalf("no %q in %s", reloadMarker, path)
	}
	text := strings.Replace(base, reloadMarker, reloadMarker+extra, 1)
	tmp := filepath.Join(filepath.Dir(path), ".Corefile.new")
	if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
	return text
}

// waitLog returns the first line of the process's output containing sub,
// waiting up to d for it.
func (s *server) waitLog(t *testing.T, sub string, d time.Duration) string {
	t.Helper()
	for deadline := time.Now().Add(d); ; time.Sleep(20 * time.Millisecond) {
		for _, l := range strings.Split(s.out.String(), "\n") {
			if strings.Contains(l, sub) {
				return l
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no line with %q in the output within %v", sub, d)
		}
	}
}

// asked is what keepAsking saw.
type asked struct {
	n      int     // queries
	resets int     // TCP queries reset by the server, asked again
	errs   []error // wrong answers, timeouts, failures of a second try
}

// keepAsking queries name every 5ms, alternating UDP and TCP, each with a 1s
// timeout and no retry, until the returned stop is called (or the test
// ends); every reply must be want.
//
// One exception: a TCP connection the server resets is asked again once, on
// a new connection, and must then answer want. CoreDNS's graceful restart
// does that to a connection the old server accepted but had not read yet
// (miekg/dns ShutdownContext sets a read deadline in the past on it), which
// gslb cannot prevent; a TCP client retries such a reset at once.
func (s *server) keepAsking(t *testing.T, name, want string) (stop func() asked) {
	var (
		wg   sync.WaitGroup
		once sync.Once
		done = make(chan struct{})
		a    asked
	)
	ask := func(netw string) (string, error) {
		c := dns.Client{Net: netw, Timeout: time.Second}
		m := new(dns.Msg)
		m.SetQuestion(name, dns.TypeA)
		r, _, err := c.Exchange(m, s.Addr)
		if err != nil {
			return "", err
		}
		return replySummary(r), nil
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
			netw := []string{"udp", "tcp"}[i%2]
			got, err := ask(netw)
			a.n++
			if netw == "tcp" && (errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF)) {
				a.resets++
				got, err = ask(netw)
			}
			at := time.Now().Format("15:04:05.000")
			switch {
			case err != nil:
				a.errs = append(a.errs, fmt.Errorf("%s %s A over %s: %v", at, name, netw, err))
			case got != want:
				a.errs = append(a.errs, fmt.Errorf("%s %s A over %s: %q, want %q", at, name, netw, got, want))
			}
		}
	}()
	stop = func() asked {
		once.Do(func() { close(done) })
		wg.Wait()
		return a
	}
	t.Cleanup(func() { stop() })
	return stop
}
