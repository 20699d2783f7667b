package kube

import (
	"bytes"
	"errors"
	golog "log"
	"os"
	"strings"
	"testing"

	"k8s.io/klog/v2"
)

// client-go's errors reach the CoreDNS log, in its format, with their
// key/value context; its informational lines do not (debug only).
func TestClientLogsRouted(t *testing.T) {
	var buf bytes.Buffer
	golog.SetOutput(&buf)
	t.Cleanup(func() { golog.SetOutput(os.Stderr) })
	routeClientLogs()
	klog.ErrorS(errors.New("connection refused"), "Failed to watch", "reflector", "services")
	klog.InfoS("Caches populated", "type", "services")
	klog.Flush()
	out := buf.String()
	if !strings.Contains(out, "[ERROR] plugin/gslb: client-go: Failed to watch: connection refused reflector=services") {
		t.Errorf("client-go's error not in the CoreDNS log: %q", out)
	}
	if strings.Contains(out, "Caches populated") {
		t.Errorf("client-go's info line logged without debug: %q", out)
	}
}
