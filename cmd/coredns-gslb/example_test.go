package main

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/coredns/caddy/caddyfile"
	"github.com/miekg/dns"
)

// Corefile.example runs as it is (on other ports) and answers every GSLB
// name it defines.
func TestCorefileExample(t *testing.T) {
	t.Parallel()
	text, err := os.ReadFile("../../Corefile.example")
	if err != nil {
		t.Fatal(err)
	}
	s := startServer(t, string(text))
	checkGSLBNames(t, s)
}

// Every ```corefile block of README.md is a complete Corefile: it runs with
// the built binary and answers every GSLB name it defines.
func TestREADMECorefiles(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatalf("README.md must exist, with its Corefile examples in fenced blocks whose info string is corefile (each a complete Corefile on loopback that this test runs): %v", err)
	}
	blocks := corefileBlocks(string(readme))
	if len(blocks) == 0 {
		t.Fatal("README.md has no fenced block with the info string corefile: its examples must be runnable Corefiles")
	}
	for _, b := range blocks {
		t.Run(fmt.Sprintf("README.md:%d", b.line), func(t *testing.T) {
			t.Parallel()
			s := startServer(t, b.text)
			checkGSLBNames(t, s)
		})
	}
}

// checkGSLBNames asks the server for the SOA of every gslb zone and for A
// and AAAA of every gslb record, over UDP and TCP: each is answered with
// authority, and a record with at least one address, all of them
// documentation or loopback addresses.
func checkGSLBNames(t *testing.T, s *server) {
	t.Helper()
	records := 0
	for _, b := range s.Blocks {
		zones, names := gslbNames(b)
		records += len(names)
		at := s.at(keyAddr(b.Keys[0]))
		for _, netw := range []string{"udp", "tcp"} {
			for _, zone := range zones {
				m := at.query(t, netw, zone, dns.TypeSOA, true)
				if m.Rcode != dns.RcodeSuccess || !m.Authoritative || len(m.Answer) != 1 || m.Answer[0].Header().Rrtype != dns.TypeSOA {
					t.Errorf("%s SOA over %s:\n%s\nwant NOERROR, AA and the SOA", zone, netw, m)
				}
			}
			for _, name := range names {
				checkRecord(t, at, netw, name)
			}
		}
	}
	if records == 0 {
		t.Errorf("the Corefile defines no gslb record: %v", s.Blocks)
	}
}

// checkRecord asks for A and AAAA of a record's name.
func checkRecord(t *testing.T, s *server, netw, name string) {
	t.Helper()
	var all []string
	for _, qtype := range []uint16{dns.TypeA, dns.TypeAAAA} {
		m := s.query(t, netw, name, qtype, false)
		if m.Rcode != dns.RcodeSuccess || !m.Authoritative {
			t.Errorf("%s %s over %s:\n%s\nwant NOERROR and AA", name, dns.TypeToString[qtype], netw, m)
		}
		if bad := outsideTestNets(m); len(bad) > 0 {
			t.Errorf("%s %s: addresses %v outside the documentation and loopback ranges", name, dns.TypeToString[qtype], bad)
		}
		all = append(all, addrs(m)...)
	}
	if len(all) == 0 {
		t.Errorf("%s over %s: no A or AAAA answer", name, netw)
	}
}

// gslbNames returns the zones of a server block's gslb stanza and the fully
// qualified names of its records.
func gslbNames(b caddyfile.ServerBlock) (zones, names []string) {
	toks := b.Tokens["gslb"]
	if len(toks) == 0 {
		return nil, nil
	}
	for i := 1; i < len(toks) && toks[i].Line == toks[0].Line && toks[i].Text != "{"; i++ {
		zones = append(zones, dns.Fqdn(strings.ToLower(toks[i].Text)))
	}
	if len(zones) == 0 {
		for _, key := range b.Keys {
			_, host, _ := splitKey(key)
			zones = append(zones, dns.Fqdn(strings.ToLower(host)))
		}
	}
	depth := 0
	for i, tok := range toks {
		switch {
		case tok.Text == "{":
			depth++
		case tok.Text == "}":
			depth--
		case depth == 1 && tok.Text == "record" && toks[i-1].Line != tok.Line:
			for j := i + 1; j < len(toks) && toks[j].Line == tok.Line && toks[j].Text != "{"; j++ {
				names = append(names, qualify(toks[j].Text, zones)...)
			}
		}
	}
	return zones, names
}

// qualify expands a record name as the gslb stanza does.
func qualify(name string, zones []string) []string {
	if dns.IsFqdn(name) {
		return []string{name}
	}
	var out []string
	for _, z := range zones {
		switch {
		case name == "@":
			out = append(out, z)
		case z == ".":
			out = append(out, name+".")
		default:
			out = append(out, name+"."+z)
		}
	}
	return out
}
