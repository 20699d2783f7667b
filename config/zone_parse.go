package config

import (
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"

	coreplugin "github.com/coredns/coredns/plugin"
	"github.com/miekg/dns"
)

// nameServer parses `ns NAME [ADDRESS...]`.
func (p *parser) nameServer() error {
	args, err := p.rest()
	if err != nil {
		return err
	}
	if len(args) == 0 {
		return p.errf("ns: expected NAME [ADDRESS...]")
	}
	name, err := p.hostName("ns", args[0])
	if err != nil {
		return err
	}
	for _, have := range p.cfg.NameServers {
		if have.Name == name {
			return p.errf("ns %s: listed twice", args[0])
		}
	}
	ns := NS{Name: name}
	for _, a := range args[1:] {
		addr, err := netip.ParseAddr(a)
		if err != nil || addr.Zone() != "" || !unicast(addr.Unmap()) {
			return p.errf("ns %s: expected unicast IPv4 or IPv6 addresses after the name, got %q", args[0], a)
		}
		if addr = addr.Unmap(); slices.Contains(ns.Addrs, addr) {
			return p.errf("ns %s: address %s listed twice", args[0], addr)
		}
		ns.Addrs = append(ns.Addrs, addr)
	}
	inZone := !dns.IsFqdn(name) || coreplugin.Zones(p.cfg.Zones).Matches(name) != ""
	switch {
	case inZone && len(ns.Addrs) == 0:
		return p.errf("ns %s: a name server in the zone needs its addresses, which NS answers carry as glue: expected ns %s ADDRESS...", args[0], args[0])
	case !inZone && len(ns.Addrs) > 0:
		return p.errf("ns %s: is outside the plugin's zones %s, so its addresses are its own zone's to give: expected no ADDRESS", args[0], strings.Join(p.cfg.Zones, " "))
	}
	p.cfg.NameServers = append(p.cfg.NameServers, ns)
	p.at(func() error { return p.glueFree(ns) })
	return nil
}

// glueFree checks that no record takes an in-zone name server's name: its
// addresses are the glue the parent holds, not a GSLB answer.
func (p *parser) glueFree(ns NS) error {
	if len(ns.Addrs) == 0 {
		return nil
	}
	for _, zone := range p.cfg.Zones {
		if _, isRecord := p.records[ns.In(zone)]; isRecord {
			return fmt.Errorf("ns %s: is also a record's name, %s: a name server's addresses are the glue its parent holds: expected another name", ns.Name, ns.In(zone))
		}
	}
	return nil
}

// hostName reads a host name as option opt writes it: fully qualified with
// the final dot, else relative to the zones; lower case either way.
func (p *parser) hostName(opt, s string) (string, error) {
	name := strings.ToLower(s)
	if _, ok := dns.IsDomainName(name); !ok || name == "@" || name == "." || strings.Contains(name, "*") {
		return "", p.errf("%s: expected a host name such as ns1 or ns1.example.net., got %q", opt, s)
	}
	return name, nil
}

func unicast(a netip.Addr) bool {
	return !a.IsUnspecified() && !a.IsMulticast() && a != netip.AddrFrom4([4]byte{255, 255, 255, 255})
}

// soaBlock parses `soa { mname NAME; rname MAILBOX; serial N; refresh T;
// retry T; expire T; minimum T }`.
func (p *parser) soaBlock() error {
	soa := &p.cfg.SOA
	return p.block("soa", nil, func() error {
		var err error
		switch opt := p.c.Val(); opt {
		case "mname":
			var args []string
			if args, err = p.args(1); err == nil {
				soa.MName, err = p.hostName(opt, args[0])
			}
		case "rname":
			var args []string
			if args, err = p.args(1); err == nil {
				soa.RName, err = p.mailbox(args[0])
			}
		case "serial":
			var n int
			n, err = p.number(opt, 1, 1<<32-1)
			soa.Serial = uint32(n)
		case "refresh":
			soa.Refresh, err = p.seconds(opt, 1, 1<<31-1)
		case "retry":
			soa.Retry, err = p.seconds(opt, 1, 1<<31-1)
		case "expire":
			soa.Expire, err = p.seconds(opt, 1, 1<<31-1)
		case "minimum":
			p.soaMinimum = true
			soa.Minimum, err = p.seconds(opt, 0, 86400)
		default:
			return p.errf("unknown option %q: expected mname, rname, serial, refresh, retry, expire or minimum", opt)
		}
		return err
	})
}

// mailbox reads an SOA RNAME: a name (hostmaster, or
// hostmaster.example.com.) or a mail address (hostmaster@example.com),
// whose local part becomes the first label.
func (p *parser) mailbox(s string) (string, error) {
	local, domain, isMail := strings.Cut(s, "@")
	if !isMail {
		return p.hostName("rname", s)
	}
	if local == "" || strings.Contains(domain, "@") {
		return "", p.errf("rname: expected a mailbox such as hostmaster@example.com, got %q", s)
	}
	name, err := p.hostName("rname", strings.ReplaceAll(local, ".", `\.`)+"."+strings.TrimSuffix(domain, ".")+".")
	if err != nil {
		return "", p.errf("rname: expected a mailbox such as hostmaster@example.com, got %q", s)
	}
	return name, nil
}

// resolver parses `resolver ADDRESS`: the DNS server, IP or IP:PORT (53
// by default), that member host names are resolved through. A host name
// would itself need resolving.
func (p *parser) resolver() error {
	args, err := p.args(1)
	if err != nil {
		return err
	}
	s := args[0]
	if addr, err := netip.ParseAddr(s); err == nil && addr.Zone() == "" {
		s = net.JoinHostPort(addr.Unmap().String(), "53")
	}
	ap, err := netip.ParseAddrPort(s)
	if err != nil || ap.Port() == 0 || ap.Addr().Zone() != "" || !unicast(ap.Addr().Unmap()) {
		return p.errf("resolver: expected a DNS server's address such as 127.0.0.1, 127.0.0.1:5353 or [::1]:53, got %q", args[0])
	}
	p.cfg.Resolver = netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port()).String()
	return nil
}
