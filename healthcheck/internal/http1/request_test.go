package http1

import (
	"strings"
	"testing"
)

func TestGetRequest(t *testing.T) {
	const addr = "127.0.0.1:8080"
	ua := Field{"User-Agent", "probe"}
	tests := []struct {
		name       string
		path, host string
		fields     []Field
		want       string
	}{
		{"Host is the address by default", "/", "", []Field{ua},
			"GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: probe\r\nConnection: close\r\n\r\n"},
		{"path escaped, later fields replace earlier ones in place", "/health/a b?full=1", "app.example",
			[]Field{ua, {"x-probe", "one"}, {"User-Agent", "custom"}, {"X-Probe", "two"}},
			"GET /health/a%20b?full=1 HTTP/1.1\r\nHost: app.example\r\nUser-Agent: custom\r\nX-Probe: two\r\nConnection: close\r\n\r\n"},
		{"Host field", "/", "", []Field{{"host", "h.example"}, ua},
			"GET / HTTP/1.1\r\nHost: h.example\r\nUser-Agent: probe\r\nConnection: close\r\n\r\n"},
		{"host over a Host field", "/", "app.example", []Field{{"Host", "h.example"}},
			"GET / HTTP/1.1\r\nHost: app.example\r\nConnection: close\r\n\r\n"},
		{"empty path", "", "", nil,
			"GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nConnection: close\r\n\r\n"},
	}
	for _, tc := range tests {
		got, err := GetRequest(addr, tc.path, tc.host, tc.fields)
		if err != nil || string(got) != tc.want {
			t.Errorf("%s: %q, %v\nwant %q", tc.name, got, err, tc.want)
		}
	}
}

func TestGetRequestRejectsHeaderInjection(t *testing.T) {
	tests := []struct {
		host   string
		fields []Field
		err    string
	}{
		{"", []Field{{"X-A", "v\r\nX-Injected: 1"}}, "not a valid HTTP header field"},
		{"", []Field{{"X A", "v"}}, "not a valid HTTP header field"},
		{"", []Field{{"X:A", "v"}}, "not a valid HTTP header field"},
		{"", []Field{{"", "v"}}, "not a valid HTTP header field"},
		{"", []Field{{"Host", "a\r\nb"}}, "invalid Host"},
		{"", []Field{{"Host", ""}}, "invalid Host"},
		{"a b", nil, "invalid Host"},
		{"a\x7f", nil, "invalid Host"},
	}
	for _, tc := range tests {
		got, err := GetRequest("127.0.0.1:80", "/", tc.host, tc.fields)
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("host %q, fields %q: %q, %v; want an error saying %q", tc.host, tc.fields, got, err, tc.err)
		}
	}
	if _, err := GetRequest("127.0.0.1:80", "/%zz", "", nil); err == nil {
		t.Error("a path that is not a URL path: no error")
	}
}
