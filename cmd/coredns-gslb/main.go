// Command coredns-gslb is CoreDNS with every in-tree plugin plus gslb.
package main

import (
	"slices"

	"github.com/coredns/coredns/core/dnsserver"
	_ "github.com/coredns/coredns/core/plugin" // all in-tree plugins
	"github.com/coredns/coredns/coremain"

	_ "github.com/gslb/gslb" // registers gslb
)

// gslb runs right before cache: cache keys on the name and type only, so
// placed before gslb it would replay one client's tailored answer to all.
func init() {
	dnsserver.Directives = insertBefore(dnsserver.Directives, "cache", "gslb")
}

// insertBefore returns directives with name placed just before anchor.
func insertBefore(directives []string, anchor, name string) []string {
	i := slices.Index(directives, anchor)
	if i < 0 {
		panic("coredns-gslb: directive " + anchor + " not found")
	}
	return slices.Insert(slices.Clone(directives), i, name)
}

func main() {
	coremain.Run()
}
