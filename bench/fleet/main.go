// Command fleet measures what the fleet store costs etcd (issue 13, item
// 10): writes per second and bytes stored for 10,000 members and three
// observers, at steady state and while a site of 1,000 members goes down
// and comes back, and how long a verdict takes to reach the other
// instances.
//
//	go run ./bench/fleet [-pools 10] [-members 1000] [-observers 3] [-steady 30s] ...
//
// It runs one etcd member in-process (go.etcd.io/etcd/server/v3/embed) on
// two free loopback ports, its data in a temporary directory removed at
// the end, and three observers in the same process, each with its own
// fleet.Registry and so its own session, connection and lease, as three
// instances would have. Writes are counted from etcd's side (its
// etcd_mvcc_* counters and revision, read from the process's default
// Prometheus registry, where the embedded server registers them) and from
// the fleet package's (coredns_gslb_store_writes_total and
// store_transactions_total, summed over the three observers, which share
// the prefix label). See bench/README.md, "Fleet store (issue 13)".
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"maps"
	"math/rand/v2"
	"net"
	"net/netip"
	"net/url"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.etcd.io/etcd/api/v3/version"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"

	"github.com/gslb/gslb/fleet"
)

const zone = "bench.test."

var (
	pools      = flag.Int("pools", 10, "pools (sites); the first is the site that goes down")
	perPool    = flag.Int("members", 1000, "members per pool")
	nObservers = flag.Int("observers", 3, "observers, each its own registry, session and connection")
	steady     = flag.Duration("steady", 30*time.Second, "steady-state window")
	republish  = flag.Duration("republish", 100*time.Millisecond, "steady state: each observer re-publishes its unchanged votes this often")
	interval   = flag.Duration("interval", 5*time.Second, "site event: one probe interval, over which each observer flips the site's votes")
	tick       = flag.Duration("tick", 50*time.Millisecond, "site event: each observer flips a group of votes this often")
	samples    = flag.Int("samples", 200, "propagation samples (one changed vote each)")
	noFsync    = flag.Bool("nofsync", false, "run etcd with --unsafe-no-fsync (default: fsync, as etcd runs)")
	timeout    = flag.Duration("timeout", fleet.DefaultTimeout, "the observers' request timeout (the store block's timeout)")
	cpuProfile = flag.String("cpuprofile", "", "write a CPU profile of the propagation phase to this file")
)

func main() {
	flag.Parse()
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench/fleet:", err)
		os.Exit(1)
	}
}

// observer is one simulated instance: a ballot on every member, its votes
// by position, and a note of each change the session reports.
type observer struct {
	name     string
	registry *fleet.Registry
	ballot   *fleet.Ballot
	changed  chan struct{} // capacity 1
	// lastChange is when the session last reported a change (UnixNano):
	// for another observer's vote, when its watch event was applied.
	lastChange atomic.Int64

	mu    sync.Mutex
	votes []fleet.Vote

	// rebuilds are how long View took each time it tallied afresh (a
	// new View): appended by the one goroutine waiting on the observer.
	lastView *fleet.View
	rebuilds []time.Duration
}

func (o *observer) publish() {
	o.mu.Lock()
	o.ballot.Publish(o.votes)
	o.mu.Unlock()
}

func (o *observer) set(i int, v fleet.Vote) {
	o.mu.Lock()
	o.votes[i] = v
	o.mu.Unlock()
}

