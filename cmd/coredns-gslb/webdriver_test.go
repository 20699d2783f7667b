package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// browser is a headless Chromium driven through chromedriver's W3C
// WebDriver HTTP API, spoken with net/http: the few commands a page test
// needs do not warrant a client library.
type browser struct {
	session string // http://127.0.0.1:PORT/session/ID
	client  http.Client
}

// startBrowser starts chromedriver on a free loopback port and a Chromium
// session through it; both end when the test does.
func startBrowser(t *testing.T) *browser {
	t.Helper()
	driver, err := exec.LookPath("chromedriver")
	if err != nil {
		t.Fatal("chromedriver is not installed: .ci/run installs it (apt-get install chromium chromium-driver)")
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("chromium is not installed: .ci/run installs it (apt-get install chromium chromium-driver)")
	}
	dir := t.TempDir()
	port := freePort(t)
	cmd := exec.Command(driver, "--port="+port, "--log-path="+filepath.Join(dir, "chromedriver.log"))
	// HOME points Chromium's crash database and caches into the temporary
	// directory; its own process group lets cleanup reach the browser
	// processes chromedriver started (and only those) if it cannot quit them.
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+filepath.Join(dir, "config"), "XDG_CACHE_HOME="+filepath.Join(dir, "cache"))
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	b := &browser{session: "http://127.0.0.1:" + port, client: http.Client{Timeout: 60 * time.Second}}
	t.Cleanup(func() { b.quit(t, cmd.Process.Pid, done, dir) })

	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		var st struct{ Ready bool }
		if b.do("GET", "/status", nil, &st) == nil && st.Ready {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("chromedriver on port %s not ready within 15s", port)
		}
	}
	// --no-sandbox: root cannot run Chromium's sandbox, nor can containers
	// without user namespaces; the browser loads only the test's loopback page.
	caps := map[string]any{"capabilities": map[string]any{"alwaysMatch": map[string]any{
		"browserName": "chrome",
		"goog:chromeOptions": map[string]any{"binary": chromium, "args": []string{
			"--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
			"--user-data-dir=" + filepath.Join(dir, "profile"), "--window-size=1280,900"}},
		"goog:loggingPrefs": map[string]string{"browser": "ALL"},
	}}}
	var created struct{ SessionID string }
	if err := b.do("POST", "/session", caps, &created); err != nil {
		t.Fatalf("starting Chromium through chromedriver: %v", err)
	}
	b.session += "/session/" + created.SessionID
	return b
}

// quit ends the session (chromedriver closes Chromium), then chromedriver;
// SIGKILL to the process group is the last resort for what they left.
func (b *browser) quit(t *testing.T, pid int, done chan struct{}, dir string) {
	if err := b.do("DELETE", "", nil, nil); err != nil {
		t.Logf("closing the Chromium session: %v", err)
	}
	syscall.Kill(pid, syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Logf("chromedriver (pid %d) still running 5s after SIGTERM: killing its process group", pid)
	}
	syscall.Kill(-pid, syscall.SIGKILL)
	if t.Failed() {
		log, _ := os.ReadFile(filepath.Join(dir, "chromedriver.log"))
		t.Logf("chromedriver log (last 4 KiB):\n%s", log[max(0, len(log)-4096):])
	}
}

// do sends one WebDriver command to the session and decodes its value.
func (b *browser) do(method, path string, body, value any) error {
	var in bytes.Buffer
	if body != nil {
		json.NewEncoder(&in).Encode(body)
	}
	req, _ := http.NewRequest(method, b.session+path, &in)
	req.Header.Set("Content-Type", "application/json")
	resp, err := b.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var out struct {
		Value json.RawMessage
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return fmt.Errorf("%s %s: %s, reply not JSON: %v", method, path, resp.Status, err)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct{ Error, Message string }
		json.Unmarshal(out.Value, &e)
		return fmt.Errorf("%s %s: %s: %s", method, path, e.Error, e.Message)
	}
	if value == nil {
		return nil
	}
	return json.Unmarshal(out.Value, value)
}
