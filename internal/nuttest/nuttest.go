package nuttest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gonut/internal/freeport"
	"gonut/nutenv"
)

// The reference peers: Debian 12's NUT 2.8.0.
const (
	DebianUpsd  = "/lib/nut/upsd"
	DebianDummy = "/lib/nut/dummy-ups"
)

// NeedDebianNUT skips the test when Debian's NUT is not installed.
func NeedDebianNUT(t testing.TB) {
	t.Helper()
	for _, p := range []string{DebianUpsd, DebianDummy} {
		if _, err := os.Stat(p); err != nil {
			t.Skipf("Debian's NUT is not installed (%s missing): apt-get install nut-server nut-client, or run make check", p)
		}
	}
	for _, p := range []string{"upsc", "upsrw", "upscmd"} {
		if _, err := exec.LookPath(p); err != nil {
			t.Skipf("%s not found: apt-get install nut-client, or run make check", p)
		}
	}
}

// Build builds one of our programs (a package path such as
// "gonut/cmd/dummy-ups") into a temporary directory, as the Makefile
// builds it, and returns its path.
func Build(t testing.TB, pkg string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), filepath.Base(pkg))
	args := []string{"build", "-o", bin}
	if driverPrograms[filepath.Base(pkg)] {
		args = append(args, "-tags", driverTags)
	}
	if out, err := exec.Command("go", append(args, pkg)...).CombinedOutput(); err != nil {
		t.Fatalf("building %s: %v\n%s", pkg, err, out)
	}
	return bin
}

// driverPrograms and driverTags are the Makefile's DRIVERS and
// DRIVER_TAGS: drivers use Go's resolver and user lookup (no libc).
var driverPrograms = map[string]bool{"dummy-ups": true, "usbhid-ups": true, "nutdrv_qx": true, "apcsmart": true, "snmp-ups": true, "genericups": true}

const driverTags = "netgo,osusergo"

// FreePort returns a TCP port free on the loopback address.
func FreePort(t testing.TB) int {
	t.Helper()
	p, err := freeport.Get()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Stack is a NUT installation in a temporary directory, which is at once
// NUT_CONFPATH, NUT_STATEPATH and NUT_ALTPIDPATH. Its upsd.conf listens on
// a free loopback port; upsd.users has "admin" (password "secret") allowed
// SET, FSD and every instant command, "monuser"/"pass" as upsmon primary
// and "monslave"/"pass2" as upsmon secondary.
type Stack struct {
	T    testing.TB
	Dir  string
	Port int
	Env  []string
	// Upsd is the stack's upsd once StartUpsd (or TwoServers) started it.
	Upsd *exec.Cmd
}

// NewStack writes ups.conf and any other files (device dumps...) given.
func NewStack(t testing.TB, upsConf string, files map[string]string) *Stack {
	t.Helper()
	dir := t.TempDir()
	s := &Stack{T: t, Dir: dir, Port: FreePort(t)}
	s.Env = append(os.Environ(), "NUT_CONFPATH="+dir, "NUT_STATEPATH="+dir, "NUT_ALTPIDPATH="+dir)
	all := map[string]string{
		"ups.conf":   upsConf,
		"upsd.conf":  fmt.Sprintf("LISTEN 127.0.0.1 %d\n", s.Port),
		"upsd.users": "[admin]\n\tpassword = secret\n\tactions = SET FSD\n\tinstcmds = ALL\n[monuser]\n\tpassword = pass\n\tupsmon primary\n[monslave]\n\tpassword = pass2\n\tupsmon secondary\n",
	}
	for k, v := range files {
		all[k] = v
	}
	for name, body := range all {
		s.WriteFile(name, body)
	}
	return s
}

// WriteFile writes a file of the stack, mode 0640 as NUT wants.
func (s *Stack) WriteFile(name, body string) {
	s.T.Helper()
	if err := os.WriteFile(filepath.Join(s.Dir, name), []byte(body), 0o640); err != nil {
		s.T.Fatal(err)
	}
}

// Start runs a program with the stack's environment until the test ends;
// its output goes to a log file in the stack's directory.
func (s *Stack) Start(name string, args ...string) *exec.Cmd {
	s.T.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = s.Env
	log, err := os.CreateTemp(s.Dir, filepath.Base(name)+"-*.log")
	if err != nil {
		s.T.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		s.T.Fatal(err)
	}
	s.T.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		log.Close()
	})
	return cmd
}

// StartUpsd starts Debian's upsd as root, with flags (-F when none).
func (s *Stack) StartUpsd(flags ...string) *exec.Cmd {
	if len(flags) == 0 {
		flags = []string{"-F"}
	}
	s.Upsd = s.Start(DebianUpsd, append([]string{"-u", "root"}, flags...)...)
	return s.Upsd
}

// WaitSocket waits until a driver's socket exists. It does not connect:
// Debian's 2.8.0 drivers crash when a connection they once had is gone
// while they broadcast a change ("bit out of range 0 - FD_SETSIZE").
func (s *Stack) WaitSocket(driver, ups string) {
	s.T.Helper()
	path := nutenv.DriverSocketIn(s.Dir, driver, ups)
	// Long enough for Debian's snmp-ups to walk a daisy chain of three
	// ePDUs on a loaded machine before it makes its socket.
	deadline := time.Now().Add(60 * time.Second)
	for {
		if fi, err := os.Stat(path); err == nil && fi.Mode()&os.ModeSocket != 0 {
			return
		}
		if time.Now().After(deadline) {
			s.T.Fatalf("driver socket %s never answered", path)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Run runs a program (a NUT client, say) and returns its standard output;
// a failure's error carries its standard error.
func (s *Stack) Run(name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Env = s.Env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		err = fmt.Errorf("%s %s: %v: %s", name, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return string(out), err
}

// Addr names a UPS of the stack's upsd: ups@127.0.0.1:port.
func (s *Stack) Addr(ups string) string { return fmt.Sprintf("%s@127.0.0.1:%d", ups, s.Port) }

// HostPort is the stack's upsd address.
func (s *Stack) HostPort() string { return fmt.Sprintf("127.0.0.1:%d", s.Port) }

// Eventually retries check until it passes, failing the test after 20 s
// with the last detail it gave.
func Eventually(t testing.TB, what string, check func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ok, detail := check()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %s", what, detail)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// ErrString is err's text, or "" for nil.
func ErrString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// FreeUDPPort returns a UDP port free on the loopback address.
func FreeUDPPort(t testing.TB) int {
	t.Helper()
	p, err := freeport.GetUDP()
	if err != nil {
		t.Fatal(err)
	}
	return p
}
