// Command scalegen writes the inputs of bench/scale and bench/probecost:
// Corefiles with N gslb records (or the equivalent hosts file), the list of
// names with their addresses, and dnsperf query files of distinct random
// names. Every address is a documentation address (192.0.2.0/24,
// 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) or, for probe targets,
// loopback.
//
//	scalegen corefile -kind gslb|hosts -n N [-layout shared|perrecord] ...
//	scalegen probe -ports FILE -check tcp|http|agent ...
//	scalegen probe -check promql -pools N -url URL [-query Q] ...
//	scalegen queries -n N -suffix ZONE -out FILE
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "corefile":
		err = corefile(os.Args[2:])
	case "probe":
		err = probeCorefile(os.Args[2:])
	case "queries":
		err = queries(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "scalegen:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: scalegen corefile|probe|queries [flags] (-h for flags)")
	os.Exit(2)
}

// sites is how many per-site pools the shared layout has. Each record of
// that layout fails over between two of them.
const sites = 100

// members returns the four addresses of record i in the perrecord layout:
// two IPv4 (192.0.2.0/24 and 198.51.100.0/24 or 203.0.113.0/24) and two
// IPv6 (2001:db8::/32). IPv4 addresses repeat across records.
func members(i int) []string {
	v4b := "198.51.100"
	if i%2 == 1 {
		v4b = "203.0.113"
	}
	return []string{
		fmt.Sprintf("192.0.2.%d", i%254+1),
		fmt.Sprintf("%s.%d", v4b, (i/254)%254+1),
		fmt.Sprintf("2001:db8:%x::%x", i>>16, i&0xffff),
		fmt.Sprintf("2001:db8:1:%x::%x", i>>16, i&0xffff),
	}
}

// siteMembers returns the two members of site pool s (shared layout): one
// IPv4, one IPv6.
func siteMembers(s int) []string {
	return []string{
		fmt.Sprintf("192.0.2.%d", s+1),
		fmt.Sprintf("2001:db8:5:%x::1", s),
	}
}

// sitePair returns the primary and secondary site pools of record i: a
// different pair for consecutive records, never the same site twice.
func sitePair(i int) (int, int) {
	a := i % sites
	b := (a + 1 + (i/sites)%(sites-1)) % sites
	return a, b
}

// recordAddrs returns the four addresses record i answers from.
func recordAddrs(layout string, i int) []string {
	if layout == "shared" {
		a, b := sitePair(i)
		return append(siteMembers(a), siteMembers(b)...)
	}
	return members(i)
}

func name(i int, zone string) string { return fmt.Sprintf("app%d.%s", i, zone) }

