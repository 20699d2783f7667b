package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// statusCorefile: %[1]s and %[2]s are the eu and us backends' ports, %[3]s
// the status listener's, %[4]s its token file. A geo record sends
// 203.0.113.0/24 to us, everyone else to eu.
const statusCorefile = `gslb.test:1053 {
    bind 127.0.0.1
    gslb {
        status 127.0.0.1:%[3]s {
            token %[4]s
        }
        check web {
            http 80 /healthz
            interval 200ms
            timeout 100ms
            rise 1
            fall 1
        }
        pool eu {
            member 192.0.2.10 probe 127.0.0.1:%[1]s
            check web
        }
        pool us {
            member 198.51.100.10 probe 127.0.0.1:%[2]s
            check web
        }
        record app {
            policy geo
            route us net 203.0.113.0/24
            pools eu us
            ttl 30
        }
        # more records
    }
}
`

// statusClient asks a status listener, with its token.
type statusClient struct {
	base, token string
}

func (c statusClient) get(t *testing.T, path string, token string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

// report is the part of /v1/status the test reads.
type report struct {
	Version int `json:"version"`
	Stanzas []struct {
		Zones   []string `json:"zones"`
		Records []struct {
			Names   []string `json:"names"`
			AllDown bool     `json:"all_down"`
		} `json:"records"`
		Pools []struct {
			Name    string `json:"name"`
			Healthy int    `json:"healthy"`
			Members []struct {
				Member string `json:"member"`
				State  string `json:"state"`
				Reason string `json:"reason"`
				From   string `json:"from"`
			} `json:"members"`
		} `json:"pools"`
	} `json:"stanzas"`
}

func (c statusClient) report(t *testing.T) report {
	t.Helper()
	code, body := c.get(t, "/v1/status", c.token)
	var r report
	if code != http.StatusOK || json.Unmarshal(body, &r) != nil {
		t.Fatalf("/v1/status: %d %s", code, body)
	}
	return r
}

// memberState is the state of pool's first member.
func (r report) memberState(pool string) (string, string) {
	for _, p := range r.Stanzas[0].Pools {
		if p.Name == pool {
			return p.Members[0].State, p.Members[0].Reason
		}
	}
	return "", ""
}

func TestStatusAPI(t *testing.T) {
	t.Parallel()
	eu, us := newHTTPBackend(t), newHTTPBackend(t)
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	s := startServer(t, fmt.Sprintf(statusCorefile, eu.port(), us.port(), port, tokenFile))
	c := statusClient{base: "http://127.0.0.1:" + port, token: "s3cret"}

	r := c.report(t)
	if r.Version != 1 || len(r.Stanzas) != 1 || r.Stanzas[0].Zones[0] != "gslb.test." || r.Stanzas[0].Records[0].Names[0] != "app.gslb.test." {
		t.Fatalf("report %+v", r)
	}
	if st, _ := r.memberState("eu"); st != "up" {
		t.Fatalf("eu's member %q, want up", st)
	}

	// The decision for a client of each route, made by the query path.
	// The scope outside the route is the prefix that keeps it apart from
	// 203.0.113.0/24: 198.51.100.0 and 203.0.113.0 differ from bit 5.
	for client, want := range map[string]struct {
		pool, addr string
		scope      int
	}{"198.51.100.0/24": {"eu", "192.0.2.10", 5}, "203.0.113.0/24": {"us", "198.51.100.10", 24}} {
		e := explain(t, c, "name=app.gslb.test&type=A&client="+url.QueryEscape(client))
		if e.Answer.Pool != want.pool || len(e.Answer.Records) != 1 || !strings.HasSuffix(e.Answer.Records[0], want.addr) || e.Answer.Scope != want.scope {
			t.Errorf("explain for %s: %+v, want pool %s answering %s with scope %d", client, e.Answer, want.pool, want.addr, want.scope)
		}
		if e.Policy != "geo" || len(e.Pools) != 2 || e.Pools[0].Pool != want.pool || !e.Pools[0].Chosen || e.Client.Source != "ecs" {
			t.Errorf("explain for %s: %+v", client, e)
		}
	}

	// A member going down shows, with the reason, and explain follows.
	eu.kill(t)
	eventually(t, "eu's member down in the status", 10*time.Second, func() bool {
		st, reason := c.report(t).memberState("eu")
		return st == "down" && reason != ""
	})
	e := explain(t, c, "name=app.gslb.test&client=198.51.100.7")
	if e.Answer.Pool != "us" || e.Pools[0].Usable || !e.Pools[1].Chosen || !strings.Contains(e.Pools[0].Why, "0 of 1 members up") {
		t.Errorf("explain with eu down: %+v", e)
	}
	if e := explain(t, c, "name=nope.gslb.test&client=198.51.100.7"); e.Answer.Action != "nxdomain" {
		t.Errorf("explain of an unknown name: %+v", e.Answer)
	}

	// Bad requests get a status and a message; the token is required.
	for _, tc := range []struct {
		path, token string
		code        int
		msg         string
	}{
		{"/v1/status", "", http.StatusUnauthorized, "Authorization: Bearer"},
		{"/v1/status", "wrong", http.StatusUnauthorized, "Authorization: Bearer"},
		{"/v1/explain?name=app.gslb.test", c.token, http.StatusBadRequest, "client: expected an IP address or a subnet"},
		{"/v1/explain?name=app.gslb.test&client=10.1.2.3/8", c.token, http.StatusBadRequest, "has bits set beyond its prefix length"},
		{"/v1/explain?name=app.gslb.test&client=10.0.0.1&type=BOGUS", c.token, http.StatusBadRequest, "type: expected a record type"},
		{"/v1/explain?name=app.gslb.test&client=10.0.0.1&colour=red", c.token, http.StatusBadRequest, `unknown parameter \"colour\"`},
		{"/v1/explain?name=app.example.org&client=10.0.0.1", c.token, http.StatusNotFound, "in none of the zones"},
	} {
		code, body := c.get(t, tc.path, tc.token)
		if code != tc.code || !strings.Contains(string(body), tc.msg) {
			t.Errorf("GET %s: %d %s, want %d with %q", tc.path, code, body, tc.code, tc.msg)
		}
	}

	// A reload keeps the listener and shows the new configuration.
	path := s.corefilePath(t)
	base, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rewriteCorefile(t, path, string(base), "        record www {\n            pools us\n        }\n")
	if err := syscall.Kill(s.pid, syscall.SIGUSR1); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the reloaded record in the status", 15*time.Second, func() bool {
		return len(c.report(t).Stanzas[0].Records) == 2
	})
}

// explanation is the part of /v1/explain the test reads.
type explanation struct {
	Policy string `json:"policy"`
	Client struct {
		Source string `json:"source"`
	} `json:"client"`
	Pools []struct {
		Pool   string `json:"pool"`
		Usable bool   `json:"usable"`
		Why    string `json:"why"`
		Chosen bool   `json:"chosen"`
	} `json:"pools"`
	Answer struct {
		Action  string   `json:"action"`
		Pool    string   `json:"pool"`
		Records []string `json:"records"`
		Scope   int      `json:"scope"`
	} `json:"answer"`
}

func explain(t *testing.T, c statusClient, query string) explanation {
	t.Helper()
	code, body := c.get(t, "/v1/explain?"+query, c.token)
	var e explanation
	if code != http.StatusOK || json.Unmarshal(body, &e) != nil {
		t.Fatalf("/v1/explain?%s: %d %s", query, code, body)
	}
	return e
}
