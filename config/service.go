package config

import (
	"strconv"
	"strings"

	"github.com/miekg/dns"
)

// Service is one HTTPS or SVCB record a record answers with (RFC 9460), in
// ServiceMode with the owner as target: its priority and parameters. The
// address hints are not configured: each answer fills them from the same
// pool choice as its A and AAAA answers, so they follow health and geo.
type Service struct {
	Type     uint16 // dns.TypeHTTPS or dns.TypeSVCB
	Priority uint16
	Params   []dns.SVCBKeyValue
}

// service parses `https PRIORITY [KEY=VALUE...]` or the same for svcb,
// parameters as zone files write them (alpn=h3,h2 port=8443 ech=BASE64);
// miekg/dns's own parser reads them, so what it packs is what was written.
func (p *parser) service() (Service, error) {
	opt := p.c.Val()
	args, err := p.rest()
	if err != nil {
		return Service{}, err
	}
	if len(args) == 0 {
		return Service{}, p.errf("%s: expected PRIORITY [KEY=VALUE...] such as 1 alpn=h3,h2", opt)
	}
	prio, err := strconv.ParseUint(args[0], 10, 16)
	if err != nil || prio == 0 {
		return Service{}, p.errf("%s: expected a priority from 1 to 65535 first (0 is AliasMode, which has no address hints), got %q", opt, args[0])
	}
	for _, kv := range args[1:] {
		key, _, hasValue := strings.Cut(kv, "=")
		switch {
		case key == "ipv4hint" || key == "ipv6hint":
			return Service{}, p.errf("%s: %s is filled from the pool each answer chooses: expected no %s", opt, key, key)
		case key == "" || (!hasValue && key != "no-default-alpn"):
			return Service{}, p.errf("%s: expected KEY=VALUE, got %q", opt, kv)
		}
	}
	typ := strings.ToUpper(opt)
	rr, err := dns.NewRR(". 1 IN " + typ + " " + args[0] + " . " + strings.Join(args[1:], " "))
	if err != nil {
		return Service{}, p.errf("%s: %s: expected parameters as RFC 9460 writes them, such as alpn=h3,h2 port=8443 ech=BASE64", opt, badParameter(err))
	}
	svc := Service{Type: rr.Header().Rrtype, Priority: uint16(prio)}
	switch rr := rr.(type) {
	case *dns.HTTPS:
		svc.Params = rr.Value
	case *dns.SVCB:
		svc.Params = rr.Value
	}
	return svc, nil
}

// badParameter is a zone parser's error without its position in the
// one-line zone it was given, which means nothing in a Corefile.
func badParameter(err error) string {
	msg := strings.TrimPrefix(err.Error(), "dns: ")
	if i := strings.LastIndex(msg, " at line: "); i >= 0 {
		msg = msg[:i]
	}
	if strings.HasPrefix(msg, ": ") {
		msg = "bad value " + msg[2:]
	}
	return msg
}
