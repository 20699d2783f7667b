package config

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// rest returns the remaining arguments of the current option's line. An
// option line opens no block, and a closing brace stands on a line of its
// own.
func (p *parser) rest() ([]string, error) {
	c := p.c
	opt := c.Val()
	args := c.RemainingArgs()
	if c.NextArg() { // RemainingArgs stops only before a '{' on the same line
		return nil, p.errf("%s: unexpected '{': expected no block after this option", opt)
	}
	return args, p.braces(opt, args)
}

// args returns exactly n arguments of the current option.
func (p *parser) args(n int) ([]string, error) {
	opt := p.c.Val()
	args, err := p.rest()
	if err != nil {
		return nil, err
	}
	if len(args) != n {
		return nil, p.errf("%s: expected %d argument(s), got %d", opt, n, len(args))
	}
	return args, nil
}

// braces rejects a brace among arguments: block lines stand on their own.
func (p *parser) braces(opt string, args []string) error {
	for _, a := range args {
		if a == "{" || a == "}" {
			return p.errf("%s: unexpected %q: expected arguments on this line and the brace on a line of its own", opt, a)
		}
	}
	return nil
}

// choice reads one argument that must be one of values.
func (p *parser) choice(opt string, values ...string) (string, error) {
	args, err := p.args(1)
	if err != nil {
		return "", err
	}
	for _, v := range values {
		if args[0] == v {
			return v, nil
		}
	}
	return "", p.errf("%s: expected %s, got %q", opt, strings.Join(values, " or "), args[0])
}

// file reads a path argument, resolved against the server's root.
func (p *parser) file(opt string, mustExist bool) (string, error) {
	args, err := p.args(1)
	if err != nil {
		return "", err
	}
	path := p.resolve(args[0])
	if mustExist {
		return path, p.exists(opt, path)
	}
	return path, nil
}

// exists checks that path names a file, not a directory.
func (p *parser) exists(opt, path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return p.errf("%s: expected an existing file: %v", opt, err)
	}
	if info.IsDir() {
		return p.errf("%s: expected a file, got the directory %s", opt, path)
	}
	return nil
}

// resolve makes a relative path relative to the server's root.
func (p *parser) resolve(path string) string {
	if !filepath.IsAbs(path) && p.root != "" {
		return filepath.Join(p.root, path)
	}
	return path
}

// ttl reads a TTL in seconds: 1 to 86400.
func (p *parser) ttl() (uint32, error) {
	n, err := p.number("ttl", 1, 86400)
	return uint32(n), err
}

// number reads one integer argument within [low, high].
func (p *parser) number(opt string, low, high int) (int, error) {
	args, err := p.args(1)
	if err != nil {
		return 0, err
	}
	return p.parseNumber(opt, args[0], low, high)
}

func (p *parser) parseNumber(opt, s string, low, high int) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < low || n > high {
		return 0, p.errf("%s: expected a whole number from %d to %d, got %q", opt, low, high, s)
	}
	return n, nil
}
