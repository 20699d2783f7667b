package hostname

import clog "github.com/coredns/coredns/plugin/pkg/log"

// log reports names starting and ceasing to fail; nothing per resolution at
// info.
var log = clog.NewWithPlugin("gslb")
