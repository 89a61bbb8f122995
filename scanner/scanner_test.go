package scanner_test

import (
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"gonut/internal/nuttest"
	"gonut/internal/snmpsim"
	"gonut/scanner"
)

const debianScanner = "/usr/bin/nut-scanner"

func needDebianScanner(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(debianScanner); err != nil {
		t.Skip("Debian's nut-scanner is not installed: apt-get install nut-server, or run make check")
	}
	if os.Getuid() != 0 {
		t.Skip("the SNMP scan needs agents on port 161 of loopback addresses: run as root")
	}
}

func rec(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("../drivers/snmp/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var section = regexp.MustCompile(`\[nutdev\d+\]`)

// sections are a ups.conf output's sections without their numbers,
// sorted (Debian's nut-scanner lists them as its threads end), and
// whether the numbers run from 1 in order.
func sections(out string) (string, bool) {
	parts := section.Split(out, -1)
	nums := section.FindAllString(out, -1)
	for i, n := range nums {
		if n != fmt.Sprintf("[nutdev%d]", i+1) {
			return "", false
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, "[nutdev]"), true
}

func sortedLines(out string) string {
	l := strings.Split(strings.TrimSpace(out), "\n")
	sort.Strings(l)
	return strings.Join(l, "\n")
}

// TestScanLikeDebian: on the same loopback agents and upsd, Debian's
// nut-scanner and ours find the same devices and print the same
// sections (in ups.conf and parsable forms) and messages.
func TestScanLikeDebian(t *testing.T) {
	needDebianScanner(t)
	snmpsim.Need(t)
	snmpsim.StartAt(t, []string{"127.77.8.1:161", "127.77.8.2:161", "127.77.8.4:161"}, map[string]string{
		"public.snmprec": rec(t, "ietf.snmprec"), "apcc.snmprec": rec(t, "apcc.snmprec"),
		"mge.snmprec": rec(t, "mge.gen.snmprec"), "eaton.snmprec": rec(t, "eaton_epdu_daisy.gen.snmprec"),
	})
	nuttest.NeedDebianNUT(t)
	stack := nuttest.NewStack(t, "[sim]\n\tdriver = dummy-ups\n\tport = sim.dev\n\tdesc = \"a simulated UPS\"\n[second]\n\tdriver = dummy-ups\n\tport = sim.dev\n",
		map[string]string{"sim.dev": "ups.status: OL\n"})
	stack.Start(nuttest.DebianDummy, "-a", "sim", "-u", "root", "-F")
	stack.Start(nuttest.DebianDummy, "-a", "second", "-u", "root", "-F")
	stack.WaitSocket("dummy-ups", "sim")
	stack.WaitSocket("dummy-ups", "second")
	stack.StartUpsd()
	nuttest.Eventually(t, "upsd serves", func() (bool, string) {
		r := nuttest.Exec("", "upsc", stack.Addr("second"), "ups.status")
		return r.Code == 0, r.Out + r.Err
	})
	snmpsim.Snmpd(t, "127.77.8.3:161", "createUser scan SHA \"authpass123\" AES \"privpass123\"\nrouser scan priv\n"+
		"createUser plain\nrouser plain noauth\n", rec(t, "ietf.snmprec"))
	ours := nuttest.Build(t, "gonut/cmd/nut-scanner")
	port := fmt.Sprint(stack.Port)
	for _, args := range [][]string{
		{"-S", "-s", "127.77.8.1", "-e", "127.77.8.4", "-t", "2"},
		{"-S", "-m", "127.77.8.0/29", "-c", "apcc", "-t", "2"},
		{"-S", "-s", "127.77.8.1", "-c", "mge", "-t", "2", "-q"},
		{"-S", "-s", "127.77.8.2", "-c", "eaton", "-t", "2", "-P"},
		{"-S", "-s", "127.77.8.1", "-e", "127.77.8.2", "-c", "nosuchcommunity", "-t", "2"},
		{"-O", "-s", "127.0.0.1", "-p", port, "-t", "2"},
		{"-O", "-s", "127.0.0.1", "-p", port, "-t", "2", "-P", "-q"},
		{"-S", "-O", "-s", "127.77.8.1", "-p", port, "-t", "2"},
		{"-S", "-O", "-m", "127.0.0.0/31", "-p", port, "-t", "2", "-c", "mge"},
		{"-S", "-t", "2"},
		{"-S", "-s", "127.77.8.3", "-t", "2", "-l", "authPriv", "-u", "scan", "-w", "SHA", "-W", "authpass123", "-x", "AES", "-X", "privpass123"},
		{"-S", "-s", "127.77.8.3", "-t", "2", "--secLevel=noAuthNoPriv", "--secName", "plain", "-P"},
		{"-S", "-s", "127.77.8.3", "-t", "2", "-l", "authPriv", "-u", "scan", "-W", "wrongpass1", "-X", "privpass123", "-w", "SHA", "-x", "AES"},
	} {
		what := strings.Join(args, " ")
		deb, mine := nuttest.Exec("", debianScanner, args...), nuttest.Exec("", ours, args...)
		d, dok := sections(deb.Out)
		o, ook := sections(mine.Out)
		if strings.Contains(what, "-P") {
			d, o = sortedLines(deb.Out), sortedLines(mine.Out)
		}
		if d != o || !dok || !ook || deb.Code != mine.Code || sortedLines(deb.Err) != sortedLines(mine.Err) {
			t.Errorf("nut-scanner %s:\nDebian's (exit %d):\n%s%s\nours (exit %d):\n%s%s", what, deb.Code, deb.Out, deb.Err, mine.Code, mine.Out, mine.Err)
		}
	}
	// The scans find something at all.
	if out := nuttest.Exec("", ours, "-S", "-s", "127.77.8.1", "-t", "2", "-q").Out; !strings.Contains(out, `mibs = "ietf"`) {
		t.Errorf("the IETF agent was not found:\n%s", out)
	}
	v3 := nuttest.Exec("", ours, "-S", "-s", "127.77.8.3", "-t", "2", "-q", "-l", "authPriv", "-u", "scan", "-w", "SHA", "-W", "authpass123", "-x", "AES", "-X", "privpass123").Out
	if !strings.Contains(v3, `snmp_version = "v3"`) || !strings.Contains(v3, `mibs = "ietf"`) {
		t.Errorf("the SNMPv3 agent was not found:\n%s", v3)
	}
}

func TestCIDR(t *testing.T) {
	for in, want := range map[string]string{
		"192.168.1.77/24": "192.168.1.0 192.168.1.255", "10.0.0.5/32": "10.0.0.5 10.0.0.5",
		"127.77.8.0/29": "127.77.8.0 127.77.8.7", "fe80::1/126": "fe80:: fe80::3",
	} {
		a, b, err := scanner.CIDR(in)
		if err != nil || a+" "+b != want {
			t.Errorf("CIDR(%s) = %s %s %v, want %s", in, a, b, err, want)
		}
	}
	for _, bad := range []string{"10.0.0.0/0", "10.0.0.0", "x/24"} {
		if _, _, err := scanner.CIDR(bad); err == nil {
			t.Errorf("CIDR(%s) gives no error", bad)
		}
	}
	if _, err := scanner.Range("10.0.0.0", "10.2.0.0", 1<<16); err == nil {
		t.Error("a range of 131073 addresses is scanned")
	}
}
