// Package listentest opens the loopback listeners probe tests connect to:
// by address or by name, and one whose accept queue is full.
package listentest

import (
	"net"
	"strconv"
	"syscall"
	"testing"
)

// Loopback listens on network ("tcp4" or "tcp6") and returns the listener
// with the address to dial: its own, or by the name localhost when byName.
// A machine without that loopback fails the test: a probe test that did
// not run is not a pass.
func Loopback(t testing.TB, network string, byName bool) (net.Listener, string) {
	t.Helper()
	at := "127.0.0.1:0"
	if network == "tcp6" {
		at = "[::1]:0"
	}
	l, err := net.Listen(network, at)
	if err != nil {
		t.Fatalf("no %s loopback: %v", network, err)
	}
	t.Cleanup(func() { l.Close() })
	if !byName {
		return l, l.Addr().String()
	}
	return l, net.JoinHostPort("localhost", strconv.Itoa(l.Addr().(*net.TCPAddr).Port))
}

// Full is a loopback listener whose accept queue is full: further
// connection attempts are dropped, as by an overloaded backend. It returns
// the listening socket too, so that a test can make room by accepting.
func Full(t testing.TB) (string, int) {
	t.Helper()
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Close(fd) })
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Listen(fd, 0); err != nil { // room for one connection, never accepted
		t.Fatal(err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		t.Fatal(err)
	}
	addr := (&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: sa.(*syscall.SockaddrInet4).Port}).String()
	filler, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { filler.Close() })
	return addr, fd
}
