package monitor_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonut/internal/nuttest"
	"gonut/internal/process"
)

// upsmon started without -F goes to the background, as NUT's does, and
// there, split in two or not (-p): it never shuts the host down for
// nothing, what its NOTIFYCMD runs (before it is ready too) inherits no
// pipe, and "upsmon -c stop" ends it while NOTIFYCMD's leftovers run on.
func TestUpsmonInTheBackground(t *testing.T) {
	nuttest.NeedDebianUpsmon(t)
	ours := nuttest.Build(t, "gonut/cmd/upsmon")
	s := onBattery(t)
	set := func(status string) {
		t.Helper()
		if r := nuttest.Exec("", "upsrw", "-s", "ups.status="+status, "-u", "admin", "-p", "secret", s.Addr("a")); r.Code != 0 {
			t.Fatalf("setting ups.status: %+v", r)
		}
		nuttest.Eventually(t, "ups.status "+status, func() (bool, string) {
			r := nuttest.Exec("", "upsc", s.Addr("a"), "ups.status")
			return r.Out == status+"\n", r.Out + r.Err
		})
	}
	base := t.TempDir()
	for _, c := range []struct {
		name      string
		flags     []string
		processes int
	}{
		{"split", nil, 2},
		{"p", []string{"-p"}, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			set("OB") // told at the first poll, before upsmon is ready
			u := nuttest.StartUpsmonWith(t, ours, base, c.name, s.Addr("a")+" 1 monuser pass primary", leave, c.flags...)
			<-u.Exited
			if code := u.Cmd.ProcessState.ExitCode(); code != 0 {
				t.Fatalf("upsmon going to the background: exit %d", code)
			}
			pid, err := process.ReadPIDFile(filepath.Join(u.Dir, "upsmon.pid"))
			if err != nil {
				t.Fatalf("%v (events: %q)", err, u.Saw())
			}
			pids := []int{pid}
			for _, c := range nuttest.Children(pid) {
				if nuttest.Runs(c, "upsmon") {
					pids = append(pids, c)
				}
			}
			t.Cleanup(func() {
				for _, p := range pids {
					nuttest.KillIf(p, "upsmon")
				}
			})
			if len(pids) != c.processes {
				t.Fatalf("upsmon runs as %v, want %d processes", pids, c.processes)
			}
			left := notified(t, u, "ours")
			set("OL")
			nuttest.Eventually(t, "ONLINE told", func() (bool, string) {
				return strings.Contains(u.Saw(), "ONLINE"), u.Saw()
			})
			if r := u.Control("stop"); r.Code != 0 {
				t.Fatalf("upsmon -c stop: %+v", r)
			}
			allGone(t, pids)
			stillThere(t, left)
			_, err = os.Stat(filepath.Join(u.Dir, "killpower"))
			if strings.Contains(u.Saw(), "SHUTDOWNCMD") || err == nil {
				t.Fatalf("upsmon shut the host down for nothing: events %q, POWERDOWNFLAG: %v", u.Saw(), err)
			}
		})
	}
}
