package config

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gslb/gslb/healthcheck"
)

// checkOption parses one option line of a check block.
func (p *parser) checkOption(what string, chk *healthcheck.Check) error {
	c := p.c
	opt := c.Val()
	var err error
	switch opt {
	case "host":
		var args []string
		if args, err = p.args(1); err == nil {
			chk.Host = args[0]
		}
	case "expect":
		chk.Expect, err = p.expect(what)
	case "match":
		var args []string
		if args, err = p.args(1); err == nil {
			if chk.Match, err = regexp.Compile(args[0]); err != nil {
				return c.Errf("%s: match: expected a regular expression: %v", what, err)
			}
		}
	case "header":
		var args []string
		if args, err = p.args(2); err == nil {
			chk.Headers = append(chk.Headers, healthcheck.Header{Name: args[0], Value: args[1]})
		}
	case "agent_header":
		var args []string
		if args, err = p.args(1); err == nil {
			// A name no response field can have would never be read.
			if strings.ContainsAny(args[0], " \t:\r\n") {
				return c.Errf("%s: agent_header: expected a header name such as X-Agent, got %q", what, args[0])
			}
			chk.AgentHeader = args[0]
		}
	case "interval":
		if chk.Interval, err = p.duration(what); err == nil && chk.Interval < MinInterval {
			return c.Errf("%s: interval %s: expected at least %s", what, chk.Interval, MinInterval)
		}
	case "timeout":
		chk.Timeout, err = p.duration(what)
	case "slow":
		chk.Slow, err = p.duration(what)
	case "errors":
		err = p.errorWindow(what, chk)
	case "down_above", "down_below", "shed_above", "shed_below", "stale":
		err = p.promqlOption(what, chk)
	case "rise":
		chk.Rise, err = p.number(opt, 1, 100)
	case "fall":
		chk.Fall, err = p.number(opt, 1, 100)
	case "source":
		chk.Source, err = p.source(what)
	case "tls_skip_verify":
		_, err = p.args(0)
		chk.TLS.SkipVerify = true
	case "tls_ca":
		if chk.TLS.CAFile, err = p.file(opt, true); err == nil {
			err = p.tlsFiles(what, healthcheck.TLS{CAFile: chk.TLS.CAFile})
		}
	case "tls_cert":
		var args []string
		if args, err = p.args(2); err == nil {
			chk.TLS.CertFile, chk.TLS.KeyFile = p.resolve(args[0]), p.resolve(args[1])
			if err = p.exists(opt, chk.TLS.CertFile); err == nil {
				err = p.exists(opt, chk.TLS.KeyFile)
			}
			if err == nil {
				err = p.tlsFiles(what, healthcheck.TLS{CertFile: chk.TLS.CertFile, KeyFile: chk.TLS.KeyFile})
			}
		}
	default:
		return c.Errf("%s: unknown option %q: expected http, https, tcp, dns, grpc, agent, promql, host, expect, match, header, agent_header, interval, timeout, rise, fall, slow, errors, source, tls_skip_verify, tls_ca, tls_cert, down_above, down_below, shed_above, shed_below or stale", what, opt)
	}
	return err
}

// tlsFiles reads and checks a check's TLS files now, so that a file that
// is not PEM, or a key that does not match its certificate, fails the
// start at its line instead of failing every probe later.
func (p *parser) tlsFiles(what string, files healthcheck.TLS) error {
	if _, err := files.Load(); err != nil {
		return p.c.Errf("%s: %v", what, err)
	}
	return nil
}

// expect parses status code ranges: 200, 200-299, 301 302.
func (p *parser) expect(what string) ([]healthcheck.StatusRange, error) {
	c := p.c
	args, err := p.rest()
	if err != nil {
		return nil, err
	}
	if len(args) == 0 {
		return nil, c.Errf("%s: expect: expected status codes such as 200 or 200-299", what)
	}
	var ranges []healthcheck.StatusRange
	for _, a := range args {
		low, high, isRange := strings.Cut(a, "-")
		if !isRange {
			high = low
		}
		l, err1 := strconv.Atoi(low)
		h, err2 := strconv.Atoi(high)
		if err1 != nil || err2 != nil || l < 100 || h > 599 || l > h {
			return nil, c.Errf("%s: expect: expected a status code or range from 100 to 599 such as 200-299, got %q", what, a)
		}
		ranges = append(ranges, healthcheck.StatusRange{Low: l, High: h})
	}
	return ranges, nil
}

// duration reads one positive duration such as 5s or 300ms.
func (p *parser) duration(what string) (time.Duration, error) {
	opt := p.c.Val()
	args, err := p.args(1)
	if err != nil {
		return 0, err
	}
	d, err := time.ParseDuration(args[0])
	if err != nil || d <= 0 {
		return 0, p.c.Errf("%s: %s: expected a positive duration such as 5s or 300ms, got %q", what, opt, args[0])
	}
	return d, nil
}
