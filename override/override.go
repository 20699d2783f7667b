// Package override reads the operator's override file: drain, force down or
// up, and reweight pools and members without touching the Corefile.
//
//	# comments and blank lines are ignored
//	drain POOL            no new traffic to the pool unless nothing else is up
//	drain POOL/MEMBER     the same for one member
//	down POOL[/MEMBER]    forced down, whatever the probes say
//	up POOL[/MEMBER]      forced up, whatever the probes say
//	weight POOL N         the pool's weight under policy weighted
package override

import (
	"github.com/miekg/dns"

	"bufio"
	"bytes"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// Op is what an override line does.
type Op int

// Override operations.
const (
	Drain Op = iota + 1
	Down
	Up
	Weight
)

var opNames = map[string]Op{"drain": Drain, "down": Down, "up": Up, "weight": Weight}

func (o Op) String() string {
	for name, op := range opNames {
		if op == o {
			return name
		}
	}
	return "unknown"
}

// Entry is one line of the file.
type Entry struct {
	Line   int
	Op     Op
	Pool   string
	Member netip.Addr // invalid for the whole pool or a host-name member
	Host   string     // a host-name member, fully qualified and lower case
	Weight int        // Op == Weight
}

// Target is the pool (and member) an entry names, as written.
func (e Entry) Target() string {
	switch {
	case e.Member.IsValid():
		return e.Pool + "/" + e.Member.String()
	case e.Host != "":
		return e.Pool + "/" + e.Host
	}
	return e.Pool
}

// ErrorAt is an error at a line of an override file, in the one form every
// such error takes, whether the parser or the stanza that applies the file
// finds it.
func ErrorAt(file string, line int, err error) error {
	return fmt.Errorf("%s:%d: %w", file, line, err)
}

// Parse reads an override file. An error names the line and what was
// expected; the caller keeps the overrides it had.
func Parse(file string, data []byte) ([]Entry, error) {
	var entries []Entry
	scanner := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; scanner.Scan(); n++ {
		line, _, _ := strings.Cut(scanner.Text(), "#")
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		e, err := parseLine(n, fields)
		if err != nil {
			return nil, ErrorAt(file, n, err)
		}
		entries = append(entries, e)
	}
	if err := scanner.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if err := conflicts(entries); err != nil {
		return nil, fmt.Errorf("%s:%w", file, err)
	}
	return entries, nil
}

// conflicts rejects a target forced both down and up, or a pool given two
// weights: which one wins would be a guess.
func conflicts(entries []Entry) error {
	seen := map[string]Entry{}
	for _, e := range entries {
		key := e.Target()
		switch e.Op {
		case Down, Up:
			key = "force " + key
		case Weight:
			key = "weight " + key
		default:
			continue
		}
		if prev, ok := seen[key]; ok && (prev.Op != e.Op || e.Op == Weight) {
			return fmt.Errorf("%d: %s %s contradicts line %d (%s %s)", e.Line, e.Op, e.Target(), prev.Line, prev.Op, prev.Target())
		}
		seen[key] = e
	}
	return nil
}

func parseLine(n int, fields []string) (Entry, error) {
	op, ok := opNames[fields[0]]
	if !ok {
		return Entry{}, fmt.Errorf("unknown operation %q: expected drain, down, up or weight", fields[0])
	}
	e := Entry{Line: n, Op: op}
	want := 2
	if op == Weight {
		want = 3
	}
	if len(fields) != want {
		if op == Weight {
			return e, fmt.Errorf("weight: expected POOL N")
		}
		return e, fmt.Errorf("%s: expected POOL or POOL/MEMBER", op)
	}
	pool, member, hasMember := strings.Cut(fields[1], "/")
	if pool == "" {
		return e, fmt.Errorf("%s: expected a pool name, got %q", op, fields[1])
	}
	e.Pool = pool
	if hasMember {
		if op == Weight {
			return e, fmt.Errorf("weight: expected a pool, not a member: %q", fields[1])
		}
		addr, err := netip.ParseAddr(member)
		switch {
		case err == nil:
			e.Member = addr.Unmap()
		case hostName(member):
			e.Host = dns.Fqdn(strings.ToLower(member))
		default:
			return e, fmt.Errorf("%s: expected POOL/ADDRESS or POOL/HOSTNAME, got %q", op, fields[1])
		}
	}
	if op == Weight {
		w, err := strconv.Atoi(fields[2])
		if err != nil || w < 1 || w > 1<<16 {
			return e, fmt.Errorf("weight: expected a whole number from 1 to 65536, got %q", fields[2])
		}
		e.Weight = w
	}
	return e, nil
}

// hostName reports whether s is a member's host name: a domain name whose
// last label is not a number, so a mistyped address is not taken for one.
func hostName(s string) bool {
	labels := dns.SplitDomainName(s)
	if _, ok := dns.IsDomainName(s); !ok || len(labels) == 0 || strings.ContainsAny(s, ":*") {
		return false
	}
	_, err := strconv.Atoi(labels[len(labels)-1])
	return err != nil
}
