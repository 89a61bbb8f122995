// Package cloexec_test checks that gonut's daemons pass none of their own
// descriptors on to the programs they start (NOTIFYCMD, CMDSCRIPT,
// SHUTDOWNCMD, drivers): a process that outlives its daemon would hold
// them open, as a NOTIFYCMD's leftovers held upsmon's pipe to its parent.
package cloexec_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonut/internal/nuttest"
	"gonut/internal/process"
)

// Every daemon, running in the background as a service manager-less
// system runs it, with every descriptor it holds once it serves:
// dummy-ups, upsd, upslog, upsmon (both halves) and upssched's timer
// daemon, started by upsmon's NOTIFYCMD. Each descriptor above standard
// error must be close-on-exec.
func TestDaemonsDescriptorsAreCloseOnExec(t *testing.T) {
	nuttest.NeedDebianUpsmon(t) // root, for upsmon's privilege split
	bin := map[string]string{}
	for _, p := range []string{"dummy-ups", "upsd", "upslog", "upsmon", "upssched"} {
		bin[p] = nuttest.Build(t, "gonut/cmd/"+p)
	}
	s := nuttest.NewStack(t, "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n", map[string]string{"a.dev": "ups.status: OB\nbattery.charge: 90\n"})
	s.WriteFile("upsmon.conf", "MONITOR "+s.Addr("a")+" 1 monuser pass primary\nRUN_AS_USER root\nPOLLFREQ 1\n"+
		"SHUTDOWNCMD /bin/true\nNOTIFYCMD "+bin["upssched"]+"\nNOTIFYFLAG ONBATT SYSLOG+EXEC\n")
	s.WriteFile("upssched.conf", "CMDSCRIPT /bin/true\nPIPEFN "+s.Dir+"/upssched.pipe\nLOCKFN "+s.Dir+"/upssched.lock\n"+
		"AT ONBATT * START-TIMER onbatt 60\n")
	pids := map[string][]int{}
	for _, c := range []struct {
		name string
		args []string
		pid  string // PID file
	}{
		{"dummy-ups", []string{"-a", "a", "-u", "root"}, "dummy-ups-a.pid"},
		{"upsd", []string{"-u", "root"}, "upsd.pid"},
		{"upslog", []string{"-s", s.Addr("a"), "-l", filepath.Join(s.Dir, "upslog.log"), "-i", "1"}, "upslog.pid"},
		{"upsmon", nil, "upsmon.pid"},
	} {
		// Each goes to the background once it serves.
		if _, err := s.Run(bin[c.name], c.args...); err != nil {
			t.Fatal(err)
		}
		pid, err := process.ReadPIDFile(filepath.Join(s.Dir, c.pid))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { nuttest.KillIf(pid, c.name) })
		pids[c.name] = []int{pid}
	}
	nuttest.Eventually(t, "upsmon's monitor", func() (bool, string) {
		for _, c := range nuttest.Children(pids["upsmon"][0]) {
			if nuttest.Runs(c, "upsmon") {
				t.Cleanup(func() { nuttest.KillIf(c, "upsmon") })
				pids["upsmon"] = append(pids["upsmon"], c)
				return true, ""
			}
		}
		return false, "none"
	})
	nuttest.Eventually(t, "upssched's timer daemon, started by NOTIFYCMD on ONBATT", func() (bool, string) {
		p := nuttest.ProcessesOf(bin["upssched"])
		if _, err := os.Stat(filepath.Join(s.Dir, "upssched.pipe")); err != nil || len(p) != 1 {
			return false, nuttest.ErrString(err)
		}
		t.Cleanup(func() { nuttest.KillIf(p[0], "upssched") })
		pids["upssched"] = p
		return true, ""
	})
	for _, name := range []string{"dummy-ups", "upsd", "upslog", "upsmon", "upssched"} {
		for _, pid := range pids[name] {
			all, open := nuttest.Descriptors(pid)
			t.Logf("%s (%d):\n\t%s", name, pid, strings.Join(all, "\n\t"))
			if len(open) > 0 {
				t.Errorf("%s (%d) passes on %s", name, pid, strings.Join(open, ", "))
			}
		}
	}
}
