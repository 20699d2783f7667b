package config

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"

	coreplugin "github.com/coredns/coredns/plugin"
)

// globalRepeatable are the stanza lines that may be given more than once.
var globalRepeatable = []string{"check", "pool", "record", "ns", "kubernetes"}

// global parses one line of the stanza's block.
func (p *parser) global() error {
	c := p.c
	opt := c.Val()
	switch opt {
	case "geoip":
		line := c.Line()
		path, err := p.file("geoip", true)
		// setup opens it, so a corrupt file still fails the start or the
		// reload, at this line.
		p.cfg.GeoIP = Path{Name: path, File: c.File(), Line: line}
		return err
	case "override":
		path, err := p.file("override", false)
		if err != nil {
			return err
		}
		// The file may come later (a ConfigMap key added afterwards), but
		// a watcher of a path whose directory is missing would never see it.
		if info, err := os.Stat(filepath.Dir(path)); err != nil || !info.IsDir() {
			return p.errf("override: expected a file in an existing directory, got %s", path)
		}
		p.cfg.Override = path
		return nil
	case "ttl":
		ttl, err := p.ttl()
		p.cfg.TTL = ttl
		return err
	case "ecs":
		on, err := p.choice("ecs", "on", "off")
		p.cfg.ECS = on == "on"
		return err
	case "ecs_private":
		use, err := p.choice("ecs_private", "use", "ignore")
		p.cfg.ECSPrivate = use == "use"
		return err
	case "ecs_trust":
		return p.ecsTrust()
	case "fallthrough":
		zones, err := p.rest()
		if err != nil {
			return err
		}
		for _, z := range zones {
			names := coreplugin.Host(z).NormalizeExact()
			if len(names) == 0 {
				return c.Errf("fallthrough: expected zone names, got %q", z)
			}
			for _, n := range names {
				if !overlap(p.cfg.Zones, n) {
					return c.Errf("fallthrough: zone %s is outside the plugin's zones %s, so it would never apply", n, strings.Join(p.cfg.Zones, " "))
				}
			}
		}
		p.cfg.Fall.SetZonesFromArgs(zones)
		return nil
	case "store":
		return p.store()
	case "ns":
		return p.nameServer()
	case "soa":
		return p.soaBlock()
	case "resolver":
		return p.resolver()
	case "status":
		return p.status()
	case "kubernetes":
		return p.cluster()
	case "dnssec":
		return p.dnssec()
	case "check":
		return p.check()
	case "pool":
		return p.pool()
	case "record":
		return p.record()
	}
	return p.errf("unknown option %q: expected geoip, ttl, ecs, ecs_private, ecs_trust, override, fallthrough, store, ns, soa, resolver, status, kubernetes, dnssec, check, pool or record", opt)
}

// ecsTrust parses `ecs_trust PREFIX...`: the resolvers, by source network,
// whose client subnet option is believed. Anyone can put any subnet in a
// query; on a server open to the Internet, only resolvers one knows should
// steer answers with it.
func (p *parser) ecsTrust() error {
	args, err := p.rest()
	if err != nil {
		return err
	}
	if len(args) == 0 {
		return p.errf("ecs_trust: expected one or more networks such as 192.0.2.0/24 or 2001:db8::/32")
	}
	for _, a := range args {
		prefix, err := netip.ParsePrefix(a)
		if err != nil {
			addr, aerr := netip.ParseAddr(a)
			if aerr != nil || addr.Zone() != "" {
				return p.errf("ecs_trust: expected a network such as 192.0.2.0/24 or an address, got %q", a)
			}
			prefix = netip.PrefixFrom(addr, addr.BitLen())
		}
		if prefix.Masked() != prefix {
			return p.errf("ecs_trust: %s has bits set beyond /%d: expected %s", a, prefix.Bits(), prefix.Masked())
		}
		if prefix.Addr().Is4In6() { // sources are compared unmapped
			return p.errf("ecs_trust: expected %s as an IPv4 network, got the IPv4-mapped %s", prefix.Addr().Unmap(), a)
		}
		p.cfg.ECSTrust = append(p.cfg.ECSTrust, prefix)
	}
	return nil
}
