package kube

import clog "github.com/coredns/coredns/plugin/pkg/log"

// log reports a cluster's API going and coming back, watches that fail for
// another reason, and annotations that cannot be read; nothing per event.
var log = clog.NewWithPlugin("gslb")