func corefile(args []string) error {
	fs := flag.NewFlagSet("corefile", flag.ExitOnError)
	kind := fs.String("kind", "gslb", "gslb or hosts")
	n := fs.Int("n", 10000, "number of records (names)")
	layout := fs.String("layout", "shared", "gslb pools: shared (100 site pools, each record fails over between two of them) or perrecord (one pool of four members per record)")
	zone := fs.String("zone", "gslb.example.test", "zone of the names")
	port := fs.Int("port", 1053, "port to serve on (127.0.0.1)")
	out := fs.String("out", "Corefile", "Corefile to write")
	hostsFile := fs.String("hosts", "", "hosts file to write (kind hosts; default OUT.hosts)")
	namesOut := fs.String("names", "", "also write NAME ADDR... lines, one per record, to this file")
	fallthroughNext := fs.Bool("fallthrough", false, "gslb: serve the root zone, gslb only for -zone with fallthrough, and a template plugin after it answering NXDOMAIN to everything gslb passes on")
	extra := fs.String("extra", "", "extra plugin lines for the server block, ';'-separated (e.g. 'pprof 127.0.0.1:6060')")
	_ = fs.Parse(args)
	if *layout != "shared" && *layout != "perrecord" {
		return fmt.Errorf("-layout: want shared or perrecord, got %q", *layout)
	}

	w, f, err := create(*out)
	if err != nil {
		return err
	}
	extras := func() {
		for _, l := range strings.Split(*extra, ";") {
			if l = strings.TrimSpace(l); l != "" {
				fmt.Fprintf(w, "    %s\n", l)
			}
		}
	}
	switch *kind {
	case "hosts":
		if *hostsFile == "" {
			*hostsFile = *out + ".hosts"
		}
		hw, hf, err := create(*hostsFile)
		if err != nil {
			return err
		}
		for i := range *n {
			for _, a := range recordAddrs(*layout, i) {
				fmt.Fprintf(hw, "%s %s\n", a, name(i, *zone))
			}
		}
		if err := closeAll(hw, hf); err != nil {
			return err
		}
		fmt.Fprintf(w, "%s:%d {\n    bind 127.0.0.1\n", *zone, *port)
		extras()
		// no_reverse: gslb answers no PTR, so neither does the baseline.
		fmt.Fprintf(w, "    hosts %s {\n        no_reverse\n    }\n}\n", *hostsFile)
	case "gslb":
		if *fallthroughNext {
			fmt.Fprintf(w, ".:%d {\n    bind 127.0.0.1\n", *port)
			extras()
			fmt.Fprintf(w, "    gslb %s {\n        fallthrough\n", *zone)
		} else {
			fmt.Fprintf(w, "%s:%d {\n    bind 127.0.0.1\n", *zone, *port)
			extras()
			fmt.Fprintf(w, "    gslb {\n")
		}
		if *layout == "shared" {
			for s := range sites {
				fmt.Fprintf(w, "        pool site%d {\n", s)
				for _, a := range siteMembers(s) {
					fmt.Fprintf(w, "            member %s\n", a)
				}
				fmt.Fprintf(w, "        }\n")
			}
			for i := range *n {
				a, b := sitePair(i)
				fmt.Fprintf(w, "        record app%d {\n            pools site%d site%d\n        }\n", i, a, b)
			}
		} else {
			for i := range *n {
				fmt.Fprintf(w, "        pool p%d {\n", i)
				for _, a := range members(i) {
					fmt.Fprintf(w, "            member %s\n", a)
				}
				fmt.Fprintf(w, "        }\n        record app%d {\n            pools p%d\n        }\n", i, i)
			}
		}
		fmt.Fprintf(w, "    }\n")
		if *fallthroughNext {
			// the next plugin: NXDOMAIN for every name gslb passes on
			fmt.Fprintf(w, "    template ANY ANY {\n        rcode NXDOMAIN\n    }\n")
		}
		fmt.Fprintf(w, "}\n")
	default:
		return fmt.Errorf("-kind: want gslb or hosts, got %q", *kind)
	}
	if err := closeAll(w, f); err != nil {
		return err
	}
	if *namesOut != "" {
		nw, nf, err := create(*namesOut)
		if err != nil {
			return err
		}
		for i := range *n {
			fmt.Fprintf(nw, "%s %s\n", name(i, *zone), strings.Join(recordAddrs(*layout, i), " "))
		}
		return closeAll(nw, nf)
	}
	return nil
}

// probeCorefile writes a gslb Corefile whose members are each probed at one
// loopback port from the ports file (one HOST:PORT or PORT per line), so
// there is one prober per line.
func probeCorefile(args []string) error {
	fs := flag.NewFlagSet("probe", flag.ExitOnError)
	ports := fs.String("ports", "", "file of targets: HOST:PORT or PORT (on 127.0.0.1), one per line (tcp, http, agent)")
	check := fs.String("check", "tcp", "tcp, http, agent or promql")
	pools := fs.Int("pools", 1000, "promql: pools of one member each, each with its own query")
	promURL := fs.String("url", "", "promql: the Prometheus URL")
	query := fs.String("query", "gslb_bench_pool_load{pool='{pool}'}", "promql: the query, {pool} and {member} filled in per member")
	interval := fs.String("interval", "5s", "check interval")
	perPool := fs.Int("members", 4, "members per pool (one record per pool)")
	zone := fs.String("zone", "gslb.example.test", "zone")
	port := fs.Int("port", 1053, "DNS port (127.0.0.1)")
	extra := fs.String("extra", "", "extra plugin lines, ';'-separated (ready, prometheus, pprof...)")
	out := fs.String("out", "Corefile", "Corefile to write")
	_ = fs.Parse(args)

	if *check == "promql" {
		return promqlCorefile(*pools, *promURL, *query, *interval, *zone, *port, *extra, *out)
	}
	data, err := os.ReadFile(*ports)
	if err != nil {
		return err
	}
	var targets []string
	for _, l := range strings.Fields(string(data)) {
		if !strings.Contains(l, ":") {
			l = "127.0.0.1:" + l
		}
		targets = append(targets, l)
	}
	if len(targets) == 0 {
		return fmt.Errorf("%s: no targets", *ports)
	}
	var probe string
	switch *check {
	case "tcp":
		probe = "tcp 80" // the port is replaced by each member's probe address
	case "http":
		probe = "http 80 /healthz"
	case "agent":
		probe = "agent 80"
	default:
		return fmt.Errorf("-check: want tcp, http, agent or promql, got %q", *check)
	}
	w, f, err := create(*out)
	if err != nil {
		return err
	}
	header(w, *zone, *port, *extra)
	fmt.Fprintf(w, "    gslb {\n        check c {\n            %s\n            interval %s\n        }\n", probe, *interval)
	for p := 0; p*(*perPool) < len(targets); p++ {
		fmt.Fprintf(w, "        pool p%d {\n            check c\n", p)
		for j := p * *perPool; j < min(len(targets), (p+1)**perPool); j++ {
			fmt.Fprintf(w, "            member %s probe %s\n", members(j)[0], targets[j])
		}
		fmt.Fprintf(w, "        }\n        record app%d {\n            pools p%d\n        }\n", p, p)
	}
	fmt.Fprintf(w, "    }\n}\n")
	return closeAll(w, f)
}

