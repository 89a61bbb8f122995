package upssched

import (
	"bufio"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gonut/config"
	"gonut/internal/nuttest"
	"gonut/words"
)

func TestTimers(t *testing.T) {
	var ts Timers
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if !ts.Start("onbatt", "a", "ONBATT", 30*time.Second, t0, false) {
		t.Fatal("first start")
	}
	if ts.Start("onbatt", "a", "ONBATT", 5*time.Second, t0, false) {
		t.Fatal("a running timer was started again")
	}
	if !ts.Start("onbatt", "b", "ONBATT", 10*time.Second, t0, false) {
		t.Fatal("the same timer for another UPS")
	}
	if ts.Start("onbatt", "c", "ONBATT", 10*time.Second, t0, true) {
		t.Fatal("a shared timer joins the running one")
	}
	if got := ts.Due(t0.Add(10 * time.Second)); len(got) != 1 || got[0] != "onbatt" {
		t.Fatalf("due at 10 s: %q", got)
	}
	if ts.Cancel("onbatt", "b", true) {
		t.Fatal("matched cancel of another UPS's timer")
	}
	if !ts.Cancel("onbatt", "b", false) || ts.Len() != 0 {
		t.Fatal("cancel")
	}
	if _, ok := ts.Next(); ok {
		t.Fatal("no timer left, yet a next one")
	}
}

// Our upssched does what Debian's does for the same upssched.conf and
// the same events: EXECUTE at once, timers that expire, timers that are
// cancelled, and a CANCEL-TIMER command when there was no timer.
//
// Debian's timers count whole seconds of time(2): a timer of N seconds
// started at x.999 s fires at x+N s, so anywhere from N-1 to N seconds
// later. The timers are therefore 2 s long, so that Debian's cannot fire
// before the next event a few milliseconds later, and the test waits 3 s
// for them, so that ours fires by then.
func TestSameAsDebianUpssched(t *testing.T) {
	const debian = "/sbin/upssched"
	if _, err := os.Stat(debian); err != nil {
		t.Skip("Debian's upssched is not installed (apt-get install nut-client, or run make check)")
	}
	ours := filepath.Join(t.TempDir(), "upssched")
	if out, err := exec.Command("go", "build", "-o", ours, "gonut/cmd/upssched").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	run := func(bin string) string {
		dir := t.TempDir()
		log := filepath.Join(dir, "log")
		script := filepath.Join(dir, "cmd.sh")
		os.WriteFile(script, []byte("#!/bin/sh\necho \"$1\" >> "+log+"\n"), 0o755)
		os.WriteFile(filepath.Join(dir, "upssched.conf"), []byte("CMDSCRIPT "+script+"\nPIPEFN "+dir+"/upssched.pipe\nLOCKFN "+dir+"/upssched.lock\n"+
			"AT ONBATT * START-TIMER onbatt 2\n"+
			"AT ONLINE * CANCEL-TIMER onbatt online-early\n"+
			"AT LOWBATT * EXECUTE lowbatt-now\n"+
			"AT COMMBAD ups@h START-TIMER commbad 2\n"+
			"AT COMMOK ups@h CANCEL-TIMER commbad\n"), 0o640)
		event := func(typ string) {
			cmd := exec.Command(bin)
			cmd.Env = append(os.Environ(), "NUT_CONFPATH="+dir, "UPSNAME=ups@h", "NOTIFYTYPE="+typ)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("%s %s: %v\n%s", bin, typ, err, out)
			}
		}
		event("ONBATT")  // timer onbatt, expires after 2 s
		event("LOWBATT") // lowbatt-now at once
		time.Sleep(3 * time.Second)
		event("ONLINE")  // no timer left: online-early
		event("COMMBAD") // timer commbad...
		event("COMMOK")  // ...cancelled
		time.Sleep(3 * time.Second)
		b, _ := os.ReadFile(log)
		return string(b)
	}
	// Both run at once: each has its own directory, pipe and lock.
	var deb, us string
	done := make(chan bool)
	go func() { deb = run(debian); close(done) }()
	us = run(ours)
	<-done
	if deb != us || !strings.Contains(us, "onbatt") {
		t.Fatalf("CMDSCRIPT saw\n  Debian: %q\n  ours:   %q", deb, us)
	}
}

