package main

import (
	be "encoding/binary"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// resetCorefile logs every query (log) and every plugin error (errors).
const resetCorefile = `gslb.test:1053 {
    bind 127.0.0.1
    errors
    log
    gslb {
        pool p {
            member 192.0.2.1
        }
        record app {
            pools p
        }
    }
}
`

// TestClientResetIsNoError: TCP clients that send a query and reset the
// connection at once (SO_LINGER 0) make the server's write fail. That is
// the client's doing: the errors plugin must log nothing for it, and the
// server keeps answering.
func TestClientResetIsNoError(t *testing.T) {
	t.Parallel()
	s := startServer(t, resetCorefile)

	const clients, workers = 200, 4
	names := make(chan string, clients)
	for i := range clients {
		names <- fmt.Sprintf("gone-%d.gslb.test.", i)
	}
	close(names)
	deadline := time.Now().Add(20 * time.Second) // the whole burst, however loaded the machine
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for name := range names {
				if time.Now().After(deadline) {
					return
				}
				if err := queryAndReset(s.Addr, name); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()

	// Still answering, over both transports.
	for _, netw := range []string{"udp", "tcp"} {
		r := s.query(t, netw, "app.gslb.test.", dns.TypeA, false)
		if r.Rcode != dns.RcodeSuccess || len(r.Answer) != 1 {
			t.Errorf("%s query after the resets: %v, want the address", netw, r)
		}
	}
	// log writes a query's line when the plugins have returned, errors its
	// line just after: once the last query's line is out, every earlier
	// query's are, give or take the reset ones still returning.
	s.waitLog(t, `"A IN app.gslb.test. tcp`, 10*time.Second)
	time.Sleep(200 * time.Millisecond)

	reached, errs := 0, []string{}
	for _, l := range strings.Split(s.out.String(), "\n") {
		if strings.Contains(l, " gone-") && strings.Contains(l, "[INFO]") {
			reached++
		}
		if strings.Contains(l, "[ERROR]") {
			errs = append(errs, l)
		}
	}
	if len(errs) > 0 {
		t.Errorf("%d errors logged, the first: %s", len(errs), errs[0])
	}
	t.Logf("%d of %d reset queries reached the plugins", reached, clients)
	if reached == 0 {
		t.Fatal("no reset query reached the plugins: the test shows nothing")
	}
}

// queryAndReset sends a TCP query for name and closes the connection with
// SO_LINGER 0 without reading: a reset instead of a FIN.
func queryAndReset(addr, name string) error {
	m := new(dns.Msg)
	m.SetQuestion(name, dns.TypeA)
	wire, err := m.Pack()
	if err != nil {
		return err
	}
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return err
	}
	tc := c.(*net.TCPConn)
	if err := tc.SetLinger(0); err != nil {
		tc.Close()
		return err
	}
	tc.SetWriteDeadline(time.Now().Add(2 * time.Second))
	_, err = tc.Write(append(be.BigEndian.AppendUint16(nil, uint16(len(wire))), wire...))
	if cerr := tc.Close(); err == nil {
		err = cerr
	}
	return err
}
