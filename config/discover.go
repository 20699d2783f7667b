package config

import (
	"strings"

	"github.com/gslb/gslb/kube"
	"github.com/gslb/gslb/policy"
)

// Discovery is one pool line that takes members from a cluster.
type Discovery struct {
	Pool   int // index in Config.Pools
	Source kube.Source
	File   string
	Line   int
}

// discovery is what a pool block says of its members in clusters, until
// finish knows every kubernetes block.
type discovery struct {
	cluster     string // the pool's cluster line; "" for the stanza's one
	clusterLine int
	sources     []Discovery // Source.Cluster holds only the name
}

// discover parses `service|ingress|gateway NAMESPACE/NAME` or
// `service|ingress|gateway NAMESPACE|* SELECTOR...`: one object, or the
// objects of a namespace (every one with *) a label selector matches.
func (p *parser) discover(what string, kind kube.Kind, d *discovery) error {
	args, err := p.rest()
	if err != nil {
		return err
	}
	src := kube.Source{Kind: kind}
	switch {
	case len(args) == 1 && strings.Count(args[0], "/") == 1:
		ns, name, _ := strings.Cut(args[0], "/")
		if ns == "" || ns == "*" || name == "" {
			return p.errf("%s: %s: expected NAMESPACE/NAME, got %q", what, kind, args[0])
		}
		src.Namespace, src.Name = ns, name
	case len(args) >= 2 && !strings.Contains(args[0], "/"):
		src.Namespace, src.Selector = args[0], strings.Join(args[1:], " ")
		if src.Namespace == "*" {
			src.Namespace = ""
		}
		if err := kube.ParseSelector(src.Selector); err != nil {
			return p.errf("%s: %s: %v", what, kind, err)
		}
	default:
		return p.errf("%s: %s: expected NAMESPACE/NAME, or a NAMESPACE (* for all) and a label selector such as app=web, got %q", what, kind, strings.Join(args, " "))
	}
	d.sources = append(d.sources, Discovery{Source: src, File: p.c.File(), Line: p.c.Line()})
	return nil
}

// discovered records pool pi's sources once every kubernetes block is
// known: their cluster is the pool's cluster line, or the stanza's only
// kubernetes block, or the cluster gslb runs in when it has none.
func (p *parser) discovered(what string, pi int, d *discovery) func() error {
	return func() error {
		if len(d.sources) == 0 {
			if d.clusterLine > 0 {
				return p.errAt(d.clusterLine, "%s: cluster: expected service, ingress or gateway lines to take members from it", what)
			}
			return nil
		}
		k, err := p.poolCluster(what, d)
		if err != nil {
			return err
		}
		for _, s := range d.sources {
			s.Pool, s.Source.Cluster = pi, k
			p.cfg.Discovery = append(p.cfg.Discovery, s)
		}
		return nil
	}
}

func (p *parser) poolCluster(what string, d *discovery) (kube.Cluster, error) {
	switch {
	case d.cluster != "":
		if i := p.clusterIndex(d.cluster); i >= 0 {
			return p.cfg.Clusters[i].Cluster, nil
		}
		return kube.Cluster{}, p.errAt(d.clusterLine, "%s: cluster %q: expected the name of a kubernetes block of the stanza", what, d.cluster)
	case len(p.cfg.Clusters) == 1:
		return p.cfg.Clusters[0].Cluster, nil
	case len(p.cfg.Clusters) == 0:
		return kube.Cluster{Name: DefaultCluster}, nil
	}
	return kube.Cluster{}, p.errAt(d.sources[0].Line, "%s: the stanza has %d kubernetes blocks: expected a cluster line to say which one", what, len(p.cfg.Clusters))
}

// Discovers reports whether pool pi takes members from a cluster.
func (cfg *Config) Discovers(pi int) bool {
	for _, d := range cfg.Discovery {
		if d.Pool == pi {
			return true
		}
	}
	return false
}

// flattenDiscovered makes a record that answers from a pool taking members
// from a cluster answer host names with their addresses: a cloud load
// balancer's name is one member among the pool's addresses, and a CNAME
// could not stand beside them.
func (p *parser) flattenDiscovered(rec *policy.Record) {
	for _, name := range append(rec.Pools[:len(rec.Pools):len(rec.Pools)], rec.AllDownPool) {
		if p.discovering[name] {
			rec.Flatten = true
		}
	}
}
