package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/miekg/dns"
	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/gslb/gslb/fleet"
	"github.com/gslb/gslb/internal/etcdtest"
)

// The fleet: three coredns-gslb processes, observers a, b and c, sharing
// one etcd that the test process runs. Each probes from a loopback address
// of its own, so an HTTP backend can fail for one instance's probes only.

const (
	fleetZone   = "gslb.test."
	fleetPrefix = "/gslb/"
	fleetLease  = 3 * time.Second
	// fleetSlack covers, on a loaded machine, what follows a lease's end:
	// etcd's expiry sweep, the watch event, the tally and the compile.
	fleetSlack = 3 * time.Second
)

// Replies of app as replySummary gives them.
const (
	fleetEU = "NOERROR 192.0.2.10/30 192.0.2.11/30" // eu, both members up
	fleetUS = "NOERROR 198.51.100.10/15"            // failover to us: half the TTL
)

// The members and the vote keys' member parts.
const (
	eu1, eu2, us1 = "eu/192.0.2.10", "eu/192.0.2.11", "us/198.51.100.10"
)

var fleetMembers = []string{eu1, eu2, us1}

// fleetCorefile is observer %[3]s: prometheus on %[1]s, the store at
// %[2]s, probes from %[4]s, to the backends at ports %[5]s (eu's
// 192.0.2.10), %[6]s (eu's 192.0.2.11) and %[7]s (us). %[8]s are more
// lines of the store block. reloadMarker is where a test adds records.
const fleetCorefile = `gslb.test:1053 {
    bind 127.0.0.1
    prometheus 127.0.0.1:%[1]s
    gslb {
        store etcd %[2]s {
            observer %[3]s
            lease 3s
            timeout 1s%[8]s
        }
        check web {
            http 80 /healthz
            interval 200ms
            timeout 150ms
            rise 1
            fall 2
            source %[4]s
        }
        pool eu {
            member 192.0.2.10 probe 127.0.0.1:%[5]s
            member 192.0.2.11 probe 127.0.0.1:%[6]s
            check web
        }
        pool us {
            member 198.51.100.10 probe 127.0.0.1:%[7]s
            check web
        }
        record app {
            policy failover
            pools eu us
            answers 2
            ttl 30
        }
        # more records
    }
}
`

// sourceMode is what a sourceBackend does with a probe from one address.
type sourceMode int

const (
	answerOK    sourceMode = iota // 200
	unavailable                   // 503
	refuse                        // the connection is reset as soon as accepted
)

// sourceBackend is an HTTP health endpoint on a loopback port that answers
// each probe by where it comes from: the probe source of one instance.
type sourceBackend struct {
	addr string
	srv  *http.Server

	mu    sync.Mutex
	modes map[string]sourceMode // by peer IP; answerOK when absent
	hits  map[string]int        // answered GET /healthz, by peer IP
}

// newSourceBackend starts a backend answering 200 to everyone; it is
// closed when the test ends.
func newSourceBackend(t *testing.T) *sourceBackend {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b := &sourceBackend{addr: l.Addr().String(), modes: map[string]sourceMode{}, hits: map[string]int{}}
	b.srv = &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != "/healthz" {
				http.NotFound(w, r)
				return
			}
			peer, _, _ := net.SplitHostPort(r.RemoteAddr)
			b.mu.Lock()
			mode := b.modes[peer]
			b.hits[peer]++
			b.mu.Unlock()
			if mode == unavailable {
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			w.WriteHeader(http.StatusOK)
		}),
		ReadHeaderTimeout: 5 * time.Second,
	}
	go b.srv.Serve(refusingListener{l, b})
	t.Cleanup(func() { b.srv.Close() })
	return b
}

func (b *sourceBackend) port() string {
	_, port, _ := net.SplitHostPort(b.addr)
	return port
}

// set makes the backend answer probes from source with mode.
func (b *sourceBackend) set(source string, mode sourceMode) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.modes[source] = mode
}

func (b *sourceBackend) mode(peer string) sourceMode {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.modes[peer]
}

