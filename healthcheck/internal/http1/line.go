package http1

import (
	"bufio"
	"bytes"
	"errors"
	"io"
)

// errOverLimit is a head past the bytes left for it; ReadHead names the limit.
var errOverLimit = errors.New("response head over its limit")

// readLine returns the next line without its line end, charged to left. A
// line longer than br's buffer is skipped to its end and returned cut, with
// long set: no line this parser needs is that long.
func readLine(br *bufio.Reader, left *int) (line []byte, long bool, err error) {
	line, err = br.ReadSlice('\n')
	*left -= len(line)
	if err == bufio.ErrBufferFull {
		// The buffer is reused below. It may hold fewer than 64 bytes
		// (bufio allows 16): truncate, not line[:64].
		long, line = true, append([]byte(nil), truncate(line)...)
		for err == bufio.ErrBufferFull && *left >= 0 {
			var more []byte
			more, err = br.ReadSlice('\n')
			*left -= len(more)
		}
	}
	switch {
	case *left < 0:
		return nil, false, errOverLimit
	case err == io.EOF:
		return nil, false, errHeadCut
	case err != nil:
		return nil, false, err
	}
	return bytes.TrimRight(line, "\r\n"), long, nil
}

// asciiEqualFold compares a header name or token with s, ignoring ASCII case.
func asciiEqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range len(b) {
		if lower(b[i]) != lower(s[i]) {
			return false
		}
	}
	return true
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// truncate keeps error messages short when a backend sends junk.
func truncate(b []byte) []byte { return b[:min(len(b), 64)] }
