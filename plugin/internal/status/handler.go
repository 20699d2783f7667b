package status

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// routes is the listener's handler: the versioned API behind the token
// and the page's files without it. The files hold no data (page.go): the
// page asks for the token and sends it with each API request, so the
// token guards everything the listener knows.
func (l *listener) routes() http.Handler {
	api := http.NewServeMux()
	api.HandleFunc("GET /v1/status", l.status)
	api.HandleFunc("GET /v1/explain", l.explain)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", servePage)
	mux.HandleFunc("GET /page/{file}", servePage)
	// Every other path, known or not, needs the token first: without it
	// a client learns nothing, not even which paths exist.
	mux.Handle("/", l.authorized(api))
	return mux
}

// authorized requires the bearer token, when one is set, on every request
// to next.
func (l *listener) authorized(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		want := *l.token.Load()
		if want != "" {
			got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
				w.Header().Set("WWW-Authenticate", `Bearer realm="gslb status"`)
				fail(w, http.StatusUnauthorized, "expected the header Authorization: Bearer TOKEN, with the token of the status block")
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func (l *listener) status(w http.ResponseWriter, r *http.Request) {
	rep := Report{Version: Version, Generated: time.Now().UTC()}
	for _, s := range *l.sources.Load() {
		rep.Stanzas = append(rep.Stanzas, s.Status())
	}
	reply(w, http.StatusOK, rep)
}

func (l *listener) explain(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r)
	if err != nil {
		fail(w, http.StatusBadRequest, err.Error())
		return
	}
	s := l.owner(q.Name)
	if s == nil {
		fail(w, http.StatusNotFound, q.Name+" is in none of the zones on this listener")
		return
	}
	e, err := s.Explain(q)
	switch {
	case errors.Is(err, ErrNotFound):
		fail(w, http.StatusNotFound, err.Error())
	case err != nil:
		fail(w, http.StatusBadRequest, err.Error())
	default:
		reply(w, http.StatusOK, e)
	}
}

// owner is the stanza whose most specific zone holds name.
func (l *listener) owner(name string) Source {
	var best Source
	bestLen := -1
	for _, s := range *l.sources.Load() {
		for _, z := range s.Zones() {
			if dns.IsSubDomain(z, name) && len(z) > bestLen {
				best, bestLen = s, len(z)
			}
		}
	}
	return best
}

// parseQuery reads name, type (default A), client (an address or a
// subnet) and resolver (an address) from the request.
func parseQuery(r *http.Request) (Query, error) {
	v := r.URL.Query()
	name := strings.ToLower(dns.Fqdn(v.Get("name")))
	if _, ok := dns.IsDomainName(name); !ok || v.Get("name") == "" {
		return Query{}, errors.New("name: expected a domain name such as app.gslb.example.com")
	}
	q := Query{Name: name, Type: dns.TypeA}
	if t := strings.ToUpper(v.Get("type")); t != "" {
		typ, ok := dns.StringToType[t]
		if !ok {
			return Query{}, errors.New("type: expected a record type such as A, AAAA or HTTPS, got " + quote(t))
		}
		q.Type = typ
	}
	client := v.Get("client")
	if err := parseGeo(&q, v.Get("country"), v.Get("asn")); err != nil {
		return Query{}, err
	}
	if q.Country != "" || q.ASN != 0 {
		if client != "" {
			return Query{}, errors.New("client: expected client, country or asn, not two of them")
		}
	} else if prefix, err := netip.ParsePrefix(client); err == nil {
		if prefix.Masked() != prefix {
			return Query{}, errors.New("client: " + client + " has bits set beyond its prefix length: expected " + prefix.Masked().String())
		}
		q.Client, q.Subnet = prefix.String(), true
	} else if addr, err := netip.ParseAddr(client); err == nil && addr.Zone() == "" {
		q.Client = addr.Unmap().String()
	} else {
		return Query{}, errors.New("client: expected an IP address or a subnet such as 192.0.2.0/24 (or a country or asn parameter), got " + quote(client))
	}
	q.Resolver = "127.0.0.1"
	if res := v.Get("resolver"); res != "" {
		addr, err := netip.ParseAddr(res)
		if err != nil || addr.Zone() != "" {
			return Query{}, errors.New("resolver: expected an IP address, got " + quote(res))
		}
		q.Resolver = addr.Unmap().String()
	}
	for key := range v {
		if !slices.Contains([]string{"name", "type", "client", "resolver", "country", "asn"}, key) {
			return Query{}, errors.New("unknown parameter " + quote(key) + ": expected name, type, client (or country or asn) and resolver")
		}
	}
	return q, nil
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// reply writes v as JSON.
func reply(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

// fail writes an error as JSON: {"error": "..."}.
func fail(w http.ResponseWriter, code int, msg string) {
	reply(w, code, map[string]string{"error": msg})
}

// parseGeo reads country (two letters) and asn (a number, AS prefix
// allowed) into q.
func parseGeo(q *Query, country, asn string) error {
	if country != "" {
		if len(country) != 2 || strings.Trim(strings.ToUpper(country), "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "" {
			return errors.New("country: expected an ISO 3166 code such as DE, got " + quote(country))
		}
		q.Country = strings.ToUpper(country)
	}
	if asn != "" {
		n, err := strconv.ParseUint(strings.TrimPrefix(strings.ToUpper(asn), "AS"), 10, 32)
		if err != nil || n == 0 {
			return errors.New("asn: expected an AS number such as 64500, got " + quote(asn))
		}
		q.ASN = uint32(n)
	}
	if q.Country != "" && q.ASN != 0 {
		return errors.New("country, asn: expected one of them")
	}
	return nil
}
