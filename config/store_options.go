package config

import (
	"strconv"
	"strings"
	"time"

	"github.com/gslb/gslb/fleet"
)

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
