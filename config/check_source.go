package config

import (
	"net"
	"net/netip"

	"github.com/gslb/gslb/policy"
)

// source parses `source ADDRESS`, the local address a check's probes leave
// from. Whether the host has it is found by the first probe: on a
// multi-homed host an address may come up after the Corefile is loaded.
func (p *parser) source(what string) (netip.Addr, error) {
	args, err := p.args(1)
	if err != nil {
		return netip.Addr{}, err
	}
	a, err := netip.ParseAddr(args[0])
	if err != nil || a.Zone() != "" {
		return netip.Addr{}, p.c.Errf("%s: source: expected an IPv4 or IPv6 address, got %q", what, args[0])
	}
	if a = a.Unmap(); a.IsUnspecified() || a.IsMulticast() || a == netip.AddrFrom4([4]byte{255, 255, 255, 255}) {
		return netip.Addr{}, p.c.Errf("%s: source: expected a unicast address, got %s", what, a)
	}
	return a, nil
}

// sourceFamilies refuses, at its line, a member of pool whose probe target
// is an IP address of the other family than the source of a check the pool
// runs: no probe of it could ever leave. A probe HOST:PORT by name is
// resolved to the source's family when probed, and fails then if it has no
// such address. It runs in finish, once the checks are all read.
func (p *parser) sourceFamilies(what string, pool *policy.Pool, lines []int) error {
	for _, name := range pool.Checks {
		i := p.checkIndex(name)
		if i < 0 || !p.cfg.Checks[i].Source.IsValid() {
			continue // unknown checks are reported by poolChecks
		}
		source := p.cfg.Checks[i].Source
		for mi, m := range pool.Members {
			target, desc := m.Addr, "member "+m.Addr.String()
			if m.Probe != "" {
				host, _, _ := net.SplitHostPort(m.Probe) // checked by hostPort
				var err error
				if target, err = netip.ParseAddr(host); err != nil {
					continue
				}
				desc += " probe " + m.Probe
			}
			if target.Unmap().Is4() != source.Is4() {
				return p.errAt(lines[mi], "%s: %s is %s, but check %q probes from source %s (%s): a probe leaves from an address of its target's family",
					what, desc, family(target), name, source, family(source))
			}
		}
	}
	return nil
}

// checkIndex returns the index of the check named name, or -1.
func (p *parser) checkIndex(name string) int {
	for i, chk := range p.cfg.Checks {
		if chk.Name == name {
			return i
		}
	}
	return -1
}

func family(a netip.Addr) string {
	if a.Unmap().Is4() {
		return "IPv4"
	}
	return "IPv6"
}