// Whatever arrives on PIPEFN, the timer daemon answers one line and
// keeps its state sane.
func FuzzHandle(f *testing.F) {
	for _, s := range []string{`START "onbatt" 30 "ups@h" "ONBATT"`, `CANCEL "onbatt" "ups@h"`, `CANCEL-MATCHED x y`, `START x -1 a b`, `"unterminated`, "", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		var ts Timers
		w, err := words.Split(line)
		if err != nil || len(w) == 0 {
			return
		}
		a := handle(&ts, w, time.Unix(0, 0), io.Discard)
		if a != "OK" && a != "CANCELLED" && a != "NOTFOUND" && a != "ERR" {
			t.Fatalf("answer %q to %q", a, line)
		}
		if ts.Len() > 1 {
			t.Fatalf("one request started %d timers", ts.Len())
		}
	})
}

// A daemon that exits as a START comes closes the connection unanswered:
// the START goes to the next daemon. A CANCEL then finds no timer.
func TestAskAgainWhenTheDaemonLeaves(t *testing.T) {
	dir := t.TempDir()
	conf := &config.UpsschedConf{PipeFn: filepath.Join(dir, "pipe")}
	leaving := func() {
		l, err := net.Listen("unix", conf.PipeFn)
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			c, err := l.Accept()
			if err == nil {
				c.Close()
			}
			l.Close()
		}()
	}
	leaving()
	var requests []string
	start := func() (net.Conn, error) { // the next daemon
		mine, daemon := net.Pipe()
		go func() {
			line, _ := bufio.NewReader(daemon).ReadString('\n')
			requests = append(requests, line)
			daemon.Write([]byte("OK\n"))
			daemon.Close()
		}()
		return mine, nil
	}
	if got, err := askWith(conf, `START "onbatt" 30 "ups@h" "ONBATT"`, start); got != "OK" || err != nil {
		t.Fatalf("START: %q %v", got, err)
	}
	if len(requests) != 1 || requests[0] != "START \"onbatt\" 30 \"ups@h\" \"ONBATT\"\n" {
		t.Fatalf("the next daemon got %q", requests)
	}
	leaving()
	if _, err := askWith(conf, `CANCEL "onbatt" "ups@h"`, start); err != errNoDaemon {
		t.Fatalf("CANCEL: %v, want no daemon", err)
	}
}

// The timer daemon keeps none of the descriptors upssched inherited: a
// pipe its starter left open (NUT's upsmon before it marked its own
// close-on-exec, a NOTIFYCMD's output) is not held open for as long as a
// timer runs. NUT's daemon, a fork of upssched, keeps them all.
func TestTimerDaemonHoldsNothingInherited(t *testing.T) {
	bin := nuttest.Build(t, "gonut/cmd/upssched")
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "upssched.conf"), []byte("CMDSCRIPT /bin/true\nPIPEFN "+dir+"/pipe\nLOCKFN "+dir+"/lock\n"+
		"AT ONBATT * START-TIMER t 60\nAT ONLINE * CANCEL-TIMER t\n"), 0o640)
	event := func(typ string, extra ...*os.File) {
		t.Helper()
		cmd := exec.Command(bin)
		cmd.Env = append(os.Environ(), "NUT_CONFPATH="+dir, "UPSNAME=u", "NOTIFYTYPE="+typ)
		cmd.ExtraFiles = extra
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("upssched %s: %v\n%s", typ, err, out)
		}
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	event("ONBATT", w) // starts the daemon, with a timer of 60 s
	w.Close()
	defer event("ONLINE") // the timer cancelled, the daemon exits
	r.SetReadDeadline(time.Now().Add(20 * time.Second))
	if n, err := r.Read(make([]byte, 1)); err != io.EOF {
		t.Fatalf("the pipe upssched inherited stays open (read %d, %v)", n, err)
	}
	if c, err := net.Dial("unix", filepath.Join(dir, "pipe")); err != nil {
		t.Fatalf("the timer daemon is gone too soon: the test shows nothing: %v", err)
	} else {
		c.Close()
	}
}

