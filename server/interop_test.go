package server_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gonut/internal/nuttest"
)

// Debian's upsmon, a primary and a secondary, against our upsd: on low
// battery the primary sets FSD, the secondary sees it and shuts down and
// logs out, then the primary shuts down and leaves its POWERDOWNFLAG.
func TestDebianUpsmonAgainstOurUpsd(t *testing.T) {
	const upsmon = "/lib/nut/upsmon"
	if _, err := os.Stat(upsmon); err != nil {
		t.Skip("Debian's upsmon is not installed (apt-get install nut-client, or run make check)")
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root: two of Debian's upsmon each need a private /run/nut (a mount namespace)")
	}
	conf := "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n"
	debian, ours := nuttest.TwoServers(t, conf, map[string]string{"a.dev": "ups.status: OL\nbattery.charge: 90\n"}, "a")
	events := map[string]string{}
	for _, role := range []struct{ name, user, pass, mode string }{
		{"primary", "monuser", "pass", "primary"}, {"secondary", "monslave", "pass2", "secondary"},
	} {
		dir := filepath.Join(ours.Dir, role.name)
		os.Mkdir(dir, 0o750)
		ev := filepath.Join(dir, "events")
		events[role.name] = ev
		notify := filepath.Join(dir, "notify.sh")
		os.WriteFile(notify, []byte("#!/bin/sh\necho \"$NOTIFYTYPE\" >> "+ev+"\n"), 0o755)
		var flags strings.Builder
		for _, e := range []string{"ONLINE", "ONBATT", "LOWBATT", "FSD", "SHUTDOWN", "COMMOK", "COMMBAD"} {
			fmt.Fprintf(&flags, "NOTIFYFLAG %s EXEC\n", e)
		}
		os.WriteFile(filepath.Join(dir, "upsmon.conf"), []byte(fmt.Sprintf(
			"MONITOR %s 1 %s %s %s\nMINSUPPLIES 1\nSHUTDOWNCMD \"/bin/sh -c 'echo SHUTDOWNCMD >> %s'\"\n"+
				"NOTIFYCMD %s\n%sPOLLFREQ 1\nPOLLFREQALERT 1\nHOSTSYNC 5\nFINALDELAY 0\nPOWERDOWNFLAG %s/killpower\nRUN_AS_USER root\n",
			ours.Addr("a"), role.user, role.pass, role.mode, ev, notify, flags.String(), dir)), 0o640)
		// Debian's upsmon keeps its PID file in /run/nut whatever the
		// environment says: each gets a private /run/nut.
		cmd := exec.Command("unshare", "-m", "sh", "-c", "mkdir -p /run/nut && mount -t tmpfs tmpfs /run/nut && exec "+upsmon+" -F -p")
		cmd.Env = append(os.Environ(), "NUT_CONFPATH="+dir, "NUT_STATEPATH="+dir, "NUT_ALTPIDPATH="+dir)
		log, _ := os.Create(filepath.Join(dir, "upsmon.log"))
		cmd.Stdout, cmd.Stderr = log, log
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait(); log.Close() })
	}
	t.Cleanup(func() {
		if t.Failed() {
			for _, role := range []string{"primary", "secondary"} {
				b, _ := os.ReadFile(filepath.Join(ours.Dir, role, "upsmon.log"))
				t.Logf("%s upsmon's log:\n%s", role, b)
			}
		}
	})
	nuttest.Eventually(t, "both upsmon logged in", func() (bool, string) {
		r := nuttest.Exec("", "upsc", "-c", ours.Addr("a"))
		return strings.Count(r.Out, "127.0.0.1") == 2, r.Out + r.Err
	})
	set := func(status string) {
		t.Helper()
		r := nuttest.Exec("", "upsrw", "-s", "ups.status="+status, "-u", "admin", "-p", "secret", debian.Addr("a"))
		if r.Code != 0 {
			t.Fatalf("setting ups.status: %+v", r)
		}
	}
	read := func(f string) string { b, _ := os.ReadFile(f); return string(b) }
	set("OB")
	nuttest.Eventually(t, "both see ONBATT", func() (bool, string) {
		p, s := read(events["primary"]), read(events["secondary"])
		return strings.Contains(p, "ONBATT") && strings.Contains(s, "ONBATT"), p + "|" + s
	})
	set("OB LB")
	nuttest.Eventually(t, "both shut down", func() (bool, string) {
		p, s := read(events["primary"]), read(events["secondary"])
		return strings.Contains(p, "SHUTDOWNCMD") && strings.Contains(s, "SHUTDOWNCMD"), p + "|" + s
	})
	if s := read(events["secondary"]); !strings.Contains(s, "FSD") {
		t.Errorf("the secondary never saw FSD: %q", s)
	}
	if _, err := os.Stat(filepath.Join(ours.Dir, "primary", "killpower")); err != nil {
		t.Errorf("the primary left no POWERDOWNFLAG: %v", err)
	}
	if r := nuttest.Exec("", "upsc", ours.Addr("a"), "ups.status"); !strings.HasPrefix(r.Out, "FSD") {
		t.Errorf("our upsd does not show FSD: %+v", r)
	}
}

