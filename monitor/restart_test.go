package monitor_test

import (
	"net"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"gonut/internal/nuttest"
)

// upsd restarted behind a listening socket that stays open, as systemd's
// nut-server.socket holds it through `systemctl restart nut-server` or a
// package upgrade: our upsmon dials again within the poll that found its
// connection broken and tells nothing; Debian's tells COMMBAD, then
// COMMOK. Both watch the same upsd (ours, given the socket as systemd
// gives it: LISTEN_FDS) through the same restart.
func TestUpsdRestartBehindItsSocket(t *testing.T) {
	nuttest.NeedDebianUpsmon(t)
	ours := nuttest.Build(t, "gonut/cmd/upsmon")
	upsd := nuttest.Build(t, "gonut/cmd/upsd")
	driver := nuttest.Build(t, "gonut/cmd/dummy-ups")
	s := nuttest.NewStack(t, "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n", map[string]string{"a.dev": "ups.status: OL\nbattery.charge: 90\n"})
	s.Start(driver, "-a", "a", "-u", "root", "-F")
	s.WaitSocket("dummy-ups", "a")

	l, err := net.Listen("tcp", s.HostPort())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	sock, err := l.(*net.TCPListener).File()
	if err != nil {
		t.Fatal(err)
	}
	defer sock.Close()
	// sd_listen_fds(3): the socket as descriptor 3, LISTEN_PID the
	// process that takes it (sh's PID, which exec keeps).
	start := func() *exec.Cmd {
		cmd := exec.Command("sh", "-c", "LISTEN_PID=$$ LISTEN_FDS=1 exec "+upsd+" -u root -F")
		cmd.Env = s.Env
		cmd.ExtraFiles = []*os.File{sock}
		log, err := os.CreateTemp(s.Dir, "upsd-*.log")
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stdout, cmd.Stderr = log, log
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait(); log.Close() })
		return cmd
	}
	first := start()
	nuttest.Eventually(t, "upsd serves", func() (bool, string) {
		r := nuttest.Exec("", "upsc", s.Addr("a"), "ups.status")
		return r.Code == 0 && r.Out == "OL\n", r.Out + r.Err
	})

	base := t.TempDir()
	gonut := nuttest.StartUpsmon(t, ours, base, "gonut", s.Addr("a")+" 1 monuser pass primary")
	debian := nuttest.StartUpsmon(t, nuttest.DebianUpsmon, base, "debian", s.Addr("a")+" 1 monslave pass2 secondary")
	loggedIn := func() (bool, string) {
		r := nuttest.Exec("", "upsc", "-c", s.Addr("a"))
		return strings.Count(r.Out, "127.0.0.1") == 2, r.Out + r.Err
	}
	nuttest.Eventually(t, "both upsmon logged in", loggedIn)

	first.Process.Signal(syscall.SIGTERM)
	first.Wait()
	start()
	nuttest.Eventually(t, "Debian's upsmon told COMMBAD, then COMMOK", func() (bool, string) {
		saw := debian.Saw()
		return strings.Contains(saw, "COMMBAD\nCOMMOK\n"), saw
	})
	nuttest.Eventually(t, "both upsmon logged in again", loggedIn)
	if saw := gonut.Saw(); strings.Contains(saw, "COMM") {
		t.Errorf("our upsmon told of upsd's restart behind its socket:\n%s", saw)
	}
}
