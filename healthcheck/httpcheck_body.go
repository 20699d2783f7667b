package healthcheck

import (
	"bufio"
	"io"
	"net/http/httputil"
	"sync"
)

// bodyBuffers hold the bounded body a match is run on. Only probes in flight
// hold one (at most the registry's concurrency), never every prober.
var bodyBuffers = sync.Pool{New: func() any { return new([maxBody]byte) }}

// readerPool lends response readers to probes in flight, for the same reason.
var readerPool = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 4096) }}

// readBody reads the body after h into buf, up to len(buf) bytes, and
// returns how many it read. A body shorter than it announced is an error;
// one longer than buf is cut, unread.
func readBody(br *bufio.Reader, h httpHead, buf []byte) (int, error) {
	var body io.Reader = br // no length and not chunked: the body ends at close
	switch {
	case h.chunked:
		body = httputil.NewChunkedReader(br)
	case h.length >= 0:
		body = io.LimitReader(br, h.length)
		buf = buf[:min(int64(len(buf)), h.length)]
	}
	n := 0
	for n < len(buf) {
		m, err := body.Read(buf[n:])
		n += m
		if err == io.EOF {
			if h.length >= 0 && !h.chunked && n < len(buf) {
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
