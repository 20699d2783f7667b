package healthcheck

import clog "github.com/coredns/coredns/plugin/pkg/log"

// log reports state changes only; nothing per probe at info.
var log = clog.NewWithPlugin("gslb")