// header writes the server block's opening, bind and the extra lines.
func header(w *bufio.Writer, zone string, port int, extra string) {
	fmt.Fprintf(w, "%s:%d {\n    bind 127.0.0.1\n", zone, port)
	for _, l := range strings.Split(extra, ";") {
		if l = strings.TrimSpace(l); l != "" {
			fmt.Fprintf(w, "    %s\n", l)
		}
	}
}

// promqlCorefile writes pools p0 ... p{n-1} of one member each (distinct
// addresses from 198.18.0.0/15, never dialled), their records, and one
// promql check whose query names the pool, so each member asks its own
// question: n queries every interval.
func promqlCorefile(n int, promURL, query, interval, zone string, port int, extra, out string) error {
	if promURL == "" {
		return fmt.Errorf("-check promql: -url is needed")
	}
	if n < 1 || n > 1<<17 {
		return fmt.Errorf("-pools: want 1 to %d, got %d", 1<<17, n)
	}
	if strings.Contains(query, `"`) {
		return fmt.Errorf("-query: quote PromQL strings with ', not \"")
	}
	w, f, err := create(out)
	if err != nil {
		return err
	}
	header(w, zone, port, extra)
	fmt.Fprintf(w, "    gslb {\n        check c {\n            promql %s \"%s\"\n            shed_above 0.5 1\n            interval %s\n        }\n", promURL, query, interval)
	for p := range n {
		fmt.Fprintf(w, "        pool p%d {\n            check c\n            member 198.%d.%d.%d\n        }\n", p, 18+(p+1)>>16, ((p+1)>>8)&0xff, (p+1)&0xff)
		fmt.Fprintf(w, "        record app%d {\n            pools p%d\n        }\n", p, p)
	}
	fmt.Fprintf(w, "    }\n}\n")
	return closeAll(w, f)
}

// queries writes a dnsperf data file of n distinct random names under
// suffix: half one label, half two labels, all type A. Labels start with
// "q", so they never collide with the app<i> records.
func queries(args []string) error {
	fs := flag.NewFlagSet("queries", flag.ExitOnError)
	n := fs.Int("n", 1000000, "number of distinct names")
	suffix := fs.String("suffix", "gslb.example.test", "domain the names are under")
	seed := fs.Uint64("seed", 1, "random seed")
	out := fs.String("out", "queries.txt", "file to write")
	_ = fs.Parse(args)

	rng := rand.New(rand.NewPCG(*seed, 0x5ca1e))
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	label := func(l int) string {
		b := make([]byte, l)
		b[0] = 'q'
		for i := 1; i < l; i++ {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(b)
	}
	seen := make(map[string]struct{}, *n)
	w, f, err := create(*out)
	if err != nil {
		return err
	}
	for len(seen) < *n {
		q := label(16)
		if len(seen)%2 == 1 {
			q = label(8) + "." + label(12)
		}
		q += "." + *suffix
		if _, dup := seen[q]; dup {
			continue
		}
		seen[q] = struct{}{}
		fmt.Fprintf(w, "%s A\n", q)
	}
	return closeAll(w, f)
}

func create(path string) (*bufio.Writer, *os.File, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, err
	}
	return bufio.NewWriterSize(f, 1<<20), f, nil
}

func closeAll(w *bufio.Writer, f *os.File) error {
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
