package server

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"gonut/internal/freeport"
	"gonut/internal/nuttest"
)

// A SIGHUP sent the moment upsd says READY=1 is a reload, not the end of
// upsd: nut-driver-enumerator sends one as soon as nut-server.service is
// active, and a upsd killed by it restarted under a upsmon that had just
// connected (its STARTTLS timed out, COMMBAD, in the Debian package's
// guest test).
func TestSighupRightAfterReady(t *testing.T) {
	upsd := nuttest.Build(t, "gonut/cmd/upsd")
	dir := t.TempDir()
	for name, text := range map[string]string{
		"ups.conf":   "", // ALLOW_NO_DEVICE: no driver to wait for
		"upsd.conf":  fmt.Sprintf("LISTEN 127.0.0.1 %d\n", freeport.Must()),
		"upsd.users": "",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 5; i++ {
		msgs := nuttest.NotifySocket(t)
		cmd := exec.Command(upsd, "-u", "root", "-F")
		cmd.Env = append(os.Environ(), "NUT_CONFPATH="+dir, "NUT_STATEPATH="+dir, "NOTIFY_SOCKET="+msgs.Path, "ALLOW_NO_DEVICE=true")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		msgs.UpTo(t, "READY=1")
		cmd.Process.Signal(syscall.SIGHUP)
		msgs.UpTo(t, "RELOADING=1")
		msgs.UpTo(t, "READY=1")
		cmd.Process.Signal(syscall.SIGTERM)
		if err := cmd.Wait(); err != nil {
			t.Fatalf("run %d: upsd after SIGHUP then SIGTERM: %v", i, err)
		}
	}
}
