package dial

import (
	"context"
	"errors"
	"net/netip"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gslb/gslb/internal/listentest"
)

// sources are local addresses to probe from: Linux routes all of 127/8 to
// lo, so 127.0.0.2 and 127.0.0.3 are the host's without any setup.
var sources = []struct {
	network, source string
	byName          bool
}{
	{"tcp4", "127.0.0.2", false}, // bare socket, bound
	{"tcp4", "127.0.0.3", false},
	{"tcp4", "127.0.0.3", true}, // net.Dialer's LocalAddr
	{"tcp6", "::1", false},      // an IPv6 socket bound
}

// A backend on 127.0.0.1 sees each connection come from the source.
func TestDialsFromSource(t *testing.T) {
	for _, tc := range sources {
		for way, call := range ways {
			l, addr := listentest.Loopback(t, tc.network, tc.byName)
			peers := listentest.NewPeers()
			go peers.Accept(l)
			src := netip.MustParseAddr(tc.source)
			if err := call(New(addr, src), context.Background(), time.Now().Add(time.Second)); err != nil {
				t.Fatalf("%s %s from %s: %v", way, addr, src, err)
			}
			if got := peers.Next(t); got != src {
				t.Errorf("%s %s from %s: the backend saw %s", way, addr, src, got)
			}
		}
	}
}

// A source cannot reach an address of the other family: an IP address is
// refused before any socket is made, and net.Dialer (host names, and IP
// addresses off Linux) finding none of the source's family says so.
func TestSourceOfTheOtherFamily(t *testing.T) {
	for _, tc := range []struct{ network, source string }{{"tcp6", "127.0.0.2"}, {"tcp4", "::1"}} {
		_, addr := listentest.Loopback(t, tc.network, false)
		for way, call := range ways {
			err := call(New(addr, netip.MustParseAddr(tc.source)), context.Background(), time.Now().Add(time.Second))
			if err == nil || !strings.Contains(err.Error(), "a probe leaves from an address of its target's family") {
				t.Errorf("%s %s from %s: %v, want the families named", way, addr, tc.source, err)
			}
		}
	}
	_, addr := listentest.Loopback(t, "tcp4", false)
	_, err := dialNet(context.Background(), addr, netip.MustParseAddr("::1"), time.Now().Add(time.Second))
	if want := addr + " has no IPv6 address to probe from source ::1"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("net.Dialer to %s from ::1: %v, want %q", addr, err, want)
	}
}

// A source the host does not have fails at bind, before any packet is sent.
func TestSourceNotLocal(t *testing.T) {
	_, addr := listentest.Loopback(t, "tcp4", false)
	for way, call := range ways {
		err := call(New(addr, netip.MustParseAddr("192.0.2.1")), context.Background(), time.Now().Add(time.Second))
		if !errors.Is(err, syscall.EADDRNOTAVAIL) || !strings.Contains(err.Error(), "bind") {
			t.Errorf("%s %s from 192.0.2.1: %v, want bind failing with %v", way, addr, err, syscall.EADDRNOTAVAIL)
		}
	}
}