// PyNUT (Debian's python3-nut) gets the same answers from our upsd as
// from Debian's.
func TestPyNUTAgainstOurUpsd(t *testing.T) {
	if exec.Command("/usr/bin/python3", "-c", "import PyNUT").Run() != nil {
		t.Skip("PyNUT is not installed (apt-get install python3-nut, or run make check)")
	}
	conf := "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n\tdesc = \"Rack A\"\n[b]\n\tdriver = dummy-ups\n\tport = b.dev\n"
	dev := "ups.status: OL\nbattery.charge: 90\nups.id: first\n"
	debian, ours := nuttest.TwoServers(t, conf, map[string]string{"a.dev": dev, "b.dev": dev}, "a", "b")
	script := `
import sys, PyNUT
c = PyNUT.PyNUTClient(host="127.0.0.1", port=int(sys.argv[1]), login="admin", password="secret")
def show(what, f):
    try:
        r = f()
        if isinstance(r, dict):
            r = sorted((k.decode() if isinstance(k, bytes) else k, v.decode() if isinstance(v, bytes) else v) for k, v in r.items())
        print(what, r)
    except Exception as e:
        print(what, "error:", e)
show("ups", c.GetUPSList)
show("vars", lambda: c.GetUPSVars("a"))
show("novars", lambda: c.GetUPSVars("nosuch"))
show("rw", lambda: c.GetRWVars("a"))
show("cmds", lambda: c.GetUPSCommands("a"))
show("set", lambda: c.SetRWVar("a", "ups.id", "second"))
show("badset", lambda: c.SetRWVar("a", "no.such", "x"))
show("cmd", lambda: c.RunUPSCommand("a", "no.such"))
show("clients", lambda: c.ListClients("a"))
show("ver", c.ver)
`
	var outs []string
	for _, st := range []*nuttest.Stack{debian, ours} {
		out, err := exec.Command("/usr/bin/python3", "-c", script, fmt.Sprint(st.Port)).CombinedOutput()
		if err != nil {
			t.Fatalf("PyNUT against %s: %v\n%s", st.HostPort(), err, out)
		}
		outs = append(outs, string(out))
		// Each run sets ups.id; put it back for the next.
		nuttest.Exec("", "upsrw", "-s", "ups.id=first", "-u", "admin", "-p", "secret", debian.Addr("a"))
	}
	// The version line names each server.
	strip := func(s string) string { return s[:strings.LastIndex(s, "ver ")] }
	if strip(outs[0]) != strip(outs[1]) {
		t.Errorf("PyNUT answers differ\n  Debian upsd:\n%s\n  our upsd:\n%s", outs[0], outs[1])
	}
	if !strings.Contains(outs[1], "('ups.id', 'first')") {
		t.Errorf("PyNUT did not read the variables:\n%s", outs[1])
	}
}
