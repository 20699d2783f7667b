package hostname

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// Every resolution counts once, by how it ended.
func TestResolutionsCounted(t *testing.T) {
	f := startFake(t, "nlb.example.net. 3600 IN A 192.0.2.1", "nlb.example.net. 3600 IN AAAA 2001:db8::1")
	before := [len(outcomeNames)]float64{}
	for o := range outcomeNames {
		before[o] = testutil.ToFloat64(resolutionsBy[o])
	}
	r := newTestRegistry()
	waitFirst(t, acquire(t, r, f.addr, nil, "nlb.example.net.", "gone.example.net."))
	for o, want := range map[outcome]float64{success: 1, nxdomain: 1} {
		if got := testutil.ToFloat64(resolutionsBy[o]) - before[o]; got < want {
			t.Errorf("%s resolutions: %v more, want %v", outcomeNames[o], got, want)
		}
	}
}
