package main

import (
	"net"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/coredns/caddy/caddyfile"
	"github.com/coredns/coredns/core/dnsserver"
)

// A test's Corefile is written with any ports (the examples use 1053); it
// runs with free loopback ports instead, and must bind loopback only.

// rewritePorts gives each port of the server block keys (53 where none is
// written) a free loopback port; keys with the same port share the new one.
func rewritePorts(t *testing.T, corefile string) string {
	ports := map[string]string{}
	lines := strings.Split(corefile, "\n")
	depth := 0
	for i, line := range lines {
		code, _, _ := strings.Cut(line, "#")
		fields := strings.Fields(code)
		if depth == 0 && len(fields) > 0 && !strings.HasPrefix(fields[0], "(") && fields[0] != "import" {
			for j, key := range fields {
				if key == "{" {
					break
				}
				key, comma := strings.CutSuffix(key, ",")
				scheme, host, port := splitKey(key)
				if ports[port] == "" {
					ports[port] = freePort(t)
				}
				fields[j] = scheme + host + ":" + ports[port]
				if comma {
					fields[j] += ","
				}
			}
			lines[i] = strings.Join(fields, " ")
		}
		depth += strings.Count(code, "{") - strings.Count(code, "}")
	}
	return strings.Join(lines, "\n")
}

// splitKey splits a server block key such as dns://example.test:1053.
func splitKey(key string) (scheme, host, port string) {
	if i := strings.Index(key, "://"); i >= 0 {
		scheme, key = key[:i+3], key[i+3:]
	}
	host, port = key, ""
	if i := strings.LastIndex(key, ":"); i >= 0 && strings.Trim(key[i+1:], "0123456789") == "" {
		host, port = key[:i], key[i+1:]
	}
	return scheme, host, port
}

// keyAddr is the loopback address a server block key listens on.
func keyAddr(key string) string {
	_, _, port := splitKey(key)
	return net.JoinHostPort("127.0.0.1", port)
}

// loopbackOnly parses the Corefile and fails the test unless every server
// block binds loopback addresses only: no test listens beyond loopback.
func loopbackOnly(t *testing.T, corefile string) []caddyfile.ServerBlock {
	t.Helper()
	blocks, err := caddyfile.Parse("Corefile", strings.NewReader(corefile), dnsserver.Directives)
	if err != nil {
		t.Fatalf("Corefile does not parse: %v\n%s", err, corefile)
	}
	for _, b := range blocks {
		binds := b.Tokens["bind"]
		if len(binds) == 0 {
			t.Fatalf("server block %v has no bind line: it would listen on every interface; want bind 127.0.0.1\n%s", b.Keys, corefile)
		}
		for _, tok := range binds {
			if ip := net.ParseIP(tok.Text); tok.Text != "bind" && (ip == nil || !ip.IsLoopback()) {
				t.Fatalf("server block %v binds %q: want loopback addresses only\n%s", b.Keys, tok.Text, corefile)
			}
		}
	}
	return blocks
}

var (
	portsMu sync.Mutex
	given   = map[string]bool{} // ports handed out in this process
)

// freePort returns a port free on 127.0.0.1 for both TCP and UDP.
func freePort(t *testing.T) string {
	for range 100 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		_, port, _ := net.SplitHostPort(l.Addr().String())
		u, err := net.ListenPacket("udp", net.JoinHostPort("127.0.0.1", port))
		l.Close()
		if err != nil {
			continue
		}
		u.Close()
		portsMu.Lock()
		taken := given[port]
		given[port] = true
		portsMu.Unlock()
		if !taken {
			return port
		}
	}
	t.Fatal("no port free for both TCP and UDP on 127.0.0.1")
	return ""
}

type mdBlock struct {
	line int // of the opening fence, 1-based
	text string
}

// corefileBlocks returns the fenced code blocks (``` or ~~~) of a Markdown
// text whose info string is corefile.
func corefileBlocks(md string) []mdBlock {
	var blocks []mdBlock
	lines := strings.Split(md, "\n")
	for i := 0; i < len(lines); i++ {
		text := strings.TrimLeft(lines[i], " ")
		indent := len(lines[i]) - len(text)
		fence := text[:len(text)-len(strings.TrimLeft(text, "`"))]
		if fence == "" {
			fence = text[:len(text)-len(strings.TrimLeft(text, "~"))]
		}
		if len(fence) < 3 || indent > 3 {
			continue
		}
		info := strings.Fields(text[len(fence):])
		var body []string
		j := i + 1
		for ; j < len(lines); j++ {
			end := strings.TrimLeft(lines[j], " ")
			if strings.HasPrefix(end, fence) && strings.TrimSpace(strings.TrimLeft(end, fence[:1])) == "" {
				break
			}
			body = append(body, strings.TrimPrefix(lines[j], strings.Repeat(" ", indent)))
		}
		if len(info) > 0 && strings.EqualFold(info[0], "corefile") {
			blocks = append(blocks, mdBlock{line: i + 1, text: strings.Join(body, "\n") + "\n"})
		}
		i = j
	}
	return blocks
}

func TestCorefileBlocks(t *testing.T) {
	md := "# T\n\n```corefile\na:1053 {\n}\n```\n\n~~~ Corefile extra\nb {\n}\n~~~~\n\n```sh\nc\n```\n" +
		"1. item\n\n   ````corefile\n   d {\n   ```\n   }\n   ````\n"
	want := []mdBlock{{3, "a:1053 {\n}\n"}, {8, "b {\n}\n"}, {18, "d {\n```\n}\n"}}
	if got := corefileBlocks(md); !slices.Equal(got, want) {
		t.Errorf("corefileBlocks = %+v, want %+v", got, want)
	}
}

func TestRewritePorts(t *testing.T) {
	in := "(snip) {\n    bind 127.0.0.1\n}\na.test:1053 dns://b.test:1053 {\n    import snip\n}\nc.test:1054, d.test { # comment\n    whoami\n}\n"
	out := rewritePorts(t, in)
	blocks, err := caddyfile.Parse("Corefile", strings.NewReader(out), dnsserver.Directives)
	if err != nil || len(blocks) != 2 {
		t.Fatalf("rewritten Corefile:\n%s\nparses into %d blocks (%v), want 2", out, len(blocks), err)
	}
	keys := append(blocks[0].Keys, blocks[1].Keys...)
	ports := map[string]bool{}
	for _, k := range keys {
		_, _, port := splitKey(k)
		ports[port] = true
		if port == "" || port == "1053" || port == "1054" {
			t.Errorf("key %q kept its port", k)
		}
	}
	if _, _, p0 := splitKey(keys[0]); !strings.HasSuffix(keys[1], ":"+p0) || len(ports) != 3 {
		t.Errorf("keys %q: want one port for both 1053 keys and another each for 1054 and none", keys)
	}
}
