package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// Unbound in front of coredns-gslb: a real caching resolver with its
// subnetcache module, the only thing that shows a wrong ECS SCOPE
// (docs/ecs.md C, H14). Everything runs on loopback: Unbound listens on
// 127.0.0.1, sends every query it makes from 127.0.0.1 to coredns-gslb,
// and refuses every name outside the gslb zone.

// unboundOutgoing is the address Unbound sends its queries from; the
// direct probes of the tests come from unboundProbe, so that the
// coredns-gslb log tells them apart.
const (
	unboundOutgoing = "127.0.0.1"
	unboundProbe    = "127.0.0.2"
)

// unbound is one running Unbound process.
type unbound struct {
	Addr string // 127.0.0.1:PORT
	log  string // its log file
	pid  int
	out  *syncBuffer // stdout and stderr, before it switches to log
	done chan struct{}
	err  error
}

// unboundBinary returns the unbound executable, failing the test when it is
// not installed.
func unboundBinary(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("unbound"); err == nil {
		return p
	}
	for _, p := range []string{"/usr/sbin/unbound", "/usr/local/sbin/unbound"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	t.Fatal("unbound not found (neither in PATH nor /usr/sbin): the Unbound tests need the Debian package unbound, which .ci/run installs (apt-get install unbound)")
	return ""
}

// unboundConf is Unbound's configuration: %[1]s its directory, %[2]s its
// port, %[3]s the gslb zone, %[4]s the port of coredns-gslb on 127.0.0.1.
//
// The root is a stub zone pointing at coredns-gslb too, so even an
// unexpected iteration never leaves loopback (and shows up in the
// coredns-gslb log), and local-zone "." refuse answers every client query
// outside the gslb zone itself. %[5]s are its modules (no validator but in
// startValidator's) and %[6]s more server lines.
const unboundConf = `server:
    verbosity: 4
    log-time-ascii: yes
    use-syslog: no
    logfile: "%[1]s/unbound.log"
    directory: "%[1]s"
    pidfile: "%[1]s/unbound.pid"
    username: ""
    chroot: ""
    num-threads: 1
    interface: 127.0.0.1@%[2]s
    port: %[2]s
    do-ip4: yes
    do-ip6: no
    do-udp: yes
    do-tcp: yes
    access-control: 127.0.0.0/8 allow
    outgoing-interface: ` + unboundOutgoing + `
    do-not-query-localhost: no
    qname-minimisation: yes
    qname-minimisation-strict: no
    harden-below-nxdomain: yes
    prefetch: no
    module-config: "%[5]s"
    send-client-subnet: 127.0.0.1
    max-client-subnet-ipv4: 24
    max-client-subnet-ipv6: 56
    client-subnet-always-forward: no
    local-zone: "." refuse
    local-zone: "%[3]s" transparent
%[6]s
stub-zone:
    name: "%[3]s"
    stub-addr: 127.0.0.1@%[4]s

stub-zone:
    name: "."
    stub-addr: 127.0.0.1@%[4]s

remote-control:
    control-enable: no
`

// startUnbound runs Unbound in the foreground on a free loopback port, with
// a stub zone for zone at gslb (127.0.0.1:PORT), and returns once it
// answers. It is killed when the test ends; its log is shown if the test
// failed.
func startUnbound(t *testing.T, zone, gslb string) *unbound {
	t.Helper()
	return runUnbound(t, zone, gslb, "subnetcache iterator", "")
}

// startValidator is startUnbound validating: zone's trust anchor is the
// DS or DNSKEY records in the file anchor, so its answers are secure or
// bogus, and nothing else is (the root stub has no anchor).
func startValidator(t *testing.T, zone, gslb, anchor string) *unbound {
	t.Helper()
	return runUnbound(t, zone, gslb, "subnetcache validator iterator", "    trust-anchor-file: \""+anchor+"\"\n    val-log-level: 2\n")
}

func runUnbound(t *testing.T, zone, gslb, modules, extra string) *unbound {
	t.Helper()
	bin := unboundBinary(t)
	_, stubPort, err := net.SplitHostPort(gslb)
	if err != nil {
		t.Fatal(err)
	}
	for attempt := 1; ; attempt++ {
		u, err := launchUnbound(t, bin, dns.Fqdn(zone), stubPort, modules, extra)
		if err == nil {
			return u
		}
		if !errors.Is(err, syscall.EADDRINUSE) || attempt == 3 {
			t.Fatal(err)
		}
		t.Logf("attempt %d: %v; retrying on another port", attempt, err)
	}
}

func launchUnbound(t *testing.T, bin, zone, stubPort, modules, extra string) (*unbound, error) {
	dir := t.TempDir()
	port := freePort(t)
	conf := filepath.Join(dir, "unbound.conf")
	text := fmt.Sprintf(unboundConf, dir, port, zone, stubPort, modules, extra)
	if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	u := &unbound{
		Addr: net.JoinHostPort("127.0.0.1", port),
		log:  filepath.Join(dir, "unbound.log"),
		out:  &syncBuffer{},
		done: make(chan struct{}),
	}
	cmd := exec.Command(bin, "-d", "-c", conf)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = u.out, u.out
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	u.pid = cmd.Process.Pid
	go func() { u.err = cmd.Wait(); close(u.done) }()

	deadline := time.Now().Add(10 * time.Second)
	for !u.answers() {
		select {
		case <-u.done:
			out := u.out.String() + u.logText()
			if strings.Contains(out, "Address already in use") {
				return nil, fmt.Errorf("unbound could not bind 127.0.0.1:%s: %w", port, syscall.EADDRINUSE)
			}
			return nil, fmt.Errorf("unbound exited before answering: %v\nconfig:\n%s\noutput:\n%s", u.err, text, out)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			u.kill()
			return nil, fmt.Errorf("unbound did not answer on %s within 10s\nconfig:\n%s\noutput:\n%s%s", u.Addr, text, u.out, u.logText())
		}
	}
	t.Cleanup(func() {
		u.kill()
		if t.Failed() {
			t.Logf("unbound config:\n%s\nunbound output:\n%s\nunbound log (%s), last lines:\n%s", text, u.out, u.log, lastLines(u.logText(), 300))
		}
	})
	return u, nil
}

// answers reports whether Unbound replies at all, to a name it answers
// itself (its default local zone localhost.), so no query goes upstream.
func (u *unbound) answers() bool {
	m := new(dns.Msg)
	m.SetQuestion("localhost.", dns.TypeA)
	c := dns.Client{Timeout: 250 * time.Millisecond}
	_, _, err := c.Exchange(m, u.Addr)
	return err == nil
}

// kill stops the process by its pid: SIGTERM, then SIGKILL after 5s.
func (u *unbound) kill() {
	select {
	case <-u.done:
		return
	default:
	}
	syscall.Kill(u.pid, syscall.SIGTERM)
	select {
	case <-u.done:
	case <-time.After(5 * time.Second):
		syscall.Kill(u.pid, syscall.SIGKILL)
		<-u.done
	}
}

func (u *unbound) logText() string {
	b, _ := os.ReadFile(u.log)
	return string(b)
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// ask sends name/qtype to Unbound over UDP from the loopback address from,
// with RD set and EDNS0; with subnet (e.g. "127.0.12.0/24") the query
// carries that client subnet option. A lost packet is retried.
func (u *unbound) ask(t *testing.T, from, name string, qtype uint16, subnet string) *dns.Msg {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(name, qtype)
	m.SetEdns0(1232, false)
	if subnet != "" {
		m.IsEdns0().Option = append(m.IsEdns0().Option, ecsOption(t, subnet))
	}
	r, err := exchangeFrom(from, u.Addr, m)
	if err != nil {
		t.Fatalf("query %s %s from %s to unbound %s: %v", name, dns.TypeToString[qtype], from, u.Addr, err)
	}
	return r
}

// exchangeFrom sends m over UDP from the loopback address from to addr,
// retrying a lost packet.
func exchangeFrom(from, addr string, m *dns.Msg) (*dns.Msg, error) {
	c := dns.Client{
		Timeout: 2 * time.Second,
		Dialer:  &net.Dialer{LocalAddr: &net.UDPAddr{IP: net.ParseIP(from)}},
	}
	var err error
	for range 3 {
		var r *dns.Msg
		if r, _, err = c.Exchange(m, addr); err == nil {
			return r, nil
		}
	}
	return nil, err
}

// ecsOption is a client subnet option for prefix, SCOPE 0.
func ecsOption(t *testing.T, prefix string) *dns.EDNS0_SUBNET {
	t.Helper()
	ip, n, err := net.ParseCIDR(prefix)
	if err != nil {
		t.Fatal(err)
	}
	bits, _ := n.Mask.Size()
	e := &dns.EDNS0_SUBNET{Code: dns.EDNS0SUBNET, SourceNetmask: uint8(bits), Address: ip}
	e.Family = 1
	if ip.To4() == nil {
		e.Family = 2
	}
	return e
}

// replyScope returns the SCOPE of the client subnet option of r, or -1 when
// r has none.
func replyScope(r *dns.Msg) int {
	if opt := r.IsEdns0(); opt != nil {
		for _, o := range opt.Option {
			if e, ok := o.(*dns.EDNS0_SUBNET); ok {
				return int(e.SourceScope)
			}
		}
	}
	return -1
}

// askGSLB asks coredns-gslb itself, from unboundProbe, the question Unbound
// would ask for a client in subnet: name A with the client subnet option
// subnet. It checks the echo (FAMILY, SOURCE, ADDRESS as asked) and returns
// the answer's addresses and SCOPE.
func askGSLB(t *testing.T, s *server, name, subnet string) ([]string, int) {
	t.Helper()
	m := new(dns.Msg)
	m.SetQuestion(name, dns.TypeA)
	m.SetEdns0(1232, false)
	q := ecsOption(t, subnet)
	m.IsEdns0().Option = append(m.IsEdns0().Option, q)
	r, err := exchangeFrom(unboundProbe, s.Addr, m)
	if err != nil {
		t.Fatalf("query %s with ECS %s to coredns-gslb %s: %v", name, subnet, s.Addr, err)
	}
	var echo *dns.EDNS0_SUBNET
	if opt := r.IsEdns0(); opt != nil {
		for _, o := range opt.Option {
			if e, ok := o.(*dns.EDNS0_SUBNET); ok {
				echo = e
			}
		}
	}
	if echo == nil {
		t.Fatalf("%s with ECS %s: reply without a client subnet option (docs/ecs.md B1):\n%s", name, subnet, r)
	}
	if echo.Family != q.Family || echo.SourceNetmask != q.SourceNetmask || !echo.Address.Equal(q.Address) {
		t.Errorf("%s with ECS %s: echo %s, want FAMILY, SOURCE and ADDRESS as asked (docs/ecs.md B2)", name, subnet, echo)
	}
	return addrs(r), int(echo.SourceScope)
}

// ubCounter counts the queries Unbound sent to coredns-gslb, twice: by
// Unbound's own log ("sending query: NAME TYPE IN", written before Unbound
// answers its client, so it is complete the moment a test has its
// answer), and by the log plugin's lines of coredns-gslb with remote
// unboundOutgoing, which are written after each reply and may lag. count
// waits, with a deadline, until both agree: what Unbound sent is what
// reached coredns-gslb, and a query that should not have happened cannot
// hide in a late log line.
type ubCounter struct {
	s *server
	u *unbound
}

var (
	// logPluginLine matches a log plugin line: remote address, type, name.
	logPluginLine = regexp.MustCompile(`(?m)^\[INFO\] (\S+):\d+ - \d+ "(\S+) IN (\S+) (?:udp|tcp) `)
	// unboundSent matches Unbound's line for each query it sends (VERB_QUERY).
	unboundSent = regexp.MustCompile(`(?m) info: sending query: (\S+) (\S+) IN$`)
	// unboundTarget matches Unbound's line for where it sends one (VERB_ALGO).
	unboundTarget = regexp.MustCompile(`(?m) sending to target: <(\S+)> (\S+)$`)
)

// count returns how many queries for qtype (0: any) and name
// (case-insensitive) Unbound has sent to coredns-gslb.
func (c ubCounter) count(t *testing.T, qtype uint16, name string) int {
	t.Helper()
	match := func(qs []ubQuery) int {
		n := 0
		for _, q := range qs {
			if (qtype == 0 || q.qtype == dns.TypeToString[qtype]) && strings.EqualFold(q.name, name) {
				n++
			}
		}
		return n
	}
	sent := match(c.u.sent())
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := match(c.queries())
		if got == sent {
			return sent
		}
		if time.Now().After(deadline) {
			what := "any type"
			if qtype != 0 {
				what = dns.TypeToString[qtype]
			}
			t.Fatalf("unbound logged %d queries for %s (%s) sent, coredns-gslb logged %d received, within 5s", sent, name, what, got)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

type ubQuery struct{ qtype, name string }

// queries returns every query Unbound sent that coredns-gslb has logged, in
// log order.
func (c ubCounter) queries() []ubQuery {
	var out []ubQuery
	for _, m := range logPluginLine.FindAllStringSubmatch(c.s.out.String(), -1) {
		if m[1] == unboundOutgoing {
			out = append(out, ubQuery{m[2], m[3]})
		}
	}
	return out
}

// sent returns every query Unbound has logged sending, in order.
func (u *unbound) sent() []ubQuery {
	var out []ubQuery
	for _, m := range unboundSent.FindAllStringSubmatch(u.logText(), -1) {
		out = append(out, ubQuery{m[2], m[1]})
	}
	return out
}

func (c ubCounter) zone() string {
	_, host, _ := splitKey(c.s.Blocks[0].Keys[0])
	return dns.Fqdn(host)
}

// unboundFixture is coredns-gslb serving corefile, with the log plugin on,
// and Unbound in front of it with a stub zone for the Corefile's first
// zone.
func unboundFixture(t *testing.T, corefile string) (*unbound, ubCounter) {
	t.Helper()
	s := startServer(t, corefile)
	zone := ubCounter{s: s}.zone()
	u := startUnbound(t, zone, s.Addr)
	t.Cleanup(func() {
		// Loopback only, and nothing but the gslb zone was ever asked.
		log := u.logText()
		for _, q := range u.sent() {
			if !dns.IsSubDomain(zone, strings.ToLower(q.name)) {
				t.Errorf("unbound sent %s %s: want queries in %s only", q.qtype, q.name, zone)
			}
		}
		for _, m := range unboundTarget.FindAllStringSubmatch(log, -1) {
			if m[2] != "127.0.0.1#"+strings.TrimPrefix(s.Addr, "127.0.0.1:") {
				t.Errorf("unbound sent a query for %s to %s: want coredns-gslb at %s only", m[1], m[2], s.Addr)
			}
		}
		if len(u.sent()) == 0 {
			t.Errorf("unbound's log shows no query sent: is verbosity below 3, or did its log format change?")
		}
	})
	return u, ubCounter{s, u}
}

// unboundStep is one client's question through Unbound.
type unboundStep struct {
	from     string // the client's source address; Unbound sends its /24 as ECS
	want     string // the only address of the answer
	upstream int    // A queries for the name that reached coredns-gslb after it
	why      string
}

// run asks name A from each step's client and checks the answer and how
// many queries for name Unbound has sent to coredns-gslb so far.
func (u *unbound) run(t *testing.T, up ubCounter, name string, steps []unboundStep) {
	t.Helper()
	for _, st := range steps {
		r := u.ask(t, st.from, name, dns.TypeA, "")
		if got := addrs(r); r.Rcode != dns.RcodeSuccess || len(got) != 1 || got[0] != st.want {
			t.Errorf("client %s asks %s A: %s %v, want NOERROR %s (%s)\n%s", st.from, name, dns.RcodeToString[r.Rcode], got, st.want, st.why, r)
		}
		if n := up.count(t, dns.TypeA, name); n != st.upstream {
			t.Errorf("after client %s asked %s A, %d queries for it reached coredns-gslb, want %d (%s)", st.from, name, n, st.upstream, st.why)
		}
	}
}
