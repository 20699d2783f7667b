package fleet

import (
	"strings"
	"testing"
	"time"
)

func TestQuorumDown(t *testing.T) {
	cases := []struct {
		q            Quorum
		down, voters int
		want         bool
	}{
		{Quorum{Rule: Majority}, 1, 3, false},
		{Quorum{Rule: Majority}, 2, 3, true},
		{Quorum{Rule: Majority}, 1, 2, false}, // a tie is not a majority
		{Quorum{Rule: Majority}, 2, 2, true},
		{Quorum{Rule: Any}, 1, 3, true},
		{Quorum{Rule: Any}, 0, 3, false},
		{Quorum{Rule: All}, 2, 3, false},
		{Quorum{Rule: All}, 3, 3, true},
		{Quorum{Rule: Count, N: 2}, 1, 3, false},
		{Quorum{Rule: Count, N: 2}, 2, 3, true},
		{Quorum{Rule: Count, N: 3}, 1, 1, true}, // fewer voters than N: all of them
		{Quorum{Rule: Majority}, 0, 0, false},
	}
	for _, c := range cases {
		if got := c.q.Down(c.down, c.voters); got != c.want {
			t.Errorf("quorum %s, %d of %d down: got down=%t, want %t", c.q, c.down, c.voters, got, c.want)
		}
	}
}

// votes builds a table: each observer's votes on members m0, m1, ...
func votes(t0 time.Time, byObs map[string]string) *table {
	tb := newTable()
	for obs, states := range byObs {
		tb.setObserver(obs, registration{Observer: obs})
		for i, c := range states {
			v := Vote{State: Up, Factor: 1, Since: t0}
			switch c {
			case 'd':
				v = Vote{State: Down, Since: t0.Add(time.Minute), Error: "refused"}
			case 'o': // down since before the others came up: slow to see a recovery
				v = Vote{State: Down, Since: t0.Add(-time.Minute), Error: "refused"}
			case 'n': // up since after c went down: restarted since
				v = Vote{State: Up, Factor: 1, Since: t0.Add(2 * time.Minute)}
			case '?':
				v = Vote{State: Unknown}
			}
			tb.setVote(MemberKey("z.", "p", string(rune('a'+i))), obs, v)
		}
	}
	return tb
}

func TestTallyCountsLiveVoters(t *testing.T) {
	tb := votes(time.Now(), map[string]string{"a": "uuud", "b": "uudd", "c": "u?dd"})
	tb.setVote(MemberKey("z.", "p", "a"), "gone", Vote{State: Down}) // no registration: not live
	v := tb.view(true, true)
	want := map[string][2]int{"a": {3, 0}, "b": {2, 0}, "c": {1, 2}, "d": {0, 3}}
	for m, w := range want {
		got, ok := v.Tally(MemberKey("z.", "p", m))
		if !ok || got.Up != w[0] || got.Down != w[1] {
			t.Errorf("member %s: got %+v (ok %t), want %d up, %d down", m, got, ok, w[0], w[1])
		}
	}
	c, _ := v.Tally(MemberKey("z.", "p", "c"))
	if !strings.Contains(c.Reason, "down for 2 of 3 observers") || !strings.Contains(c.Reason, "refused") {
		t.Errorf("reason %q: expected the count and the error", c.Reason)
	}
	if v.Votes(Up) != 6 || v.Votes(Down) != 5 || v.Votes(Unknown) != 1 {
		t.Errorf("votes by state: up %d down %d unknown %d, want 6 5 1", v.Votes(Up), v.Votes(Down), v.Votes(Unknown))
	}
	if len(v.Isolated()) != 0 {
		t.Errorf("isolated %v: a real outage seen by all is no isolation", v.Isolated())
	}
}

func TestMedianFactor(t *testing.T) {
	tb := newTable()
	for i, f := range []float64{0.2, 1, 0.5} {
		obs := string(rune('a' + i))
		tb.setObserver(obs, registration{})
		tb.setVote("z./p/m", obs, Vote{State: Up, Factor: f})
	}
	if got, _ := tb.view(true, true).Tally("z./p/m"); got.Factor != 0.5 {
		t.Errorf("median of 0.2, 1, 0.5: got %v", got.Factor)
	}
	tb.deleteVote("z./p/m", "c")
	if got, _ := tb.view(true, true).Tally("z./p/m"); got.Factor != 0.6 {
		t.Errorf("median of 0.2, 1: got %v, want 0.6", got.Factor)
	}
}

func TestIsolation(t *testing.T) {
	cases := []struct {
		name     string
		votes    map[string]string
		isolated string
	}{
		{"fiber cut: c alone loses half the members", map[string]string{"a": "uuuu", "b": "uuuu", "c": "uudd"}, "c"},
		{"one backend failing for one observer", map[string]string{"a": "uuuuu", "b": "uuuuu", "c": "uuuud"}, ""},
		{"a real outage", map[string]string{"a": "uudd", "b": "uudd", "c": "uudd"}, ""},
		{"two of three see it down", map[string]string{"a": "uudd", "b": "uudd", "c": "uuuu"}, ""},
		{"slow to see a recovery", map[string]string{"a": "uuuu", "b": "uuuu", "c": "uuoo"}, ""},
		{"cut off before another observer restarted", map[string]string{"a": "uuuu", "b": "nnnn", "c": "uudd"}, "c"},
		{"two observers cannot tell who is cut off", map[string]string{"a": "uuuu", "c": "uudd"}, ""},
		{"below a quarter", map[string]string{"a": "uuuuuuuuu", "b": "uuuuuuuuu", "c": "uuuuuuudd"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := votes(time.Now(), c.votes).view(true, true)
			got := strings.Join(v.Isolated(), ",")
			if got != c.isolated {
				t.Fatalf("isolated %q, want %q", got, c.isolated)
			}
			if c.isolated == "" {
				return
			}
			for m := range len(c.votes["a"]) {
				tally, _ := v.Tally(MemberKey("z.", "p", string(rune('a'+m))))
				if tally.Down != 0 || tally.Up != len(c.votes)-1 {
					t.Errorf("member %d: %+v: the isolated observer's votes must not count", m, tally)
				}
			}
		})
	}
}

func TestParseKeys(t *testing.T) {
	k := keys{"/gslb/"}
	cases := []struct {
		key            string
		what           kind
		name, observer string
	}{
		{"/gslb/observers/a", observerKey, "a", ""},
		{k.vote(MemberKey("z.", "eu", "192.0.2.1"), "a"), voteKey, "z./eu/192.0.2.1", "a"},
		{k.vote(MemberKey("z.", "eu", "2001:db8::1"), "pod-1"), voteKey, "z./eu/2001:db8::1", "pod-1"},
		{k.overrides("z."), overridesKey, "z.", ""},
		{"/gslb/zones/z./votes/eu/a", otherKey, "", ""},
		{"/gslb/zones/z./other", otherKey, "", ""},
		{"/gslb/observers/", otherKey, "", ""},
		{"/other/observers/a", otherKey, "", ""},
	}
	for _, c := range cases {
		what, name, obs := k.parse(c.key)
		if what != c.what || name != c.name || obs != c.observer {
			t.Errorf("parse(%q) = %d %q %q, want %d %q %q", c.key, what, name, obs, c.what, c.name, c.observer)
		}
	}
}
