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

// With CERTVERIFY and FORCESSL, our upsmon talks to upsd only over TLS
// with a certificate it trusts (CERTPATH); with an untrusted one it does
// not log in at all.
func TestUpsmonTLS(t *testing.T) {
	nuttest.NeedDebianNUT(t)
	driver := nuttest.Build(t, "gonut/cmd/dummy-ups")
	upsd := nuttest.Build(t, "gonut/cmd/upsd")
	upsmon := nuttest.Build(t, "gonut/cmd/upsmon")
	s := nuttest.NewStack(t, "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n", map[string]string{"a.dev": "ups.status: OL\n"})
	certKey, _ := nuttest.SelfSigned(t, 1)
	other, _ := nuttest.SelfSigned(t, 2)
	s.WriteFile("upsd.pem", certKey)
	s.WriteFile("upsd.conf", "LISTEN 127.0.0.1 "+strconv.Itoa(s.Port)+"\nCERTFILE "+filepath.Join(s.Dir, "upsd.pem")+"\n")
	s.Start(driver, "-a", "a", "-u", "root", "-F")
	s.WaitSocket("dummy-ups", "a")
	s.Start(upsd, "-u", "root", "-F")
	for _, c := range []struct {
		name     string
		trusted  string
		loggedIn bool
	}{{"trusted certificate", certKey, true}, {"untrusted certificate", other, false}} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			ca := filepath.Join(dir, "ca.pem")
			os.WriteFile(ca, []byte(c.trusted), 0o600)
			os.WriteFile(filepath.Join(dir, "upsmon.conf"), []byte("MONITOR a@localhost:"+strconv.Itoa(s.Port)+" 1 monuser pass primary\n"+
				"SHUTDOWNCMD \"/bin/true\"\nPOLLFREQ 1\nCERTVERIFY 1\nFORCESSL 1\nCERTPATH "+ca+"\n"), 0o600)
			cmd := exec.Command(upsmon, "-F", "-p")
			cmd.Env = append(os.Environ(), "NUT_CONFPATH="+dir, "NUT_ALTPIDPATH="+dir)
			logFile, _ := os.Create(filepath.Join(dir, "upsmon.log"))
			defer logFile.Close()
			cmd.Stdout, cmd.Stderr = logFile, logFile
			logText := func() string { b, _ := os.ReadFile(logFile.Name()); return string(b) }
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer func() { cmd.Process.Kill(); cmd.Wait() }()
			if c.loggedIn {
				nuttest.Eventually(t, "upsmon logged in over TLS", func() (bool, string) {
					r := nuttest.Exec("", "upsc", "-c", s.Addr("a"))
					return strings.Contains(r.Out, "127.0.0.1"), r.Out + r.Err
				})
				return
			}
			nuttest.Eventually(t, "upsmon refuses the server", func() (bool, string) {
				return strings.Contains(logText(), "certificate"), logText()
			})
			if r := nuttest.Exec("", "upsc", "-c", s.Addr("a")); strings.Contains(r.Out, "127.0.0.1") {
				t.Fatalf("upsmon logged in to a server it does not trust: %q", r.Out)
			}
		})
	}
}

// With CERTVERIFY, a upsd that refuses STARTTLS (it has no certificate)
// is not talked to in clear either, FORCESSL or not: as NUT's upsclient,
// "certificate is needed".
func TestUpsmonCertVerifyNeedsTLS(t *testing.T) {
	nuttest.NeedDebianNUT(t)
	driver := nuttest.Build(t, "gonut/cmd/dummy-ups")
	upsd := nuttest.Build(t, "gonut/cmd/upsd")
	upsmon := nuttest.Build(t, "gonut/cmd/upsmon")
	s := nuttest.NewStack(t, "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n", map[string]string{"a.dev": "ups.status: OL\n"})
	s.Start(driver, "-a", "a", "-u", "root", "-F")
	s.WaitSocket("dummy-ups", "a")
	s.Start(upsd, "-u", "root", "-F")
	ca, _ := nuttest.SelfSigned(t, 1)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "ca.pem"), []byte(ca), 0o600)
	u := nuttest.StartUpsmonWith(t, upsmon, dir, "mon", s.Addr("a")+" 1 monuser pass primary\nCERTVERIFY 1\nCERTPATH "+filepath.Join(dir, "ca.pem"), "", "-F", "-p")
	logText := func() string { b, _ := os.ReadFile(filepath.Join(u.Dir, "upsmon.log")); return string(b) }
	nuttest.Eventually(t, "upsmon refuses a upsd without TLS", func() (bool, string) {
		return strings.Count(logText(), "STARTTLS refused, and CERTVERIFY needs a certificate") >= 2, logText()
	})
	if r := nuttest.Exec("", "upsc", "-c", s.Addr("a")); strings.Contains(r.Out, "127.0.0.1") {
		t.Fatalf("upsmon logged in in clear text: %q", r.Out)
	}
}
