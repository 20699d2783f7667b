package kube

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/netip"
	"time"
)

// statusReport is what the benchmarks read of GET /v1/status.
type statusReport struct {
	Stanzas []struct {
		Pools []struct {
			Name    string `json:"name"`
			Members []struct {
				Member string `json:"member"`
				State  string `json:"state"`
			} `json:"members"`
		} `json:"pools"`
	} `json:"stanzas"`
}

// upMembers counts pool's members that are up and in want, and all of
// its members, as the status API of s reports them now.
func upMembers(s *server, pool string, want map[netip.Addr]bool) (up, all int, err error) {
	c := http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(s.status + "/v1/status")
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, 0, fmt.Errorf("/v1/status: %s", resp.Status)
	}
	var r statusReport
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return 0, 0, err
	}
	for _, st := range r.Stanzas {
		for _, p := range st.Pools {
			if p.Name != pool {
				continue
			}
			for _, m := range p.Members {
				all++
				if a, err := netip.ParseAddr(m.Member); err == nil && want[a] && m.State == "up" {
					up++
				}
			}
		}
	}
	return up, all, nil
}

// waitMembers polls the status API of s every 5 ms until pool has exactly
// the members of want, each up, and returns when it had.
func waitMembers(s *server, pool string, want map[netip.Addr]bool, within time.Duration) (time.Time, error) {
	deadline := time.Now().Add(within)
	for {
		up, all, err := upMembers(s, pool, want)
		if err == nil && up == len(want) && all == len(want) {
			return time.Now(), nil
		}
		if err := s.exited(); err != nil {
			return time.Time{}, err
		}
		if time.Now().After(deadline) {
			return time.Time{}, fmt.Errorf("status: pool %s has %d members, %d of them up and wanted, not the %d wanted, within %v (%v)", pool, all, up, len(want), within, err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
