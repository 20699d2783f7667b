package main

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/coredns/caddy"
)

// quietCorefile names listeners on %[1]s (DNS), %[2]s (prometheus), %[3]s
// (health) and %[4]s (ready), and a gslb check probing %[5]s by TCP.
const quietCorefile = `gslb.test:%[1]s {
    bind 127.0.0.1
    prometheus 127.0.0.1:%[2]s
    health 127.0.0.1:%[3]s
    ready 127.0.0.1:%[4]s
    gslb {
        check plain {
            tcp 80
            interval 100ms
            timeout 50ms
        }
        pool eu {
            member 192.0.2.10 probe %[5]s
            check plain
        }
        record app {
            policy failover
            pools eu
        }
    }
}
`

// TestCheckBindsAndProbesNothing: while the test holds every port the
// Corefile names, the check still succeeds (a listener it opened, or an
// OnStartup it ran, would fail on them), and the gslb check's TCP backend
// gets no connection. A start of the same Corefile fails to bind: the
// ports held are the ones a start listens on.
func TestCheckBindsAndProbesNothing(t *testing.T) {
	backend := listenTCP(t, "0").(*net.TCPListener)
	dnsPort := freePort(t)
	udp, err := net.ListenPacket("udp", net.JoinHostPort("127.0.0.1", dnsPort))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { udp.Close() })
	listenTCP(t, dnsPort)
	ports := []any{dnsPort}
	for range 3 { // prometheus, health, ready
		p := freePort(t)
		listenTCP(t, p)
		ports = append(ports, p)
	}
	corefile := fmt.Sprintf(quietCorefile, append(ports, backend.Addr().String())...)

	r := runChecker(t, corefile, nil)
	if r.code != checkOK || r.stdout != "Corefile: ok\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q; want Corefile: ok with the ports held\n%s", r.code, r.stdout, r.stderr, corefile)
	}
	// A probe the check had sent would be queued on the backend by now.
	backend.SetDeadline(time.Now().Add(300 * time.Millisecond))
	if c, err := backend.Accept(); err == nil {
		c.Close()
		t.Errorf("the check connected to the backend %s from %s", backend.Addr(), c.RemoteAddr())
	}

	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "Corefile"), []byte(corefile), 0o644); err != nil {
		t.Fatal(err)
	}
	start := runCheckerIn(t, dir, "-conf", "Corefile")
	if start.code == checkOK || !strings.Contains(start.stdout+start.stderr, "address already in use") {
		t.Errorf("a start with the ports held: exit %d, output %q; want it to fail binding", start.code, start.stdout+start.stderr)
	}
}

// listenTCP holds 127.0.0.1:port ("0": any) until the test ends.
func listenTCP(t *testing.T, port string) net.Listener {
	t.Helper()
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", port))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// TestLoadCorefileStartsNoGoroutine runs the check's load in this process
// on the plugins the manifests use, gslb with a store, checks and GeoIP
// among them, and finds no goroutine left running by it: each setup only
// registers what its OnStartup would start. (hosts is the exception the
// README names: its reload ticker starts at setup.)
func TestLoadCorefileStartsNoGoroutine(t *testing.T) {
	closed := "127.0.0.1:" + freePort(t)
	corefile := fmt.Sprintf(quietCorefile, "1053", "9153", "8080", "8181", closed)
	corefile = strings.Replace(corefile, "    gslb {\n", `    errors
    log
    reload 30s
    cache 30
    loadbalance
    loop
    kubernetes cluster.local {
        endpoint http://`+closed+`
    }
    forward . `+closed+`
    gslb {
        store etcd http://`+closed+` {
            observer check-test
        }
`, 1)
	before := runtime.NumGoroutine()
	if err := loadCorefile(caddy.CaddyfileInput{Contents: []byte(corefile), Filepath: "Corefile", ServerTypeName: serverType}); err != nil {
		t.Fatalf("%v\n%s", err, corefile)
	}
	// Goroutines of earlier tests may still be ending; none may be added.
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<20)
		t.Fatalf("%d goroutines before the load, %d after:\n%s", before, n, buf[:runtime.Stack(buf, true)])
	}
}
