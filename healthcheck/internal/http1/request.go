package http1

import (
	"fmt"
	"net/textproto"
	"net/url"
	"strings"
)

// Field is one request header field.
type Field struct{ Name, Value string }

// GetRequest is the GET of path on addr (HOST:PORT), built once per prober:
// it never changes between probes. It asks for Connection: close, as each
// probe opens its own connection.
//
// The Host header is host when not "", else the value of a Host field, else
// addr. The other fields follow it in order, their names canonical; a later
// field of the same name replaces an earlier one in its place.
func GetRequest(addr, path, host string, fields []Field) ([]byte, error) {
	u, err := url.Parse("http://" + addr + path)
	if err != nil {
		return nil, err
	}
	hostField := addr // as net/http: the dialled address, port included
	var sent []Field
	for _, f := range fields {
		if strings.EqualFold(f.Name, "Host") {
			hostField = f.Value
			continue
		}
		name := textproto.CanonicalMIMEHeaderKey(f.Name)
		if !validFieldName(name) || !validFieldValue(f.Value) {
			return nil, fmt.Errorf("header %q: not a valid HTTP header field", f.Name)
		}
		i := 0
		for i < len(sent) && sent[i].Name != name {
			i++
		}
		if i == len(sent) {
			sent = append(sent, Field{})
		}
		sent[i] = Field{name, f.Value}
	}
	if host == "" {
		host = hostField
	}
	if host == "" || !validFieldValue(host) || strings.ContainsAny(host, " \t") {
		return nil, fmt.Errorf("invalid Host %q", host)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "GET %s HTTP/1.1\r\nHost: %s\r\n", u.RequestURI(), host)
	for _, f := range sent {
		fmt.Fprintf(&b, "%s: %s\r\n", f.Name, f.Value)
	}
	b.WriteString("Connection: close\r\n\r\n")
	return []byte(b.String()), nil
}

// validFieldName: a token (RFC 9110 5.6.2).
func validFieldName(s string) bool {
	for i := range len(s) {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return s != ""
}

// validFieldValue: no control characters but tab, so no header injection.
func validFieldValue(s string) bool {
	for i := range len(s) {
		if c := s[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}
