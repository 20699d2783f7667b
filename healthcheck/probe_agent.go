package healthcheck

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"time"

	"github.com/gslb/gslb/healthcheck/internal/dial"
)

// maxAgentLine is the longest agent reply read, without its line end: a
// reply is a few words, and a backend sending more is not speaking the
// protocol; the cap keeps each probe's read in one small buffer.
const maxAgentLine = 1024

// agentProbe speaks HAProxy's agent protocol: it connects, sends nothing
// (HAProxy's agent-send is optional and not offered), reads one line and
// resets the connection. The line's words are its Word; run's verdict is
// only whether a line was read. An agent it cannot read is held apart by
// the state machine (see stateMachine.hold): it keeps the last word.
type agentProbe struct {
	dialer  dial.Dialer
	timeout time.Duration
	buf     [maxAgentLine + 2]byte // the line and "\r\n"; one prober goroutine uses it
	word    Word                   // of the last run; zero after a failed one
}

func newAgentProbe(t Target) *agentProbe {
	return &agentProbe{dialer: dial.New(t.Addr, t.Check.Source), timeout: t.Check.Timeout}
}

func (p *agentProbe) run(ctx context.Context) error {
	return p.runBy(ctx, probeDeadline(ctx, p.timeout))
}

func (p *agentProbe) runBy(ctx context.Context, deadline time.Time) error {
	p.word = Word{}
	conn, err := p.dialer.Dial(ctx, deadline) // the deadline bounds the read too
	if err != nil {
		return classify(ctx, err)
	}
	defer conn.Close() // an RST: see package dial
	line, err := p.readLine(conn)
	if err != nil {
		return classify(ctx, err)
	}
	p.word = ParseWord(string(line))
	return nil
}

func (p *agentProbe) lastWord() Word { return p.word }

func (*agentProbe) close() {}

var errAgentSilent = errors.New("the agent closed the connection without a reply")

// readLine reads up to the first '\n'. A reply the agent ends by closing
// the connection instead counts as the line, as in HAProxy; a close before
// any byte is a failure, as is a line over maxAgentLine.
func (p *agentProbe) readLine(conn net.Conn) ([]byte, error) {
	n := 0
	for {
		m, err := conn.Read(p.buf[n:])
		if i := bytes.IndexByte(p.buf[n:n+m], '\n'); i >= 0 {
			return p.checkLength(bytes.TrimSuffix(p.buf[:n+i], []byte("\r")))
		}
		n += m
		switch {
		case errors.Is(err, io.EOF) && n == 0:
			return nil, failf(reasonError, "%v", errAgentSilent)
		case errors.Is(err, io.EOF):
			return p.checkLength(p.buf[:n])
		case err != nil:
			return nil, err
		case n == len(p.buf):
			return p.checkLength(p.buf[:n])
		}
	}
}

func (*agentProbe) checkLength(line []byte) ([]byte, error) {
	if len(line) > maxAgentLine {
		return nil, failf(reasonError, "agent reply longer than %d bytes", maxAgentLine)
	}
	return line, nil
}
