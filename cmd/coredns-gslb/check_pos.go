package main

import (
	"regexp"
	"strings"
)

// checkError is an error of the check with the position to print it at:
// the one its message names (caddy's Errf writes FILE:LINE - into it), or
// else pos, the line of the directive or server block that failed.
type checkError struct {
	pos string
	err error
}

// Error is the message with its first line positioned (errorLines does
// the others).
func (e *checkError) Error() string {
	first, rest, more := strings.Cut(e.err.Error(), "\n")
	if more {
		return positioned(first, e.pos) + "\n" + rest
	}
	return positioned(first, e.pos)
}

func (e *checkError) Unwrap() error { return e.err }

// posRE is a position in an error message, at its start or after a prefix
// such as "plugin/gslb: ".
var posRE = regexp.MustCompile(`(?:^|: )(\S+:\d+) - `)

// positioned moves the position msg names to its front, so every line the
// check prints starts with file:line; without one, it puts pos there.
func positioned(msg, pos string) string {
	if m := posRE.FindStringSubmatchIndex(msg); m != nil {
		return msg[m[2]:m[3]] + " - " + msg[:m[2]] + msg[m[1]:]
	}
	return pos + " - " + msg
}

// errorLines is err as printed: one line per line of its message, each
// with a position first; a continuation line without one of its own takes
// the first line's.
func errorLines(err error) []string {
	lines := strings.Split(strings.TrimRight(err.Error(), "\n"), "\n")
	pos, _, _ := strings.Cut(lines[0], " - ")
	for i, line := range lines[1:] {
		lines[i+1] = positioned(line, pos)
	}
	return lines
}
