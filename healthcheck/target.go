package healthcheck

import (
	"fmt"
	"strings"
)

// Target is one (address, check) pair; one prober runs per distinct Key.
type Target struct {
	Addr  string // HOST:PORT to dial, e.g. "127.0.0.1:8443" or "[::1]:443"
	Check Check
	// Names resolves Addr's host when it is a name (a host-name member):
	// each probe dials what it says now. Nil for an address.
	Names Names
}

// Key identifies the prober of a target: the address and every Check field
// that changes how it is probed or judged. The check's Name and Port are left
// out: two checks that differ only there probe Addr the same way, so they
// share one prober and one state. Expect and the interval are written as
// they are used, so an empty Expect and an explicit 200-299 are one key, as
// are a zero Interval and the default.
func (t Target) Key() string {
	c := t.Check
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s path=%q qname=%q qtype=%d service=%q host=%q expect=%v",
		c.Kind, t.Addr, c.Path, c.QName, c.QType, c.Service, c.Host, c.Expected())
	if c.Match != nil {
		fmt.Fprintf(&b, " match=%q", c.Match.String())
	}
	for _, h := range c.Headers {
		fmt.Fprintf(&b, " header=%q:%q", h.Name, h.Value)
	}
	if c.AgentHeader != "" { // written only when set, as source
		fmt.Fprintf(&b, " agent_header=%q", strings.ToLower(c.AgentHeader))
	}
	fmt.Fprintf(&b, " tls=%t,%q,%q,%q", c.TLS.SkipVerify, c.TLS.CAFile, c.TLS.CertFile, c.TLS.KeyFile)
	fmt.Fprintf(&b, " interval=%s timeout=%s rise=%d fall=%d slow=%s", c.every(), c.Timeout, c.Rise, c.Fall, c.Slow)
	if c.ErrorWindow > 0 {
		fmt.Fprintf(&b, " errors=%d,%g", c.ErrorWindow, c.MinSuccess)
	}
	if c.Kind == PromQL { // each member's substituted query is its own target
		q := c.PromQL
		fmt.Fprintf(&b, " promql=%q,%q down=%v,%v shed=%v stale=%s", q.URL, q.Query, q.DownAbove, q.DownBelow, q.Shed, q.staleAfter(c.every()))
	}
	if c.Source.IsValid() { // written only when set: the keys of checks without one stay as they were
		fmt.Fprintf(&b, " source=%s", c.Source)
	}
	if t.Names != nil {
		fmt.Fprintf(&b, " names=%s", t.Names)
	}
	return b.String()
}
