package main

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/coredns/caddy"
	"github.com/coredns/caddy/caddyfile"
)

// blockLines are the positions of a Corefile's server blocks, for the
// errors that name none: a key that does not parse, a zone served twice.
type blockLines struct {
	path   string
	blocks []string // FILE:LINE of each block, in parse order
}

// newBlockLines places each block at the line of its first key when a
// scan of the Corefile's own text can count the blocks (not past a
// top-level import, whose blocks come from another file), else at its
// first directive.
func newBlockLines(path string, body []byte, blocks []caddyfile.ServerBlock) *blockLines {
	keys, complete := keyLines(path, body)
	if complete && len(keys) != len(blocks) {
		keys = nil // the scan misread it: a directive's line, not a wrong key's
	}
	b := &blockLines{path: path}
	for i, sb := range blocks {
		if i < len(keys) {
			b.blocks = append(b.blocks, fmt.Sprintf("%s:%d", path, keys[i]))
			continue
		}
		pos := path
		first := 0
		for _, tokens := range sb.Tokens {
			if t := tokens[0]; t.File == "" && (first == 0 || t.Line < first) {
				first, pos = t.Line, b.token(t)
			}
		}
		b.blocks = append(b.blocks, pos)
	}
	return b
}

// keyLines returns the line of each server block's first key in body, and
// whether it counted them all: it stops at a top-level import.
func keyLines(path string, body []byte) (lines []int, complete bool) {
	d := caddyfile.NewDispenser(path, bytes.NewReader(body))
	depth, key, snippet := 0, 0, false
	for d.Next() {
		switch v := d.Val(); {
		case v == "{":
			if depth == 0 && key > 0 && !snippet {
				lines = append(lines, key)
			}
			depth++
		case v == "}":
			if depth--; depth == 0 {
				key = 0
			}
		case depth == 0 && v == "import":
			return lines, false
		case depth == 0 && key == 0:
			key, snippet = d.Line(), strings.HasPrefix(v, "(") && strings.HasSuffix(v, ")")
		}
	}
	if len(lines) == 0 && key > 0 { // one block, written without braces
		lines = []int{key}
	}
	return lines, true
}

// token is the position of t, a token of path or of a file it imports.
func (b *blockLines) token(t caddyfile.Token) string {
	if t.File == "" {
		return fmt.Sprintf("%s:%d", b.path, t.Line)
	}
	return fmt.Sprintf("%s:%d", t.File, t.Line)
}

func (b *blockLines) block(i int) string {
	if i < len(b.blocks) {
		return b.blocks[i]
	}
	return b.path
}

// inspect finds the block whose keys (as written, before InspectServerBlocks
// rewrote them) fail the inspection, each inspected alone.
func (b *blockLines) inspect(keys [][]string) string {
	for i, k := range keys {
		one := []caddyfile.ServerBlock{{Keys: slices.Clone(k)}}
		if _, err := caddy.NewTestController(serverType, "").Context().InspectServerBlocks(b.path, one); err != nil {
			return b.block(i)
		}
	}
	return b.path
}

// conflict finds the block MakeServers refused: "cannot serve KEY [on
// ADDRESS] - ..." names the later of two blocks by its key; net's
// "address [HOST]:PORT: invalid port" names only the port.
func (b *blockLines) conflict(blocks []caddyfile.ServerBlock, msg string) string {
	head, _, _ := strings.Cut(msg, " - ")
	fields := strings.Fields(head)
	for i := range fields {
		fields[i] = strings.TrimSuffix(fields[i], ":")
	}
	byKey := func(key, f string) bool { return f == key }
	byPort := func(key, f string) bool {
		port := key[strings.LastIndex(key, ":")+1:]
		return f == port || strings.HasSuffix(f, ":"+port)
	}
	for _, names := range []func(key, field string) bool{byKey, byPort} {
		for i := len(blocks) - 1; i >= 0; i-- {
			for _, k := range blocks[i].Keys {
				if slices.ContainsFunc(fields, func(f string) bool { return names(k, f) }) {
					return b.block(i)
				}
			}
		}
	}
	return b.path
}
