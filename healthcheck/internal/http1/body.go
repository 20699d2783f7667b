package http1

import (
	"bufio"
	"io"
	"net/http/httputil"
)

// ReadBody reads the body after h into buf, up to len(buf) bytes, and
// returns how many it read. A body shorter than it announced is an error;
// one longer than buf is cut, unread.
func ReadBody(br *bufio.Reader, h Head, buf []byte) (int, error) {
	var body io.Reader = br // no length and not chunked: the body ends at close
	switch {
	case h.Chunked:
		body = httputil.NewChunkedReader(br)
	case h.Length >= 0:
		body = io.LimitReader(br, h.Length)
		buf = buf[:min(int64(len(buf)), h.Length)]
	}
	n := 0
	for n < len(buf) {
		m, err := body.Read(buf[n:])
		n += m
		if err == io.EOF {
			if h.Length >= 0 && !h.Chunked && n < len(buf) {
				return n, io.ErrUnexpectedEOF // closed before Content-Length bytes
			}
			break
		}
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
