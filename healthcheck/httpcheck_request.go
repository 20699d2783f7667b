package healthcheck

import (
	"fmt"
	"net/textproto"
	"net/url"
	"strings"
)

// httpRequest is the GET an HTTP probe sends, built once per prober: it never
// changes between probes. It asks for Connection: close, as each probe opens
// its own connection.
func httpRequest(addr string, c Check) ([]byte, error) {
	u, err := url.Parse("http://" + addr + c.Path)
	if err != nil {
		return nil, err
	}
	host := addr // as net/http: the dialled address, port included
	type field struct{ name, value string }
	fields := []field{{"User-Agent", userAgent}}
	for _, h := range c.Headers {
		if strings.EqualFold(h.Name, "Host") {
			host = h.Value
			continue
		}
		name := textproto.CanonicalMIMEHeaderKey(h.Name)
		if !validFieldName(name) || !validFieldValue(h.Value) {
			return nil, fmt.Errorf("header %q: not a valid HTTP header field", h.Name)
		}
		i := 0 // a later header of the same name replaces an earlier one
		for i < len(fields) && fields[i].name != name {
			i++
		}
		if i == len(fields) {
			fields = append(fields, field{})
		}
		fields[i] = field{name, h.Value}
	}
	if c.Host != "" {
		host = c.Host
	}
	if host == "" || !validFieldValue(host) || strings.ContainsAny(host, " \t") {
		return nil, fmt.Errorf("invalid Host %q", host)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "GET %s HTTP/1.1\r\nHost: %s\r\n", u.RequestURI(), host)
	for _, f := range fields {
		fmt.Fprintf(&b, "%s: %s\r\n", f.name, f.value)
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
