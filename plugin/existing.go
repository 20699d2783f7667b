package plugin

import "github.com/miekg/dns"

// existingWriter passes the next plugin's reply for one of gslb's empty
// non-terminals with NXDOMAIN turned into NODATA: the name exists, as
// gslb's records below it do, and an NXDOMAIN would tell a resolver that
// nothing below exists either (RFC 8020), hiding those records. Data the
// next plugin has at the name goes out as it is.
type existingWriter struct {
	dns.ResponseWriter
}

// existing wraps w. Out of line: only empty non-terminals under
// fallthrough come here, and its allocation stays out of ServeDNS.
//
//go:noinline
func existing(w dns.ResponseWriter) dns.ResponseWriter { return &existingWriter{w} }

func (w *existingWriter) WriteMsg(m *dns.Msg) error {
	if m.Rcode == dns.RcodeNameError {
		m.Rcode = dns.RcodeSuccess
	}
	return w.ResponseWriter.WriteMsg(m)
}
