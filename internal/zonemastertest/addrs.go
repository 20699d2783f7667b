package zonemastertest

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"syscall"
	"testing"
)

// Addrs returns n loopback addresses, 127.53.B.1 to 127.53.B.n for one
// block B, on each of which port 53 is free over UDP and TCP.
//
// Zonemaster queries port 53 only, so the servers it tests cannot take a
// free port as other tests' do; they take a free address instead. The
// block is chosen at random, so that test processes running at once (two
// packages, two checkouts) seldom try the same one, and checked, so that
// an address in use is skipped. Binding port 53 needs root or
// CAP_NET_BIND_SERVICE; without it the test fails, as a missing tool does.
func Addrs(t testing.TB, n int) []string {
	t.Helper()
	start := rand.IntN(256)
	for i := range 256 {
		block := (start + i) % 256
		addrs := make([]string, n)
		free := true
		for j := range addrs {
			addrs[j] = fmt.Sprintf("127.53.%d.%d", block, j+1)
			err := bindable(addrs[j])
			if errors.Is(err, syscall.EACCES) {
				t.Fatalf("binding %s port 53: %v: the Zonemaster tests need root or CAP_NET_BIND_SERVICE", addrs[j], err)
			}
			free = free && err == nil
		}
		if free {
			return addrs
		}
	}
	t.Fatalf("no block 127.53.B.0/24 with port 53 free on %d addresses", n)
	return nil
}

// bindable reports why addr:53 cannot be bound over UDP or TCP, or nil.
func bindable(addr string) error {
	at := net.JoinHostPort(addr, "53")
	u, err := net.ListenPacket("udp", at)
	if err != nil {
		return err
	}
	defer u.Close()
	l, err := net.Listen("tcp", at)
	if err != nil {
		return err
	}
	return l.Close()
}
