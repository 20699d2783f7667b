package zonemastertest

import (
	"os"
	"slices"
	"testing"
)

// The testdata are zonemaster-cli 5.0.2 --json --level INFO output, as
// captured from the harness's runs: reference.json against the file
// plugin serving the zone from two instances, serial.json with the second
// instance serving a later SOA serial.
func load(t *testing.T, name string) []Message {
	t.Helper()
	out, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

func tags(msgs []Message) []string {
	var ts []string
	for _, m := range msgs {
		ts = append(ts, m.Module+"/"+m.Tag)
	}
	return ts
}

func TestParseReference(t *testing.T) {
	msgs := load(t, "reference.json")
	if len(msgs) != 61 {
		t.Errorf("%d messages, want the 61 captured", len(msgs))
	}
	first := msgs[0]
	if first.Level != "INFO" || first.Module != "SYSTEM" || first.Tag != "GLOBAL_VERSION" || first.Arg("version") != "v4.6.2" {
		t.Errorf("first message %+v, want INFO SYSTEM GLOBAL_VERSION version=v4.6.2", first)
	}
	for _, m := range msgs {
		// Numbers stay as printed: a count of 2, not 2.000000.
		if m.Tag == "ENOUGH_NS_CHILD" && (m.Testcase != "DELEGATION01" || m.Arg("count") != "2") {
			t.Errorf("ENOUGH_NS_CHILD %+v, want testcase DELEGATION01, count 2", m)
		}
	}
	env, problems := Classify(msgs)
	if len(problems) != 0 {
		t.Errorf("problems %v, want none: the reference zone is sound", tags(problems))
	}
	want := []string{"ADDRESS/NAMESERVER_IP_PRIVATE_NETWORK", "ADDRESS/NAMESERVER_IP_PRIVATE_NETWORK",
		"ADDRESS/NAMESERVER_IP_WITHOUT_REVERSE", "ADDRESS/NAMESERVER_IP_WITHOUT_REVERSE"}
	if got := tags(env); !slices.Equal(got, want) {
		t.Errorf("environment %v, want %v", got, want)
	}
}

func TestParseSerials(t *testing.T) {
	_, problems := Classify(load(t, "serial.json"))
	want := []string{"CONSISTENCY/MULTIPLE_SOA_SERIALS", "ZONE/Z01_MNAME_NOT_MASTER"}
	if got := tags(problems); !slices.Equal(got, want) {
		t.Errorf("problems %v, want %v", got, want)
	}
}

// The environment's filters apply to loopback name servers only: the
// same message about an address a deployed zone could have is the zone's.
func TestEnvironmentIsLoopbackOnly(t *testing.T) {
	for _, ip := range []string{"10.0.0.53", "192.168.1.1", ""} {
		m := Message{Level: "ERROR", Module: "ADDRESS", Tag: "NAMESERVER_IP_PRIVATE_NETWORK", Args: map[string]any{"ns_ip": ip}}
		if _, problems := Classify([]Message{m}); len(problems) != 1 {
			t.Errorf("ns_ip %q: problems %v, want the message itself", ip, problems)
		}
	}
}

func TestLevels(t *testing.T) {
	for level, want := range map[string]bool{"INFO": false, "NOTICE": false, "WARNING": true, "ERROR": true, "CRITICAL": true, "NEW": true} {
		if got := (Message{Level: level}).AtLeast(FailLevel); got != want {
			t.Errorf("%s at least %s: %v, want %v", level, FailLevel, got, want)
		}
	}
}

func TestParseRejects(t *testing.T) {
	for _, out := range []string{"", "null", "Loading profile from p.json.\n[]", `[{"level":"INFO"}]`, "[] []", `{"level":"INFO"}`} {
		if msgs, err := Parse([]byte(out)); err == nil {
			t.Errorf("Parse(%q) = %v, want an error", out, msgs)
		}
	}
	if msgs, err := Parse([]byte("[]\n")); err != nil || len(msgs) != 0 {
		t.Errorf(`Parse("[]\n") = %v, %v; want no messages, no error`, msgs, err)
	}
}
