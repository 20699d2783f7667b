package config

import (
	"net"
	"os"
	"strconv"
	"strings"
)

// DefaultStatusAddr is where the status listener binds without an
// address: loopback, as the topology it shows is for the operator.
const DefaultStatusAddr = "127.0.0.1:8182"

// Status is the stanza's status listener: the JSON API and the page.
type Status struct {
	Addr string // HOST:PORT
	// Token, when set, is the bearer token every request must carry, read
	// from TokenFile when the configuration is loaded.
	Token     string
	TokenFile string
}

// status parses `status [ADDRESS] { token FILE }`.
func (p *parser) status() error {
	c := p.c
	args := c.RemainingArgs()
	st := &Status{Addr: DefaultStatusAddr}
	switch len(args) {
	case 0:
	case 1:
		host, port, err := net.SplitHostPort(args[0])
		n, perr := strconv.ParseUint(port, 10, 16)
		if err != nil || perr != nil || n == 0 || strings.ContainsAny(host, " /") {
			return p.errf("status: expected HOST:PORT such as 127.0.0.1:8182 (:8182 for every interface), got %q", args[0])
		}
		st.Addr = args[0]
	default:
		return p.errf("status: expected [ADDRESS], got %d arguments", len(args))
	}
	if c.NextArg() {
		if c.Val() != "{" {
			return p.errf("status: unexpected %q: expected '{' or the end of the line", c.Val())
		}
		outer := p.what
		p.what = "status"
		err := p.body("status", nil, func() error {
			if c.Val() != "token" {
				return p.errf("unknown option %q: expected token", c.Val())
			}
			path, err := p.file("token", true)
			if err != nil {
				return err
			}
			return p.token(st, path)
		})
		p.what = outer
		if err != nil {
			return err
		}
	}
	p.cfg.Status = st
	return nil
}

// token reads the bearer token from path: its first line, trimmed.
func (p *parser) token(st *Status, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return p.errf("token: %v", err)
	}
	line, _, _ := strings.Cut(string(data), "\n")
	tok := strings.TrimSpace(line)
	if tok == "" || strings.ContainsAny(tok, " \t") {
		return p.errf("token: expected a token without spaces on the first line of %s", path)
	}
	st.Token, st.TokenFile = tok, path
	return nil
}
