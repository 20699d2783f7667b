package plugin

import (
	"context"
	"net"
	"strings"
	"sync/atomic"
	"time"

	"github.com/miekg/dns"
)

// One zone, one SOA: under fallthrough that hands the apex to the next
// plugin (a zone file beside gslb), the next plugin's SOA is the zone's,
// and gslb's own negative answers (NODATA at its names) carry it too, so
// that a resolver sees one SOA and one negative TTL whichever plugin
// answered. It is asked for in the background, in OnStartup and then
// every nextSOAPoll, so a zone file's new serial is followed; the query
// path only loads the last one.

// nextSOAPoll is how often the next plugin is asked for its SOA.
const nextSOAPoll = 5 * time.Second

// nextSOA holds the SOAs the next plugin answers for the stanza's zones.
type nextSOA struct {
	soas atomic.Pointer[map[string]*dns.SOA] // by origin; nil: none asked yet
	stop chan struct{}
	done chan struct{}
}

// soa returns the SOA of zone origin that negative answers carry: the
// next plugin's when fallthrough hands it the apex and it has one, else
// gslb's own.
func (g *GSLB) soa(origin string) *dns.SOA {
	if soas := g.nextSOA.soas.Load(); soas != nil {
		if s := (*soas)[origin]; s != nil {
			return s
		}
	}
	return g.zone.apex[origin].soa
}

// watchNextSOA asks the next plugin for the SOA of every zone whose apex
// fallthrough hands it, once now and then in the background until
// stopNextSOA.
func (g *GSLB) watchNextSOA() {
	var origins []string
	for _, o := range g.zone.origins {
		if g.cfg.Fall.Through(o) {
			origins = append(origins, o)
		}
	}
	if len(origins) == 0 || g.Next == nil {
		return
	}
	g.nextSOA.stop, g.nextSOA.done = make(chan struct{}), make(chan struct{})
	g.askNextSOA(origins)
	go func() {
		defer close(g.nextSOA.done)
		tick := time.NewTicker(nextSOAPoll)
		defer tick.Stop()
		for {
			select {
			case <-g.nextSOA.stop:
				return
			case <-tick.C:
				g.askNextSOA(origins)
			}
		}
	}()
}

func (g *GSLB) stopNextSOA() {
	if g.nextSOA.stop != nil {
		close(g.nextSOA.stop)
		<-g.nextSOA.done
	}
}

// askNextSOA asks the next plugin for each origin's SOA and publishes the
// answers it gave.
func (g *GSLB) askNextSOA(origins []string) {
	soas := make(map[string]*dns.SOA, len(origins))
	for _, o := range origins {
		if s := g.askSOA(o); s != nil {
			soas[o] = s
		}
	}
	g.nextSOA.soas.Store(&soas)
}

// askSOA returns the SOA the next plugin answers for origin, nil when it
// answers none.
func (g *GSLB) askSOA(origin string) *dns.SOA {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	req := new(dns.Msg)
	req.SetQuestion(origin, dns.TypeSOA)
	w := &recorder{}
	if _, err := g.Next.ServeDNS(ctx, w, req); err != nil || w.msg == nil {
		return nil
	}
	for _, rr := range w.msg.Answer {
		if s, ok := rr.(*dns.SOA); ok && strings.EqualFold(s.Hdr.Name, origin) {
			s := *s
			s.Hdr.Name = origin
			return &s
		}
	}
	return nil
}

// recorder is the writer of a query gslb asks itself or the next plugin:
// it keeps the reply. The addresses are loopback unless remote is set
// (the client a status explain asks for).
type recorder struct {
	msg    *dns.Msg
	remote *net.UDPAddr
}

var recorderAddr = &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 53}

func (r *recorder) LocalAddr() net.Addr { return recorderAddr }
func (r *recorder) RemoteAddr() net.Addr {
	if r.remote != nil {
		return r.remote
	}
	return recorderAddr
}
func (r *recorder) WriteMsg(m *dns.Msg) error { r.msg = m; return nil }
func (r *recorder) Write(b []byte) (int, error) {
	m := new(dns.Msg)
	if err := m.Unpack(b); err != nil {
		return 0, err
	}
	r.msg = m
	return len(b), nil
}
func (r *recorder) Close() error        { return nil }
func (r *recorder) TsigStatus() error   { return nil }
func (r *recorder) TsigTimersOnly(bool) {}
func (r *recorder) Hijack()             {}
