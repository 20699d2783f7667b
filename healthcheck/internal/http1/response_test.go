package http1

import (
	"strings"
	"testing"
)

func TestReadResponse(t *testing.T) {
	bigHeader := "X-Big: " + strings.Repeat("b", 8000) + "\r\n" // longer than the read buffer
	tests := []struct {
		name    string
		raw     string
		hang    bool    // the backend keeps the connection open after raw
		body    *string // the body expected, when it is read
		errText string
	}{
		{name: "chunked body without its framing",
			raw:  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n",
			body: ptr("hello world")},
		{name: "chunked body cut short",
			raw:  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n wo",
			body: ptr(""), errText: "unexpected EOF"},
		{name: "content-length body, connection left open",
			raw: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA", hang: true, body: ptr("hello")},
		{name: "content-length longer than what is sent",
			raw: "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello", body: ptr(""), errText: "unexpected EOF"},
		{name: "body delimited by close",
			raw: "HTTP/1.0 200 OK\r\n\r\nuntil the end", body: ptr("until the end")},
		{name: "status read without the body",
			raw: "HTTP/1.1 200 OK\r\n\r\nnever ends", hang: true},
		{name: "no body after 204",
			raw: "HTTP/1.1 204 No Content\r\nContent-Length: 7\r\n\r\n", hang: true, body: ptr("")},
		{name: "interim 100 skipped",
			raw: "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", body: ptr("ok")},
		{name: "status line without reason phrase",
			raw: "HTTP/1.1 200\r\nContent-Length: 2\r\n\r\nok", body: ptr("ok")},
		{name: "header longer than the read buffer",
			raw: "HTTP/1.1 200 OK\r\n" + bigHeader + "Content-Length: 2\r\n\r\nok", body: ptr("ok")},
		{name: "malformed status line", raw: "HTTP/1.1 OK\r\n\r\n", errText: "malformed status line"},
		{name: "not HTTP at all", raw: "SSH-2.0-OpenSSH_9.6\r\n", errText: "malformed status line"},
		{name: "HTTP/2 preface is not HTTP/1", raw: "HTTP/2 200\r\n\r\n", errText: "malformed status line"},
		{name: "status code not digits", raw: "HTTP/1.1 2x0 OK\r\n\r\n", errText: "malformed status line"},
		{name: "closed before any response", raw: "", errText: "closed before the end of the response head"},
		{name: "closed within the head", raw: "HTTP/1.1 200 OK\r\nContent-Le", errText: "closed before the end"},
		{name: "unsupported transfer coding",
			raw: "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", errText: "Transfer-Encoding"},
		{name: "conflicting content lengths",
			raw: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok", errText: "Content-Length"},
		{name: "oversized head, many fields",
			raw:  "HTTP/1.1 200 OK\r\n" + strings.Repeat("X-Pad: "+strings.Repeat("p", 100)+"\r\n", 1000),
			hang: true, errText: "response head larger than 65536 bytes"},
		{name: "oversized head, one endless field",
			raw:  "HTTP/1.1 200 OK\r\nX-Pad: " + strings.Repeat("p", 2*limit),
			hang: true, errText: "response head larger than 65536 bytes"},
	}
	for _, tc := range tests {
		for _, chunk := range []int{0, 1} { // all at once, and a byte per read
			b := &backend{rest: []byte(tc.raw), chunk: chunk, hang: tc.hang}
			h, body, err := readResponse(b, tc.body != nil)
			switch {
			case tc.errText == "" && err != nil:
				t.Errorf("%s (chunk %d): %v", tc.name, chunk, err)
			case tc.errText != "" && (err == nil || !strings.Contains(err.Error(), tc.errText)):
				t.Errorf("%s (chunk %d): error %v, want it to say %q", tc.name, chunk, err, tc.errText)
			case err == nil && h.Code != 200 && h.Code != 204:
				t.Errorf("%s (chunk %d): status %d", tc.name, chunk, h.Code)
			case err == nil && tc.body != nil && body != *tc.body:
				t.Errorf("%s (chunk %d): body %q, want %q", tc.name, chunk, body, *tc.body)
			}
		}
	}
}

func ptr(s string) *string { return &s }
