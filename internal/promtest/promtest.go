// Package promtest runs, for tests, a real Prometheus (Debian's package,
// which .ci/run installs) on loopback, scraping an exporter whose one gauge
// the test sets.
package promtest

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// Binary is Debian's prometheus package.
const Binary = "/usr/bin/prometheus"

// Exporter serves one gauge, slo_value{site="eu"}, in the text exposition
// format, at the value the test sets; "" serves no series at all.
type Exporter struct {
	Addr  string // 127.0.0.1:PORT
	mu    sync.Mutex
	value string
}

// StartExporter serves value until the test ends.
func StartExporter(t testing.TB, value string) *Exporter {
	t.Helper()
	e := &Exporter{value: value}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.Addr = l.Addr().String()
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		e.mu.Lock()
		defer e.mu.Unlock()
		if e.value != "" {
			fmt.Fprintf(w, "# TYPE slo_value gauge\nslo_value{site=\"eu\"} %s\n", e.value)
		}
	}), ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return e
}

// Set changes the value served.
func (e *Exporter) Set(v string) {
	e.mu.Lock()
	e.value = v
	e.mu.Unlock()
}

// Server is a real Prometheus scraping one target every second.
type Server struct {
	URL  string // http://127.0.0.1:PORT
	cmd  *exec.Cmd
	out  *lockedBuffer
	done chan struct{}
}

// Start runs Prometheus scraping scrape (HOST:PORT) and returns once it
// is ready; it is killed by its PID when the test ends. A missing binary
// fails the test: the tests that need it run it for real.
func Start(t testing.TB, scrape string) *Server {
	t.Helper()
	if _, err := os.Stat(Binary); err != nil {
		t.Fatalf("%s: %v: this test runs a real Prometheus; .ci/run installs Debian's prometheus package", Binary, err)
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "prometheus.yml")
	yml := fmt.Sprintf("global:\n  scrape_interval: 1s\n  scrape_timeout: 500ms\nscrape_configs:\n  - job_name: exporter\n    static_configs:\n      - targets: ['%s']\n", scrape)
	if err := os.WriteFile(conf, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0") // a free port, handed to Prometheus
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	s := &Server{URL: "http://" + addr, out: &lockedBuffer{}, done: make(chan struct{})}
	s.cmd = exec.Command(Binary, "--config.file="+conf, "--storage.tsdb.path="+filepath.Join(dir, "tsdb"),
		"--web.listen-address="+addr, "--log.level=warn")
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.cmd.Wait(); close(s.done) }()
	t.Cleanup(func() {
		s.Kill()
		if t.Failed() {
			t.Logf("prometheus output:\n%s", s.out)
		}
	})
	s.await(t, 30*time.Second)
	return s
}

// await polls /-/ready until it answers 200.
func (s *Server) await(t testing.TB, within time.Duration) {
	t.Helper()
	c := http.Client{Timeout: time.Second}
	deadline := time.Now().Add(within)
	for {
		resp, err := c.Get(s.URL + "/-/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("prometheus %s not ready within %s: %v\n%s", s.URL, within, err, s.out)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Kill stops Prometheus by its PID and reaps it; a second Kill does nothing.
func (s *Server) Kill() {
	select {
	case <-s.done:
		return
	default:
	}
	s.cmd.Process.Kill()
	<-s.done
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
