// Command backendfarm is the loopback backend farm of bench/probecost: N
// listeners on 127.0.0.1, each on its own port, that accept TCP connections
// and close them (-mode tcp) or answer every HTTP request with 200 "ok" (-mode
// http). Ports are taken from -base upwards, skipping ports in use, and must
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
	mode := flag.String("mode", "tcp", "tcp (accept and close) or http (200 to every request)")
	host := flag.String("host", "127.0.0.1", "address to listen on")
	base := flag.Int("base", 0, "first port to try (0: kernel-chosen ports)")
	maxPort := flag.Int("max", 32768, "ports stay below this one (with -base)")
	ports := flag.String("ports", "ports.txt", "file to write the ports to")
	stats := flag.String("stats", "", "file to rewrite every second with the counters")
	duration := flag.Duration("duration", time.Hour, "exit after this long (a bound for forgotten farms)")
	flag.Parse()
	if *mode != "tcp" && *mode != "http" {
		fail(fmt.Errorf("-mode: want tcp or http, got %q", *mode))
	}

	handler := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		requests.Add(1)
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("ok\n"))
	})
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
		if *mode == "tcp" {
			go acceptAndClose(cl)
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

func acceptAndClose(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			time.Sleep(10 * time.Millisecond) // EMFILE and the like: back off
			continue
		}
		c.Close()
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "backendfarm:", err)
	os.Exit(1)
}
