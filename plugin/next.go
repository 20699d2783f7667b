package plugin

import (
	"context"

	coreplugin "github.com/coredns/coredns/plugin"
	"github.com/miekg/dns"
	ot "github.com/opentracing/opentracing-go"
)

// next hands a query gslb does not answer to the next plugin.
//
// plugin.NextOrFailure does two things on the way: it starts a child span
// when the query is traced, and it wraps the writer so that a metrics
// Recorder directly beneath learns which plugin wrote the reply. When
// neither applies (no span in ctx, and w is not a PluginTracker) the
// wrapper only forwards, so the next plugin is called directly: that
// saves an allocation and two frames on every passed-down query, and the
// frames are what made a passed-down query grow its goroutine stack under
// the next plugin's write.
func (g *GSLB) next(ctx context.Context, w dns.ResponseWriter, r *dns.Msg) (int, error) {
	_, tracked := w.(coreplugin.PluginTracker)
	if g.Next == nil || tracked || ot.SpanFromContext(ctx) != nil {
		return coreplugin.NextOrFailure(g.Name(), g.Next, ctx, w, r)
	}
	return g.Next.ServeDNS(ctx, w, r)
}
