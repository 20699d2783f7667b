package status

import (
	"embed"
	"io/fs"
	"mime"
	"net/http"
	"path"
)

// The page for people: plain HTML, CSS and JavaScript modules built into
// the binary, so it works on a host without a network and loads nothing
// from anywhere else. It holds no data; its scripts fetch /v1/status every
// 2 seconds and /v1/explain on demand and build every node with
// textContent, so no text from the configuration, a probe or an override
// file is ever parsed as HTML.
//
// With a token the page cannot send the header by itself: it asks for the
// token in a field, keeps it in sessionStorage (this tab only, gone when
// the tab closes) and sends it as Authorization: Bearer with every fetch.
// A bearer header, unlike a cookie, is never attached by the browser to a
// request another site makes, so the read-only API needs no CSRF defence.
//
//go:embed page
var pageFiles embed.FS

// pageCSP allows the page's own files and nothing else: no inline script
// or style (the page has none), no frames, no plugins, no form posted
// anywhere (the explain form is sent by fetch).
const pageCSP = "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// servePage serves index.html at / and the page's files at /page/FILE.
func servePage(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	if name == "" {
		name = "index.html"
	}
	// The pattern's {file} is one path segment; fs.ValidPath rejects "..".
	data, err := fs.ReadFile(pageFiles, path.Join("page", name))
	if err != nil || !fs.ValidPath(name) {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", mime.TypeByExtension(path.Ext(name)))
	h.Set("Content-Security-Policy", pageCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	// The files change only with the binary; revalidating each load keeps
	// an upgraded server from running an old script against a new API.
	h.Set("Cache-Control", "no-cache")
	w.Write(data)
}