// wait returns when cond holds of the observer's view, or fails after
// within. The view is read after every change the session reports (and
// every 20 ms besides), as the stanza's refresher reads it.
func (o *observer) wait(within time.Duration, what string, cond func(*fleet.View) bool) (time.Time, error) {
	deadline := time.Now().Add(within)
	for {
		t0 := time.Now()
		v := o.ballot.View()
		now := time.Now()
		if v != o.lastView {
			o.rebuilds = append(o.rebuilds, now.Sub(t0))
		}
		o.lastView = v
		if cond(v) {
			return now, nil
		}
		if time.Now().After(deadline) {
			return time.Time{}, fmt.Errorf("observer %s: %s not reached within %s", o.name, what, within)
		}
		select {
		case <-o.changed:
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// waitAll returns when cond holds of every observer's view, each read by
// its own goroutine as each instance's refresher would: the time the last
// one was seen to hold it.
func waitAll(obs []*observer, within time.Duration, what string, cond func(*fleet.View) bool) (time.Time, error) {
	at, errs := make([]time.Time, len(obs)), make([]error, len(obs))
	var wg sync.WaitGroup
	for i, o := range obs {
		wg.Go(func() { at[i], errs[i] = o.wait(within, what, cond) })
	}
	wg.Wait()
	last := at[0]
	for _, t := range at {
		if t.After(last) {
			last = t
		}
	}
	return last, errors.Join(errs...)
}

var (
	up = fleet.Vote{State: fleet.Up, Factor: 1}
)

func down(addr string) fleet.Vote {
	return fleet.Vote{State: fleet.Down, Error: "dial tcp " + addr + ":443: connect: connection refused"}
}

func run() error {
	n := *pools * *perPool
	if *pools < 1 || *perPool < 1 || *nObservers < 2 || *samples < 1 || *tick <= 0 || *interval < *tick {
		return errors.New("need -pools ≥ 1, -members ≥ 1, -observers ≥ 2, -samples ≥ 1, 0 < -tick ≤ -interval")
	}
	dir, err := os.MkdirTemp("", "gslb-bench-fleet-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	etcd, err := startEtcd(dir)
	if err != nil {
		return err
	}
	defer func() {
		etcd.Close()
		<-etcd.Server.StopNotify()
	}()
	endpoint := etcd.Clients[0].Addr().String()
	admin, err := clientv3.New(clientv3.Config{Endpoints: []string{"http://" + endpoint}, DialTimeout: 5 * time.Second, Logger: zap.NewNop()})
	if err != nil {
		return err
	}
	defer admin.Close()
	ctx := context.Background()
	empty, err := admin.Status(ctx, endpoint)
	if err != nil {
		return err
	}

	// Members: pool siteNN, addresses from 198.18.0.0/15 (RFC 2544), as
	// control names them (fleet.MemberKey of zone, pool, address).
	keys, addrs := make([]string, n), make([]string, n)
	a := netip.MustParseAddr("198.18.0.0")
	for i := range keys {
		a = a.Next()
		addrs[i] = a.String()
		keys[i] = fleet.MemberKey(zone, fmt.Sprintf("site%02d", i / *perPool), addrs[i])
	}

	fmt.Printf("gslb fleet store benchmark (bench/fleet), %s\n", time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Printf("%s %s/%s, %d CPUs; etcd %s embedded on %s, fsync %s, auto-compaction off, data in %s\n",
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), version.Version, endpoint, onOff(!*noFsync), dir)
	fmt.Printf("members %d (%d pools × %d), observers %d, prefix %s, lease %s, write batch ≤ 128 ops after 25 ms\n",
		n, *pools, *perPool, *nObservers, fleet.DefaultPrefix, fleet.DefaultLease)
	fmt.Printf("load average before: %s\n\n", loadavg())

	var rows []row
	add := func(r row) {
		rows = append(rows, r)
		fmt.Fprintf(os.Stderr, "bench/fleet: %s: %.2f s, %.0f puts\n", r.what, r.elapsed.Seconds(), r.d.puts)
	}

	// 1. Initial publish: every observer joins and publishes every member up.
	obs := make([]*observer, *nObservers)
	defer func() { // leave before etcd stops: each session revokes its lease
		for _, o := range obs {
			if o != nil {
				o.ballot.Release()
				o.registry.CloseIdle()
			}
		}
	}()
	smp := startSampler()
	syncedAfter := make([]time.Duration, len(obs))
	var syncWG sync.WaitGroup
	for i := range obs {
		o := &observer{name: fmt.Sprintf("obs%d", i+1), changed: make(chan struct{}, 1), votes: make([]fleet.Vote, n)}
		for j := range o.votes {
			o.votes[j] = up
		}
		cfg := fleet.NewConfig([]string{"http://" + endpoint}, o.name)
		cfg.Timeout = *timeout
		o.registry = fleet.NewRegistry(time.Minute) // closed by CloseIdle, at once
		o.ballot, err = o.registry.Acquire(cfg, nil, keys, func() {
			select {
			case o.changed <- struct{}{}:
			default:
			}
			o.lastChange.Store(time.Now().UnixNano())
		})
		if err != nil {
			return err
		}
		acquired := time.Now()
		syncWG.Go(func() {
			select {
			case <-o.ballot.Synced():
				syncedAfter[i] = time.Since(acquired)
			case <-time.After(60 * time.Second):
			}
		})
		o.publish()
		obs[i] = o
	}
	full := func(v *fleet.View) bool { return len(v.Observers) == *nObservers && v.Votes(fleet.Up) == *nObservers*n }
	converged, err := waitAll(obs, 60*time.Second, "full tallies", full)
	add(smp.stop("initial publish: join, every vote up", converged))
	if err != nil {
		return err
	}
	syncWG.Wait()
	for _, o := range obs {
		if t, _ := o.ballot.View().Tally(keys[n-1]); t.Up != *nObservers {
			return fmt.Errorf("observer %s: tally of %s is %d up, want %d", o.name, keys[n-1], t.Up, *nObservers)
		}
	}

	// 2. Steady state: votes re-published unchanged, as the refresher does
	// after unrelated changes.
	before := sample()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, o := range obs {
		wg.Go(func() {
			t := time.NewTicker(*republish)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					o.publish()
				}
			}
		})
	}
	time.Sleep(*steady)
	close(stop)
	wg.Wait()
	add(phaseRow(fmt.Sprintf("steady state, %s, votes republished every %s", *steady, *republish), before, sample(), time.Time{}))

	// 4. Bytes stored at steady state.
	storedSteady, err := stored(ctx, admin, endpoint)
	if err != nil {
		return err
	}

	// 3. A site goes down, then comes back: each observer flips the site's
	// votes in groups over one probe interval, in its own order and phase.
	site := *perPool
	var storedDown storage
	for _, ev := range []struct {
		what string
		vote func(i int) fleet.Vote
		cond func(*fleet.View) bool
	}{
		{"site down", func(i int) fleet.Vote { return down(addrs[i]) }, func(v *fleet.View) bool { return v.Votes(fleet.Down) == *nObservers*site }},
		{"site up", func(int) fleet.Vote { return up }, full},
	} {
		time.Sleep(2 * time.Second)
		r, err := siteEvent(obs, site, ev.vote, ev.cond)
		if err != nil {
			return err
		}
		r.what = fmt.Sprintf("%s: %d members × %d observers over %s", ev.what, site, *nObservers, *interval)
		add(r)
		if ev.what == "site down" {
			if storedDown, err = stored(ctx, admin, endpoint); err != nil {
				return err
			}
		}
	}

	// 5. Propagation: one observer changes one vote; the time until each of
	// the others' views shows the changed tally.
	time.Sleep(2 * time.Second)
	before = sample()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	prop, err := propagation(ctx, admin, obs, keys, addrs)
	if *cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	if err != nil {
		return err
	}
	add(phaseRow(fmt.Sprintf("propagation: %d single-vote changes", *samples), before, sample(), time.Time{}))

	storedAfter, err := stored(ctx, admin, endpoint)
	if err != nil {
		return err
	}
	status, err := admin.Status(ctx, endpoint)
	if err != nil {
		return err
	}
	if _, err := admin.Compact(ctx, status.Header.Revision, clientv3.WithCompactPhysical()); err != nil {
		return err
	}
	if _, err := admin.Defragment(ctx, endpoint); err != nil {
		return err
	}
	storedCompacted, err := stored(ctx, admin, endpoint)
	if err != nil {
		return err
	}

	fmt.Printf("load average after: %s\n\n", loadavg())
	printRows(rows)
	var synced []string
	for _, d := range syncedAfter {
		synced = append(synced, fmt.Sprintf("%.2f s", d.Seconds()))
	}
	fmt.Printf("initial publish: each session synced (registered, wrote its %d votes, read the prefix) %s after joining; request timeout %s\n",
		n, strings.Join(synced, ", "), *timeout)
	fmt.Println()
	fmt.Printf("stored under %s                               keys  key bytes  value bytes  key+value  per vote  db size  db in use\n", fleet.DefaultPrefix)
	fmt.Printf("  empty etcd                                     %5s  %9s  %11s  %9s  %8s  %7s  %9s\n", "-", "-", "-", "-", "-", mib(empty.DbSize), mib(empty.DbSizeInUse))
	for _, s := range []struct {
		what string
		s    storage
	}{
		{"steady state (after the initial publish)", storedSteady},
		{fmt.Sprintf("the site down (%d votes down)", *nObservers*site), storedDown},
		{"after both site events and propagation", storedAfter},
		{"the same, compacted and defragmented", storedCompacted},
	} {
		s.s.print(s.what)
	}
	fmt.Println()
	prop.print()
	return nil
}

func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// startEtcd runs one etcd member on two free loopback ports.
func startEtcd(dir string) (*embed.Etcd, error) {
	var lastErr error
	for attempt := 0; attempt < 5; attempt++ {
		client, err := freeURL()
		if err != nil {
			return nil, err
		}
		peer, err := freeURL()
		if err != nil {
			return nil, err
		}
		cfg := embed.NewConfig()
		cfg.Name = "gslb-bench-fleet"
		cfg.Dir = dir
		cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{client}, []url.URL{client}
		cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{peer}, []url.URL{peer}
		cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
		cfg.ZapLoggerBuilder = embed.NewZapLoggerBuilder(zap.NewNop())
		cfg.UnsafeNoFsync = *noFsync
		e, err := embed.StartEtcd(cfg)
		if err != nil {
			if lastErr = err; errors.Is(err, syscall.EADDRINUSE) {
				os.RemoveAll(dir + "/member")
				continue
			}
			return nil, err
		}
		select {
		case <-e.Server.ReadyNotify():
			return e, nil
		case <-time.After(60 * time.Second):
			e.Close()
			return nil, errors.New("etcd not ready within 60 s")
		}
	}
	return nil, lastErr
}

func freeURL() (url.URL, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return url.URL{}, err
	}
	defer ln.Close()
	return url.URL{Scheme: "http", Host: ln.Addr().String()}, nil
}

// counters is one reading of etcd's and the fleet's counters, and of the
// process's CPU time (etcd and the observers together).
type counters struct {
	at                              time.Time
	rev                             float64            // etcd_debugging_mvcc_current_revision: one per write transaction
	puts, deletes, putBytes         float64            // etcd_mvcc_{put,delete}_total, etcd_debugging_mvcc_total_put_size_in_bytes
	renewed                         float64            // etcd_debugging_lease_renewed_total: lease keepalives
	fleetPuts, fleetDels, fleetTxns float64            // coredns_gslb_store_writes_total, store_transactions_total
	fleetErrors                     map[string]float64 // coredns_gslb_store_errors_total by op
	cpu                             time.Duration
}

var gatherOnce sync.Once

func sample() counters {
	mfs, err := prometheus.DefaultGatherer.Gather()
	if err != nil {
		gatherOnce.Do(func() { fmt.Fprintln(os.Stderr, "bench/fleet: gathering metrics:", err) })
	}
	c := counters{at: time.Now(), cpu: cpuTime(), fleetErrors: map[string]float64{}}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			v := m.GetCounter().GetValue() + m.GetGauge().GetValue()
			op := ""
			for _, l := range m.GetLabel() {
				if l.GetName() == "op" {
					op = l.GetValue()
				}
			}
			switch mf.GetName() {
			case "etcd_debugging_mvcc_current_revision":
				c.rev += v
			case "etcd_mvcc_put_total":
				c.puts += v
			case "etcd_mvcc_delete_total":
				c.deletes += v
			case "etcd_debugging_mvcc_total_put_size_in_bytes":
				c.putBytes += v
			case "etcd_debugging_lease_renewed_total":
				c.renewed += v
			case "coredns_gslb_store_errors_total":
				c.fleetErrors[op] += v
			case "coredns_gslb_store_transactions_total":
				c.fleetTxns += v
			case "coredns_gslb_store_writes_total":
				switch op {
				case "put":
					c.fleetPuts += v
				case "delete":
					c.fleetDels += v
				}
			}
		}
	}
	return c
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// row is one phase's figures, counter differences over its window.
type row struct {
	what                 string
	elapsed              time.Duration   // the window; for events, from their start to the last view converged
	d                    counters        // differences over it
	peakPuts, peakRevs   float64         // the most in any 1 s, for sampled phases
	lastFlipToConverged  time.Duration   // for site events
	tallies              []time.Duration // the views' fresh tallies, for site events
	hasPeak, hasConverge bool
}