// upssched judges only the AT lines that apply to the event it is called
// for, as NUT's does (clients/upssched.c, parse_at: the UPS name, then the
// notify type, then the command): a line for another event or UPS is
// passed over in silence however odd it is; one that applies and is
// wrong is told; one of fewer than four words is told at every call.
// Each odd line alone, then all together, for each event, through
// Debian's upssched and ours: the same CMDSCRIPT runs, and both complain
// of a line or neither does.
func TestATLinesJudgedAsDebian(t *testing.T) {
	const debian = "/sbin/upssched"
	if _, err := os.Stat(debian); err != nil {
		t.Skip("Debian's upssched is not installed (apt-get install nut-client, or run make check)")
	}
	ours := nuttest.Build(t, "gonut/cmd/upssched")
	lines := []struct {
		at string
		// oursWarns: the event for which ours also warns, on purpose,
		// where NUT drops words in silence.
		oursWarns string
	}{
		{"AT REPLBATT * ONBATT * EXECUTE x", ""}, // an action "ONBATT", for REPLBATT only
		{"AT ONBATT * BOGUS y", ""},
		{"AT ONBATT other BOGUS z", ""}, // another UPS
		{"AT HEATWAVE * EXECUTE h", ""},
		{"AT onbatt ups@h EXECUTE lower", ""}, // the notify type in any case
		{"AT ONBATT UPS@H EXECUTE upper", ""}, // the UPS name as it is
		{`AT ONBATT * EXECUTE ""`, ""},
		{"AT ONBATT * execute lowercmd", ""},
		{"AT ONBATT * EXECUTE two words", "ONBATT"},
		{"AT ONBATT * EXECUTE", ""},
		{"AT ONLINE * BOGUS", ""},
		{"AT ONLINE * EXECUTE online", ""},
	}
	events := []string{"ONBATT", "ONLINE", "REPLBATT", "HEATWAVE"}
	// run calls bin for an event with the AT lines given; it returns what
	// CMDSCRIPT was given, a line each, and what upssched said.
	run := func(bin string, event string, at ...string) (ran, said string) {
		t.Helper()
		dir := t.TempDir()
		log := filepath.Join(dir, "ran")
		script := filepath.Join(dir, "cmd.sh")
		os.WriteFile(script, []byte("#!/bin/sh\necho \"$1\" >> "+log+"\n"), 0o755)
		os.WriteFile(filepath.Join(dir, "upssched.conf"), []byte("CMDSCRIPT "+script+"\nPIPEFN "+dir+"/pipe\nLOCKFN "+dir+"/lock\n"+
			strings.Join(at, "\n")+"\n"), 0o640)
		cmd := exec.Command(bin)
		cmd.Env = append(os.Environ(), "NUT_CONFPATH="+dir, "UPSNAME=ups@h", "NOTIFYTYPE="+event)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s %q: %v\n%s", bin, event, at, err, out)
		}
		b, _ := os.ReadFile(log)
		for _, l := range strings.SplitAfter(string(out), "\n") {
			// Debian's upssched tells each EXECUTE it runs.
			if !strings.HasPrefix(l, "Executing command: ") {
				said += l
			}
		}
		return string(b), said
	}
	for _, l := range lines {
		for _, ev := range events {
			dRan, dSaid := run(debian, ev, l.at)
			oRan, oSaid := run(ours, ev, l.at)
			if dRan != oRan {
				t.Errorf("%s for %s: CMDSCRIPT got %q from Debian's, %q from ours", l.at, ev, dRan, oRan)
			}
			wantSaid := dSaid != "" || l.oursWarns == ev
			if (oSaid != "") != wantSaid {
				t.Errorf("%s for %s:\n  Debian's said %q\n  ours said     %q", l.at, ev, dSaid, oSaid)
			}
			if oSaid != "" && !strings.Contains(oSaid, "upssched.conf:4: ") {
				t.Errorf("%s for %s: ours does not name the line: %q", l.at, ev, oSaid)
			}
		}
	}
	var all []string
	for _, l := range lines {
		all = append(all, l.at)
	}
	for _, ev := range events {
		dRan, _ := run(debian, ev, all...)
		oRan, _ := run(ours, ev, all...)
		if dRan != oRan {
			t.Errorf("all the lines, for %s: CMDSCRIPT got %q from Debian's, %q from ours", ev, dRan, oRan)
		}
	}
}
