package config

import "fmt"

// ErrorAt is an error at a line of a Corefile, in the form caddy's
// Controller.Errf gives: the one form every error of a stanza takes, whether
// found on the line being read, later in the block, or once the stanza is
// read.
func ErrorAt(file string, line int, err error) error {
	return fmt.Errorf("%s:%d - Error during parsing: %w", file, line, err)
}

// Errorf is ErrorAt for the line that names path.
func (path Path) Errorf(format string, args ...any) error {
	return ErrorAt(path.File, path.Line, fmt.Errorf(format, args...))
}

// WarningAt is a warning at a line of a Corefile: FILE:LINE - WHAT, the
// form of ErrorAt without its "Error during parsing", as the stanza still
// runs.
func WarningAt(file string, line int, err error) error {
	return fmt.Errorf("%s:%d - %w", file, line, err)
}
