// Package http1 is the client side of HTTP/1.1 as far as a health probe
// needs it, spoken on a connection the probe dialled itself: the GET request,
// the response head (status line and the fields that delimit the body,
// bounded) and a bounded body (chunked, Content-Length or ended by close).
// net/http's Transport would cost two goroutines and a connection pool per
// request, several times a probe's own work.
//
// The name says what it speaks: HTTP/1.0 and 1.1 responses only; an HTTP/2
// or other reply is a malformed status line.
package http1
