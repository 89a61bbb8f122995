//go:build linux

package monitor_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gonut/internal/nuttest"
)

// A primary and a secondary host (two network namespaces): the primary
// runs dummy-ups, our upsd with STARTTLS and our upsmon as primary; the
// secondary only our upsmon, over the network, with CERTVERIFY 1,
// FORCESSL 1 and a CERTHOST naming the name in upsd's certificate. The
// power fails: the secondary shuts down first, and the primary once the
// secondary has logged out (not at the end of HOSTSYNC). A certificate
// from another authority, or a CERTHOST name the certificate does not
// hold, is refused with a message naming what did not match, and the
// secondary never logs in in clear text.
func TestPrimaryAndSecondaryOverTLS(t *testing.T) {
	hosts := nuttest.TwoHosts(t)
	driver := nuttest.Build(t, "gonut/cmd/dummy-ups")
	upsd := nuttest.Build(t, "gonut/cmd/upsd")
	upsmon := nuttest.Build(t, "gonut/cmd/upsmon")
	ca, otherCA := nuttest.NewCA(t, "gonut test CA"), nuttest.NewCA(t, "another CA")
	const certName = "primary.nut.test"

	s := nuttest.NewStack(t, "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n", map[string]string{"a.dev": "ups.status: OL\nbattery.charge: 90\n"})
	s.WriteFile("upsd.pem", ca.Issue(t, certName))
	s.WriteFile("upsd.conf", fmt.Sprintf("LISTEN 127.0.0.1 %d\nLISTEN %s %d\nCERTFILE %s\n", s.Port, hosts.AddrA, s.Port, filepath.Join(s.Dir, "upsd.pem")))
	s.Start("ip", hosts.In(hosts.A, driver, "-a", "a", "-u", "root", "-F")...)
	s.WaitSocket("dummy-ups", "a")
	s.Start("ip", hosts.In(hosts.A, upsd, "-u", "root", "-F")...)
	clients := func() string {
		r := nuttest.Exec("", "ip", hosts.In(hosts.A, "upsc", "-c", s.Addr("a"))...)
		return r.Out + r.Err
	}
	nuttest.Eventually(t, "upsd serves on the primary", func() (bool, string) {
		out := clients()
		return !strings.Contains(out, "Error"), out
	})

	base := t.TempDir()
	trust := func(name, pem string) string {
		p := filepath.Join(base, name)
		os.WriteFile(p, []byte(pem), 0o644)
		return p
	}
	ours, others := trust("ca.pem", ca.PEM), trust("other-ca.pem", otherCA.PEM)
	remote := fmt.Sprintf("a@%s:%d 1 monslave pass2 secondary", hosts.AddrA, s.Port)
	secondary := func(t *testing.T, name, tls string) *nuttest.Upsmon {
		return nuttest.StartUpsmonWith(t, "ip", base, name, remote+"\n"+tls, "", hosts.In(hosts.B, upsmon, "-F", "-p")...)
	}
	log := func(u *nuttest.Upsmon) string {
		b, _ := os.ReadFile(filepath.Join(u.Dir, "upsmon.log"))
		return string(b)
	}

	for _, c := range []struct{ name, tls, says string }{
		{"another authority", "CERTVERIFY 1\nFORCESSL 1\nCERTPATH " + others + "\nCERTHOST " + hosts.AddrA + " " + certName + " 1 1\n",
			"certificate signed by unknown authority"},
		{"a CERTHOST name the certificate lacks", "CERTVERIFY 1\nFORCESSL 1\nCERTPATH " + ours + "\nCERTHOST " + hosts.AddrA + " other.nut.test 1 1\n",
			"certificate is valid for " + certName + ", not other.nut.test"},
		{"the address, no CERTHOST", "CERTVERIFY 1\nFORCESSL 1\nCERTPATH " + ours + "\n",
			"cannot validate certificate for " + hosts.AddrA + " because it doesn't contain any IP SANs"},
		{"CERTVERIFY without FORCESSL", "CERTVERIFY 1\nCERTPATH " + others + "\nCERTHOST " + hosts.AddrA + " " + certName + " 1 0\n",
			"STARTTLS: tls: failed to verify certificate: x509: certificate signed by unknown authority"},
	} {
		t.Run("refused: "+c.name, func(t *testing.T) {
			u := secondary(t, "refused-"+strings.ReplaceAll(c.name, " ", "-"), c.tls)
			// Twice: it tried again, and still did not fall back.
			nuttest.Eventually(t, "the secondary refuses upsd twice, saying why", func() (bool, string) {
				return strings.Count(log(u), c.says) >= 2, log(u)
			})
			if out := clients(); strings.Contains(out, hosts.AddrB) {
				t.Fatalf("the secondary logged in to a upsd it must not trust: %s\n%s", out, log(u))
			}
		})
	}

	t.Run("Debian's upsmon as the secondary", func(t *testing.T) {
		debianSecondaryOverTLS(t, hosts, base, remote, ca, otherCA, certName, clients)
	})

	p := nuttest.StartUpsmonWith(t, "ip", base, "primary", s.Addr("a")+" 1 monuser pass primary", "", hosts.In(hosts.A, upsmon, "-F", "-p")...)
	sec := secondary(t, "secondary", "CERTVERIFY 1\nFORCESSL 1\nCERTPATH "+ours+"\nCERTHOST "+hosts.AddrA+" "+certName+" 1 1\n")
	nuttest.Eventually(t, "both upsmon logged in, the secondary from its host", func() (bool, string) {
		out := clients()
		return strings.Contains(out, hosts.AddrB) && strings.Contains(out, "127.0.0.1"), out + log(sec)
	})
	setStatus := func(status string) {
		// dummy-ups reads its file again when it changes.
		later := time.Now().Add(time.Second)
		s.WriteFile("a.dev", "ups.status: "+status+"\nbattery.charge: 90\n")
		os.Chtimes(filepath.Join(s.Dir, "a.dev"), later, later)
	}
	setStatus("OB")
	nuttest.Eventually(t, "both told ONBATT", func() (bool, string) {
		return strings.Contains(p.Saw(), "ONBATT") && strings.Contains(sec.Saw(), "ONBATT"), "primary: " + p.Saw() + "secondary: " + sec.Saw()
	})
	setStatus("OB LB")
	nuttest.Eventually(t, "the primary shut down", func() (bool, string) {
		return strings.Contains(p.Saw(), "SHUTDOWNCMD"), "primary: " + p.Saw() + "secondary: " + sec.Saw()
	})
	// Read after the primary's: the secondary's came first.
	if !strings.Contains(sec.Saw(), "FSD") || !strings.Contains(sec.Saw(), "SHUTDOWNCMD") {
		t.Errorf("the primary shut down before the secondary: %q", sec.Saw())
	}
	if l := log(p); strings.Contains(l, "Host sync timer expired") || !strings.Contains(p.Saw(), "SHUTDOWN") {
		t.Errorf("the primary did not wait for the secondary's logout:\n%s", l)
	}
	if strings.Contains(log(sec), "not valid") || strings.Contains(log(sec), "STARTTLS") {
		t.Errorf("the secondary had TLS trouble:\n%s", log(sec))
	}
}

