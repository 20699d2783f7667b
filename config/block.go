package config

import "slices"

// block reads the { } block that must open on the current line; see body.
func (p *parser) block(what string, repeatable []string, line func() error) error {
	c := p.c
	if !c.NextArg() || c.Val() != "{" {
		return c.Errf("%s: expected '{' at the end of the line to open its block", what)
	}
	outer := p.what
	p.what = what
	defer func() { p.what = outer }()
	return p.body(what, repeatable, line)
}

// body calls line for each line of a block whose '{' has just been read.
// Options not in repeatable may be given once. Blocks are read by hand
// because the dispenser's NextBlock would take the next stanza line as
// block content when a brace is missing, and would silently flatten a
// nested block.
func (p *parser) body(what string, repeatable []string, line func() error) error {
	c := p.c
	seen := map[string]int{}
	for c.Next() {
		opt := c.Val()
		switch opt {
		case "}":
			return nil
		case "{":
			return c.Errf("%s: unexpected '{': expected an option", what)
		}
		if first, dup := seen[opt]; dup {
			return c.Errf("%s: option %q given twice (first on line %d)", what, opt, first)
		}
		if !slices.Contains(repeatable, opt) {
			seen[opt] = c.Line()
		}
		if err := line(); err != nil {
			return err
		}
	}
	return c.Errf("%s: expected '}' to close the block, reached the end of the input", what)
}
