package fleet

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// The tallies kept member by member are those counted from scratch, after
// every kind of change: votes set and deleted, observers joining and
// leaving, observers becoming and ceasing to be isolated.
func TestIncrementalTalliesMatchACount(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	t0 := time.Now()
	members := make([]string, 40)
	for i := range members {
		members[i] = MemberKey("z.", fmt.Sprintf("p%d", i%4), fmt.Sprintf("192.0.2.%d", i))
	}
	observers := []string{"a", "b", "c", "d"}
	tb := newTable()
	for _, o := range observers[:3] {
		tb.setObserver(o, registration{Observer: o})
	}
	isolations := 0
	for step := range 3000 {
		switch r := rng.IntN(100); {
		case r < 2:
			o := observers[rng.IntN(len(observers))]
			if _, live := tb.observers[o]; live {
				tb.deleteObserver(o)
			} else {
				tb.setObserver(o, registration{Observer: o})
			}
		case r < 12:
			tb.deleteVote(members[rng.IntN(len(members))], observers[rng.IntN(len(observers))])
		default:
			o, m := observers[rng.IntN(len(observers))], rng.IntN(len(members))
			v := Vote{State: Up, Factor: float64(1+rng.IntN(10)) / 10, Since: t0.Add(time.Duration(rng.IntN(100)) * time.Second)}
			switch rng.IntN(5) {
			case 0, 1:
				v = Vote{State: Down, Since: t0.Add(time.Duration(50+rng.IntN(100)) * time.Second), Error: "refused"}
			case 2:
				v = Vote{State: Unknown}
			}
			if o == "c" && m < 20 && rng.IntN(2) == 0 { // c often cut off from half the members
				v = Vote{State: Down, Since: t0.Add(time.Hour), Error: "unreachable"}
			}
			tb.setVote(members[m], o, v)
		}
		if rng.IntN(3) > 0 { // changes pile up between some views
			continue
		}
		got := tb.view(true, true)
		fresh := newTable()
		for o, reg := range tb.observers {
			fresh.setObserver(o, reg)
		}
		for m, byObs := range tb.votes {
			for o, v := range byObs {
				fresh.setVote(m, o, v)
			}
		}
		want := fresh.view(true, true)
		if fmt.Sprint(got.Observers) != fmt.Sprint(want.Observers) || got.votes != want.votes {
			t.Fatalf("step %d: observers %v votes %v, counted afresh %v %v", step, got.Observers, got.votes, want.Observers, want.votes)
		}
		if len(want.Isolated()) > 0 {
			isolations++
		}
		for _, m := range members {
			g, gok := got.Tally(m)
			w, wok := want.Tally(m)
			if gok != wok || (gok && g != w) {
				t.Fatalf("step %d: member %s: %+v %t, counted afresh %+v %t", step, m, g, gok, w, wok)
			}
		}
	}
	if isolations == 0 {
		t.Error("no view had an isolated observer: the test did not exercise the rule")
	}
}