// refusingListener resets the connections of the sources its backend
// refuses before HTTP sees them.
type refusingListener struct {
	net.Listener
	b *sourceBackend
}

func (l refusingListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		peer, _, _ := net.SplitHostPort(c.RemoteAddr().String())
		if l.b.mode(peer) != refuse {
			return c, nil
		}
		if tc, ok := c.(*net.TCPConn); ok {
			tc.SetLinger(0) // an RST, not a FIN
		}
		c.Close()
	}
}

// fleetInstance is one coredns-gslb process of the fleet.
type fleetInstance struct {
	*server
	name    string // its observer name
	source  string // the address its probes leave from
	metrics string // its prometheus port
}

// gslbFleet is three instances, their store and their backends.
type gslbFleet struct {
	etcd         *etcdtest.Server
	cli          *clientv3.Client
	eu1, eu2, us *sourceBackend
	a, b, c      *fleetInstance
}

// backend is the backend of member (eu1, eu2 or us1).
func (f *gslbFleet) backend(member string) *sourceBackend {
	return map[string]*sourceBackend{eu1: f.eu1, eu2: f.eu2, us1: f.us}[member]
}

func (f *gslbFleet) instances() []*fleetInstance { return []*fleetInstance{f.a, f.b, f.c} }

// startFleet runs etcd, the backends and the three instances, each with
// storeLines added to its store block, and returns once the fleet agrees
// that every member is up.
func startFleet(t *testing.T, storeLines ...string) *gslbFleet {
	t.Helper()
	f := &gslbFleet{etcd: etcdtest.Start(t)}
	f.cli = f.etcd.Client(t)
	f.eu1, f.eu2, f.us = newSourceBackend(t), newSourceBackend(t), newSourceBackend(t)
	extra := ""
	for _, l := range storeLines {
		extra += "\n            " + l
	}
	start := time.Now()
	var ins []*fleetInstance
	for i, name := range []string{"a", "b", "c"} {
		in := &fleetInstance{name: name, source: fmt.Sprintf("127.0.0.%d", i+2), metrics: freePort(t)}
		in.server = startServer(t, fmt.Sprintf(fleetCorefile, in.metrics, f.etcd.Endpoint(), name, in.source,
			f.eu1.port(), f.eu2.port(), f.us.port(), extra))
		ins = append(ins, in)
	}
	f.a, f.b, f.c = ins[0], ins[1], ins[2]
	f.settle(t, 20*time.Second)
	t.Logf("fleet of three up and agreeing %v after start", time.Since(start).Round(time.Millisecond))
	return f
}

// settle waits until every instance has voted every member up in the
// store, sees the three observers and all nine votes up, and answers eu.
func (f *gslbFleet) settle(t *testing.T, within time.Duration) {
	t.Helper()
	eventually(t, "all nine votes up in the store", within, func() bool {
		v := f.votes(t)
		for _, in := range f.instances() {
			for _, m := range fleetMembers {
				if v[voteKey(m, in.name)] != "up" {
					return false
				}
			}
		}
		return len(v) == 9
	})
	for _, in := range f.instances() {
		in.waitGauge(t, "store_connected", nil, 1, within)
		in.waitGauge(t, "store_observers", nil, 3, within)
		in.waitGauge(t, "store_votes", []string{"state", "up"}, 9, within)
		in.expect(t, "app."+fleetZone, fleetEU)
	}
}

// voteKey is the key, under the prefix, of observer's vote on member.
func voteKey(member, observer string) string {
	return "zones/" + fleetZone + "/votes/" + member + "/" + observer
}

// votes reads every vote in the store: key under the prefix → state.
func (f *gslbFleet) votes(t *testing.T) map[string]string {
	t.Helper()
	kvs := f.get(t, "zones/"+fleetZone+"/votes/")
	votes := make(map[string]string, len(kvs))
	for k, kv := range kvs {
		var v fleet.Vote
		if err := json.Unmarshal(kv.Value, &v); err != nil {
			t.Fatalf("vote %s: %q: %v", k, kv.Value, err)
		}
		votes[k] = v.State.String()
	}
	return votes
}