func diff(a, b counters) counters {
	c := counters{
		rev: b.rev - a.rev, puts: b.puts - a.puts, deletes: b.deletes - a.deletes,
		putBytes: b.putBytes - a.putBytes, renewed: b.renewed - a.renewed,
		fleetPuts: b.fleetPuts - a.fleetPuts, fleetDels: b.fleetDels - a.fleetDels, fleetTxns: b.fleetTxns - a.fleetTxns,
		cpu: b.cpu - a.cpu, fleetErrors: map[string]float64{},
	}
	for op, v := range b.fleetErrors {
		if d := v - a.fleetErrors[op]; d != 0 {
			c.fleetErrors[op] = d
		}
	}
	return c
}

// phaseRow is the difference of two readings; until, when set, ends the
// window instead of the second reading.
func phaseRow(what string, a, b counters, until time.Time) row {
	end := b.at
	if !until.IsZero() {
		end = until
	}
	return row{what: what, elapsed: end.Sub(a.at), d: diff(a, b)}
}

func printRows(rows []row) {
	fmt.Println("writes, as etcd counts them (puts, deletes, revisions: one per write transaction) and as the observers do (fleet-*)")
	fmt.Println("phase                                                        time    puts  dels  revisions  fleet-txns  fleet-puts  fleet-dels   bytes put  fleet-errors")
	for _, r := range rows {
		var errs []string
		for _, op := range slices.Sorted(maps.Keys(r.d.fleetErrors)) {
			errs = append(errs, fmt.Sprintf("%s %.0f", op, r.d.fleetErrors[op]))
		}
		if len(errs) == 0 {
			errs = []string{"0"}
		}
		fmt.Printf("%-58s %7.2fs %7.0f %5.0f %10.0f %11.0f %11.0f %11.0f %11s  %s\n",
			r.what, r.elapsed.Seconds(), r.d.puts, r.d.deletes, r.d.rev, r.d.fleetTxns, r.d.fleetPuts, r.d.fleetDels, kib(r.d.putBytes), strings.Join(errs, ", "))
	}
	fmt.Println()
	fmt.Println("rates over each phase (peaks: the most in any 1 s, read every 100 ms); CPU: this process, etcd and the observers, % of one core")
	fmt.Println("phase                                                      puts/s  revisions/s  peak puts/s  peak revisions/s  keepalives/s  CPU %")
	for _, r := range rows {
		s := r.elapsed.Seconds()
		peakP, peakR := "-", "-"
		if r.hasPeak {
			peakP, peakR = fmt.Sprintf("%.0f", r.peakPuts), fmt.Sprintf("%.0f", r.peakRevs)
		}
		fmt.Printf("%-58s %7.1f %12.1f %12s %17s %13.2f %6.1f\n",
			r.what, r.d.puts/s, r.d.rev/s, peakP, peakR, r.d.renewed/s, 100*r.d.cpu.Seconds()/s)
	}
	for _, r := range rows {
		if r.hasConverge && len(r.tallies) > 0 {
			var sum time.Duration
			for _, d := range r.tallies {
				sum += d
			}
			t := slices.Sorted(slices.Values(r.tallies))
			fmt.Printf("%s: every view converged %s after the last flip; the views tallied afresh %d times (median %s, %.2f s in all)\n",
				r.what, r.lastFlipToConverged.Round(time.Millisecond), len(t), ms(pct(t, 50)), sum.Seconds())
		}
	}
}

