package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The status page in a real headless Chromium, against the real binary:
// the token form, the member of a checked pool going down and coming
// back, the records and the answer map following it, the explain form,
// and text with HTML in it shown as text.

// pageCorefile: %[1]s the status port, %[2]s the token file, %[3]s the
// override file, %[4]s and %[5]s the ports of the eu and xml backends.
// The xml check wants a body the backend never sends, so its member is
// down for good, with the check's pattern, HTML, in its reason.
const pageCorefile = `gslb.test:1053 {
    bind 127.0.0.1
    gslb {
        status 127.0.0.1:%[1]s {
            token %[2]s
        }
        override "%[3]s"
        check web {
            http 80 /healthz
            interval 200ms
            timeout 100ms
            rise 2
            fall 2
        }
        check xml {
            http 80 /healthz
            match "<b>ok</b>"
            interval 200ms
            timeout 100ms
        }
        pool eu {
            member 192.0.2.10 probe 127.0.0.1:%[4]s
            check web
        }
        pool xml {
            member 192.0.2.20 probe 127.0.0.1:%[5]s
            check xml
        }
        pool us {
            member 198.51.100.10
            member 198.51.100.11
        }
        record app {
            policy failover
            pools eu us
        }
        record web {
            policy failover
            pools eu xml
            on_all_down servfail
        }
        record geo {
            policy geo
            pools eu us
            route eu net 10.0.0.0/8
            route us net 192.168.0.0/16
        }
    }
}
`

// The page's bounds, on top of the probes' (failBound, riseBound).
const (
	pagePoll = 2 * time.Second // the page reads /v1/status 2s after its last read ended
	// browserSlack covers one refresh (a status read, an explain per net
	// route, the rebuild) and the test's own WebDriver polling, with
	// Chromium and the server sharing two loaded cores.
	browserSlack  = 2 * time.Second
	pageDownBound = failBound + pagePoll + browserSlack
	pageUpBound   = riseBound + pagePoll + browserSlack
)

const (
	pageToken = "page-test-token"
	xmlReason = `match: body (first 0 bytes) does not match "<b>ok</b>"`
	// overrideDir is part of the override file's path, the source the
	// page shows: markup would lose the <em> and turn &amp; into &.
	overrideDir = "ops<em>&amp;x"
)

func TestBrowserStatusPage(t *testing.T) {
	t.Parallel()
	t.Logf("bounds: down on the page within %v (failover %v + poll %v + %v slack), up within %v",
		pageDownBound, failBound, pagePoll, browserSlack, pageUpBound)
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "token")
	overrides := filepath.Join(dir, overrideDir, "overrides")
	os.Mkdir(filepath.Dir(overrides), 0o755)
	writeFile(t, tokenFile, pageToken+"\n")
	writeFile(t, overrides, "drain us/198.51.100.11\n")
	eu, xml := newHTTPBackend(t), newHTTPBackend(t)
	statusPort := freePort(t)
	startServer(t, fmt.Sprintf(pageCorefile, statusPort, tokenFile, overrides, eu.port(), xml.port()))
	eu.settled(t)
	url := "http://127.0.0.1:" + statusPort + "/"
	checkProtected(t, url)

	b := startBrowser(t)
	p := &statusPage{b: b}
	t.Cleanup(func() {
		if t.Failed() {
			saveArtifact(t, "status-page-failure.png", b.screenshot(t))
		}
	})
	b.open(t, url)
	p.waitFor(t, "the token form", 15*time.Second, js(`return !document.getElementById('auth').hidden`), true)
	p.giveToken(t, "not-the-token")
	p.waitFor(t, "the refusal", 10*time.Second, js(`return document.getElementById('auth-message').textContent.includes('refused')`), true)
	p.giveToken(t, pageToken)
	p.waitFor(t, "eu's member up", 10*time.Second, p.memberState("eu", "192.0.2.10"), "up")

	p.expect(t, "xml's member", p.memberState("xml", "192.0.2.20"), "down")
	p.expect(t, "the drained member", p.memberState("us", "198.51.100.11"), "drained")
	p.expect(t, "app", p.recordCondition("app.gslb.test."), "ok")
	p.expect(t, "web", p.recordCondition("web.gslb.test."), "ok")
	p.expect(t, "geo's 10.0.0.0/8 route", p.routePool("geo.gslb.test.", "net 10.0.0.0/8"), "eu")
	p.expect(t, "geo's 192.168.0.0/16 route", p.routePool("geo.gslb.test.", "net 192.168.0.0/16"), "us")
	p.expectText(t, `tr.member[data-pool="xml"] td.reason`, xmlReason)
	p.expectText(t, `tr.override td.source`, overrides+":1")
	saveArtifact(t, "status-page-up.png", b.screenshot(t))

	eu.kill(t)
	took := p.waitFor(t, "eu's member down", pageDownBound, p.memberState("eu", "192.0.2.10"), "down")
	t.Logf("eu killed: its member shown down %v after", took.Round(time.Millisecond))
	// The same refresh rebuilt the records and the answer map.
	p.expect(t, "app", p.recordCondition("app.gslb.test."), "failover")
	p.expect(t, "web", p.recordCondition("web.gslb.test."), "all-down")
	p.expect(t, "geo's 10.0.0.0/8 route", p.routePool("geo.gslb.test.", "net 10.0.0.0/8"), "us")
	p.explainForm(t)
	png := b.screenshot(t)
	saveArtifact(t, "status-page-failover.png", png)
	if os.Getenv("GSLB_UPDATE_SCREENSHOT") != "" {
		writeFile(t, "../../docs/status-page.png", string(png))
		t.Log("wrote docs/status-page.png")
	}

	eu.revive(t)
	took = p.waitFor(t, "eu's member up", pageUpBound, p.memberState("eu", "192.0.2.10"), "up")
	t.Logf("eu revived: its member shown up %v after", took.Round(time.Millisecond))
	p.expect(t, "app", p.recordCondition("app.gslb.test."), "ok")
	p.expect(t, "web", p.recordCondition("web.gslb.test."), "ok")
	p.expect(t, "geo's 10.0.0.0/8 route", p.routePool("geo.gslb.test.", "net 10.0.0.0/8"), "eu")
	p.noPolicyViolations(t)
}
