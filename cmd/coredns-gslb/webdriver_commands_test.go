package main

import (
	"encoding/base64"
	"errors"
	"testing"
)

// The WebDriver commands the page test uses, each failing the test on an
// error.

// open loads url and returns when its load event has fired.
func (b *browser) open(t *testing.T, url string) {
	t.Helper()
	if err := b.do("POST", "/url", map[string]string{"url": url}, nil); err != nil {
		t.Fatal(err)
	}
}

// eval runs script (a function body; its arguments are arguments[i]) in
// the page and decodes what it returns into value.
func (b *browser) eval(t *testing.T, value any, script string, args ...any) {
	t.Helper()
	if args == nil {
		args = []any{}
	}
	if err := b.do("POST", "/execute/sync", map[string]any{"script": script, "args": args}, value); err != nil {
		t.Fatal(err)
	}
}

// element is the WebDriver reference of the first element matching css.
func (b *browser) element(t *testing.T, css string) string {
	t.Helper()
	var ref map[string]string
	if err := b.do("POST", "/element", map[string]string{"using": "css selector", "value": css}, &ref); err != nil {
		t.Fatal(err)
	}
	return ref["element-6066-11e4-a52e-4f735466cecf"]
}

// typeInto replaces the text of the input css with text, typed as keys.
func (b *browser) typeInto(t *testing.T, css, text string) {
	t.Helper()
	id := b.element(t, css)
	if err := errors.Join(b.do("POST", "/element/"+id+"/clear", map[string]any{}, nil),
		b.do("POST", "/element/"+id+"/value", map[string]string{"text": text}, nil)); err != nil {
		t.Fatal(err)
	}
}

// click clicks the element css as a user would.
func (b *browser) click(t *testing.T, css string) {
	t.Helper()
	if err := b.do("POST", "/element/"+b.element(t, css)+"/click", map[string]any{}, nil); err != nil {
		t.Fatal(err)
	}
}

// screenshot is a PNG of the whole page: the window is first made as tall
// as the document, so nothing is cut off below the fold.
func (b *browser) screenshot(t *testing.T) []byte {
	t.Helper()
	var height int
	b.eval(t, &height, "return Math.ceil(document.documentElement.scrollHeight) + window.outerHeight - window.innerHeight")
	if err := b.do("POST", "/window/rect", map[string]int{"width": 1280, "height": height}, nil); err != nil {
		t.Fatal(err)
	}
	var data string
	if err := b.do("GET", "/screenshot", nil, &data); err != nil {
		t.Fatal(err)
	}
	png, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		t.Fatal(err)
	}
	return png
}
