// Package gslb registers the gslb plugin with CoreDNS: setup parses the
// stanza, opens the GeoIP database it names and wires the handler's
// lifecycle.
package gslb

import (
	"github.com/coredns/caddy"
	"github.com/coredns/coredns/core/dnsserver"
	coreplugin "github.com/coredns/coredns/plugin"
	clog "github.com/coredns/coredns/plugin/pkg/log"

	"github.com/gslb/gslb/config"
	"github.com/gslb/gslb/geoip"
	"github.com/gslb/gslb/kube"
	gslbplugin "github.com/gslb/gslb/plugin"
)

const pluginName = "gslb"

var log = clog.NewWithPlugin(pluginName)

func init() { coreplugin.Register(pluginName, setup) }

// setup builds the handler and nothing else: probers and watchers start in
// OnStartup, so a failed or replaced config leaks no goroutine.
func setup(c *caddy.Controller) error {
	cfg, err := config.Parse(c)
	if err != nil {
		return coreplugin.Error(pluginName, err)
	}
	for _, w := range cfg.Warnings {
		log.Warning(w)
	}
	if err := checkClusters(cfg); err != nil {
		return coreplugin.Error(pluginName, err)
	}
	db, err := openGeoIP(cfg.GeoIP)
	if err != nil {
		return coreplugin.Error(pluginName, err)
	}
	signers, err := openKeys(cfg)
	if err != nil {
		return coreplugin.Error(pluginName, err)
	}
	g, err := gslbplugin.New(cfg, db)
	if err != nil {
		return coreplugin.Error(pluginName, err)
	}
	g.SignWith(signers)
	g.SetLoad(c.Context())
	c.OnStartup(g.OnStartup)
	c.OnShutdown(g.OnShutdown)
	c.OnFinalShutdown(g.OnFinalShutdown)

	dnsserver.GetConfig(c).AddPlugin(func(next coreplugin.Handler) coreplugin.Handler {
		g.Next = next
		return g
	})
	return nil
}

// checkClusters reads the configuration of every cluster the pools take
// members from, so a kubeconfig without the context named, or an
// in-cluster default outside a pod, fails the start or the reload at its
// line.
func checkClusters(cfg *config.Config) error {
	checked := map[kube.Cluster]bool{}
	for _, d := range cfg.Discovery {
		k := d.Source.Cluster
		if checked[k] {
			continue
		}
		checked[k] = true
		if err := kube.Check(k); err != nil {
			file, line := d.File, d.Line
			for _, c := range cfg.Clusters {
				if c.Cluster == k {
					file, line = c.File, c.Line
				}
			}
			return config.ErrorAt(file, line, err)
		}
	}
	return nil
}

// openGeoIP reads the stanza's GeoIP database, nil when it names none. It
// is read here, not when the first query needs it, so a corrupt file fails
// the start or the reload, and the running config keeps serving.
func openGeoIP(path config.Path) (*geoip.DB, error) {
	if path.Name == "" {
		return nil, nil
	}
	db, err := geoip.Open(path.Name)
	if err != nil {
		return nil, path.Errorf("geoip: expected a MaxMind database: %v", err)
	}
	return db, nil
}
