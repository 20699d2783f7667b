package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"

	"github.com/coredns/caddy"
)

// Exit statuses of -check.
const (
	checkOK    = 0 // the Corefile would start
	checkFail  = 1 // it would not, or it cannot be read
	checkUsage = 2 // the command line is wrong, as the flag package exits
)

// runCheck loads the Corefile named by -conf as a start would and reports
// whether it would start: "FILE: ok" on stdout, or the error, file:line
// first, on stderr. The plugins log their warnings (gslb's among them) to
// stderr as they do at a start; a warning does not fail the check.
func runCheck(stdout, stderr io.Writer) int {
	// As coremain.Run sets the log before a start: no timestamps, so a
	// warning reads the same in CI as in the pod's log.
	log.SetFlags(0)
	log.SetOutput(stderr)
	if flag.NArg() > 0 {
		fmt.Fprintf(stderr, "coredns-gslb: extra command line arguments: %s\n", flag.Args())
		return checkUsage
	}
	input, err := readCorefile(flag.Lookup("conf").Value.String())
	if err != nil {
		fmt.Fprintf(stderr, "coredns-gslb: %v\n", err)
		return checkFail
	}
	if err := loadCorefile(input); err != nil {
		for _, line := range errorLines(err) {
			fmt.Fprintln(stderr, line)
		}
		return checkFail
	}
	fmt.Fprintf(stdout, "%s: ok\n", input.Path())
	return checkOK
}

// readCorefile reads the Corefile as coremain's loader does: the file
// named, "stdin" for standard input, ./Corefile when none is named. Unlike
// a start, a missing ./Corefile is an error, not CoreDNS's built-in
// default: a check of a file that is not there has checked nothing.
func readCorefile(name string) (caddy.Input, error) {
	if name == "" {
		name = caddy.DefaultConfigFile
	}
	var body []byte
	var err error
	if name == "stdin" {
		name = os.Stdin.Name() // the name a start reports its errors with
		body, err = io.ReadAll(os.Stdin)
	} else {
		body, err = os.ReadFile(filepath.Clean(name))
	}
	return caddy.CaddyfileInput{Contents: body, Filepath: name, ServerTypeName: serverType}, err
}