// get reads the keys under the prefix that start with under, by their
// name under the prefix.
func (f *gslbFleet) get(t *testing.T, under string) map[string]*keyValue {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err := f.cli.Get(ctx, fleetPrefix+under, clientv3.WithPrefix())
	if err != nil {
		t.Fatalf("reading %s%s from etcd: %v", fleetPrefix, under, err)
	}
	kvs := make(map[string]*keyValue, len(resp.Kvs))
	for _, kv := range resp.Kvs {
		kvs[strings.TrimPrefix(string(kv.Key), fleetPrefix)] = &keyValue{Value: kv.Value, Lease: kv.Lease, CreateRevision: kv.CreateRevision, ModRevision: kv.ModRevision}
	}
	return kvs
}

// keyValue is what the tests look at of a stored key.
type keyValue struct {
	Value                       []byte
	Lease                       int64
	CreateRevision, ModRevision int64
}

// ownKeys reads observer's registration and votes.
func (f *gslbFleet) ownKeys(t *testing.T, observer string) map[string]*keyValue {
	t.Helper()
	own := map[string]*keyValue{}
	for k, kv := range f.get(t, "") {
		if k == "observers/"+observer || (strings.HasPrefix(k, "zones/") && strings.HasSuffix(k, "/"+observer)) {
			own[k] = kv
		}
	}
	return own
}

// gauge is the value of coredns_gslb_NAME with the given label pairs in
// the instance's metrics, -1 when it has no such series.
func (in *fleetInstance) gauge(t *testing.T, name string, labels ...string) float64 {
	t.Helper()
	v, ok := metricValue(scrapeMetrics(t, in.metrics), "coredns_gslb_"+name, labels...)
	if !ok {
		return -1
	}
	return v
}

// waitGauge waits until coredns_gslb_NAME{labels} is want, failing the
// test after within; it returns how long that took.
func (in *fleetInstance) waitGauge(t *testing.T, name string, labels []string, want float64, within time.Duration) time.Duration {
	t.Helper()
	var last float64
	return eventuallyf(t, within, func() bool {
		last = in.gauge(t, name, labels...)
		return last == want
	}, func() string {
		return fmt.Sprintf("instance %s: coredns_gslb_%s%v is %v, want %v", in.name, name, labels, last, want)
	})
}

// eventually calls cond every 20ms until it holds and returns how long
// that took, failing the test with what when it does not within d.
func eventually(t *testing.T, what string, d time.Duration, cond func() bool) time.Duration {
	t.Helper()
	return eventuallyf(t, d, cond, func() string { return what })
}

func eventuallyf(t *testing.T, d time.Duration, cond func() bool, what func() string) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > d {
			t.Fatalf("%s: not within %v", what(), d)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return time.Since(start)
}

// pollFleet asks each of ins for name in turn, every 5ms, until every one
// answers want, and returns when each first did, failing the test when one
// is later than since+bound. Every reply before must be one of before.
func pollFleet(t *testing.T, ins []*fleetInstance, name string, since time.Time, bound time.Duration, want string, before ...string) []time.Time {
	t.Helper()
	at := make([]time.Time, len(ins))
	for left := len(ins); left > 0; time.Sleep(5 * time.Millisecond) {
		for i, in := range ins {
			if !at[i].IsZero() {
				continue
			}
			got := replySummary(in.query(t, "udp", name, dns.TypeA, false))
			now := time.Now()
			switch {
			case got == want:
				at[i] = now
				left--
				if now.Sub(since) > bound {
					t.Errorf("instance %s: %s A %q after %v, want within %v", in.name, name, want, now.Sub(since), bound)
				}
			case !slices.Contains(before, got):
				t.Fatalf("instance %s: %s A %q after %v, want %q or, until then, one of %q", in.name, name, got, now.Sub(since), want, before)
			case now.Sub(since) > bound+3*time.Second:
				t.Fatalf("instance %s: %s A still %q after %v, want %q within %v", in.name, name, got, now.Sub(since), want, bound)
			}
		}
	}
	return at
}

