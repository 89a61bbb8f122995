package monitor_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gonut/internal/nuttest"
)

// upsmon -c fsd makes a running primary set FSD and shut down; -K then
// finds the POWERDOWNFLAG it left (and did not before).
func TestUpsmonCommands(t *testing.T) {
	upsmon := nuttest.Build(t, "gonut/cmd/upsmon")
	_, s := nuttest.TwoServers(t, "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n", map[string]string{"a.dev": "ups.status: OL\n"}, "a")
	dir := t.TempDir()
	flag := filepath.Join(dir, "killpower")
	done := filepath.Join(dir, "shutdown")
	os.WriteFile(filepath.Join(dir, "upsmon.conf"), []byte("MONITOR a@127.0.0.1:"+strconv.Itoa(s.Port)+" 1 monuser pass primary\n"+
		"SHUTDOWNCMD \"touch "+done+"\"\nFINALDELAY 0\nPOWERDOWNFLAG "+flag+"\n"), 0o600)
	env := append(os.Environ(), "NUT_CONFPATH="+dir, "NUT_ALTPIDPATH="+dir)
	run := func(args ...string) int {
		cmd := exec.Command(upsmon, args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode()
		} else if err != nil {
			t.Fatalf("upsmon %q: %v %s", args, err, out)
		}
		return 0
	}
	if code := run("-K"); code != 1 {
		t.Fatalf("upsmon -K before any shutdown: exit %d", code)
	}
	cmd := exec.Command(upsmon, "-F", "-p")
	cmd.Env = env
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	nuttest.Eventually(t, "upsmon logged in", func() (bool, string) {
		r := nuttest.Exec("", "upsc", "-c", s.Addr("a"))
		return strings.Contains(r.Out, "127.0.0.1"), r.Out + r.Err
	})
	// A second upsmon refuses to start, and leaves the first its PID file.
	second := exec.Command(upsmon, "-F", "-p")
	second.Env = env
	if out, err := second.CombinedOutput(); err == nil || !strings.Contains(string(out), "A previous upsmon instance is already running") {
		t.Fatalf("a second upsmon: %v\n%s", err, out)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "upsmon.pid")); strings.TrimSpace(string(b)) != strconv.Itoa(cmd.Process.Pid) {
		t.Fatalf("upsmon.pid holds %q, want the first upsmon's %d", b, cmd.Process.Pid)
	}
	if code := run("-c", "reload"); code != 0 {
		t.Fatalf("upsmon -c reload: exit %d", code)
	}
	if code := run("-c", "fsd"); code != 0 {
		t.Fatalf("upsmon -c fsd: exit %d", code)
	}
	nuttest.Eventually(t, "the forced shutdown", func() (bool, string) {
		_, err := os.Stat(done)
		return err == nil, nuttest.ErrString(err)
	})
	if r := nuttest.Exec("", "upsc", s.Addr("a"), "ups.status"); !strings.HasPrefix(r.Out, "FSD") {
		t.Errorf("FSD not set: %+v", r)
	}
	if code := run("-K"); code != 0 {
		t.Fatalf("upsmon -K after the shutdown: exit %d", code)
	}
	// -K reads POWERDOWNFLAG even from a file upsmon would refuse to run on.
	b, _ := os.ReadFile(filepath.Join(dir, "upsmon.conf"))
	os.WriteFile(filepath.Join(dir, "upsmon.conf"), append(b, "MINSUPPLIES 3\n"...), 0o600)
	if code := run("-K"); code != 0 {
		t.Fatalf("upsmon -K with MINSUPPLIES above the power total: exit %d", code)
	}
}
