// Command dnscheck is the DNS client of bench/scale.
//
//	dnscheck wait -server ADDR -names FILE [-since EPOCHSECONDS] [-timeout D]
//
// queries the last name of FILE (lines NAME ADDR...) over UDP in a tight loop
// until an answer is correct (NOERROR, AA, an A record among the name's
// addresses) and prints the milliseconds since -since (a $EPOCHREALTIME taken
// just before the server was started).
//
//	dnscheck all -server ADDR -names FILE
//
// asks for the A record of every name of FILE once and fails on the first
// wrong answer; it prints how many names were checked and the queries per
// second.
//
//	dnscheck freeport
//
// prints a port that is free on 127.0.0.1 for both UDP and TCP.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/miekg/dns"
)

type entry struct {
	name  string
	addrs map[netip.Addr]bool
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: dnscheck wait|all|freeport [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "wait":
		err = wait(os.Args[2:])
	case "all":
		err = all(os.Args[2:])
	case "freeport":
		err = freePort()
	default:
		err = fmt.Errorf("unknown mode %q: want wait, all or freeport", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "dnscheck:", err)
		os.Exit(1)
	}
}

func readNames(path string) ([]entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var es []entry
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		e := entry{name: dns.Fqdn(fields[0]), addrs: map[netip.Addr]bool{}}
		for _, a := range fields[1:] {
			ip, err := netip.ParseAddr(a)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", path, err)
			}
			e.addrs[ip] = true
		}
		es = append(es, e)
	}
	if len(es) == 0 {
		return nil, fmt.Errorf("%s: no names", path)
	}
	return es, sc.Err()
}

// check returns nil when r is a correct answer for e.
func check(e entry, r *dns.Msg) error {
	if r.Rcode != dns.RcodeSuccess {
		return fmt.Errorf("%s: rcode %s", e.name, dns.RcodeToString[r.Rcode])
	}
	if !r.Authoritative {
		return fmt.Errorf("%s: AA bit not set", e.name)
	}
	for _, rr := range r.Answer {
		a, ok := rr.(*dns.A)
		if !ok {
			continue
		}
		ip, _ := netip.AddrFromSlice(a.A.To4())
		if !e.addrs[ip] {
			return fmt.Errorf("%s: answer %s is not one of its addresses", e.name, ip)
		}
		return nil
	}
	return fmt.Errorf("%s: no A record in the answer", e.name)
}

func wait(args []string) error {
	fs := flag.NewFlagSet("wait", flag.ExitOnError)
	server := fs.String("server", "127.0.0.1:1053", "server address")
	names := fs.String("names", "", "file of NAME ADDR... lines; the last name is asked")
	since := fs.String("since", "", "start time as $EPOCHREALTIME (seconds.micros); default now")
	timeout := fs.Duration("timeout", 120*time.Second, "give up after this long")
	_ = fs.Parse(args)
	es, err := readNames(*names)
	if err != nil {
		return err
	}
	t0 := time.Now()
	if *since != "" {
		sec, err := strconv.ParseFloat(*since, 64)
		if err != nil {
			return fmt.Errorf("-since: %v", err)
		}
		t0 = time.UnixMicro(int64(sec * 1e6))
	}
	e := es[len(es)-1]
	m := new(dns.Msg)
	m.SetQuestion(e.name, dns.TypeA)
	c := &dns.Client{Net: "udp", Timeout: 50 * time.Millisecond}
	deadline := time.Now().Add(*timeout)
	var last error
	for time.Now().Before(deadline) {
		r, _, err := c.Exchange(m, *server)
		if err == nil {
			if err = check(e, r); err == nil {
				fmt.Printf("%.1f\n", float64(time.Since(t0).Microseconds())/1000)
				return nil
			}
		}
		last = err
		time.Sleep(time.Millisecond) // a refused port fails at once: do not spin
	}
	return fmt.Errorf("no correct answer for %s within %v: %v", e.name, *timeout, last)
}

func all(args []string) error {
	fs := flag.NewFlagSet("all", flag.ExitOnError)
	server := fs.String("server", "127.0.0.1:1053", "server address")
	names := fs.String("names", "", "file of NAME ADDR... lines")
	_ = fs.Parse(args)
	es, err := readNames(*names)
	if err != nil {
		return err
	}
	conn, err := dns.Dial("udp", *server)
	if err != nil {
		return err
	}
	defer conn.Close()
	start := time.Now()
	for i, e := range es {
		m := new(dns.Msg)
		m.SetQuestion(e.name, dns.TypeA)
		m.Id = uint16(i)
		var r *dns.Msg
		for try := 0; ; try++ {
			_ = conn.SetDeadline(time.Now().Add(time.Second))
			if err = conn.WriteMsg(m); err == nil {
				r, err = conn.ReadMsg()
			}
			for err == nil && r.Id != m.Id { // a late answer to an earlier try
				r, err = conn.ReadMsg()
			}
			if err == nil || try == 2 {
				break
			}
		}
		if err != nil {
			return fmt.Errorf("%s: %v", e.name, err)
		}
		if err := check(e, r); err != nil {
			return err
		}
	}
	d := time.Since(start)
	fmt.Printf("%d names answered correctly in %.2fs (%.0f q/s)\n", len(es), d.Seconds(), float64(len(es))/d.Seconds())
	return nil
}

// freePort prints a port free for both TCP and UDP on 127.0.0.1.
func freePort() error {
	for range 100 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		port := ln.Addr().(*net.TCPAddr).Port
		pc, err := net.ListenPacket("udp", fmt.Sprintf("127.0.0.1:%d", port))
		ln.Close()
		if err != nil {
			continue
		}
		pc.Close()
		fmt.Println(port)
		return nil
	}
	return fmt.Errorf("no port free for both TCP and UDP")
}
