package healthcheck

import (
	"context"
	"net"
	"net/netip"
	"strings"
	"time"
)

// Names tells what host names resolve to now: from memory, what a
// background resolver last found, so a probe of a host-name member (a cloud
// load balancer's name) dials what the answers hand out, through the
// resolver the stanza names, and never waits on a lookup itself.
type Names interface {
	Addrs(host string) ([]netip.Addr, error)
	// String names the resolver: two stanzas that resolve one name
	// through different servers probe it apart.
	String() string
}

// hostProbe probes a target whose Addr is HOST:PORT with a host name: each
// run dials the name's first address (of the source's family, when the
// check has a source), with the check's Host defaulting to the name so
// that HTTP, TLS and gRPC see the name the clients use. The probe of an
// address is kept while the name keeps it, so its connections and state
// carry over between runs.
type hostProbe struct {
	t     Target
	host  string
	port  string
	addr  netip.Addr
	inner probe
}

func newHostProbe(t Target) probe {
	host, port, _ := net.SplitHostPort(t.Addr)
	return &hostProbe{t: t, host: host, port: port}
}

func (p *hostProbe) run(ctx context.Context) error {
	return p.runBy(ctx, probeDeadline(ctx, p.t.Check.Timeout))
}

func (p *hostProbe) runBy(ctx context.Context, deadline time.Time) error {
	addrs, err := p.t.Names.Addrs(p.host)
	if err != nil {
		return &failure{reason: reasonResolve, err: err}
	}
	addr, ok := p.pick(addrs)
	if !ok {
		return failf(reasonResolve, "host name %s resolves to no address to probe from %s", p.host, p.t.Check.Source)
	}
	if p.inner == nil || addr != p.addr {
		p.close()
		c := p.t.Check
		if c.Host == "" {
			c.Host = strings.TrimSuffix(p.host, ".")
		}
		p.addr, p.inner = addr, newProbe(Target{Addr: net.JoinHostPort(addr.String(), p.port), Check: c})
	}
	return probeBy(ctx, p.inner, deadline)
}

// pick returns the address to dial: the first, or the first of the
// source's family.
func (p *hostProbe) pick(addrs []netip.Addr) (netip.Addr, bool) {
	src := p.t.Check.Source
	for _, a := range addrs {
		if !src.IsValid() || a.Is4() == src.Unmap().Is4() {
			return a, true
		}
	}
	return netip.Addr{}, false
}

func (p *hostProbe) close() {
	if p.inner != nil {
		p.inner.close()
		p.inner = nil
	}
}

func (p *hostProbe) lastWord() Word { return wordOf(p.inner) }
