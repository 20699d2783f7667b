// Command coredns-gslb is CoreDNS with every in-tree plugin plus gslb.
package main

import (
	"flag"
	"os"
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

// check is -check: coremain registers its flags in its init, before this
// package's variables are set, and has no flag of this name.
var check = flag.Bool("check", false, "Check the Corefile (-conf, or ./Corefile) as a start would load it, without listening or probing; exit 0 when it would start, 1 with FILE:LINE errors when not")

func main() {
	// coremain.Run parses the flags again, to the same values: parsing here
	// first is what lets -check run before anything of a start does.
	flag.Parse()
	if *check {
		os.Exit(runCheck(os.Stdout, os.Stderr))
	}
	coremain.Run()
}