func kib(b float64) string { return fmt.Sprintf("%.1f KiB", b/1024) }

func mib(b int64) string { return fmt.Sprintf("%.2f MiB", float64(b)/(1<<20)) }

// siteEvent flips the first site's members on every observer: each in its
// own random order, a group every tick from a random phase, publishing all
// its votes each time as the refresher does, until every view agrees.
func siteEvent(obs []*observer, site int, vote func(i int) fleet.Vote, cond func(*fleet.View) bool) (row, error) {
	ticks := int(*interval / *tick)
	group := (site + ticks - 1) / ticks
	marks := rebuildMarks(obs)
	smp := startSampler()
	type result struct {
		at  time.Time
		err error
	}
	done := make(chan result, 1)
	go func() { // the views are read throughout, as the refreshers read them
		at, err := waitAll(obs, 60*time.Second, "the site's votes", cond)
		done <- result{at, err}
	}()
	var wg sync.WaitGroup
	var lastMu sync.Mutex
	var lastFlip time.Time
	for _, o := range obs {
		order := rand.Perm(site)
		wg.Go(func() {
			time.Sleep(rand.N(*tick))
			t := time.NewTicker(*tick)
			defer t.Stop()
			for len(order) > 0 {
				k := min(group, len(order))
				o.mu.Lock()
				for _, i := range order[:k] {
					o.votes[i] = vote(i)
				}
				o.ballot.Publish(o.votes)
				o.mu.Unlock()
				order = order[k:]
				if len(order) == 0 {
					lastMu.Lock()
					if now := time.Now(); now.After(lastFlip) {
						lastFlip = now
					}
					lastMu.Unlock()
					return
				}
				<-t.C
			}
		})
	}
	wg.Wait()
	res := <-done
	r := smp.stop("", res.at)
	if res.err != nil {
		return row{}, res.err
	}
	converged := res.at
	r.tallies = rebuildsSince(obs, marks)
	r.hasConverge, r.lastFlipToConverged = true, converged.Sub(lastFlip)
	return r, nil
}

