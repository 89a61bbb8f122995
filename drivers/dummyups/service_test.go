package dummyups_test

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// notifySocket listens where a service manager would for sd_notify
// messages, and returns them as they come.
func notifySocket(t *testing.T) (string, <-chan string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "notify")
	c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ch := make(chan string, 64)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := c.Read(buf)
			if err != nil {
				close(ch)
				return
			}
			ch <- string(buf[:n])
		}
	}()
	return path, ch
}

func expectNotify(t *testing.T, ch <-chan string, want string) string {
	t.Helper()
	deadline := time.After(20 * time.Second)
	var seen []string
	for {
		select {
		case m := <-ch:
			seen = append(seen, m)
			if strings.Contains(m, want) {
				return m
			}
		case <-deadline:
			t.Fatalf("no sd_notify message with %q; got %q", want, seen)
		}
	}
}

// Under a service manager the driver says READY=1 after its first good
// update, with the UPS status, and RELOADING=1 then READY=1 around a
// reload (SIGHUP), and STOPPING=1 on the way out.
func TestNotifyReadyReloadStop(t *testing.T) {
	ours := buildDriver(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "ups.conf"), []byte("[n]\n\tdriver = dummy-ups\n\tport = n.dev\n"), 0o640)
	os.WriteFile(filepath.Join(dir, "n.dev"), []byte("ups.status: OB DISCHRG\n"), 0o640)
	sock, msgs := notifySocket(t)
	cmd := exec.Command(ours, "-a", "n", "-u", "root", "-F")
	cmd.Env = append(os.Environ(), "NUT_CONFPATH="+dir, "NUT_STATEPATH="+dir, "NOTIFY_SOCKET="+sock)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	m := expectNotify(t, msgs, "READY=1")
	if !strings.Contains(m, "STATUS=ups.status: OB DISCHRG") {
		t.Fatalf("READY without the status: %q", m)
	}
	cmd.Process.Signal(syscall.SIGHUP)
	expectNotify(t, msgs, "RELOADING=1")
	expectNotify(t, msgs, "READY=1")
	cmd.Process.Signal(syscall.SIGTERM)
	expectNotify(t, msgs, "STOPPING=1")
	if err := cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "dummy-ups-n")); !os.IsNotExist(err) {
		t.Fatalf("socket left behind after exit: %v", err)
	}
}

// Socket activation: the socket exists before the driver (systemd holds
// it); the first connection starts the driver, which serves on the
// inherited socket. Debian's upsd, started first, gets the data.
func TestSocketActivationWithDebianUpsd(t *testing.T) {
	needDebianNUT(t)
	activate, err := exec.LookPath("systemd-socket-activate")
	if err != nil {
		t.Skip("systemd-socket-activate not found (package systemd)")
	}
	ours := buildDriver(t)
	s := newStack(t, "[act]\n\tdriver = dummy-ups\n\tport = act.dev\n", map[string]string{"act.dev": "ups.status: OL\nbattery.charge: 87\n"})
	sockPath := filepath.Join(s.dir, "dummy-ups-act")
	s.start(activate, "-E", "NUT_CONFPATH", "-E", "NUT_STATEPATH", "-E", "NUT_ALTPIDPATH", "-l", sockPath, ours, "-a", "act", "-u", "root", "-F")
	s.waitSocket("act") // the activator's socket; no driver yet
	s.start(debianUpsd, "-u", "root", "-F")
	eventually(t, "upsd gets data from the socket-activated driver", func() (bool, string) {
		v, err := s.run("upsc", s.addr("act"), "battery.charge")
		return strings.TrimSpace(v) == "87", v + " " + errString(err)
	})
}

// When the driver restarts, Debian's upsd reconnects and serves again.
func TestDebianUpsdFollowsDriverRestart(t *testing.T) {
	needDebianNUT(t)
	ours := buildDriver(t)
	s := newStack(t, "[r]\n\tdriver = dummy-ups\n\tport = r.dev\n", map[string]string{"r.dev": "ups.status: OL\n"})
	drv := exec.Command(ours, "-a", "r", "-u", "root", "-F")
	drv.Env = s.env
	if err := drv.Start(); err != nil {
		t.Fatal(err)
	}
	s.waitSocket("r")
	s.start(debianUpsd, "-u", "root", "-F")
	eventually(t, "first answer", func() (bool, string) {
		v, err := s.run("upsc", s.addr("r"), "ups.status")
		return strings.TrimSpace(v) == "OL", v + " " + errString(err)
	})
	drv.Process.Kill() // kill -9: no clean-up, the socket file stays
	drv.Wait()
	os.WriteFile(filepath.Join(s.dir, "r.dev"), []byte("ups.status: OB LB\n"), 0o640)
	s.start(ours, "-a", "r", "-u", "root", "-F")
	eventually(t, "answer from the restarted driver", func() (bool, string) {
		v, err := s.run("upsc", s.addr("r"), "ups.status")
		return strings.TrimSpace(v) == "OB LB", v + " " + errString(err)
	})
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
