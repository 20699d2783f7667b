package kubetest

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/gslb/gslb/internal/certtest"
)

// readyWithin bounds the start: a few seconds alone, but the race-detector
// test run keeps both cores busy while RBAC's bootstrap roles are written.
const readyWithin = 3 * time.Minute

// startServer runs the API server over etcd at etcdURL and waits for
// /readyz; it is stopped, by its PID, when the test ends.
func (c *Cluster) startServer(t testing.TB, bin, etcdURL string) {
	t.Helper()
	certtest.Files(t, c.dir, "service-account") // its key signs ES256 tokens
	tokens := []byte(adminToken + `,admin,admin-uid,"system:masters"` + "\n")
	if err := os.WriteFile(filepath.Join(c.dir, "tokens.csv"), tokens, 0o600); err != nil {
		t.Fatal(err)
	}
	c.bin, c.etcdURL = bin, etcdURL
	for attempt := 1; ; attempt++ {
		c.port = freePort(t)
		c.host = "https://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(c.port))
		err := c.launch(t)
		// Another test may have bound the port between freePort and the
		// server's listen; that is no failure of the server.
		if err == nil || !(attempt < 5 && portTaken(c.logPath())) {
			c.failed(t, err)
			return
		}
	}
}

// launch starts the server, logging to its log, and waits until it is ready.
func (c *Cluster) launch(t testing.TB) error {
	cmd := exec.Command(c.bin, c.flags(c.etcdURL, c.port)...)
	logFile, err := os.Create(c.logPath())
	if err != nil {
		return err
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return err
	}
	// Closed once the process has exited, for both the wait for readiness
	// and the stop to see; waitErr is the exit's, set before.
	exited := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); logFile.Close(); close(exited) }()
	c.proc, c.exited = cmd.Process, exited
	t.Cleanup(func() { stop(cmd.Process, exited) }) // a second stop is none
	return c.waitReady(exited, &waitErr)
}

// waitReady polls /readyz, which passes once every post-start hook (RBAC's
// bootstrap roles, the default ServiceCIDR, ...) has run.
func (c *Cluster) waitReady(exited <-chan struct{}, waitErr *error) error {
	client, err := kubernetes.NewForConfig(c.config(&rest.Config{BearerToken: adminToken, Timeout: 5 * time.Second}))
	if err != nil {
		return err
	}
	deadline := time.Now().Add(readyWithin)
	for {
		body, err := client.Discovery().RESTClient().Get().AbsPath("/readyz").DoRaw(context.Background())
		if err == nil && bytes.Equal(body, []byte("ok")) {
			return nil
		}
		select {
		case <-exited:
			return fmt.Errorf("exited before ready: %v", *waitErr)
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("not ready within %v: %v %s", readyWithin, err, body)
		}
	}
}

// stop ends the server gracefully, and kills it if that takes too long.
func stop(p *os.Process, exited <-chan struct{}) {
	_ = p.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(30 * time.Second):
		_ = p.Kill()
		<-exited
	}
}

// freePort is a loopback port free now.
func freePort(t testing.TB) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
