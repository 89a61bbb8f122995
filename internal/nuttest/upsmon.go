package nuttest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// DebianUpsmon is Debian's upsmon.
const DebianUpsmon = "/lib/nut/upsmon"

// Upsmon is one upsmon (ours or Debian's) with its own directory, whose
// NOTIFYCMD writes each event, and SHUTDOWNCMD the word SHUTDOWNCMD, to
// an events file.
type Upsmon struct {
	Dir string
	Bin string
	Env []string
	// Cmd is the process started: upsmon itself, its privileged parent
	// when it splits. Exited is closed once it has exited.
	Cmd    *exec.Cmd
	Exited <-chan struct{}
	events string
	seen   map[int]bool // every upsmon process Processes found
}

// StartUpsmon runs upsmon bin (-F -p) with a MONITOR line, polling every
// second, until the test ends; Debian's gets a private /run/nut (root).
func StartUpsmon(t *testing.T, bin, base, name, monitor string) *Upsmon {
	t.Helper()
	return StartUpsmonWith(t, bin, base, name, monitor, "", "-F", "-p")
}

// StartUpsmonWith is StartUpsmon with upsmon's flags, and more lines for
// the NOTIFYCMD script (run after it has written the event).
func StartUpsmonWith(t *testing.T, bin, base, name, monitor, notify string, flags ...string) *Upsmon {
	t.Helper()
	dir := filepath.Join(base, name)
	os.MkdirAll(dir, 0o750)
	ev := filepath.Join(dir, "events")
	script := filepath.Join(dir, "notify.sh")
	os.WriteFile(script, []byte("#!/bin/sh\necho \"$NOTIFYTYPE\" >> "+ev+"\n"+notify), 0o755)
	var flagLines strings.Builder
	for _, e := range []string{"ONLINE", "ONBATT", "LOWBATT", "FSD", "SHUTDOWN", "COMMOK", "COMMBAD"} {
		fmt.Fprintf(&flagLines, "NOTIFYFLAG %s EXEC\n", e)
	}
	os.WriteFile(filepath.Join(dir, "upsmon.conf"), []byte(fmt.Sprintf(
		"MONITOR %s\nMINSUPPLIES 1\nSHUTDOWNCMD \"/bin/sh -c 'echo SHUTDOWNCMD >> %s'\"\n"+
			"NOTIFYCMD %s\n%sPOLLFREQ 1\nPOLLFREQALERT 1\nHOSTSYNC 10\nFINALDELAY 0\nPOWERDOWNFLAG %s/killpower\nRUN_AS_USER root\n",
		monitor, ev, script, flagLines.String(), dir)), 0o640)
	cmd := exec.Command(bin, flags...)
	if bin == DebianUpsmon {
		// Debian's upsmon keeps its PID file in /run/nut whatever the
		// environment says: it gets a private /run/nut.
		cmd = exec.Command("unshare", "-m", "sh", "-c", "mkdir -p /run/nut && mount -t tmpfs tmpfs /run/nut && exec "+bin+" "+strings.Join(flags, " "))
	}
	u := &Upsmon{Dir: dir, Bin: bin, Cmd: cmd, events: ev, seen: map[int]bool{}}
	u.Env = append(os.Environ(), "NUT_CONFPATH="+dir, "NUT_STATEPATH="+dir, "NUT_ALTPIDPATH="+dir)
	cmd.Env = u.Env
	log, _ := os.Create(filepath.Join(dir, "upsmon.log"))
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	u.Exited = exited
	go func() { cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		u.Processes()
		for pid := range u.seen {
			if pid != cmd.Process.Pid {
				KillIf(pid, "upsmon")
			}
		}
		cmd.Process.Kill()
		<-exited
		log.Close()
		if t.Failed() {
			b, _ := os.ReadFile(filepath.Join(dir, "upsmon.log"))
			t.Logf("%s (%s) log:\n%s", name, bin, b)
		}
	})
	return u
}

// Saw is what it has told so far, a line per event.
func (u *Upsmon) Saw() string { b, _ := os.ReadFile(u.events); return string(b) }

// Control runs "upsmon -c command" as an operator would, so that it finds
// this upsmon by its PID file: Debian's inside its mount namespace.
func (u *Upsmon) Control(command string) Result {
	cmd := exec.Command(u.Bin, "-c", command)
	if u.Bin == DebianUpsmon {
		cmd = exec.Command("nsenter", "-t", strconv.Itoa(u.Cmd.Process.Pid), "-m", u.Bin, "-c", command)
	}
	cmd.Env = u.Env
	out, err := cmd.CombinedOutput()
	r := Result{Out: string(out)}
	if ee, ok := err.(*exec.ExitError); ok {
		r.Code = ee.ExitCode()
	} else if err != nil {
		r.Code, r.Err = -1, err.Error()
	}
	return r
}

// Processes are the live upsmon processes of this one: the process
// started and its children that run upsmon (the monitor, when split).
// Those it finds are killed when the test ends.
func (u *Upsmon) Processes() []int {
	pid := u.Cmd.Process.Pid
	var out []int
	if Alive(pid) {
		out = append(out, pid)
	}
	for _, c := range Children(pid) {
		if Runs(c, "upsmon") && Alive(c) {
			out = append(out, c)
		}
	}
	for _, p := range out {
		u.seen[p] = true
	}
	return out
}

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
