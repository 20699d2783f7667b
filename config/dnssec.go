package config

import "strings"

// DNSSEC is the stanza's signing keys: each a pair of key files as
// dnssec-keygen writes them, read by setup so a missing or bad key fails
// the start or the reload at its line.
type DNSSEC struct {
	Keys []Path // base names, without .key or .private
}

// dnssecRepeatable: a dnssec block may have several key lines.
var dnssecRepeatable = []string{"key"}

// dnssec parses `dnssec { key file KEYFILE... }`, as CoreDNS's dnssec
// plugin spells its keys.
func (p *parser) dnssec() error {
	c := p.c
	if args := c.RemainingArgs(); len(args) > 0 {
		return p.errf("dnssec: unexpected %q: expected '{' and key lines", args[0])
	}
	if !c.NextArg() || c.Val() != "{" {
		return p.errf("dnssec: expected '{' and key lines, such as key file Kgslb.example.com.+013+12345")
	}
	d, line := &DNSSEC{}, c.Line()
	outer := p.what
	p.what = "dnssec"
	err := p.body("dnssec", dnssecRepeatable, func() error {
		if c.Val() != "key" {
			return p.errf("dnssec: unknown option %q: expected key", c.Val())
		}
		args, err := p.rest()
		if err != nil {
			return err
		}
		if len(args) < 2 || args[0] != "file" {
			return p.errf("dnssec: key: expected file KEYFILE..., the key files' names without .key and .private")
		}
		for _, a := range args[1:] {
			base := p.resolve(strings.TrimSuffix(strings.TrimSuffix(a, ".key"), ".private"))
			for _, ext := range []string{".key", ".private"} {
				if err := p.exists("dnssec: key", base+ext); err != nil {
					return err
				}
			}
			d.Keys = append(d.Keys, Path{Name: base, File: c.File(), Line: c.Line()})
		}
		return nil
	})
	p.what = outer
	if err != nil {
		return err
	}
	if len(d.Keys) == 0 {
		return p.errAt(line, "dnssec: expected a key file line in the block")
	}
	p.cfg.DNSSEC = d
	return nil
}
