package healthcheck

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
)

// Failure reasons: the reason label of probe_failures_total, a fixed set.
const (
	reasonTimeout    = "timeout"     // no answer within Check.Timeout: a hung or overloaded backend
	reasonRefused    = "refused"     // nothing listens: the backend is gone
	reasonTLS        = "tls"         // handshake or certificate failure, or unusable TLS files
	reasonStatus     = "status"      // HTTP status outside Expect
	reasonMatch      = "match"       // HTTP body does not match
	reasonRcode      = "rcode"       // DNS answer other than NOERROR
	reasonNotServing = "not_serving" // gRPC health status other than SERVING
	reasonAgent      = "agent"       // the backend's word: maint, down, fail, stopped
	reasonErrors     = "errors"      // the success ratio of the recent probes below the floor
	reasonResolve    = "resolve"     // a host-name member resolves to no address to dial
	reasonError      = "error"       // anything else
)

// failure is a failed probe: a reason from the set above and what happened.
type failure struct {
	reason string
	err    error
}

func (f *failure) Error() string { return f.reason + ": " + f.err.Error() }
func (f *failure) Unwrap() error { return f.err }

func failf(reason, format string, args ...any) error {
	return &failure{reason: reason, err: fmt.Errorf(format, args...)}
}

// classify gives a network or TLS error its reason; ctx is the probe's.
func classify(ctx context.Context, err error) error {
	var f *failure
	if errors.As(err, &f) {
		return err
	}
	return &failure{reason: networkReason(ctx, err), err: err}
}

func networkReason(ctx context.Context, err error) string {
	var (
		netErr    net.Error
		opErr     *net.OpError
		verifyErr *tls.CertificateVerificationError
		alertErr  tls.AlertError
		headerErr tls.RecordHeaderError
	)
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return reasonRefused
	case errors.As(err, &verifyErr), errors.As(err, &alertErr), errors.As(err, &headerErr),
		errors.As(err, &opErr) && (opErr.Op == "remote error" || opErr.Op == "local error"), // crypto/tls alerts
		strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):          // net/http flattens the RecordHeaderError
		return reasonTLS
	case errors.Is(ctx.Err(), context.DeadlineExceeded), errors.Is(err, context.DeadlineExceeded),
		errors.As(err, &netErr) && netErr.Timeout():
		return reasonTimeout
	}
	return reasonError
}

// reasonOf is the metric reason of a probe error.
func reasonOf(err error) string {
	var f *failure
	if errors.As(err, &f) {
		return f.reason
	}
	return reasonError
}
