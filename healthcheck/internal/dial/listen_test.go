package dial

import (
	"net"
	"testing"
	"time"
)

// slack is added to wall-clock bounds for scheduling delays on a loaded
// machine (the race detector, other packages' tests on two CPUs).
const slack = 500 * time.Millisecond

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}
