package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coredns/caddy/caddyfile"
	"github.com/miekg/dns"
)

// binary is the coredns-gslb executable that TestMain builds once.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "coredns-gslb-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "coredns-gslb")
	build := exec.Command("go", "build", "-o", binary, ".")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "go build -o %s .: %v\n%s", binary, err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// server is one running coredns-gslb process.
type server struct {
	Addr   string                  // 127.0.0.1:PORT of the Corefile's first server block
	Blocks []caddyfile.ServerBlock // the Corefile as run, ports rewritten
	pid    int
	out    *syncBuffer
	done   chan struct{} // closed when the process has exited
	err    error         // its exit status, once done is closed
}

// startServer runs the binary on corefile, with each port of its server
// block keys replaced by a free loopback port, and returns once every port
// answers over UDP and TCP. The process is stopped when the test ends.
func startServer(t *testing.T, corefile string) *server {
	t.Helper()
	for attempt := 1; ; attempt++ {
		s, err := launch(t, corefile)
		if err == nil {
			return s
		}
		if !errors.Is(err, syscall.EADDRINUSE) || attempt == 3 {
			t.Fatal(err)
		}
		t.Logf("attempt %d: %v; retrying on other ports", attempt, err)
	}
}

func launch(t *testing.T, corefile string) (*server, error) {
	text := rewritePorts(t, corefile)
	blocks := loopbackOnly(t, text)
	probes := map[string]string{} // 127.0.0.1:PORT → a zone served there
	addr := ""
	for _, b := range blocks {
		for _, key := range b.Keys {
			a := keyAddr(key)
			if addr == "" {
				addr = a
			}
			if _, ok := probes[a]; !ok {
				_, host, _ := splitKey(key)
				probes[a] = dns.Fqdn(host)
			}
		}
	}
	return run(t, text, blocks, addr, probes)
}

// run starts the binary on the Corefile text, whose server blocks are
// blocks, and returns once every address of probes answers a query for
// its zone; the server's Addr is addr.
func run(t *testing.T, text string, blocks []caddyfile.ServerBlock, addr string, probes map[string]string) (*server, error) {
	path := filepath.Join(t.TempDir(), "Corefile")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	s := &server{Addr: addr, Blocks: blocks, out: &syncBuffer{}, done: make(chan struct{})}
	cmd := exec.Command(binary, "-conf", path)
	cmd.Dir = filepath.Dir(path)
	cmd.Stdout, cmd.Stderr = s.out, s.out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s.pid = cmd.Process.Pid
	go func() { s.err = cmd.Wait(); close(s.done) }()
	if err := s.waitReady(probes); err != nil {
		syscall.Kill(s.pid, syscall.SIGKILL)
		<-s.done
		return nil, fmt.Errorf("%w\nCorefile:\n%s\ncoredns-gslb output:\n%s", err, text, s.out)
	}
	t.Cleanup(func() { s.stop(t) })
	return s, nil
}

// waitReady returns once every address of probes answers a query for its
// zone over UDP and TCP, or with an error when the process exits or 30s
// pass first.
func (s *server) waitReady(probes map[string]string) error {
	deadline := time.Now().Add(30 * time.Second)
	for addr, zone := range probes {
		for !answers(addr, zone) {
			select {
			case <-s.done:
				if strings.Contains(s.out.String(), "address already in use") {
					return fmt.Errorf("coredns-gslb could not bind: %w", syscall.EADDRINUSE)
				}
				return fmt.Errorf("coredns-gslb exited before answering: %v", s.err)
			case <-time.After(20 * time.Millisecond):
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("coredns-gslb did not answer on %s within 30s", addr)
			}
		}
	}
	return nil
}

// answers reports whether addr replies, with any rcode, over UDP and TCP.
func answers(addr, zone string) bool {
	m := new(dns.Msg)
	m.SetQuestion(zone, dns.TypeSOA)
	for _, n := range []string{"udp", "tcp"} {
		c := dns.Client{Net: n, Timeout: 250 * time.Millisecond}
		if _, _, err := c.Exchange(m, addr); err != nil {
			return false
		}
	}
	return true
}

// stop sends SIGTERM to the process and expects a clean exit.
func (s *server) stop(t *testing.T) {
	defer func() {
		if t.Failed() {
			t.Logf("coredns-gslb output:\n%s", s.out)
		}
	}()
	select {
	case <-s.done:
		t.Errorf("coredns-gslb (pid %d) exited during the test: %v", s.pid, s.err)
		return
	default:
	}
	if err := syscall.Kill(s.pid, syscall.SIGTERM); err != nil && !errors.Is(err, syscall.ESRCH) {
		t.Errorf("SIGTERM to coredns-gslb (pid %d): %v", s.pid, err)
	}
	select {
	case <-s.done:
		if s.err != nil {
			t.Errorf("coredns-gslb (pid %d) exited with %v, want status 0 after SIGTERM", s.pid, s.err)
		}
	case <-time.After(10 * time.Second):
		syscall.Kill(s.pid, syscall.SIGKILL)
		<-s.done
		t.Errorf("coredns-gslb (pid %d) did not exit within 10s of SIGTERM; killed", s.pid)
	}
}

// at returns s querying addr, one of its other ports, instead of s.Addr.
func (s *server) at(addr string) *server {
	other := *s
	other.Addr = addr
	return &other
}

// exchange sends m over netw ("udp" or "tcp"), retrying a lost UDP packet.
func (s *server) exchange(t *testing.T, netw string, m *dns.Msg) *dns.Msg {
	t.Helper()
	c := dns.Client{Net: netw, Timeout: 2 * time.Second}
	var err error
	for range 3 {
		var r *dns.Msg
		if r, _, err = c.Exchange(m, s.Addr); err == nil {
			return r
		}
	}
	t.Fatalf("%s query %s to %s: %v\ncoredns-gslb output:\n%s", netw, m.Question[0].String(), s.Addr, err, s.out)
	return nil
}

// query asks for name and qtype over netw, with an EDNS0 OPT when edns is set.
func (s *server) query(t *testing.T, netw, name string, qtype uint16, edns bool) *dns.Msg {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(name, qtype)
	if edns {
		m.SetEdns0(1232, false)
	}
	return s.exchange(t, netw, m)
}

// syncBuffer collects the process's output while tests read it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
