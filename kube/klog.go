package kube

import (
	"fmt"
	"strings"
	"sync"

	"github.com/go-logr/logr"
	"k8s.io/klog/v2"
)

// routeClientLogs sends client-go's own messages (a watch that ended, a
// list that failed) to the CoreDNS log, as the kubernetes plugin does with
// its own, instead of stderr in klog's format: errors as errors, the rest
// only with the debug plugin. Once per process; klog has one logger.
var routeClientLogs = sync.OnceFunc(func() { klog.SetLogger(logr.New(clientLog{})) })

// clientLog is a logr.LogSink writing to the plugin's log.
type clientLog struct{ values []any }

func (clientLog) Init(logr.RuntimeInfo) {}

func (clientLog) Enabled(int) bool { return true } // klog applies its own verbosity

func (l clientLog) Info(_ int, msg string, kv ...any) { log.Debug(l.line(msg, nil, kv)) }

func (l clientLog) Error(err error, msg string, kv ...any) { log.Error(l.line(msg, err, kv)) }

func (l clientLog) WithValues(kv ...any) logr.LogSink {
	return clientLog{values: append(l.values[:len(l.values):len(l.values)], kv...)}
}

func (l clientLog) WithName(string) logr.LogSink { return l }

// line is "client-go: MSG: ERR key=value ...".
func (l clientLog) line(msg string, err error, kv []any) string {
	var b strings.Builder
	b.WriteString("client-go: " + msg)
	if err != nil {
		b.WriteString(": " + err.Error())
	}
	all := append(l.values[:len(l.values):len(l.values)], kv...)
	for i := 0; i+1 < len(all); i += 2 {
		fmt.Fprintf(&b, " %v=%v", all[i], all[i+1])
	}
	return b.String()
}
