package kube

import (
	"slices"
	"testing"
)

// Addresses are unmapped and zone-free, host names lower case and fully
// qualified; an annotation's blanks are no entries, and its first
// annotation wins.
func TestAnnotated(t *testing.T) {
	for _, tc := range []struct {
		annotations map[string]string
		value       string
		addrs, bad  []string
	}{
		{nil, "", nil, nil},
		{map[string]string{PublicAddress: "  "}, "", nil, nil},
		{map[string]string{PublicAddress: " 192.0.2.1, ::ffff:192.0.2.2,2001:DB8::1 ,, LB.Example.net.", ExternalDNSTarget: "192.0.2.9"},
			"192.0.2.1, ::ffff:192.0.2.2,2001:DB8::1 ,, LB.Example.net.", []string{"192.0.2.1", "192.0.2.2", "2001:db8::1", "lb.example.net."}, nil},
		{map[string]string{PublicAddress: " ", ExternalDNSTarget: "edge.example.com,192.0.2.1,192.0.2.1"},
			"edge.example.com,192.0.2.1,192.0.2.1", []string{"edge.example.com.", "192.0.2.1"}, nil},
		{map[string]string{PublicAddress: "10.0.0.256, fe80::1%eth0, a..b, -, x y, ok.example"},
			"10.0.0.256, fe80::1%eth0, a..b, -, x y, ok.example", []string{"ok.example."}, []string{"10.0.0.256", "fe80::1%eth0", "a..b", "-", "x y"}},
	} {
		value, addrs, bad := annotated(tc.annotations)
		var got []string
		for _, a := range addrs {
			got = append(got, a.String())
		}
		if value != tc.value || !slices.Equal(got, tc.addrs) || !slices.Equal(bad, tc.bad) {
			t.Errorf("%v: %q %q bad %q, want %q %q bad %q", tc.annotations, value, got, bad, tc.value, tc.addrs, tc.bad)
		}
	}
}
