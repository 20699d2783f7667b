package healthcheck

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// httpHead is what a probe needs of a response head: the status and how the
// body is delimited.
type httpHead struct {
	code    int
	length  int64 // Content-Length; -1 when absent
	chunked bool
}

var (
	errHeadTooLarge = fmt.Errorf("response head larger than %d bytes", maxBody)
	errHeadCut      = errors.New("connection closed before the end of the response head")
)

// readHead reads the status line and header fields of the final response,
// skipping interim 1xx ones, within maxBody bytes in all.
func readHead(br *bufio.Reader) (httpHead, error) {
	left := maxBody
	for {
		h, err := readOneHead(br, &left)
		if err != nil || h.code >= 200 || h.code == 101 {
			return h, err
		}
	}
}

func readOneHead(br *bufio.Reader, left *int) (httpHead, error) {
	h := httpHead{length: -1}
	line, long, err := readLine(br, left)
	if err != nil {
		return h, err
	}
	if h.code, err = parseStatusLine(line, long); err != nil {
		return h, err
	}
	te := 0
	for {
		if line, long, err = readLine(br, left); err != nil {
			return h, err
		}
		if len(line) == 0 {
			break
		}
		name, value, _ := bytes.Cut(line, []byte(":"))
		value = bytes.Trim(value, " \t")
		switch {
		case asciiEqualFold(name, "Transfer-Encoding"):
			// As net/http: one coding, chunked, which overrides a length.
			if te++; te > 1 || long || !asciiEqualFold(value, "chunked") {
				return h, fmt.Errorf("unsupported Transfer-Encoding %q", truncate(value))
			}
			h.chunked = true
		case asciiEqualFold(name, "Content-Length"):
			n, err := strconv.ParseInt(string(value), 10, 64)
			if err != nil || n < 0 || long || (h.length >= 0 && n != h.length) {
				return h, fmt.Errorf("bad or conflicting Content-Length %q", truncate(value))
			}
			h.length = n
		}
	}
	if h.chunked {
		h.length = -1
	}
	if h.code < 200 || h.code == 204 || h.code == 304 {
		h.length, h.chunked = 0, false // no body, whatever the header says
	}
	return h, nil
}

// parseStatusLine takes "HTTP/1.x NNN[ reason]" and returns NNN.
func parseStatusLine(line []byte, long bool) (int, error) {
	ok := !long && len(line) >= 12 && bytes.HasPrefix(line, []byte("HTTP/1.")) &&
		line[8] == ' ' && (len(line) == 12 || line[12] == ' ')
	code := 0
	for i := 9; ok && i < 12; i++ {
		ok = line[i] >= '0' && line[i] <= '9'
		code = code*10 + int(line[i]-'0')
	}
	if !ok {
		return 0, fmt.Errorf("malformed status line %q", truncate(line))
	}
	return code, nil
}

// readLine returns the next line without its line end, charged to left. A
// line longer than br's buffer is skipped to its end and returned cut, with
// long set: no line this parser needs is that long.
func readLine(br *bufio.Reader, left *int) (line []byte, long bool, err error) {
	line, err = br.ReadSlice('\n')
	*left -= len(line)
	if err == bufio.ErrBufferFull {
		long, line = true, append([]byte(nil), line[:64]...) // the buffer is reused below
		for err == bufio.ErrBufferFull && *left >= 0 {
			var more []byte
			more, err = br.ReadSlice('\n')
			*left -= len(more)
		}
	}
	switch {
	case *left < 0:
		return nil, false, errHeadTooLarge
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
