package http1

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// headSeeds are real heads and broken ones: valid, interim, folded and odd
// fields, bare LF line ends, too long, truncated and bad status lines.
var headSeeds = []string{
	"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
	"HTTP/1.0 503 Service Unavailable\r\nServer: nginx\r\nContent-Type: text/html\r\n\r\n",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
	"HTTP/1.1 200 OK\r\nContent-Length: 9\r\nTransfer-Encoding: chunked\r\n\r\n",
	"HTTP/1.1 204 No Content\r\nContent-Length: 7\r\n\r\n",
	"HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n",
	"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\nHTTP/1.1 200 OK\r\n\r\n",
	"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n",
	"HTTP/1.1 200\r\n\r\n",
	"HTTP/1.1 999 Odd\n\n",
	"HTTP/1.1 200 OK\r\nX-Folded: a\r\n  b\r\n\tc\r\nNoColon\r\n: empty name\r\n\r\n",
	"HTTP/1.1 200 OK\r\ncontent-length:  12 \r\nCONTENT-LENGTH: 12\r\n\r\n",
	"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n",
	"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
	"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
	"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
	"HTTP/1.1 200 OK\r\nX-Big: " + strings.Repeat("b", 5000) + "\r\nContent-Length: 2\r\n\r\nok",
	"HTTP/1.1 200 OK\r\nContent-Length: " + strings.Repeat("0", 5000) + "2\r\n\r\n",
	"HTTP/1.1 200 OK\r\n" + strings.Repeat("X-Pad: pppppppp\r\n", 300) + "\r\n",
	"HTTP/1.1 200 OK\r\nContent-Le",
	"HTTP/1.1 200 OK\r\n\r",
	"",
	"HTTP/1.1 OK\r\n\r\n",
	"HTTP/2 200\r\n\r\n",
	"HTTP/1.1 2x0 OK\r\n\r\n",
	"HTTP/1.1  200 OK\r\n\r\n",
	"HTTP/1.1 2000 OK\r\n\r\n",
	"http/1.1 200 OK\r\n\r\n",
	"SSH-2.0-OpenSSH_9.6\r\n",
	"HTTP/1.1 200 OK\x00\r\n\r\n",
	"\r\nHTTP/1.1 200 OK\r\n\r\n",
}

// FuzzReadHead feeds ReadHead any bytes, with any limit and read-buffer size.
// Besides never panicking, it must read no more than its limit (plus one
// read buffer when it gives up), accept only a final head of a well-formed
// status line ending at an empty line, fail only with its own errors, and
// give the same answer when the bytes come one per read.
func FuzzReadHead(f *testing.F) {
	for _, s := range headSeeds {
		f.Add([]byte(s), uint16(65535), uint16(4096-16)) // the probe's reader
		f.Add([]byte(s), uint16(256), uint16(4096-16))
	}
	f.Fuzz(func(t *testing.T, raw []byte, limit, size uint16) {
		bufSize := 16 + int(size)%(4096-16+1) // bufio's least to the probe's
		b := &backend{rest: raw}
		br := bufio.NewReaderSize(b, bufSize)
		h, err := ReadHead(br, int(limit))
		consumed := b.read - br.Buffered()
		if err == nil && consumed > int(limit) {
			t.Fatalf("accepted a %d-byte head over the limit %d", consumed, limit)
		}
		if consumed > int(limit)+br.Size() {
			t.Fatalf("read %d bytes with the limit %d and a %d-byte buffer", consumed, limit, br.Size())
		}
		if err != nil {
			if !knownError(err, int(limit)) {
				t.Fatalf("error %q (%T) is none of ReadHead's", err, err)
			}
		} else {
			checkAccepted(t, raw[:consumed], h)
		}

		one := &backend{rest: raw, chunk: 1}
		br1 := bufio.NewReaderSize(one, bufSize)
		h1, err1 := ReadHead(br1, int(limit))
		if h1 != h || fmt.Sprint(err1) != fmt.Sprint(err) || one.read-br1.Buffered() != consumed {
			t.Fatalf("a byte per read: %+v, %v, %d bytes; all at once: %+v, %v, %d bytes",
				h1, err1, one.read-br1.Buffered(), h, err, consumed)
		}
	})
}

// checkAccepted asserts what holds of every head ReadHead accepts; head is
// the bytes it took.
func checkAccepted(t *testing.T, head []byte, h Head) {
	t.Helper()
	switch {
	case h.Code < 100 || h.Code > 999:
		t.Fatalf("accepted status %d", h.Code)
	case h.Code < 200 && h.Code != 101:
		t.Fatalf("returned the interim status %d", h.Code)
	case h.Length < -1 || (h.Chunked && h.Length != -1):
		t.Fatalf("accepted %+v: a body both chunked and of a length", h)
	case (h.Code < 200 || h.Code == 204 || h.Code == 304) && (h.Length != 0 || h.Chunked):
		t.Fatalf("status %d has no body, but %+v", h.Code, h)
	case !bytes.HasPrefix(head, []byte("HTTP/1.")):
		t.Fatalf("accepted %q, which does not start with a status line", head)
	}
	last := head[bytes.LastIndexByte(head[:len(head)-1], '\n')+1:] // the line that ended it
	if len(bytes.Trim(last, "\r\n")) != 0 || last[len(last)-1] != '\n' {
		t.Fatalf("accepted %q, which does not end with an empty line (%q)", head, last)
	}
	// The head re-written plainly reads the same.
	plain := fmt.Sprintf("HTTP/1.1 %03d X\r\n", h.Code)
	if h.Chunked {
		plain += "Transfer-Encoding: chunked\r\n"
	} else if h.Length >= 0 {
		plain += fmt.Sprintf("Content-Length: %d\r\n", h.Length)
	}
	if again, err := ReadHead(bufio.NewReader(strings.NewReader(plain+"\r\n")), 4096); err != nil || again != h {
		t.Fatalf("%+v re-written as %q reads %+v, %v", h, plain, again, err)
	}
}

func knownError(err error, limit int) bool {
	var tooLarge errHeadTooLarge
	if errors.As(err, &tooLarge) {
		return int(tooLarge) == limit
	}
	for _, prefix := range []string{"malformed status line ", "unsupported Transfer-Encoding ", "bad or conflicting Content-Length "} {
		if strings.HasPrefix(err.Error(), prefix) {
			return true
		}
	}
	return err == errHeadCut
}
