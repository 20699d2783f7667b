package hostname

import (
	"net"
	"strings"

	"github.com/miekg/dns"
)

func (f *fakeResolver) ServeDNS(w dns.ResponseWriter, req *dns.Msg) {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, tcp := w.RemoteAddr().(*net.TCPAddr)
	q := query{name: req.Question[0].Name, qtype: req.Question[0].Qtype, tcp: tcp, rd: req.RecursionDesired}
	if opt := req.IsEdns0(); opt != nil {
		q.edns = opt.UDPSize()
	}
	f.seen = append(f.seen, q)
	if f.drop {
		return
	}
	m := new(dns.Msg)
	m.SetReply(req)
	m.RecursionAvailable = true
	switch {
	case f.rcode != dns.RcodeSuccess:
		m.Rcode = f.rcode
	case f.truncate && !tcp:
		m.Truncated = true
	default:
		f.answer(m, req.Question[0])
	}
	w.WriteMsg(m)
}

// answer fills m as a recursive server would for q: the CNAME chain from
// q's name, the records of q's type at its end, and else NXDOMAIN (no
// records at the end) or NODATA, with an SOA.
func (f *fakeResolver) answer(m *dns.Msg, q dns.Question) {
	owner, exists := q.Name, false
	for range 8 {
		next := ""
		exists = false
		for _, rr := range f.rrs {
			h := rr.Header()
			if !strings.EqualFold(h.Name, owner) {
				continue
			}
			exists = true
			if c, ok := rr.(*dns.CNAME); ok {
				next = c.Target
				m.Answer = append(m.Answer, rr)
			} else if h.Rrtype == q.Qtype {
				m.Answer = append(m.Answer, rr)
			}
		}
		if next == "" {
			break
		}
		owner = next
	}
	if !exists {
		m.Rcode = dns.RcodeNameError
	}
	if !exists || len(m.Answer) == 0 || m.Answer[len(m.Answer)-1].Header().Rrtype == dns.TypeCNAME {
		soa, _ := dns.NewRR("example.net. 3600 IN SOA ns.example.net. hostmaster.example.net. 1 60 60 60 60")
		soa.Header().Ttl, soa.(*dns.SOA).Minttl = f.negTTL, f.negTTL
		m.Ns = append(m.Ns, soa)
	}
}
