package healthcheck

import (
	"bufio"
	"sync"
)

// maxBody bounds what a probe reads of a response body, and of its head.
const maxBody = 64 << 10

// bodyBuffers hold the bounded body a match is run on. Only probes in flight
// hold one (at most the registry's concurrency), never every prober.
var bodyBuffers = sync.Pool{New: func() any { return new([maxBody]byte) }}

// readerPool lends response readers to probes in flight, for the same reason.
var readerPool = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 4096) }}
