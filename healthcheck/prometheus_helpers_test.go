package healthcheck

import (
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

// prometheusBin is Debian's prometheus package, which .ci/run installs.
const prometheusBin = "/usr/bin/prometheus"

// exporter serves one gauge, slo_value{site="eu"}, in the text exposition
// format, at a value the test sets; "" serves no series at all.
type exporter struct {
	mu    sync.Mutex
	value string
	addr  string
}

func startExporter(t *testing.T, value string) *exporter {
	e := &exporter{value: value}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e.addr = l.Addr().String()
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		e.mu.Lock()
		defer e.mu.Unlock()
		if e.value != "" {
			fmt.Fprintf(w, "# TYPE slo_value gauge\nslo_value{site=\"eu\"} %s\n", e.value)
		}
	})}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return e
}

func (e *exporter) set(v string) {
	e.mu.Lock()
	e.value = v
	e.mu.Unlock()
}

// prometheusServer is a real Prometheus on loopback scraping an exporter
// every second, stopped by its PID at the test's end.
type prometheusServer struct {
	url string
	cmd *exec.Cmd
}

func startPrometheus(t *testing.T, scrape string) *prometheusServer {
	t.Helper()
	if _, err := os.Stat(prometheusBin); err != nil {
		t.Fatalf("%s: %v: the promql tests run a real Prometheus; .ci/run installs Debian's prometheus package", prometheusBin, err)
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
	cmd := exec.Command(prometheusBin, "--config.file="+conf, "--storage.tsdb.path="+filepath.Join(dir, "tsdb"),
		"--web.listen-address="+addr, "--log.level=warn")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &prometheusServer{url: "http://" + addr, cmd: cmd}
	t.Cleanup(p.stop)
	p.await(t, "/-/ready", 30*time.Second)
	return p
}

// await polls path until it answers 200.
func (p *prometheusServer) await(t *testing.T, path string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		resp, err := http.Get(p.url + path)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("prometheus %s not ready within %s: %v", p.url, within, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stop kills Prometheus by its PID and reaps it; a second stop does nothing.
func (p *prometheusServer) stop() {
	if p.cmd.ProcessState != nil {
		return
	}
	p.cmd.Process.Kill()
	p.cmd.Wait()
}
