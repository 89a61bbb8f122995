package server_test

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gonut/internal/nuttest"
)

// With MAXCONN clients connected, upsd answers nobody new until one
// leaves; then the newcomer, which waited, is served.
func TestMaxConn(t *testing.T) {
	s, upsd := stackWithA(t, nil)
	s.WriteFile("upsd.conf", "LISTEN 127.0.0.1 "+itoa(s.Port)+"\nMAXCONN 3\n")
	s.Start(upsd, "-u", "root", "-F")
	waitReady(t, s.HostPort(), "a")
	var held []*conn
	for i := 0; i < 3; i++ {
		c := dial(t, s.HostPort())
		if got := c.ask("NETVER"); got != "1.3" {
			t.Fatalf("client %d: %q", i, got)
		}
		held = append(held, c)
	}
	late, err := net.Dial("tcp", s.HostPort())
	if err != nil {
		t.Fatal(err)
	}
	defer late.Close()
	late.Write([]byte("NETVER\n"))
	r := bufio.NewReader(late)
	late.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
	if line, err := r.ReadString('\n'); err == nil {
		t.Fatalf("a fourth client was served past MAXCONN 3: %q", line)
	}
	held[0].c.Close()
	late.SetReadDeadline(time.Now().Add(10 * time.Second))
	if line, err := r.ReadString('\n'); line != "1.3\n" {
		t.Fatalf("the waiting client, once a place was free: %q, %v", line, err)
	}
}

// Without a UPS in ups.conf upsd refuses to start, unless ALLOW_NO_DEVICE
// (in upsd.conf, or the environment) says it may.
func TestAllowNoDevice(t *testing.T) {
	upsd := nuttest.Build(t, "gonut/cmd/upsd")
	s := nuttest.NewStack(t, "# nothing yet\n", nil)
	run := func(env ...string) (string, error) {
		cmd := exec.Command(upsd, "-u", "root", "-F")
		cmd.Env = append(s.Env, env...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := run(); err == nil || !strings.Contains(out, "at least one UPS must be defined in ups.conf") {
		t.Fatalf("no UPS: %v\n%s", err, out)
	}
	for _, how := range []struct {
		conf string
		env  []string
	}{{"ALLOW_NO_DEVICE true\n", nil}, {"", []string{"ALLOW_NO_DEVICE=yes"}}} {
		s.WriteFile("upsd.conf", "LISTEN 127.0.0.1 "+strings.TrimPrefix(s.HostPort(), "127.0.0.1:")+"\n"+how.conf)
		cmd := exec.Command(upsd, "-u", "root", "-F")
		cmd.Env = append(s.Env, how.env...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		nuttest.Eventually(t, "upsd serves no UPS", func() (bool, string) {
			c, err := net.Dial("tcp", s.HostPort())
			if err != nil {
				return false, err.Error()
			}
			defer c.Close()
			got := (&conn{c, bufio.NewReader(c)}).ask("LIST UPS")
			return got == "BEGIN LIST UPS\nEND LIST UPS", got
		})
		cmd.Process.Kill()
		cmd.Wait()
	}
}

// Started without -F, upsd goes to the background once it serves, keeps
// its PID file, and "upsd -c stop" ends it.
func TestBackgroundAndStop(t *testing.T) {
	s, upsd := stackWithA(t, nil)
	cmd := exec.Command(upsd, "-u", "root")
	cmd.Env = s.Env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("upsd in the background: %v\n%s", err, out)
	}
	pidFile := filepath.Join(s.Dir, "upsd.pid")
	if _, err := os.Stat(pidFile); err != nil {
		t.Fatalf("no PID file once upsd is back: %v", err)
	}
	t.Cleanup(func() {
		stop := exec.Command(upsd, "-c", "stop")
		stop.Env = s.Env
		stop.Run()
	})
	waitReady(t, s.HostPort(), "a")
	stop := exec.Command(upsd, "-c", "stop")
	stop.Env = s.Env
	if out, err := stop.CombinedOutput(); err != nil {
		t.Fatalf("upsd -c stop: %v\n%s", err, out)
	}
	nuttest.Eventually(t, "upsd gone", func() (bool, string) {
		_, err := net.Dial("tcp", s.HostPort())
		_, perr := os.Stat(pidFile)
		return err != nil && os.IsNotExist(perr), "still answering or PID file left"
	})
}

// upsd refuses to start when it cannot listen where upsd.conf says, a
// LISTEN line in error included, rather than listen elsewhere or on part
// of it; ALLOW_NOT_ALL_LISTENERS lets it start on the part it can.
func TestListenFailures(t *testing.T) {
	s, upsd := stackWithA(t, nil)
	good := "LISTEN 127.0.0.1 " + itoa(s.Port) + "\n"
	for _, tc := range []struct{ conf, want, why string }{
		{"LISTEN 127.0.0.1 99999\n", "no listening interface available", "upsd.conf:1: LISTEN port"},
		{good + "LISTEN 127.0.0.1 99999\n", "some listening interfaces were not available", "upsd.conf:2: LISTEN port"},
		{good + "LISTEN 192.0.2.1 3493\n", "some listening interfaces were not available", "cannot assign requested address"},
		{good + "LISTEN\n", "some listening interfaces were not available", "upsd.conf:2: LISTEN: expected"},
	} {
		s.WriteFile("upsd.conf", tc.conf)
		cmd := exec.Command(upsd, "-u", "root", "-F")
		cmd.Env = s.Env
		done := make(chan error, 1)
		var out strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(out.String(), tc.want) || !strings.Contains(out.String(), tc.why) {
				t.Errorf("%q: %v, want a failure saying %q and why (%q):\n%s", tc.conf, err, tc.want, tc.why, out.String())
			}
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			<-done
			t.Errorf("%q: upsd started:\n%s", tc.conf, out.String())
		}
	}
	// Going to the background, upsd says why it failed where it was
	// started, not only in the system log.
	s.WriteFile("upsd.conf", "LISTEN 127.0.0.1 99999\n")
	bg := exec.Command(upsd, "-u", "root")
	bg.Env = s.Env
	if out, err := bg.CombinedOutput(); err == nil || !strings.Contains(string(out), "upsd.conf:1: LISTEN port") ||
		!strings.Contains(string(out), "no listening interface available") {
		t.Errorf("upsd in the background, failing: %v\n%s", err, out)
	}
	s.WriteFile("upsd.conf", good+"LISTEN 127.0.0.1 99999\nALLOW_NOT_ALL_LISTENERS yes\n")
	s.Start(upsd, "-u", "root", "-F")
	waitReady(t, s.HostPort(), "a")
}