// Debian's upsmon (NUT 2.8.0 built with NSS) as the secondary against our
// upsd: it verifies our certificate through an NSS database that trusts
// the CA (CERTPATH) and logs in over TLS; with a database that trusts
// another CA, it does not log in.
func debianSecondaryOverTLS(t *testing.T, hosts *nuttest.Hosts, base, remote string, ca, otherCA *nuttest.CA, certName string, clients func() string) {
	nuttest.NeedDebianUpsmon(t)
	if _, err := exec.LookPath("certutil"); err != nil {
		t.Skip("Debian's upsmon reads its CA from an NSS database: certutil (libnss3-tools) is not installed")
	}
	nssDB := func(name, caPEM string) string {
		dir := filepath.Join(base, name)
		os.MkdirAll(dir, 0o755)
		pemFile := filepath.Join(dir, "ca.pem")
		os.WriteFile(pemFile, []byte(caPEM), 0o644)
		for _, args := range [][]string{
			{"-N", "-d", "sql:" + dir, "--empty-password"},
			{"-A", "-d", "sql:" + dir, "-n", "test CA", "-t", "C,,", "-a", "-i", pemFile},
		} {
			if out, err := exec.Command("certutil", args...).CombinedOutput(); err != nil {
				t.Skipf("no NSS database for Debian's upsmon: certutil %s: %v: %s", strings.Join(args, " "), err, out)
			}
		}
		return dir
	}
	for _, c := range []struct {
		name     string
		db       string
		loggedIn bool
	}{
		{"trusting our CA", nssDB("nss-ours", ca.PEM), true},
		{"trusting another CA", nssDB("nss-other", otherCA.PEM), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			tls := "CERTVERIFY 1\nFORCESSL 1\nCERTPATH sql:" + c.db + "\nCERTHOST " + hosts.AddrA + " \"" + certName + "\" 1 1\n"
			// A private /run/nut for its PID file (ip netns exec gives it
			// a mount namespace of its own).
			u := nuttest.StartUpsmonWith(t, "ip", base, "debian-"+strings.ReplaceAll(c.name, " ", "-"), remote+"\n"+tls, "",
				"netns", "exec", hosts.B, "sh", "-c", "mount -t tmpfs tmpfs /run/nut && exec "+nuttest.DebianUpsmon+" -F -p")
			logText := func() string { b, _ := os.ReadFile(filepath.Join(u.Dir, "upsmon.log")); return string(b) }
			if c.loggedIn {
				nuttest.Eventually(t, "Debian's upsmon logged in over TLS", func() (bool, string) {
					out := clients()
					return strings.Contains(out, hosts.AddrB), out + logText()
				})
				return
			}
			nuttest.Eventually(t, "Debian's upsmon refuses our upsd", func() (bool, string) {
				l := logText()
				return strings.Contains(l, "Certificate validation failed for "+hosts.AddrA), l
			})
			if out := clients(); strings.Contains(out, hosts.AddrB) {
				t.Fatalf("Debian's upsmon logged in to a upsd it must not trust: %s\n%s", out, logText())
			}
		})
	}
}
