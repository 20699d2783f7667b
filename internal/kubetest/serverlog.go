package kubetest

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// logPath is the server's log: where a failed start is explained.
func (c *Cluster) logPath() string { return filepath.Join(c.dir, "kube-apiserver.log") }

// portTaken reports whether the server's log says its port was taken.
func portTaken(logPath string) bool {
	log, _ := os.ReadFile(logPath)
	return bytes.Contains(log, []byte("address already in use"))
}

// failed fails t with err, unless nil, and the end of the server's log.
func (c *Cluster) failed(t testing.TB, err error) {
	t.Helper()
	if err == nil {
		return
	}
	log, _ := os.ReadFile(c.logPath())
	if len(log) > 8000 {
		log = log[len(log)-8000:]
	}
	t.Fatalf("kube-apiserver on %s: %v; the end of its log:\n%s", c.host, err, log)
}
