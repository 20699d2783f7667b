package config

import (
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

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

// storeOption parses one line of the store block.
func (p *parser) storeOption(st *Store) error {
	opt := p.c.Val()
	args, err := p.rest()
	if err != nil {
		return err
	}
	n := map[string]int{"prefix": 1, "observer": 1, "quorum": 1, "lease": 1, "timeout": 1, "username": 1, "password": 1, "tls": -1}
	want, known := n[opt]
	switch {
	case !known:
		return p.errf("store: unknown option %q: expected prefix, observer, quorum, lease, timeout, tls, username or password", opt)
	case want > 0 && len(args) != want:
		return p.errf("store: %s: expected %d argument(s), got %d", opt, want, len(args))
	}
	switch opt {
	case "prefix":
		if !strings.HasPrefix(args[0], "/") {
			return p.errf("store: prefix: expected a path starting with '/', such as /gslb/, got %q", args[0])
		}
		st.Prefix = strings.TrimSuffix(args[0], "/") + "/"
	case "observer":
		if err := observerName(args[0]); err != nil {
			return p.errf("store: observer: %v", err)
		}
		st.Observer = args[0]
	case "quorum":
		return p.quorum(st, args[0])
	case "lease":
		d, err := time.ParseDuration(args[0])
		if err != nil || d < 2*time.Second || d > time.Hour || d%time.Second != 0 {
			return p.errf("store: lease: expected whole seconds from 2s to 1h (etcd leases count seconds), got %q", args[0])
		}
		st.Lease = d
	case "timeout":
		d, err := time.ParseDuration(args[0])
		if err != nil || d <= 0 {
			return p.errf("store: timeout: expected a positive duration such as 2s, got %q", args[0])
		}
		st.Timeout = d
	case "username":
		st.Username = args[0]
	case "password":
		st.Password = args[0]
	case "tls":
		return p.storeTLS(st, args)
	}
	return nil
}

func (p *parser) quorum(st *Store, a string) error {
	switch a {
	case "majority":
		st.Quorum = fleet.Quorum{Rule: fleet.Majority}
	case "any":
		st.Quorum = fleet.Quorum{Rule: fleet.Any}
	case "all":
		st.Quorum = fleet.Quorum{Rule: fleet.All}
	default:
		n, err := strconv.Atoi(a)
		if err != nil || n < 1 || n > 1000 {
			return p.errf("store: quorum: expected majority, any, all or a number of down votes from 1 to 1000, got %q", a)
		}
		st.Quorum = fleet.Quorum{Rule: fleet.Count, N: n}
	}
	return nil
}

// storeTLS parses `tls CA` or `tls CERT KEY CA` and reads the files now,
// so a bad one fails the start at this line, not every connection later.
func (p *parser) storeTLS(st *Store, args []string) error {
	switch len(args) {
	case 1:
		st.TLS = fleet.TLS{CAFile: p.resolve(args[0])}
	case 3:
		st.TLS = fleet.TLS{CertFile: p.resolve(args[0]), KeyFile: p.resolve(args[1]), CAFile: p.resolve(args[2])}
	default:
		return p.errf("store: tls: expected CA, or CERT KEY CA, got %d argument(s)", len(args))
	}
	if _, err := st.TLS.Config(nil); err != nil {
		return p.errf("store: %v", err)
	}
	return nil
}

func errExpected(what, got string) error { return fmt.Errorf("expected %s, got %q", what, got) }
