package main

import (
	"bytes"
	"sync"

	"github.com/coredns/caddy"
	"github.com/coredns/caddy/caddyfile"
)

const serverType = "dns"

// loadCorefile does what caddy.Start does to input before it runs the
// OnStartup hooks and opens the listeners, and stops at the first error,
// as a start does: it parses the Corefile (syntax, imports, unknown
// directives), checks the server block keys, runs every directive's setup
// in CoreDNS's order (each plugin's own parsing and the files it reads
// there; gslb's whole stanza and its GeoIP database) and builds the
// servers, which checks the blocks against each other (a zone served twice
// on one address, overlapping zones, views). The OnStartup hooks, where the
// plugins listen, probe and connect, are collected and never run.
//
// caddy.ValidateAndExecuteDirectives(input, nil, true) runs the setups too,
// but on an instance of its own whose context it does not return, so the
// servers could not be built after it. This is its executeDirectives, on
// the one Instance with a server type's context that caddy exports a way
// to: NewTestController's.
func loadCorefile(input caddy.Input) error {
	path := input.Path()
	directives := caddy.ValidDirectives(serverType)
	blocks, err := caddyfile.Parse(path, bytes.NewReader(input.Body()), directives)
	if err != nil {
		return &checkError{path, err}
	}
	where := newBlockLines(path, input.Body(), blocks)
	if len(blocks) == 0 {
		// As a start: an empty Corefile runs CoreDNS's default.
		def := caddy.DefaultInput(serverType)
		if blocks, err = caddyfile.Parse(def.Path(), bytes.NewReader(def.Body()), directives); err != nil {
			return &checkError{def.Path(), err}
		}
	}

	base := caddy.NewTestController(serverType, "")
	ctx := base.Context()
	raw := cloneKeys(blocks) // the keys as written, for a failed inspection
	if blocks, err = ctx.InspectServerBlocks(path, blocks); err != nil {
		return &checkError{where.inspect(raw), err}
	}

	storages := make([]map[string]any, len(blocks))
	for _, dir := range directives {
		for i, sb := range blocks {
			tokens, ok := sb.Tokens[dir]
			if !ok {
				continue
			}
			if storages[i] == nil {
				storages[i] = map[string]any{}
			}
			setup, err := caddy.DirectiveAction(serverType, dir)
			if err != nil {
				return &checkError{where.token(tokens[0]), err}
			}
			// A copy shares base's instance: the hooks the setups register
			// pile up there, unrun.
			c := *base
			var once sync.Once
			c.Key = sb.Keys[0] // caddy sets up a block once, for its first key
			c.Dispenser = caddyfile.NewDispenserTokens(path, tokens)
			c.OncePerServerBlock = func(f func() error) error {
				var err error
				once.Do(func() { err = f() })
				return err
			}
			c.ServerBlockIndex, c.ServerBlockKeyIndex, c.ServerBlockKeys = i, 0, sb.Keys
			c.ServerBlockStorage = storages[i][dir]
			if err := setup(&c); err != nil {
				return &checkError{where.token(tokens[0]), err}
			}
			storages[i][dir] = c.ServerBlockStorage
		}
	}

	// The servers are built, not started: NewServer and its kin chain the
	// plugins and copy settings; listening is caddy.Start's, after this.
	if _, err := ctx.MakeServers(); err != nil {
		return &checkError{where.conflict(blocks, err.Error()), err}
	}
	return nil
}

func cloneKeys(blocks []caddyfile.ServerBlock) [][]string {
	keys := make([][]string, len(blocks))
	for i, b := range blocks {
		keys[i] = append([]string(nil), b.Keys...)
	}
	return keys
}
