package upsdrvctl

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"gonut/internal/cli"
	"gonut/internal/nuttest"
	"gonut/internal/process"
	"gonut/nutenv"
)

// run runs upsdrvctl in-process with the stack's paths.
func run(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	t.Setenv("NUT_CONFPATH", dir)
	t.Setenv("NUT_STATEPATH", dir)
	t.Setenv("NUT_ALTPIDPATH", dir)
	var out, errOut strings.Builder
	code := Main(append([]string{"upsdrvctl"}, args...), nutenv.OS(), cli.Stdio{Out: &out, Err: &errOut})
	return code, out.String(), errOut.String()
}

// Real drivers: Debian's dummy-ups and ours, started in the background,
// seen by status, and stopped; a missing driver binary fails alone.
func TestStartStatusStop(t *testing.T) {
	nuttest.NeedDebianNUT(t)
	ours := nuttest.Build(t, "gonut/cmd/dummy-ups")
	for _, drv := range []struct{ name, dir string }{{"Debian", "/lib/nut"}, {"gonut", filepath.Dir(ours)}} {
		t.Run(drv.name, func(t *testing.T) {
			conf := "driverpath = " + drv.dir + "\nmaxstartdelay = 20\n" +
				"[one]\n\tdriver = dummy-ups\n\tport = a.dev\n" +
				"[broken]\n\tdriver = no-such-driver\n\tport = x\n" +
				"[two]\n\tdriver = dummy-ups\n\tport = a.dev\n"
			s := nuttest.NewStack(t, conf, map[string]string{"a.dev": "ups.status: OB\n"})
			code, _, errOut := run(t, s.Dir, "-u", "root", "start")
			if code != 1 || !strings.Contains(errOut, "Can't start "+drv.dir+"/no-such-driver") {
				t.Fatalf("start: exit %d, %s", code, errOut)
			}
			pids := map[string]int{}
			for _, ups := range []string{"one", "two"} {
				// Debian's driver rewrites its PID file just after its
				// parent exits, so the first PID read may be the parent's.
				nuttest.Eventually(t, ups+" runs after start", func() (bool, string) {
					pid, err := process.ReadPIDFile(filepath.Join(s.Dir, "dummy-ups-"+ups+".pid"))
					pids[ups] = pid
					return err == nil && syscall.Kill(pid, 0) == nil, nuttest.ErrString(err)
				})
				defer syscall.Kill(pids[ups], syscall.SIGKILL)
			}
			_, out, _ := run(t, s.Dir, "status")
			for _, ups := range []string{"one", "two"} {
				if !strings.Contains(out, ups) || strings.Count(out, "RUNNING") != 3 {
					t.Fatalf("status:\n%s", out)
				}
			}
			code, _, errOut = run(t, s.Dir, "stop", "one")
			if code != 0 {
				t.Fatalf("stop one: %d %s", code, errOut)
			}
			if syscall.Kill(pids["one"], 0) == nil {
				t.Fatal("driver one still runs after stop")
			}
			if syscall.Kill(pids["two"], 0) != nil {
				t.Fatal("stop one stopped two")
			}
			run(t, s.Dir, "stop", "two")
		})
	}
}

func TestTestModeAndShutdownOrder(t *testing.T) {
	dir := t.TempDir()
	conf := "driverpath = /opt/drv\n[a]\n\tdriver = x\n\tport = p\n\tsdorder = 2\n[b]\n\tdriver = y\n\tport = p\n" +
		"[c]\n\tdriver = z\n\tport = p\n\tsdorder = -1\n[d]\n\tdriver = x\n\tport = p\n\tsdorder = 1\n"
	os.WriteFile(filepath.Join(dir, "ups.conf"), []byte(conf), 0o640)
	code, _, errOut := run(t, dir, "-t", "-u", "nut", "shutdown")
	want := "Shutdown UPS: b\nexec: /opt/drv/y -a b -u nut -k\nShutdown UPS: d\nexec: /opt/drv/x -a d -u nut -k\nShutdown UPS: a\nexec: /opt/drv/x -a a -u nut -k\n"
	if code != 0 || !strings.HasSuffix(errOut, want) {
		t.Fatalf("shutdown -t: %d\n%s\nwant\n%s", code, errOut, want)
	}
	_, out, _ := run(t, dir, "list")
	if !strings.HasSuffix(out, "a\nb\nc\nd\n") {
		t.Fatalf("list: %q", out)
	}
	if code, _, errOut := run(t, dir, "list", "nosuch"); code != 1 || !strings.Contains(errOut, "UPS nosuch not found") {
		t.Fatalf("list nosuch: %d %s", code, errOut)
	}
}

