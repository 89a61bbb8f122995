package monitor_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gonut/internal/nuttest"
)

const debianUpsmon = "/lib/nut/upsmon"

// upsmonRun is one upsmon (ours or Debian's) with its own directory,
// NOTIFYCMD and SHUTDOWNCMD writing to an events file.
type upsmonRun struct {
	dir    string
	events string
}

func startUpsmon(t *testing.T, bin, base, name, monitor string) *upsmonRun {
	t.Helper()
	dir := filepath.Join(base, name)
	os.MkdirAll(dir, 0o750)
	ev := filepath.Join(dir, "events")
	notify := filepath.Join(dir, "notify.sh")
	os.WriteFile(notify, []byte("#!/bin/sh\necho \"$NOTIFYTYPE\" >> "+ev+"\n"), 0o755)
	var flags strings.Builder
	for _, e := range []string{"ONLINE", "ONBATT", "LOWBATT", "FSD", "SHUTDOWN", "COMMOK", "COMMBAD"} {
		fmt.Fprintf(&flags, "NOTIFYFLAG %s EXEC\n", e)
	}
	os.WriteFile(filepath.Join(dir, "upsmon.conf"), []byte(fmt.Sprintf(
		"MONITOR %s\nMINSUPPLIES 1\nSHUTDOWNCMD \"/bin/sh -c 'echo SHUTDOWNCMD >> %s'\"\n"+
			"NOTIFYCMD %s\n%sPOLLFREQ 1\nPOLLFREQALERT 1\nHOSTSYNC 10\nFINALDELAY 0\nPOWERDOWNFLAG %s/killpower\nRUN_AS_USER root\n",
		monitor, ev, notify, flags.String(), dir)), 0o640)
	cmd := exec.Command(bin, "-F", "-p")
	if bin == debianUpsmon {
		// Debian's upsmon keeps its PID file in /run/nut whatever the
		// environment says: it gets a private /run/nut.
		cmd = exec.Command("unshare", "-m", "sh", "-c", "mkdir -p /run/nut && mount -t tmpfs tmpfs /run/nut && exec "+bin+" -F -p")
	}
	cmd.Env = append(os.Environ(), "NUT_CONFPATH="+dir, "NUT_STATEPATH="+dir, "NUT_ALTPIDPATH="+dir)
	log, _ := os.Create(filepath.Join(dir, "upsmon.log"))
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		log.Close()
		if t.Failed() {
			b, _ := os.ReadFile(filepath.Join(dir, "upsmon.log"))
			t.Logf("%s (%s) log:\n%s", name, bin, b)
		}
	})
	return &upsmonRun{dir: dir, events: ev}
}

func (u *upsmonRun) saw() string { b, _ := os.ReadFile(u.events); return string(b) }

func needRoot(t *testing.T) {
	if _, err := os.Stat(debianUpsmon); err != nil {
		t.Skip("Debian's upsmon is not installed (apt-get install nut-client, or run make check)")
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root: Debian's upsmon needs a private /run/nut (a mount namespace)")
	}
}

// Ours and Debian's upsmon together, as primary and secondary both ways,
// against our upsd and Debian's: a power failure ends in FSD, both hosts
// shut down, the primary after the secondary, and leaves POWERDOWNFLAG.
func TestUpsmonInterop(t *testing.T) {
	needRoot(t)
	ours := nuttest.Build(t, "gonut/cmd/upsmon")
	conf := "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n"
	debian, gonut := nuttest.TwoServers(t, conf, map[string]string{"a.dev": "ups.status: OL\nbattery.charge: 90\n"}, "a")
	// And an all-Debian stack: Debian's dummy-ups behind Debian's upsd.
	allDebian := nuttest.NewStack(t, conf, map[string]string{"a.dev": "ups.status: OL\nbattery.charge: 90\n"})
	allDebian.Start(nuttest.DebianDummy, "-a", "a", "-u", "root", "-F")
	allDebian.WaitSocket("dummy-ups", "a")
	allDebian.StartUpsd()
	for _, c := range []struct {
		name               string
		server             *nuttest.Stack
		primary, secondary string
	}{
		{"ours primary, Debian's secondary, our upsd", gonut, ours, debianUpsmon},
		{"Debian's primary, ours secondary, Debian's upsd", debian, debianUpsmon, ours},
		{"ours alone against Debian's upsd and dummy-ups", allDebian, ours, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			set := func(status string) {
				t.Helper()
				via := debian
				if c.server == allDebian {
					via = allDebian
				}
				r := nuttest.Exec("", "upsrw", "-s", "ups.status="+status, "-u", "admin", "-p", "secret", via.Addr("a"))
				if r.Code != 0 {
					t.Fatalf("setting ups.status: %+v", r)
				}
			}
			nuttest.Eventually(t, "upsd serves", func() (bool, string) {
				r := nuttest.Exec("", "upsc", c.server.Addr("a"), "ups.status")
				return r.Code == 0, r.Out + r.Err
			})
			set("OL")
			base := t.TempDir()
			p := startUpsmon(t, c.primary, base, "primary", c.server.Addr("a")+" 1 monuser pass primary")
			var s *upsmonRun
			want := 1
			if c.secondary != "" {
				s = startUpsmon(t, c.secondary, base, "secondary", c.server.Addr("a")+" 1 monslave pass2 secondary")
				want = 2
			}
			nuttest.Eventually(t, "every upsmon logged in", func() (bool, string) {
				r := nuttest.Exec("", "upsc", "-c", c.server.Addr("a"))
				return strings.Count(r.Out, "127.0.0.1") == want, r.Out + r.Err
			})
			set("OB")
			nuttest.Eventually(t, "ONBATT told", func() (bool, string) {
				ok := strings.Contains(p.saw(), "ONBATT") && (s == nil || strings.Contains(s.saw(), "ONBATT"))
				return ok, p.saw()
			})
			set("OB LB")
			nuttest.Eventually(t, "every host shut down", func() (bool, string) {
				ok := strings.Contains(p.saw(), "SHUTDOWNCMD") && (s == nil || strings.Contains(s.saw(), "SHUTDOWNCMD"))
				return ok, "primary: " + p.saw()
			})
			if s != nil && !strings.Contains(s.saw(), "FSD") {
				t.Errorf("the secondary never saw FSD: %q", s.saw())
			}
			if _, err := os.Stat(filepath.Join(p.dir, "killpower")); err != nil {
				t.Errorf("the primary left no POWERDOWNFLAG: %v", err)
			}
		})
		// FSD stays set in a upsd until it restarts: each case has its own.
	}
}