// rebuildMarks notes how many tallies each observer's view took so far.
func rebuildMarks(obs []*observer) []int {
	m := make([]int, len(obs))
	for i, o := range obs {
		m[i] = len(o.rebuilds)
	}
	return m
}

// rebuildsSince is the tallies taken since marks, every observer's.
func rebuildsSince(obs []*observer, marks []int) []time.Duration {
	var d []time.Duration
	for i, o := range obs {
		d = append(d, o.rebuilds[marks[i]:]...)
	}
	return d
}

// sampler reads the counters every 100 ms through a phase, for its peaks.
type sampler struct {
	series []counters // the first read when the phase starts
	quit   chan struct{}
	done   chan struct{}
}

func startSampler() *sampler {
	smp := &sampler{series: []counters{sample()}, quit: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(smp.done)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-smp.quit:
				return
			case <-t.C:
				smp.series = append(smp.series, sample())
			}
		}
	}()
	return smp
}

// stop ends a phase that ended at until (its writes all done) and
// returns its row, with the most written in any 1 s up to a second later.
func (smp *sampler) stop(what string, until time.Time) row {
	r := phaseRow(what, smp.series[0], sample(), until)
	time.Sleep(time.Second) // the quiet after, sampled
	close(smp.quit)
	<-smp.done
	all := smp.series
	r.hasPeak = true
	for i := range all { // the most written within 1 s of each reading
		for j := i + 1; j < len(all) && all[j].at.Sub(all[i].at) <= time.Second; j++ {
			r.peakPuts = max(r.peakPuts, all[j].puts-all[i].puts)
			r.peakRevs = max(r.peakRevs, all[j].rev-all[i].rev)
		}
	}
	return r
}