// A driver that never finishes starting is killed after maxstartdelay and
// tried again maxretry times.
func TestMaxStartDelay(t *testing.T) {
	dir := t.TempDir()
	drv := filepath.Join(dir, "slowdrv")
	os.WriteFile(drv, []byte("#!/bin/sh\necho started >> "+dir+"/starts\nexec sleep 60\n"), 0o755)
	conf := "driverpath = " + dir + "\nmaxstartdelay = 1\nmaxretry = 2\nretrydelay = 0\n[s]\n\tdriver = slowdrv\n\tport = p\n"
	os.WriteFile(filepath.Join(dir, "ups.conf"), []byte(conf), 0o640)
	code, _, errOut := run(t, dir, "start")
	if code != 1 || strings.Count(errOut, "Startup timer elapsed") != 2 || !strings.Contains(errOut, "after 2 attempt(s)") {
		t.Fatalf("exit %d:\n%s", code, errOut)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "starts"))
	if strings.Count(string(b), "started") != 2 {
		t.Fatalf("started %q", b)
	}
}

// Without driverpath in ups.conf, drivers are where the build says
// (make passes its DRIVERDIR), /lib/nut otherwise.
func TestDriverDirOfTheBuild(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "upsdrvctl")
	build := exec.Command("go", "build", "-ldflags", "-X gonut/config.driverDir=/opt/gonut/drivers", "-o", bin, "gonut/cmd/upsdrvctl")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "ups.conf"), []byte("[a]\n\tdriver = dummy-ups\n\tport = p\n"), 0o640)
	cmd := exec.Command(bin, "-t", "start")
	cmd.Env = append(os.Environ(), "NUT_CONFPATH="+dir, "NUT_STATEPATH="+dir, "NUT_ALTPIDPATH="+dir)
	if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "exec: /opt/gonut/drivers/dummy-ups -a a") {
		t.Errorf("built for /opt/gonut/drivers: %v\n%s", err, out)
	}
	if _, _, errOut := run(t, dir, "-t", "start"); !strings.Contains(errOut, "exec: /lib/nut/dummy-ups -a a") {
		t.Errorf("built without DRIVERDIR: %s", errOut)
	}
}

// A driver that hangs on -k gets maxstartdelay, then the next UPS is shut
// down; a UPS named on the command line is shut down whatever its sdorder.
func TestShutdownGoesOnPastAHungDriver(t *testing.T) {
	dir := t.TempDir()
	drv := filepath.Join(dir, "drv")
	os.Mkdir(drv, 0o755)
	log := filepath.Join(dir, "ran")
	os.WriteFile(filepath.Join(drv, "hang"), []byte("#!/bin/sh\nexec sleep 3600\n"), 0o755)
	os.WriteFile(filepath.Join(drv, "rec"), []byte("#!/bin/sh\necho \"$@\" >> "+log+"\n"), 0o755)
	conf := "driverpath = " + drv + "\nmaxstartdelay = 1\n" +
		"[a]\n\tdriver = hang\n\tport = x\n[b]\n\tdriver = rec\n\tport = x\n\tsdorder = 1\n[c]\n\tdriver = rec\n\tport = x\n\tsdorder = -1\n"
	os.WriteFile(filepath.Join(dir, "ups.conf"), []byte(conf), 0o640)
	code, _, errOut := run(t, dir, "-u", "root", "shutdown")
	if b, _ := os.ReadFile(log); code != 1 || !strings.Contains(errOut, "timer elapsed") || !strings.Contains(string(b), "-a b") || strings.Contains(string(b), "-a c") {
		t.Fatalf("shutdown: exit %d, %s\nran: %s", code, errOut, b)
	}
	os.Remove(log)
	if code, _, errOut := run(t, dir, "-u", "root", "shutdown", "c"); code != 0 {
		t.Fatalf("shutdown c: exit %d, %s", code, errOut)
	}
	if b, _ := os.ReadFile(log); !strings.Contains(string(b), "-a c") {
		t.Fatalf("shutdown c did not run c's driver: %q", b)
	}
}
