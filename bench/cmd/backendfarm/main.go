// Command backendfarm is the loopback backend farm of bench/probecost: N
// listeners on 127.0.0.1, each on its own port, that accept TCP connections
// and close them (-mode tcp), answer every HTTP request with 200 "ok" (-mode
// http), or speak HAProxy's agent protocol: write one line of agent words
// (-agent, "100%") and close (-mode agent).
//
// Two modes serve the promql check instead, on one listener (-n is then the
// number of pools): -mode exporter is a Prometheus target whose /metrics holds
// one series per pool, gslb_bench_pool_load{pool="p0"} ... {pool="pN-1"}, for
// a real Prometheus to scrape; -mode promapi stands in for Prometheus itself,
// answering every /api/v1/query with the same valid one-sample vector, so only
// the client's side of a query is measured. Ports are taken from -base upwards, skipping ports in use, and must
// stay below -max: keep them out of the ephemeral range, where the probes'
// own connections (and their TIME_WAIT) live. -base 0 lets the kernel choose.
//
// Once every listener is up it writes their ports, one per line, to -ports
// (through a temporary file and a rename, so the file appears complete).
// Every second it rewrites -stats with the connections accepted and the HTTP
// requests answered so far ("accepted N requests N"). It runs until killed or
// for -duration.
package main

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

var accepted, requests atomic.Int64

// countingListener counts accepted connections.
type countingListener struct{ net.Listener }

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		accepted.Add(1)
	}
	return c, err
}

func main() {
	n := flag.Int("n", 10000, "number of listeners")
	mode := flag.String("mode", "tcp", "tcp (accept and close), http (200 to every request), agent (write -agent and close), exporter or promapi (one listener)")
	agent := flag.String("agent", "100%", "the agent line of -mode agent (a newline is added)")
	host := flag.String("host", "127.0.0.1", "address to listen on")
	base := flag.Int("base", 0, "first port to try (0: kernel-chosen ports)")
	maxPort := flag.Int("max", 32768, "ports stay below this one (with -base)")
	ports := flag.String("ports", "ports.txt", "file to write the ports to")
	stats := flag.String("stats", "", "file to rewrite every second with the counters")
	duration := flag.Duration("duration", time.Hour, "exit after this long (a bound for forgotten farms)")
	flag.Parse()
	var handler http.Handler
	switch *mode {
	case "tcp", "agent":
	case "http":
		handler = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			requests.Add(1)
			w.Header().Set("Content-Type", "text/plain")
			_, _ = w.Write([]byte("ok\n"))
		})
	case "exporter":
		handler = exporter(*n)
		*n = 1
	case "promapi":
		handler = promAPI()
		*n = 1
	default:
		fail(fmt.Errorf("-mode: want tcp, http, agent, exporter or promapi, got %q", *mode))
	}
	agentLine := []byte(*agent + "\n")
	var list strings.Builder
	port := *base
	for i := range *n {
		var ln net.Listener
		var err error
		for {
			if *base > 0 && port >= *maxPort {
				fail(fmt.Errorf("listener %d of %d: no free port in [%d, %d)", i+1, *n, *base, *maxPort))
			}
			ln, err = net.Listen("tcp", net.JoinHostPort(*host, strconv.Itoa(port)))
			if *base > 0 {
				port++
			}
			if err == nil || !errors.Is(err, syscall.EADDRINUSE) || *base == 0 {
				break
			}
		}
		if err != nil {
			fail(fmt.Errorf("listener %d of %d: %w (raise ulimit -n?)", i+1, *n, err))
		}
		list.WriteString(strconv.Itoa(ln.Addr().(*net.TCPAddr).Port))
		list.WriteByte('\n')
		cl := countingListener{ln}
		switch *mode {
		case "tcp":
			go acceptAndClose(cl, nil)
			continue
		case "agent":
			go acceptAndClose(cl, agentLine)
			continue
		}
		srv := &http.Server{Handler: handler, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 10 * time.Second}
		go func() { _ = srv.Serve(cl) }()
	}
	if err := os.WriteFile(*ports+".tmp", []byte(list.String()), 0o644); err != nil {
		fail(err)
	}
	if err := os.Rename(*ports+".tmp", *ports); err != nil {
		fail(err)
	}
	end := time.After(*duration)
	tick := time.NewTicker(time.Second)
	for {
		select {
		case <-end:
			return
		case <-tick.C:
		}
		if *stats != "" {
			s := fmt.Sprintf("accepted %d requests %d\n", accepted.Load(), requests.Load())
			if err := os.WriteFile(*stats+".tmp", []byte(s), 0o644); err == nil {
				_ = os.Rename(*stats+".tmp", *stats)
			}
		}
	}
}

// acceptAndClose accepts connections and closes them, after writing reply
// when there is one (the agent's line: it fits any socket buffer, so the
// write does not block).
func acceptAndClose(ln net.Listener, reply []byte) {
	for {
		c, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			time.Sleep(10 * time.Millisecond) // EMFILE and the like: back off
			continue
		}
		if reply != nil {
			_, _ = c.Write(reply)
		}
		c.Close()
	}
}

// exporter serves /metrics with one gauge per pool, in the text format.
func exporter(pools int) http.Handler {
	var b strings.Builder
	b.WriteString("# HELP gslb_bench_pool_load A constant per pool, for bench/probecost's promql checks.\n# TYPE gslb_bench_pool_load gauge\n")
	for i := range pools {
		fmt.Fprintf(&b, "gslb_bench_pool_load{pool=\"p%d\"} 0.25\n", i)
	}
	body := []byte(b.String())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/metrics" {
			http.NotFound(w, r)
			return
		}
		requests.Add(1)
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		_, _ = w.Write(body)
	})
}

// promAPI answers every instant query as Prometheus would a selector that
// matches one series: a vector of one sample, value 0.25, stamped now.
func promAPI() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/query" || r.URL.Query().Get("query") == "" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"status":"error","errorType":"bad_data","error":"no query"}`))
			return
		}
		requests.Add(1)
		now := float64(time.Now().UnixMilli()) / 1000
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"pool":"p"},"value":[%.3f,"0.25"]}]}}`, now)
	})
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "backendfarm:", err)
	os.Exit(1)
}
