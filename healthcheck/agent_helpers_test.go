package healthcheck

import (
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gslb/gslb/internal/listentest"
	"github.com/gslb/gslb/internal/poll"
)

// agentServer is an agent on loopback: each connection gets the reply set
// last, and is closed. Set changes it between probes.
type agentServer struct {
	addr  string
	reply atomic.Pointer[string]
	hits  atomic.Int32 // connections served
}

func newAgentServer(t *testing.T, reply string) *agentServer {
	t.Helper()
	a := &agentServer{}
	a.Set(reply)
	a.addr = serveConns(t, func(c net.Conn) {
		c.Write([]byte(*a.reply.Load()))
		c.Close()
		a.hits.Add(1)
	})
	return a
}

func (a *agentServer) Set(reply string) { a.reply.Store(&reply) }

// serveConns accepts loopback connections and hands each to handle, in a
// goroutine of its own; it returns the address to dial.
func serveConns(t *testing.T, handle func(net.Conn)) string {
	t.Helper()
	l, addr := listentest.Loopback(t, "tcp4", false)
	var wg sync.WaitGroup
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() { defer wg.Done(); handle(c) }()
		}
	}()
	t.Cleanup(func() { l.Close(); wg.Wait() })
	return addr
}

// probes waits until the agent has served n more connections.
func (a *agentServer) probes(t *testing.T, n int32) {
	t.Helper()
	want := a.hits.Load() + n
	poll.Until(t, "agent probed", 2*time.Second, func() bool { return a.hits.Load() >= want })
}

// agentTarget is an agent check of addr with intervals short enough for tests.
func agentTarget(addr string) Target {
	return Target{Addr: addr, Check: testCheck(Agent)}
}
