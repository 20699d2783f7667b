package config

import (
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/gslb/gslb/fleet"
)

// Store is the stanza's fleet store: how to reach it and how the
// observers' votes are counted.
type Store struct {
	fleet.Config
	Quorum fleet.Quorum
}

// storeRepeatable: every store option is given at most once.
var storeRepeatable = []string{}

// store parses `store etcd ENDPOINT... { options }`; the block is optional.
func (p *parser) store() error {
	c := p.c
	args := c.RemainingArgs()
	if len(args) == 0 || args[0] != "etcd" {
		return p.errf("store: expected etcd and its endpoints, such as store etcd http://127.0.0.1:2379")
	}
	if len(args) == 1 {
		return p.errf("store etcd: expected one or more endpoints, such as http://127.0.0.1:2379")
	}
	endpoints := make([]string, 0, len(args)-1)
	for _, a := range args[1:] {
		e, err := endpoint(a)
		if err != nil {
			return p.errf("store etcd: %v", err)
		}
		endpoints = append(endpoints, e)
	}
	host, _ := os.Hostname()
	st := &Store{Config: fleet.NewConfig(endpoints, host)}
	line := c.Line()
	if c.NextArg() {
		if c.Val() != "{" {
			return p.errf("store etcd: unexpected %q: expected endpoints, then '{' or the end of the line", c.Val())
		}
		if err := p.body("store", storeRepeatable, func() error { return p.storeOption(st) }); err != nil {
			return err
		}
	}
	if err := storeConsistent(st); err != nil {
		return p.errAt(line, "store: %v", err)
	}
	p.cfg.Store = st
	return nil
}

// endpoint reads an etcd client URL; HOST:PORT means http://HOST:PORT.
func endpoint(a string) (string, error) {
	if !strings.Contains(a, "://") {
		a = "http://" + a
	}
	u, err := url.Parse(a)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Port() == "" || u.Hostname() == "" || (u.Path != "" && u.Path != "/") {
		return "", errExpected("an endpoint such as http://127.0.0.1:2379 or https://etcd.example:2379", a)
	}
	return u.Scheme + "://" + u.Host, nil
}

// storeConsistent checks what no single option can: the observer is a
// usable name, the timeout fits in the lease.
func storeConsistent(st *Store) error {
	if err := observerName(st.Observer); err != nil {
		return err
	}
	if st.Timeout*3 > st.Lease {
		return errExpected("a timeout of at most a third of the lease (the lease is renewed every third of it)", "timeout "+st.Timeout.String()+" with lease "+st.Lease.String())
	}
	if (st.Username == "") != (st.Password == "") {
		return errExpected("username and password together", "only one of them")
	}
	return nil
}

// observerName checks a name that becomes one key segment.
func observerName(name string) error {
	if name == "" || strings.ContainsAny(name, "/ \t") || len(name) > 253 {
		return errExpected("an observer name without '/' or spaces, 1 to 253 characters (the host or pod name)", name)
	}
	return nil
}

func errExpected(what, got string) error { return fmt.Errorf("expected %s, got %q", what, got) }
