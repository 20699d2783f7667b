package healthcheck

import (
	"net"
	"testing"
	"time"
)

// BenchmarkLeaseStatusAt is the read a compile pays per probed member.
func BenchmarkLeaseStatusAt(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // refused from now on: one probe, then an hour's wait
	c := NewCheck("bench", TCP)
	c.Interval = time.Hour
	l := NewRegistry(1).Acquire([]Target{{Addr: addr, Check: c}}, nil)
	defer l.Release()
	<-l.FirstRound()
	b.ReportAllocs()
	for b.Loop() {
		if l.StatusAt(0).Err == "" {
			b.Fatal("no failure")
		}
	}
}
