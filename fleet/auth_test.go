package fleet

import (
	"context"
	"testing"
	"time"

	"github.com/gslb/gslb/internal/certtest"
	"github.com/gslb/gslb/internal/etcdtest"
	"github.com/gslb/gslb/internal/poll"
)

// A store that asks for TLS client certificates is joined with tls CERT
// KEY CA; without the client certificate it is never reached.
func TestStoreOverTLS(t *testing.T) {
	cert, key := certtest.Files(t, t.TempDir(), "etcd")
	etcd := etcdtest.StartTLS(t, cert, key)
	cfg := NewConfig([]string{etcd.Endpoint()}, "a")
	cfg.Lease, cfg.Timeout, cfg.TLS = testLease, time.Second, TLS{CertFile: cert, KeyFile: key, CAFile: cert}
	b, err := NewRegistry(0).Acquire(cfg, nil, testMembers, func() {})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Release()
	poll.Until(t, "joined over TLS", 20*time.Second, func() bool { return b.View().Connected })

	cfg.Observer, cfg.TLS = "b", TLS{CAFile: cert} // the server's CA, but no client certificate
	nocert, err := NewRegistry(0).Acquire(cfg, nil, testMembers, func() {})
	if err != nil {
		t.Fatal(err)
	}
	defer nocert.Release()
	time.Sleep(3 * cfg.Timeout)
	if v := nocert.View(); v.Connected {
		t.Error("joined a store that asks for a client certificate without one")
	}
}

// With etcd authentication on, username and password are sent; a wrong
// password never joins.
func TestStoreWithPassword(t *testing.T) {
	etcd := etcdtest.Start(t)
	cli := etcd.Client(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, step := range []func() error{
		func() error { _, err := cli.UserAdd(ctx, "root", "rootpw"); return err },
		func() error { _, err := cli.UserGrantRole(ctx, "root", "root"); return err },
		func() error { _, err := cli.RoleAdd(ctx, "gslb"); return err },
		func() error {
			_, err := cli.RoleGrantPermission(ctx, "gslb", "/gslb/", "/gslb0", 2) // readwrite on the prefix
			return err
		},
		func() error { _, err := cli.UserAdd(ctx, "dns", "dnspw"); return err },
		func() error { _, err := cli.UserGrantRole(ctx, "dns", "gslb"); return err },
		func() error { _, err := cli.AuthEnable(ctx); return err },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	cfg := NewConfig([]string{etcd.Endpoint()}, "a")
	cfg.Lease, cfg.Timeout, cfg.Username, cfg.Password = testLease, time.Second, "dns", "dnspw"
	b, err := NewRegistry(0).Acquire(cfg, nil, testMembers, func() {})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Release()
	b.Publish([]Vote{{State: Up, Factor: 1}, {State: Up, Factor: 1}, {State: Down}, {State: Up, Factor: 1}})
	poll.Until(t, "joined with a password", 20*time.Second, func() bool {
		t, _ := b.View().Tally(testMembers[2])
		return b.View().Connected && t.Down == 1
	})

	cfg.Observer, cfg.Password = "b", "wrong"
	bad, err := NewRegistry(0).Acquire(cfg, nil, testMembers, func() {})
	if err != nil {
		t.Fatal(err)
	}
	defer bad.Release()
	time.Sleep(3 * cfg.Timeout)
	if bad.View().Connected {
		t.Error("joined with a wrong password")
	}
}
