package http1

import (
	"bufio"
	"strings"
	"testing"
)

func TestReadHeadDelimitsTheBody(t *testing.T) {
	tests := []struct {
		raw  string
		want Head
	}{
		{"HTTP/1.1 200 OK\r\n\r\n", Head{Code: 200, Length: -1}},
		{"HTTP/1.1 200 OK\r\ncontent-length:  12 \r\n\r\n", Head{Code: 200, Length: 12}},
		{"HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n", Head{Code: 200, Length: 3}},
		{"HTTP/1.1 200 OK\r\ntransfer-encoding: Chunked\r\n\r\n", Head{Code: 200, Length: -1, Chunked: true}},
		// As net/http: chunked overrides a length.
		{"HTTP/1.1 200 OK\r\nContent-Length: 9\r\nTransfer-Encoding: chunked\r\n\r\n", Head{Code: 200, Length: -1, Chunked: true}},
		{"HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n", Head{Code: 204}},
		{"HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n", Head{Code: 304}},
		{"HTTP/1.1 101 Switching Protocols\r\n\r\n", Head{Code: 101}}, // final: not skipped
		{"HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 503 Busy\r\n\r\n", Head{Code: 503, Length: -1}},
		{"HTTP/1.1 999 Odd\n\n", Head{Code: 999, Length: -1}}, // bare LF line ends
		{"HTTP/1.1 200 OK\r\nX-Folded: a\r\n  b\r\nNoColon\r\n: empty name\r\n\r\n", Head{Code: 200, Length: -1}},
	}
	for _, tc := range tests {
		h, _, err := readResponse(&backend{rest: []byte(tc.raw), hang: true}, false)
		if err != nil || h != tc.want {
			t.Errorf("%q: %+v, %v; want %+v", tc.raw, h, err, tc.want)
		}
	}
}

// The limit counts every byte of the head, interim heads included.
func TestReadHeadLimit(t *testing.T) {
	interim := "HTTP/1.1 100 Continue\r\n\r\n"
	final := "HTTP/1.1 200 OK\r\n\r\n"
	raw := strings.Repeat(interim, 3) + final
	for _, tc := range []struct {
		limit int
		ok    bool
	}{{len(raw), true}, {len(raw) - 1, false}, {0, false}} {
		b := &backend{rest: []byte(raw), hang: true}
		_, err := ReadHead(newReader(b), tc.limit)
		if ok := err == nil; ok != tc.ok {
			t.Errorf("limit %d on a %d-byte head: error %v", tc.limit, len(raw), err)
		}
	}
}

// ReadHeadField keeps the asked field of the final head, in any case, its
// lines joined; a line too long for the buffer gives none.
func TestReadHeadField(t *testing.T) {
	long := "X-Agent: " + strings.Repeat("a", 5000) + "\r\n"
	for _, tc := range []struct{ raw, want string }{
		{"HTTP/1.1 200 OK\r\nx-agent:  75% drain \r\n\r\n", "75% drain"},
		{"HTTP/1.1 200 OK\r\nX-Agent: up\r\nOther: 1\r\nX-AGENT: 50%\r\n\r\n", "up, 50%"},
		{"HTTP/1.1 103 Early Hints\r\nX-Agent: down\r\n\r\nHTTP/1.1 200 OK\r\n\r\n", ""},
		{"HTTP/1.1 200 OK\r\nX-Agent-Other: down\r\n\r\n", ""},
		{"HTTP/1.1 200 OK\r\n" + long + "\r\n", ""},
	} {
		br := bufio.NewReaderSize(strings.NewReader(tc.raw), 4096)
		h, err := ReadHeadField(br, 64<<10, "X-Agent")
		if err != nil || h.Field != tc.want {
			t.Errorf("%.40q: field %q, %v; want %q", tc.raw, h.Field, err, tc.want)
		}
	}
}
