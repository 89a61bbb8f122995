package dummyups_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"gonut/internal/nuttest"
)

// expectNotify is the first sd_notify message since the last that holds
// want.
func expectNotify(t *testing.T, n *nuttest.Notify, want string) string {
	t.Helper()
	got := n.UpTo(t, want)
	return got[len(got)-1]
}

// Under a service manager the driver says READY=1 after its first good
// update, with the UPS status, and RELOADING=1 then READY=1 around a
// reload (SIGHUP), and STOPPING=1 on the way out.
func TestNotifyReadyReloadStop(t *testing.T) {
	ours := nuttest.Build(t, "gonut/cmd/dummy-ups")
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "ups.conf"), []byte("[n]\n\tdriver = dummy-ups\n\tport = n.dev\n"), 0o640)
	os.WriteFile(filepath.Join(dir, "n.dev"), []byte("ups.status: OB DISCHRG\n"), 0o640)
	msgs := nuttest.NotifySocket(t)
	cmd := exec.Command(ours, "-a", "n", "-u", "root", "-F")
	cmd.Env = append(os.Environ(), "NUT_CONFPATH="+dir, "NUT_STATEPATH="+dir, "NOTIFY_SOCKET="+msgs.Path)
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

// Under a service manager's watchdog (WATCHDOG_USEC, here 2 s), the
// driver keeps feeding it: dummy-ups's device always answers.
func TestNotifyWatchdog(t *testing.T) {
	ours := nuttest.Build(t, "gonut/cmd/dummy-ups")
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "ups.conf"), []byte("[w]\n\tdriver = dummy-ups\n\tport = w.dev\n"), 0o640)
	os.WriteFile(filepath.Join(dir, "w.dev"), []byte("ups.status: OL\n"), 0o640)
	msgs := nuttest.NotifySocket(t)
	cmd := exec.Command(ours, "-a", "w", "-u", "root", "-F")
	cmd.Env = append(os.Environ(), "NUT_CONFPATH="+dir, "NUT_STATEPATH="+dir, "NOTIFY_SOCKET="+msgs.Path, "WATCHDOG_USEC=2000000")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	expectNotify(t, msgs, "READY=1")
	for i := 0; i < 3; i++ {
		expectNotify(t, msgs, "WATCHDOG=1")
	}
	cmd.Process.Signal(syscall.SIGTERM)
	expectNotify(t, msgs, "STOPPING=1")
	cmd.Wait()
}

// Socket activation: the socket exists before the driver (systemd holds
// it); the first connection starts the driver, which serves on the
// inherited socket. Debian's upsd, started first, gets the data.
func TestSocketActivationWithDebianUpsd(t *testing.T) {
	nuttest.NeedDebianNUT(t)
	activate, err := exec.LookPath("systemd-socket-activate")
	if err != nil {
		t.Skip("systemd-socket-activate not found (package systemd)")
	}
	ours := nuttest.Build(t, "gonut/cmd/dummy-ups")
	s := nuttest.NewStack(t, "[act]\n\tdriver = dummy-ups\n\tport = act.dev\n", map[string]string{"act.dev": "ups.status: OL\nbattery.charge: 87\n"})
	sockPath := filepath.Join(s.Dir, "dummy-ups-act")
	s.Start(activate, "-E", "NUT_CONFPATH", "-E", "NUT_STATEPATH", "-E", "NUT_ALTPIDPATH", "-l", sockPath, ours, "-a", "act", "-u", "root", "-F")
	s.WaitSocket("dummy-ups", "act") // the activator's socket; no driver yet
	s.StartUpsd()
	nuttest.Eventually(t, "upsd gets data from the socket-activated driver", func() (bool, string) {
		v, err := s.Run("upsc", s.Addr("act"), "battery.charge")
		return strings.TrimSpace(v) == "87", v + " " + nuttest.ErrString(err)
	})
}

