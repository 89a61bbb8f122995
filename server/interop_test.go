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
	nuttest.NeedDebianUpsmon(t)
	conf := "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n"
	debian, ours := nuttest.TwoServers(t, conf, map[string]string{"a.dev": "ups.status: OL\nbattery.charge: 90\n"}, "a")
	base := t.TempDir()
	p := nuttest.StartUpsmon(t, nuttest.DebianUpsmon, base, "primary", ours.Addr("a")+" 1 monuser pass primary")
	s := nuttest.StartUpsmon(t, nuttest.DebianUpsmon, base, "secondary", ours.Addr("a")+" 1 monslave pass2 secondary")
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
	set("OB")
	nuttest.Eventually(t, "both see ONBATT", func() (bool, string) {
		return strings.Contains(p.Saw(), "ONBATT") && strings.Contains(s.Saw(), "ONBATT"), p.Saw() + "|" + s.Saw()
	})
	set("OB LB")
	nuttest.Eventually(t, "both shut down", func() (bool, string) {
		return strings.Contains(p.Saw(), "SHUTDOWNCMD") && strings.Contains(s.Saw(), "SHUTDOWNCMD"), p.Saw() + "|" + s.Saw()
	})
	if !strings.Contains(s.Saw(), "FSD") {
		t.Errorf("the secondary never saw FSD: %q", s.Saw())
	}
	if _, err := os.Stat(filepath.Join(p.Dir, "killpower")); err != nil {
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
