package healthcheck

// Word is what a backend says of itself, in the words of HAProxy's agent
// protocol: read from an agent check's reply line, or from a response
// header of an http check (agent_header). A zero Word says nothing.
type Word struct {
	Said   bool    // a reply was read and held at least one known word
	Weight float64 // the N% it gave, as a fraction in [0, 1]; -1 when none
	Drain  bool    // drain: no new traffic while anything else is up
	Down   bool    // maint, down, fail or stopped: held back at once
	Up     bool    // up or ready: lifts an earlier down or drain
	Reason string  // the text after '#', for the log and the why-log
}

// wordProbe is a probe that reads a Word beside its verdict: lastWord is
// the Word of its last run (the zero Word when that run read none).
type wordProbe interface {
	lastWord() Word
}

// wordOf is the Word of pr's last run, when pr reads one.
func wordOf(pr probe) Word {
	if wp, ok := pr.(wordProbe); ok {
		return wp.lastWord()
	}
	return Word{}
}
