package fleet

import (
	"context"
	"strings"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/gslb/gslb/internal/poll"
)

// A reload acquires the new ballot before the old one is released: one
// session throughout, the same lease, the shared votes never deleted.
func TestReloadKeepsTheSession(t *testing.T) {
	etcd := startStore(t)
	cli := etcd.Client(t)
	cfg := NewConfig([]string{etcd.Endpoint()}, "a")
	cfg.Lease, cfg.Timeout = testLease, time.Second
	r := NewRegistry(time.Hour)
	old, err := r.Acquire(cfg, "load 1", testMembers, func() {})
	if err != nil {
		t.Fatal(err)
	}
	old.Publish([]Vote{{State: Up, Factor: 1}, {State: Up, Factor: 1}, {State: Down}, {State: Up, Factor: 1}})
	poll.Until(t, "the votes stored", 10*time.Second, func() bool { return countKeys(t, cli, "/gslb/zones/") == 4 })
	leaseBefore := leaseOf(t, cli, "/gslb/observers/a")

	watch := cli.Watch(context.Background(), "/gslb/", clientv3.WithPrefix())
	next, err := r.Acquire(cfg, "load 2", testMembers[:3], func() {}) // the reload dropped the last member
	if err != nil {
		t.Fatal(err)
	}
	if next.s != old.s {
		t.Fatal("the reload started a second session")
	}
	next.Publish([]Vote{{State: Up, Factor: 1}, {State: Up, Factor: 1}, {State: Down}})
	old.Release()
	poll.Until(t, "the removed member's vote deleted", 10*time.Second, func() bool { return countKeys(t, cli, "/gslb/zones/") == 3 })
	if got := leaseOf(t, cli, "/gslb/observers/a"); got != leaseBefore {
		t.Errorf("registration lease %x after the reload, %x before", got, leaseBefore)
	}
	timeout := time.After(500 * time.Millisecond)
	for events := 0; ; {
		select {
		case resp := <-watch:
			for _, ev := range resp.Events {
				events++
				if ev.Type != clientv3.EventTypeDelete || !strings.HasSuffix(string(ev.Kv.Key), "/198.51.100.2/a") || events > 1 {
					t.Errorf("the reload wrote %s %s: only the removed member's vote should go", ev.Type, ev.Kv.Key)
				}
			}
			continue
		case <-timeout:
		}
		break
	}

	// Final shutdown: the last ballot leaves and CloseIdle revokes the lease.
	next.Release()
	r.CloseIdle()
	if n := countKeys(t, cli, "/gslb/"); n != 0 {
		t.Errorf("%d keys left after the final shutdown, want none", n)
	}
}

func TestStanzasSharingAStoreAgree(t *testing.T) {
	cfg := NewConfig([]string{"http://127.0.0.1:1"}, "a") // never reached: Acquire does not wait for the store
	r := NewRegistry(0)
	b, err := r.Acquire(cfg, "load 1", nil, func() {})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Release()
	other := cfg
	other.Lease = 20 * time.Second
	if _, err := r.Acquire(other, "load 1", nil, func() {}); err == nil || !strings.Contains(err.Error(), `observer "a" already joined /gslb/ with other options`) {
		t.Errorf("a second store block for the same observer with another lease: %v", err)
	}
	elsewhere := other
	elsewhere.Observer = "b"
	b2, err := r.Acquire(elsewhere, "load 1", nil, func() {})
	if err != nil {
		t.Errorf("another observer name is another session: %v", err)
	} else {
		b2.Release()
	}
	if v := b.View(); v.Usable || v.Connected {
		t.Errorf("a store never reached: view %+v, want neither connected nor usable", v)
	}
}

func countKeys(t *testing.T, cli *clientv3.Client, prefix string) int64 {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err := cli.Get(ctx, prefix, clientv3.WithPrefix(), clientv3.WithCountOnly())
	if err != nil {
		t.Fatal(err)
	}
	return resp.Count
}

func leaseOf(t *testing.T, cli *clientv3.Client, key string) int64 {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err := cli.Get(ctx, key)
	if err != nil || len(resp.Kvs) != 1 {
		t.Fatalf("%s: %v %v", key, resp, err)
	}
	return resp.Kvs[0].Lease
}

// A reload that changed the store block takes the observer over: the new
// session writes the keys under its own lease, the old one deletes and
// revokes nothing, and when the old lease is gone the keys are still there.
func TestReloadWithNewStoreOptions(t *testing.T) {
	etcd := startStore(t)
	cli := etcd.Client(t)
	cfg := NewConfig([]string{etcd.Endpoint()}, "a")
	cfg.Lease, cfg.Timeout = testLease, time.Second
	r := NewRegistry(0)
	votes := []Vote{{State: Up, Factor: 1}, {State: Up, Factor: 1}, {State: Down}, {State: Up, Factor: 1}}
	old, err := r.Acquire(cfg, "load 1", testMembers, func() {})
	if err != nil {
		t.Fatal(err)
	}
	old.Publish(votes)
	poll.Until(t, "the votes stored", 10*time.Second, func() bool { return countKeys(t, cli, "/gslb/zones/") == 4 })
	oldLease := leaseOf(t, cli, "/gslb/observers/a")

	changed := cfg
	changed.Lease = testLease + time.Second
	watch := cli.Watch(context.Background(), "/gslb/", clientv3.WithPrefix(), clientv3.WithFilterPut())
	next, err := r.Acquire(changed, "load 2", testMembers, func() {})
	if err != nil {
		t.Fatalf("a reload with a new store block: %v", err)
	}
	next.Publish(votes)
	old.Publish([]Vote{{State: Down}, {State: Down}, {State: Down}, {State: Down}}) // the old config, still running: not written
	old.Release()
	poll.Until(t, "the keys under the new lease", 10*time.Second, func() bool {
		if leaseOf(t, cli, "/gslb/observers/a") == oldLease {
			return false
		}
		for _, m := range testMembers {
			if leaseOf(t, cli, (keys{"/gslb/"}).vote(m, "a")) == oldLease {
				return false
			}
		}
		return true
	})
	time.Sleep(testLease + 2*time.Second) // the old lease expires
	if n := countKeys(t, cli, "/gslb/zones/"); n != 4 {
		t.Errorf("%d votes after the old lease expired, want 4", n)
	}
	select {
	case resp := <-watch:
		for _, ev := range resp.Events {
			t.Errorf("the takeover deleted %s", ev.Kv.Key)
		}
	default:
	}
	if tally, _ := next.View().Tally(testMembers[0]); tally.Up != 1 {
		t.Errorf("the old config's last votes reached the tally: %+v", tally)
	}
}
