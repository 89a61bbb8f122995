package upslog_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"gonut/internal/nuttest"
)

// logFor runs an upslog in the foreground on standard output until it has
// written n lines, then stops it; it returns its output.
func logFor(t *testing.T, env []string, n int, bin string, args ...string) []string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()
	var lines []string
	var buf []byte
	b := make([]byte, 4096)
	deadline := time.Now().Add(20 * time.Second)
	for len(lines) < n && time.Now().Before(deadline) {
		k, err := out.Read(b)
		buf = append(buf, b[:k]...)
		for {
			i := strings.IndexByte(string(buf), '\n')
			if i < 0 {
				break
			}
			lines = append(lines, string(buf[:i]))
			buf = buf[i+1:]
		}
		if err != nil {
			break
		}
	}
	return lines
}

// stamp is upslog's default time stamp (%TIME @Y@m@d @H@M@S%).
var stamp = regexp.MustCompile(`(?m)^\d{8} \d{6} `)

// Our upslog writes what Debian's writes, line for line, against Debian's
// upsd and ours.
func TestSameAsDebianUpslog(t *testing.T) {
	ours := nuttest.Build(t, "gonut/cmd/upslog")
	conf := "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n"
	debian, gonut := nuttest.TwoServers(t, conf, map[string]string{"a.dev": "ups.status: OL CHRG\nbattery.charge: 90\ninput.voltage: 230.1\n"}, "a")
	host, _ := os.Hostname()
	for _, st := range []*nuttest.Stack{debian, gonut} {
		a := st.Addr("a")
		for _, args := range [][]string{
			{"-s", a, "-l", "-", "-i", "1", "-u", "root"},
			{"-x", "-s", a, "-l", "-", "-i", "1", "-u", "root"},
			{"-s", a, "-l", "-", "-i", "1", "-u", "root", "-f", "%VAR battery.charge% [%VAR ups.status%] %UPSHOST% %HOST% %VAR no.such% %VAR bad% %BOGUS% %% 100%%"},
			{"-s", st.Addr("nosuch"), "-l", "-", "-i", "1", "-u", "root", "-f", "%VAR ups.status% %TIME @Y%"},
			{"-s", "a@127.0.0.1:1", "-l", "-", "-i", "1", "-u", "root", "-f", "%VAR ups.status% %UPSHOST%"},
			{"-u", "root", a, "-", "1", "%VAR", "battery.charge%", "%VAR", "input.voltage%"},
		} {
			// The two run one after the other: their clocks may read a
			// second apart.
			deb := stamp.ReplaceAllString(strings.Join(logFor(t, st.Env, 3, "upslog", args...), "\n"), "TIME")
			us := logFor(t, st.Env, 3, ours, args...)
			if deb != stamp.ReplaceAllString(strings.Join(us, "\n"), "TIME") || len(us) != 3 {
				t.Errorf("upslog %q\n  Debian: %q\n  ours:   %q", args, deb, us)
			}
			if strings.Contains(args[len(args)-1], "%HOST%") && !strings.Contains(strings.Join(us, ""), host) {
				t.Errorf("upslog %q: no host name %q in %q", args, host, us)
			}
		}
		for _, args := range [][]string{{}, {"-s", "a"}, {"-l", "-"}, {"a", "b"}, {"-h"}, {"-V"},
			{"-s", "a@127.0.0.1:1", "-l", "/nonexistent/x", "-u", "root"}} {
			deb, us := nuttest.Exec("", "upslog", args...), nuttest.Exec("", ours, args...)
			if deb.Out != us.Out || deb.Code != us.Code || !strings.Contains(deb.Err, strings.TrimSpace(us.Err)) {
				t.Errorf("upslog %q\n  Debian: %+v\n  ours:   %+v", args, deb, us)
			}
		}
	}
}

// In the background on a file, upslog writes its PID file, reopens its
// log on SIGHUP (log rotation) and removes the PID file when stopped.
func TestUpslogBackgroundAndRotation(t *testing.T) {
	ours := nuttest.Build(t, "gonut/cmd/upslog")
	conf := "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n"
	_, st := nuttest.TwoServers(t, conf, map[string]string{"a.dev": "ups.status: OL\nbattery.charge: 90\n"}, "a")
	logFile := filepath.Join(st.Dir, "ups.log")
	cmd := exec.Command(ours, "-s", st.Addr("a"), "-l", logFile, "-i", "1", "-u", "root", "-f", "%VAR battery.charge%")
	cmd.Env = st.Env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("upslog did not go to the background: %v\n%s", err, out)
	}
	pidFile := filepath.Join(st.Dir, "upslog.pid")
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatalf("no PID file: %v", err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	t.Cleanup(func() { syscall.Kill(pid, syscall.SIGKILL) })
	nuttest.Eventually(t, "lines in the log", func() (bool, string) {
		b, _ := os.ReadFile(logFile)
		return strings.HasPrefix(string(b), "90\n90\n"), string(b)
	})
	if err := os.Rename(logFile, logFile+".1"); err != nil {
		t.Fatal(err)
	}
	syscall.Kill(pid, syscall.SIGHUP)
	nuttest.Eventually(t, "lines in the new log", func() (bool, string) {
		b, _ := os.ReadFile(logFile)
		return strings.HasPrefix(string(b), "90\n"), string(b)
	})
	syscall.Kill(pid, syscall.SIGTERM)
	nuttest.Eventually(t, "PID file removed", func() (bool, string) {
		_, err := os.Stat(pidFile)
		return os.IsNotExist(err), nuttest.ErrString(err)
	})
}

// Any signal cuts upslog's wait short and logs a line, as NUT's upslog:
// SIGHUP into the reopened log, SIGUSR1, and a last one on SIGTERM. Run as
// root for another user, upslog leaves its log's owner alone.
func TestSignalsLogAsDebian(t *testing.T) {
	ours := nuttest.Build(t, "gonut/cmd/upslog")
	conf := "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n"
	debian, _ := nuttest.TwoServers(t, conf, map[string]string{"a.dev": "ups.status: OL\nbattery.charge: 90\n"}, "a")
	for _, bin := range []string{"upslog", ours} {
		logFile := filepath.Join(t.TempDir(), "ups.log")
		start := func(user string) *exec.Cmd {
			cmd := exec.Command(bin, "-F", "-s", debian.Addr("a"), "-l", logFile, "-i", "30", "-u", user, "-f", "%VAR battery.charge%")
			cmd.Env = debian.Env
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			return cmd
		}
		lines := func(want int) {
			t.Helper()
			nuttest.Eventually(t, bin+": "+strconv.Itoa(want)+" lines", func() (bool, string) {
				b, _ := os.ReadFile(logFile)
				return strings.Count(string(b), "90\n") == want, string(b)
			})
		}
		if os.Geteuid() == 0 {
			os.WriteFile(logFile, nil, 0o600)
			cmd := start("nobody")
			lines(1)
			if fi, err := os.Stat(logFile); err != nil || fi.Sys().(*syscall.Stat_t).Uid != 0 {
				t.Errorf("%s -u nobody: the log was given to another owner", bin)
			}
			cmd.Process.Kill()
			cmd.Wait()
			os.Remove(logFile)
		}
		cmd := start("root")
		lines(1)
		os.Rename(logFile, logFile+".1")
		cmd.Process.Signal(syscall.SIGHUP)
		lines(1)
		cmd.Process.Signal(syscall.SIGUSR1)
		lines(2)
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
		lines(3)
	}
}
