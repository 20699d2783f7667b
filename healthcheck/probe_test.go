package healthcheck

import "testing"

func TestProbeOfUnknownKindFails(t *testing.T) {
	err := runProbe(t, Target{Addr: "192.0.2.1:80", Check: NewCheck("none", 0)}) // never dialled
	wantReason(t, err, reasonError)
}
