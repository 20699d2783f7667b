package config

import (
	"net/url"

	"github.com/gslb/gslb/kube"
)

// DefaultCluster names the cluster of a stanza without a kubernetes block:
// the one gslb runs in, reached with its ServiceAccount.
const DefaultCluster = "default"

// Cluster is a kubernetes block and where it is written, so that a
// kubeconfig setup cannot load still points at the line to fix.
type Cluster struct {
	kube.Cluster
	File string
	Line int
}

// clusterRepeatable: every option of a kubernetes block is given once.
var clusterRepeatable = []string{}

// cluster parses `kubernetes [NAME] [{ kubeconfig FILE [CONTEXT] | endpoint
// URL; tls CERT KEY CACERT }]`, as CoreDNS's kubernetes plugin spells how to
// reach an API server. Without options it is the cluster gslb runs in.
func (p *parser) cluster() error {
	c := p.c
	args := c.RemainingArgs()
	k := kube.Cluster{Name: DefaultCluster}
	switch len(args) {
	case 0:
	case 1:
		k.Name = args[0]
	default:
		return p.errf("kubernetes: expected [NAME], got %d arguments", len(args))
	}
	if i := p.clusterIndex(k.Name); i >= 0 {
		return p.errf("kubernetes %s: defined twice (first on line %d)", k.Name, p.defined["kubernetes "+k.Name])
	}
	what, line := "kubernetes "+k.Name, c.Line()
	if c.NextArg() {
		if c.Val() != "{" {
			return p.errf("%s: unexpected %q: expected '{' or the end of the line", what, c.Val())
		}
		outer := p.what
		p.what = what
		err := p.body(what, clusterRepeatable, func() error { return p.clusterOption(what, &k) })
		p.what = outer
		if err != nil {
			return err
		}
	}
	if k.Kubeconfig != "" && (k.Endpoint != "" || k.TLS != (kube.TLS{})) {
		return p.errAt(line, "%s: kubeconfig names the server and its credentials: expected it without endpoint and tls", what)
	}
	p.defined[what] = line
	p.cfg.Clusters = append(p.cfg.Clusters, Cluster{Cluster: k, File: c.File(), Line: line})
	return nil
}

// clusterOption parses one line of a kubernetes block.
func (p *parser) clusterOption(what string, k *kube.Cluster) error {
	c := p.c
	switch opt := c.Val(); opt {
	case "kubeconfig":
		args, err := p.rest()
		if err != nil {
			return err
		}
		if len(args) < 1 || len(args) > 2 {
			return p.errf("%s: kubeconfig: expected FILE [CONTEXT], got %d argument(s)", what, len(args))
		}
		k.Kubeconfig = p.resolve(args[0])
		if len(args) == 2 {
			k.Context = args[1]
		}
		return p.exists("kubeconfig", k.Kubeconfig)
	case "endpoint":
		args, err := p.args(1)
		if err != nil {
			return err
		}
		u, err := url.Parse(args[0])
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return p.errf("%s: endpoint: expected a URL such as https://10.0.0.1:6443, got %q", what, args[0])
		}
		k.Endpoint = args[0]
		return nil
	case "tls":
		args, err := p.args(3)
		if err != nil {
			return err
		}
		for _, f := range args {
			if err := p.exists("tls", p.resolve(f)); err != nil {
				return err
			}
		}
		k.TLS = kube.TLS{Cert: p.resolve(args[0]), Key: p.resolve(args[1]), CA: p.resolve(args[2])}
		return nil
	}
	return p.errf("%s: unknown option %q: expected kubeconfig, endpoint or tls", what, c.Val())
}

func (p *parser) clusterIndex(name string) int {
	for i, k := range p.cfg.Clusters {
		if k.Name == name {
			return i
		}
	}
	return -1
}