// propResult is the delays of the propagation samples.
type propResult struct {
	commit  []time.Duration // publish → the put seen by a plain watch on the prefix
	applied []time.Duration // publish → another observer's session applied it (its onChange)
	each    []time.Duration // publish → one other observer's view shows the changed tally
	all     []time.Duration // publish → every other observer's view does
	rebuild []time.Duration // View() when it tallies afresh after a change
}

func (p propResult) print() {
	fmt.Printf("propagation of one changed vote, %d samples    n   median      p90      p99      max\n", *samples)
	for _, s := range []struct {
		what string
		d    []time.Duration
	}{
		{"publish → put seen by a watch on the prefix", p.commit},
		{"publish → another session applied it", p.applied},
		{"publish → another observer's view (each)", p.each},
		{"publish → every other observer's view", p.all},
		{"View() tallying afresh after a change", p.rebuild},
	} {
		d := slices.Clone(s.d)
		slices.Sort(d)
		fmt.Printf("  %-44s %4d %8s %8s %8s %8s\n", s.what, len(d), ms(pct(d, 50)), ms(pct(d, 90)), ms(pct(d, 99)), ms(d[len(d)-1]))
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }

// pct is the nearest-rank percentile of sorted d.
func pct(d []time.Duration, p int) time.Duration {
	i := (p*len(d)+99)/100 - 1
	return d[max(0, min(i, len(d)-1))]
}

// propagation changes one vote of one observer at a time (down, then back
// up: two samples per member), the publishing observer rotating, spaced
// 50–150 ms apart after every view has it.
func propagation(ctx context.Context, admin *clientv3.Client, obs []*observer, keys, addrs []string) (res propResult, err error) {
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type seen struct {
		key string
		at  time.Time
	}
	puts := make(chan seen, 1024)
	watch := admin.Watch(wctx, fleet.DefaultPrefix, clientv3.WithPrefix())
	go func() {
		for resp := range watch {
			at := time.Now()
			for _, ev := range resp.Events {
				if ev.Type == clientv3.EventTypePut {
					select {
					case puts <- seen{string(ev.Kv.Key), at}:
					default:
					}
				}
			}
		}
	}()
	time.Sleep(200 * time.Millisecond) // the watch is established
	from := rebuildMarks(obs)
	defer func() { res.rebuild = rebuildsSince(obs, from) }()
	members := rand.Perm(len(keys))
	n := len(obs)
	for s := 0; s < *samples; s++ {
		i := members[s/2%len(members)]
		pub := obs[(s/2)%n]
		v, wantDown := up, 0
		if s%2 == 0 {
			v, wantDown = down(addrs[i]), 1
		}
		zoneRest := strings.TrimPrefix(keys[i], zone+"/")
		key := fleet.DefaultPrefix + "zones/" + zone + "/votes/" + zoneRest + "/" + pub.name
		var wg sync.WaitGroup
		delays, applied := make([]time.Duration, n), make([]time.Duration, n)
		errs := make([]error, n+1)
		var commit time.Duration
		pub.set(i, v)
		t0 := time.Now()
		pub.publish()
		wg.Go(func() {
			timeout := time.After(10 * time.Second)
			for {
				select {
				case p := <-puts:
					if p.key == key {
						commit = p.at.Sub(t0)
						return
					}
				case <-timeout:
					errs[n] = fmt.Errorf("sample %d: no put of %s seen within 10 s", s, key)
					return
				}
			}
		})
		for j, o := range obs {
			if o == pub {
				continue
			}
			wg.Go(func() {
				at, err := o.wait(10*time.Second, "tally of "+keys[i], func(view *fleet.View) bool {
					t, _ := view.Tally(keys[i])
					return t.Down == wantDown && t.Up == n-wantDown
				})
				delays[j], errs[j] = at.Sub(t0), err
				applied[j] = time.Unix(0, o.lastChange.Load()).Sub(t0)
			})
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return res, err
		}
		res.commit = append(res.commit, commit)
		var last time.Duration
		for j, o := range obs {
			if o != pub {
				res.each = append(res.each, delays[j])
				res.applied = append(res.applied, applied[j])
				last = max(last, delays[j])
			}
		}
		res.all = append(res.all, last)
		time.Sleep(50*time.Millisecond + rand.N(100*time.Millisecond))
	}
	return res, nil
}

// storage is what the store holds under the prefix, and etcd's database.
type storage struct {
	keys, votes                int
	keyBytes, valueBytes       int
	voteKeyBytes, voteValBytes int
	dbSize, dbInUse            int64
}

func stored(ctx context.Context, admin *clientv3.Client, endpoint string) (storage, error) {
	var s storage
	resp, err := admin.Get(ctx, fleet.DefaultPrefix, clientv3.WithPrefix())
	if err != nil {
		return s, err
	}
	for _, kv := range resp.Kvs {
		s.keys++
		s.keyBytes += len(kv.Key)
		s.valueBytes += len(kv.Value)
		if strings.Contains(string(kv.Key), "/votes/") {
			s.votes++
			s.voteKeyBytes += len(kv.Key)
			s.voteValBytes += len(kv.Value)
		}
	}
	st, err := admin.Status(ctx, endpoint)
	if err != nil {
		return s, err
	}
	s.dbSize, s.dbInUse = st.DbSize, st.DbSizeInUse
	return s, nil
}

func (s storage) print(what string) {
	per := "-"
	if s.votes > 0 {
		per = fmt.Sprintf("%d B", (s.voteKeyBytes+s.voteValBytes+s.votes/2)/s.votes)
	}
	fmt.Printf("  %-46s %5d  %9s  %11s  %9s  %8s  %7s  %9s\n", what, s.keys, kib(float64(s.keyBytes)), kib(float64(s.valueBytes)),
		kib(float64(s.keyBytes+s.valueBytes)), per, mib(s.dbSize), mib(s.dbInUse))
}
