package healthcheck

import (
	"net"
	"testing"
)

func TestTCPProbe(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	accepted := make(chan struct{}, 1)
	go func() {
		c, err := l.Accept()
		if err == nil {
			c.Close()
			accepted <- struct{}{}
		}
	}()

	wantReason(t, runProbe(t, Target{Addr: l.Addr().String(), Check: testCheck(TCP)}), "")
	<-accepted
	wantReason(t, runProbe(t, Target{Addr: closedPort(t, "tcp"), Check: testCheck(TCP)}), reasonRefused)
}
