package nuttest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// DebianUpsmon is Debian's upsmon.
const DebianUpsmon = "/lib/nut/upsmon"

// Upsmon is one upsmon (ours or Debian's) with its own directory, whose
// NOTIFYCMD writes each event, and SHUTDOWNCMD the word SHUTDOWNCMD, to
// an events file.
type Upsmon struct {
	Dir    string
	events string
}

// StartUpsmon runs upsmon bin (-F -p) with a MONITOR line, polling every
// second, until the test ends; Debian's gets a private /run/nut (root).
func StartUpsmon(t *testing.T, bin, base, name, monitor string) *Upsmon {
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
	if bin == DebianUpsmon {
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
	return &Upsmon{Dir: dir, events: ev}
}

// Saw is what it has told so far, a line per event.
func (u *Upsmon) Saw() string { b, _ := os.ReadFile(u.events); return string(b) }

// NeedDebianUpsmon skips a test without Debian's upsmon, or without root
// (Debian's upsmon needs a private /run/nut, a mount namespace).
func NeedDebianUpsmon(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(DebianUpsmon); err != nil {
		t.Skip("Debian's upsmon is not installed (apt-get install nut-client, or run make check)")
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root: Debian's upsmon needs a private /run/nut (a mount namespace)")
	}
}
