package kube

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// server is one running coredns-gslb, started by exec.
type server struct {
	pid     int
	started time.Time // just before the exec: what start-up times count from
	dns     string    // 127.0.0.1:PORT
	status  string    // http://127.0.0.1:PORT
	out     *logBuffer
	done    chan struct{} // closed once the process has exited
	err     error         // its exit, once done is closed
}

// ports are the two a Corefile listens on: DNS and the status API.
type ports struct{ dns, status int }

// start runs bin on the Corefile that corefile writes for ports free on
// 127.0.0.1, in a directory of its own.
func start(b *testing.B, bin string, corefile func(ports) string) *server {
	b.Helper()
	p := ports{freePort(b), freePort(b)}
	path := filepath.Join(b.TempDir(), "Corefile")
	if err := os.WriteFile(path, []byte(corefile(p)), 0o644); err != nil {
		b.Fatal(err)
	}
	s := &server{
		dns:    net.JoinHostPort("127.0.0.1", strconv.Itoa(p.dns)),
		status: "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(p.status)),
		out:    &logBuffer{},
		done:   make(chan struct{}),
	}
	cmd := exec.Command(bin, "-conf", path)
	cmd.Dir = filepath.Dir(path)
	cmd.Stdout, cmd.Stderr = s.out, s.out
	s.started = time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	s.pid = cmd.Process.Pid
	go func() { s.err = cmd.Wait(); close(s.done) }()
	return s
}

// exited is an error when the process has exited, naming why.
func (s *server) exited() error {
	select {
	case <-s.done:
		return fmt.Errorf("coredns-gslb exited: %v\n%s", s.err, s.out)
	default:
		return nil
	}
}

// portTaken says whether the process exited because a port it was given
// was taken meanwhile: another start, not a failure.
func (s *server) portTaken() bool {
	return s.exited() != nil && strings.Contains(s.out.String(), "address already in use")
}

// stop sends SIGTERM to the process, by its PID, and waits; SIGKILL after
// 10 s.
func (s *server) stop(b *testing.B) {
	b.Helper()
	if err := syscall.Kill(s.pid, syscall.SIGTERM); err != nil && !errors.Is(err, syscall.ESRCH) {
		b.Errorf("SIGTERM to %d: %v", s.pid, err)
	}
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		syscall.Kill(s.pid, syscall.SIGKILL)
		<-s.done
		b.Errorf("coredns-gslb (pid %d) still running 10s after SIGTERM; killed", s.pid)
	}
}

// rssMiB is the process's VmRSS now, in MiB.
func (s *server) rssMiB(b *testing.B) float64 {
	b.Helper()
	f, err := os.Open("/proc/" + strconv.Itoa(s.pid) + "/status")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			if err != nil {
				b.Fatalf("VmRSS %q: %v", rest, err)
			}
			return float64(kb) / 1024
		}
	}
	b.Fatalf("no VmRSS in /proc/%d/status", s.pid)
	return 0
}

// cpuMS is the process's CPU time so far (user and system, in clock
// ticks of 10 ms), in milliseconds.
func (s *server) cpuMS(b *testing.B) float64 {
	b.Helper()
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(s.pid) + "/stat")
	if err != nil {
		b.Fatal(err)
	}
	// The fields after the command name, which is in parentheses and may
	// hold spaces: state is the first, utime and stime the 12th and 13th.
	_, rest, _ := bytes.Cut(stat, []byte(") "))
	f := strings.Fields(string(rest))
	if len(f) < 13 {
		b.Fatalf("/proc/%d/stat: %q", s.pid, stat)
	}
	utime, err1 := strconv.Atoi(f[11])
	stime, err2 := strconv.Atoi(f[12])
	if err1 != nil || err2 != nil {
		b.Fatalf("/proc/%d/stat: %q", s.pid, stat)
	}
	return float64(utime+stime) * 10 // CLK_TCK is 100 on Linux
}

// freePort is a port free on 127.0.0.1 for both TCP and UDP now; a start
// that finds it taken later starts again (portTaken).
func freePort(b *testing.B) int {
	b.Helper()
	for range 20 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		u, err := net.ListenPacket("udp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		l.Close()
		if err == nil {
			u.Close()
			return port
		}
	}
	b.Fatal("no port free for TCP and UDP on 127.0.0.1")
	return 0
}

// logBuffer keeps the process's output, for a failure to show; past 1 MiB
// it keeps only the start (where a failed start says why).
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.buf.Len() < 1<<20 {
		l.buf.Write(p)
	}
	return len(p), nil
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}
