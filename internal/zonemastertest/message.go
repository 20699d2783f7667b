package zonemastertest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Message is one entry of zonemaster-cli --json output.
type Message struct {
	Level    string         `json:"level"`    // DEBUG3 … CRITICAL
	Module   string         `json:"module"`   // ADDRESS, BASIC, …, SYSTEM
	Testcase string         `json:"testcase"` // BASIC01, …, or UNSPECIFIED
	Tag      string         `json:"tag"`      // NAMESERVER_IP_PRIVATE_NETWORK, …
	Args     map[string]any `json:"args"`     // the tag's arguments, such as ns_ip
	Time     float64        `json:"timestamp"`
}

// levels ranks Zonemaster's severities, lowest first.
var levels = []string{"DEBUG3", "DEBUG2", "DEBUG", "INFO", "NOTICE", "WARNING", "ERROR", "CRITICAL"}

// rank is the level's place in levels; an unknown level ranks above
// CRITICAL, so that a severity this package does not know fails a test
// rather than passing unseen.
func rank(level string) int {
	for i, l := range levels {
		if l == level {
			return i
		}
	}
	return len(levels)
}

// AtLeast reports whether m is as severe as level or more.
func (m Message) AtLeast(level string) bool { return rank(m.Level) >= rank(level) }

// Arg is the argument name as text, "" when m has none.
func (m Message) Arg(name string) string {
	v, ok := m.Args[name]
	if !ok || v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

// String is the message as zonemaster-cli --raw prints it, the arguments
// sorted by name, so that a failure reads like the tool's own output.
func (m Message) String() string {
	names := make([]string, 0, len(m.Args))
	for n := range m.Args {
		names = append(names, n)
	}
	sort.Strings(names)
	args := make([]string, len(names))
	for i, n := range names {
		args[i] = n + "=" + m.Arg(n)
	}
	return fmt.Sprintf("%-8s %s/%s %s %s", m.Level, m.Module, m.Testcase, m.Tag, strings.Join(args, "; "))
}

// Parse reads zonemaster-cli --json output: one JSON array of messages.
// Output that is not such an array, or a message without level, module
// or tag, is an error: a run whose result cannot be read is not a pass.
func Parse(out []byte) ([]Message, error) {
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.UseNumber() // counts and serials stay as printed, not float64
	var msgs []Message
	if err := dec.Decode(&msgs); err != nil {
		return nil, fmt.Errorf("zonemaster-cli output is not a JSON array of messages: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("zonemaster-cli output has data after its JSON array")
	}
	if msgs == nil {
		return nil, fmt.Errorf("zonemaster-cli output is not a JSON array of messages")
	}
	for i, m := range msgs {
		if m.Level == "" || m.Module == "" || m.Tag == "" {
			return nil, fmt.Errorf("zonemaster-cli message %d lacks level, module or tag: %+v", i, m)
		}
	}
	return msgs, nil
}