// expectAll checks that every instance answers name want over UDP and TCP.
func expectAll(t *testing.T, ins []*fleetInstance, name, want string) {
	t.Helper()
	for _, in := range ins {
		r := replySummary(in.query(t, "udp", name, dns.TypeA, false))
		rt := replySummary(in.query(t, "tcp", name, dns.TypeA, false))
		if r != want || rt != want {
			t.Fatalf("instance %s: %s A %q over UDP, %q over TCP, want %q", in.name, name, r, rt, want)
		}
	}
}

// storeEvent is a change under the prefix as a watch of the test saw it.
type storeEvent struct {
	at      time.Time
	key     string // under the prefix
	state   string // of a vote put
	deleted bool
	lease   int64
}

// storeWatch records every change under the prefix from its start.
type storeWatch struct {
	mu     sync.Mutex
	events []storeEvent
}

// watch records the store's changes from now until the test ends.
func (f *gslbFleet) watch(t *testing.T) *storeWatch {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	resp, err := f.cli.Get(ctx, fleetPrefix, clientv3.WithPrefix(), clientv3.WithCountOnly())
	cancel()
	if err != nil {
		t.Fatal(err)
	}
	wctx, wcancel := context.WithCancel(context.Background())
	ch := f.cli.Watch(wctx, fleetPrefix, clientv3.WithPrefix(), clientv3.WithRev(resp.Header.Revision+1))
	w := &storeWatch{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for resp := range ch {
			now := time.Now()
			w.mu.Lock()
			for _, ev := range resp.Events {
				e := storeEvent{at: now, key: strings.TrimPrefix(string(ev.Kv.Key), fleetPrefix), deleted: ev.Type == clientv3.EventTypeDelete, lease: ev.Kv.Lease}
				var v fleet.Vote
				if !e.deleted && strings.Contains(e.key, "/votes/") && json.Unmarshal(ev.Kv.Value, &v) == nil {
					e.state = v.State.String()
				}
				w.events = append(w.events, e)
			}
			w.mu.Unlock()
		}
	}()
	t.Cleanup(func() { wcancel(); <-done })
	return w
}

// firstAt is when the watch first saw key put with state (a vote) or, with
// state "", deleted.
func (w *storeWatch) firstAt(key, state string) (time.Time, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, e := range w.events {
		if e.key == key && ((state == "" && e.deleted) || (state != "" && !e.deleted && e.state == state)) {
			return e.at, true
		}
	}
	return time.Time{}, false
}

// seen returns the events so far.
func (w *storeWatch) seen() []storeEvent {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.events)
}

// waitVotes waits until the watch has seen observer's votes on members put
// with state, and returns when the last of them was.
func (w *storeWatch) waitVotes(t *testing.T, observer, state string, within time.Duration, members ...string) time.Time {
	t.Helper()
	var last time.Time
	eventually(t, fmt.Sprintf("observer %s's votes %s on %v in the store", observer, state, members), within, func() bool {
		last = time.Time{}
		for _, m := range members {
			at, ok := w.firstAt(voteKey(m, observer), state)
			if !ok {
				return false
			}
			if at.After(last) {
				last = at
			}
		}
		return true
	})
	return last
}

// kill ends the process with SIGKILL: no shutdown, no lease revoked. The
// test must relaunch it before it ends, as the harness stops it then.
func (s *server) kill(t *testing.T) {
	t.Helper()
	if err := syscall.Kill(s.pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-s.done
}

// relaunch runs the Corefile at path, the one of a killed s, again on the
// same ports, as s: the harness's cleanup stops the new process.
func (s *server) relaunch(t *testing.T, path string) {
	t.Helper()
	cmd := exec.Command(binary, "-conf", path)
	cmd.Dir = filepath.Dir(path)
	cmd.Stdout, cmd.Stderr = s.out, s.out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	s.pid, s.done, s.err = cmd.Process.Pid, done, nil
	go func() { s.err = cmd.Wait(); close(done) }()
	if err := s.waitReady(map[string]string{s.Addr: fleetZone}); err != nil {
		t.Fatalf("relaunching %s: %v\ncoredns-gslb output:\n%s", path, err, s.out)
	}
}
