package healthcheck

import "testing"

// An HTTP check with no Expect counts any 2xx as healthy: the Corefile
// parser leaves Expect empty when the check block names none.
func TestCheckExpects(t *testing.T) {
	c := NewCheck("x", HTTP)
	for code, want := range map[int]bool{199: false, 200: true, 204: true, 299: true, 300: false, 503: false} {
		if got := c.expects(code); got != want {
			t.Errorf("no expect, status %d: healthy %t, want %t", code, got, want)
		}
	}
	c.Expect = []StatusRange{{200, 200}, {500, 599}}
	for code, want := range map[int]bool{200: true, 204: false, 503: true, 600: false} {
		if got := c.expects(code); got != want {
			t.Errorf("expect %v, status %d: healthy %t, want %t", c.Expect, code, got, want)
		}
	}
}
