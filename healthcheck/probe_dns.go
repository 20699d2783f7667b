package healthcheck

import (
	"context"

	"github.com/miekg/dns"
)

// dnsProbe asks the target QName/QType over UDP; healthy iff the rcode is
// NOERROR (an empty answer is healthy: the server is serving).
type dnsProbe struct {
	addr   string
	qname  string
	qtype  uint16
	client *dns.Client
}

func newDNSProbe(t Target) *dnsProbe {
	return &dnsProbe{addr: t.Addr, qname: dns.Fqdn(t.Check.QName), qtype: t.Check.QType, client: &dns.Client{Net: "udp"}}
}

func (p *dnsProbe) run(ctx context.Context) error {
	conn, err := p.client.DialContext(ctx, p.addr)
	if err != nil {
		return classify(ctx, err)
	}
	defer conn.Close()
	// miekg/dns honours only the deadline; closing the socket also ends the
	// exchange when the prober is stopped.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	m := new(dns.Msg)
	m.SetQuestion(p.qname, p.qtype)
	r, _, err := p.client.ExchangeWithConnContext(ctx, m, conn)
	if err != nil {
		return classify(ctx, err)
	}
	if r.Rcode != dns.RcodeSuccess {
		return failf(reasonRcode, "got %s for %s %s", dns.RcodeToString[r.Rcode], p.qname, dns.TypeToString[p.qtype])
	}
	return nil
}

func (*dnsProbe) close() {}
