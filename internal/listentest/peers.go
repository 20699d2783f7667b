package listentest

import (
	"net"
	"net/netip"
	"testing"
	"time"
)

// Peers collects the peer addresses of the connections, requests or
// queries a test backend gets: where a probe came from.
type Peers chan netip.Addr

func NewPeers() Peers { return make(Peers, 64) }

// Note records the IP of remote, HOST:PORT (the zero Addr when it does not
// parse). It never blocks a backend: past 64 unread peers, it drops them.
func (p Peers) Note(remote string) {
	ap, _ := netip.ParseAddrPort(remote)
	select {
	case p <- ap.Addr().Unmap():
	default:
	}
}

// Accept accepts connections on l, noting and closing each, until l is
// closed: a backend that only proves a connection came.
func (p Peers) Accept(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		p.Note(c.RemoteAddr().String())
		c.Close()
	}
}

// Next is the next peer noted; it fails t when none comes within 5 s.
func (p Peers) Next(t testing.TB) netip.Addr {
	t.Helper()
	select {
	case a := <-p:
		return a
	case <-time.After(5 * time.Second):
		t.Fatal("no connection or query reached the backend within 5s")
		return netip.Addr{}
	}
}
