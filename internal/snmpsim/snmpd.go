package snmpsim

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// SnmpdDaemon is Debian's Net-SNMP agent, the SNMPv3 peer of the tests.
const SnmpdDaemon = "/usr/sbin/snmpd"

// Snmpd runs Debian's snmpd on a loopback endpoint (127.0.0.1:PORT)
// with the users given (snmpd.conf lines: createUser, rwuser...) and
// the objects of an .snmprec file as its override directives (the
// system group as sysDescr, sysObjectID...), until the test ends; it
// returns the endpoint.
func Snmpd(t testing.TB, endpoint, users, rec string) string {
	t.Helper()
	if _, err := os.Stat(SnmpdDaemon); err != nil {
		t.Skip("Debian's snmpd is not installed: apt-get install snmpd, or run make check")
	}
	dir := t.TempDir()
	var conf strings.Builder
	fmt.Fprintf(&conf, "agentAddress udp:%s\n%s", endpoint, users)
	types := map[string]string{"2": "integer", "4": "octet_str", "6": "object_id", "65": "counter", "66": "unsigned", "67": "ticks"}
	system := map[string]string{"1.3.6.1.2.1.1.1.0": "sysDescr", "1.3.6.1.2.1.1.2.0": "sysObjectID",
		"1.3.6.1.2.1.1.4.0": "sysContact", "1.3.6.1.2.1.1.6.0": "sysLocation"}
	for _, l := range strings.Split(rec, "\n") {
		f := strings.SplitN(l, "|", 3)
		if len(f) != 3 || strings.HasPrefix(l, "#") {
			continue
		}
		tag, val, rw := f[1], f[2], ""
		if t, ok := strings.CutSuffix(tag, ":writecache"); ok {
			tag, val, rw = t, strings.TrimPrefix(val, "value="), "-rw "
		}
		if d, ok := system[f[0]]; ok {
			if d == "sysObjectID" {
				val = "." + val
			}
			fmt.Fprintf(&conf, "%s %s\n", d, val)
			continue
		}
		if strings.HasPrefix(f[0], "1.3.6.1.2.1.1.") || types[tag] == "" {
			continue
		}
		if tag == "4" {
			val = fmt.Sprintf("%q", val)
		}
		fmt.Fprintf(&conf, "override %s.%s %s %s\n", rw, f[0], types[tag], val)
	}
	if err := os.WriteFile(filepath.Join(dir, "snmpd.conf"), []byte(conf.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	log, err := os.Create(filepath.Join(dir, "stderr.log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(SnmpdDaemon, "-f", "-Lf", filepath.Join(dir, "snmpd.log"), "-C", "-c", filepath.Join(dir, "snmpd.conf"), "-u", "root")
	cmd.Env = append(os.Environ(), "SNMP_PERSISTENT_DIR="+filepath.Join(dir, "persist"))
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		log.Close()
	})
	// snmpd logs its version once it serves.
	deadline := time.Now().Add(30 * time.Second)
	for {
		if b, _ := os.ReadFile(filepath.Join(dir, "snmpd.log")); strings.Contains(string(b), "NET-SNMP version") {
			return endpoint
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(filepath.Join(dir, "snmpd.log"))
			t.Fatalf("snmpd on %s never started:\n%s", endpoint, b)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
