package http1

import (
	"bufio"
	"errors"
	"io"
)

// limit is the probe's bound on a head (and a body) in these tests.
const limit = 64 << 10

// errHung is a read past the response of a backend that keeps the
// connection open: on a real connection it would block until the deadline.
var errHung = errors.New("read past the response of a backend that keeps the connection open")

// backend is a response as a connection yields it, chunk bytes per read (all
// at once when 0), then io.EOF when the backend closes or errHung when it
// hangs.
type backend struct {
	rest  []byte
	chunk int
	hang  bool
	read  int // bytes handed out
}

func (b *backend) Read(p []byte) (int, error) {
	if len(b.rest) == 0 {
		if b.hang {
			return 0, errHung
		}
		return 0, io.EOF
	}
	if b.chunk > 0 && len(p) > b.chunk {
		p = p[:b.chunk]
	}
	n := copy(p, b.rest)
	b.rest, b.read = b.rest[n:], b.read+n
	return n, nil
}

// readResponse reads a head from b as a probe does, with its 4 KiB reader,
// and the body too when body is set.
func readResponse(b *backend, body bool) (Head, string, error) {
	br := newReader(b)
	h, err := ReadHead(br, limit)
	if err != nil || !body {
		return h, "", err
	}
	buf := make([]byte, limit)
	n, err := ReadBody(br, h, buf)
	return h, string(buf[:n]), err
}

// newReader is the reader a probe reads a response with.
func newReader(b *backend) *bufio.Reader { return bufio.NewReaderSize(b, 4096) }