// When the driver restarts, Debian's upsd reconnects and serves again.
func TestDebianUpsdFollowsDriverRestart(t *testing.T) {
	nuttest.NeedDebianNUT(t)
	ours := nuttest.Build(t, "gonut/cmd/dummy-ups")
	s := nuttest.NewStack(t, "[r]\n\tdriver = dummy-ups\n\tport = r.dev\n", map[string]string{"r.dev": "ups.status: OL\n"})
	drv := exec.Command(ours, "-a", "r", "-u", "root", "-F")
	drv.Env = s.Env
	if err := drv.Start(); err != nil {
		t.Fatal(err)
	}
	s.WaitSocket("dummy-ups", "r")
	s.StartUpsd()
	nuttest.Eventually(t, "first answer", func() (bool, string) {
		v, err := s.Run("upsc", s.Addr("r"), "ups.status")
		return strings.TrimSpace(v) == "OL", v + " " + nuttest.ErrString(err)
	})
	drv.Process.Kill() // kill -9: no clean-up, the socket file stays
	drv.Wait()
	os.WriteFile(filepath.Join(s.Dir, "r.dev"), []byte("ups.status: OB LB\n"), 0o640)
	s.Start(ours, "-a", "r", "-u", "root", "-F")
	nuttest.Eventually(t, "answer from the restarted driver", func() (bool, string) {
		v, err := s.Run("upsc", s.Addr("r"), "ups.status")
		return strings.TrimSpace(v) == "OB LB", v + " " + nuttest.ErrString(err)
	})
}

// Repeater mode: our dummy-ups repeats a UPS that Debian's upsd serves
// from Debian's dummy-ups, into a second Debian upsd; the data follows, and
// goes stale while the upstream upsd is away.
func TestRepeaterOfDebianUpsd(t *testing.T) {
	nuttest.NeedDebianNUT(t)
	ours := nuttest.Build(t, "gonut/cmd/dummy-ups")
	up := nuttest.NewStack(t, "[src]\n\tdriver = dummy-ups\n\tport = src.dev\n", map[string]string{"src.dev": "ups.status: OB DISCHRG\nbattery.charge: 42\n"})
	up.Start(nuttest.DebianDummy, "-a", "src", "-u", "root", "-F")
	up.WaitSocket("dummy-ups", "src")
	upsd := exec.Command(nuttest.DebianUpsd, "-u", "root", "-F")
	upsd.Env = up.Env
	if err := upsd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { upsd.Process.Kill(); upsd.Wait() }()
	nuttest.Eventually(t, "upstream serves", func() (bool, string) {
		v, err := up.Run("upsc", up.Addr("src"), "battery.charge")
		return strings.TrimSpace(v) == "42", nuttest.ErrString(err)
	})

	// Upstream drops ups.mfr, which dummy-ups makes up in its dummy modes
	// (but not as a repeater).
	if out, err := up.Run("upsrw", "-s", "ups.mfr=", "-u", "admin", "-p", "secret", up.Addr("src")); err != nil {
		t.Fatalf("upsrw: %v %s", err, out)
	}
	nuttest.Eventually(t, "upstream has no ups.mfr", func() (bool, string) {
		out, err := up.Run("upsc", up.Addr("src"))
		return err == nil && !strings.Contains(out, "ups.mfr"), out
	})

	// Ours repeats it as rep, Debian's as deb.
	down := nuttest.NewStack(t, "[rep]\n\tdriver = dummy-ups\n\tport = "+up.Addr("src")+"\n"+
		"[deb]\n\tdriver = dummy-ups\n\tport = "+up.Addr("src")+"\n", map[string]string{})
	down.Start(ours, "-a", "rep", "-u", "root", "-F")
	down.Start(nuttest.DebianDummy, "-a", "deb", "-u", "root", "-F")
	down.WaitSocket("dummy-ups", "rep")
	down.WaitSocket("dummy-ups", "deb")
	down.StartUpsd()
	nuttest.Eventually(t, "the repeater shows the upstream data", func() (bool, string) {
		out, err := down.Run("upsc", down.Addr("rep"))
		return strings.Contains(out, "battery.charge: 42") && strings.Contains(out, "ups.status: OB DISCHRG") &&
			strings.Contains(out, "driver.parameter.mode: repeater"), out + nuttest.ErrString(err)
	})

	// Both repeaters show the same, but for which driver they are.
	same := func(list string) string {
		var keep []string
		for _, l := range strings.Split(list, "\n") {
			if !strings.HasPrefix(l, "driver.version") && !strings.HasPrefix(l, "driver.parameter.port") {
				keep = append(keep, l)
			}
		}
		return strings.Join(keep, "\n")
	}
	nuttest.Eventually(t, "ours shows what Debian's repeater shows", func() (bool, string) {
		rep, _ := down.Run("upsc", down.Addr("rep"))
		deb, _ := down.Run("upsc", down.Addr("deb"))
		return same(rep) == same(deb), "ours:\n" + rep + "Debian's:\n" + deb
	})

	upsd.Process.Kill()
	upsd.Wait()
	nuttest.Eventually(t, "data goes stale without upstream", func() (bool, string) {
		_, err := down.Run("upsc", down.Addr("rep"), "ups.status")
		return err != nil && strings.Contains(err.Error(), "Data stale"), nuttest.ErrString(err)
	})
}
