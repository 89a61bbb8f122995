package snmp_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"gonut/internal/nuttest"
	"gonut/internal/snmpsim"
)

// debianDriver is Debian's snmp-ups (package nut-snmp).
const debianDriver = "/lib/nut/snmp-ups"

func needDebianDriver(t *testing.T) {
	t.Helper()
	nuttest.NeedDebianNUT(t)
	if _, err := os.Stat(debianDriver); err != nil {
		t.Skip("Debian's snmp-ups is not installed: apt-get install nut-snmp, or run make check")
	}
}

// pair is Debian's snmp-ups (section "deb") and ours (section "ours")
// reading the same agent, behind Debian's upsd.
type pair struct {
	stack *nuttest.Stack
	agent *snmpsim.Agent
}

// startPair starts the agent with the .snmprec files of testdata named,
// and both drivers on community (with the extra settings), and waits
// until upsd serves both.
func startPair(t *testing.T, community string, extra string, recs ...string) *pair {
	t.Helper()
	needDebianDriver(t)
	files := map[string]string{}
	for _, r := range recs {
		path := "testdata/" + r
		if filepath.IsAbs(r) {
			path = r
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(r)] = string(b)
	}
	agent := snmpsim.Start(t, files)
	ours := nuttest.Build(t, "gonut/cmd/snmp-ups")
	section := func(name string) string {
		return fmt.Sprintf("[%s]\n\tdriver = snmp-ups\n\tport = %s\n\tcommunity = %s\n\tpollinterval = 1\n\tpollfreq = 1\n%s", name, agent.Addr(), community, extra)
	}
	s := nuttest.NewStack(t, section("deb")+section("ours"), nil)
	s.Start(debianDriver, "-a", "deb", "-u", "root", "-F")
	s.Start(ours, "-a", "ours", "-u", "root", "-F")
	s.WaitSocket("snmp-ups", "deb")
	s.WaitSocket("snmp-ups", "ours")
	s.StartUpsd()
	for _, u := range []string{"deb", "ours"} {
		nuttest.Eventually(t, "upsd serves "+u, func() (bool, string) {
			r := nuttest.Exec("", "upsc", s.Addr(u), "ups.status")
			return r.Code == 0 && r.Out != "", r.Out + r.Err
		})
	}
	return &pair{stack: s, agent: agent}
}

// versionLines differ between the two drivers by their nature; and NUT's
// driver turns synchronous from auto to yes when a write to upsd would
// block (a large dump, a busy machine), which ours never needs.
var versionLines = regexp.MustCompile(`(?m)^(driver\.version(\.internal)?|driver\.parameter\.synchronous): .*\n`)

func normalise(out, ups string) string {
	out = strings.ReplaceAll(out, ups, "UPS")
	return versionLines.ReplaceAllString(out, "")
}

// same runs a client for both UPSes and compares what it prints.
func (p *pair) same(t *testing.T, what string, args ...string) string {
	t.Helper()
	return p.sameBut(t, what, nil, args...)
}

// sameBut is same, but for what the drivers print otherwise, on purpose
// (README: where gonut differs): each entry is "Debian's text=>ours",
// whole lines; Debian's must be there, and is replaced with ours before
// the outputs are compared ("=>ours" is ours alone: it is taken out of
// ours).
func (p *pair) sameBut(t *testing.T, what string, differ []string, args ...string) string {
	t.Helper()
	run := func(ups string) string {
		a := make([]string, len(args))
		for i, x := range args {
			a[i] = strings.ReplaceAll(x, "UPS", p.stack.Addr(ups))
		}
		r := nuttest.Exec("", a[0], a[1:]...)
		return normalise(r.Out+r.Err, ups)
	}
	var deb, ours string
	nuttest.Eventually(t, what, func() (bool, string) {
		deb, ours = run("deb"), run("ours")
		d, o := deb, ours
		for _, x := range differ {
			from, to, _ := strings.Cut(x, "=>")
			if from == "" {
				if !strings.Contains("\n"+o, "\n"+to) {
					return false, fmt.Sprintf("ours no longer shows %q%s", to, diff(deb, ours))
				}
				o = strings.Replace(o, to, "", 1)
				continue
			}
			if !strings.Contains("\n"+d, "\n"+from) {
				return false, fmt.Sprintf("Debian's no longer shows %q%s", from, diff(deb, ours))
			}
			d = strings.Replace(d, from, to, 1)
		}
		return d == o, diff(d, o)
	})
	return ours
}

// diff lists the lines of one output that the other lacks.
func diff(deb, ours string) string {
	d, o := lines(deb), lines(ours)
	var b strings.Builder
	for l := range d {
		if !o[l] {
			fmt.Fprintf(&b, "\n  Debian only: %s", l)
		}
	}
	for l := range o {
		if !d[l] {
			fmt.Fprintf(&b, "\n  ours only:   %s", l)
		}
	}
	return b.String()
}

func lines(s string) map[string]bool {
	m := map[string]bool{}
	for _, l := range strings.Split(s, "\n") {
		if l != "" {
			m[l] = true
		}
	}
	return m
}

func sortedLines(s string) string {
	l := strings.Split(strings.TrimSpace(s), "\n")
	sort.Strings(l)
	return strings.Join(l, "\n")
}

// TestIETFLikeDebian: an RFC 1628 agent shows the same variables,
// writable variables and commands through upsd from Debian's snmp-ups
// and ours.
func TestIETFLikeDebian(t *testing.T) {
	p := startPair(t, "ietf", "", "ietf.snmprec")
	// NUT 2.8.0 never filters bypass rows by phase count: a one-phase
	// UPS shows a three-phase variable as well.
	out := p.sameBut(t, "upsc", []string{"input.bypass.L1-N.voltage: 121\n=>"}, "upsc", "UPS")
	if !strings.Contains(out, "ups.status: OL") || !strings.Contains(out, "driver.version.data: ietf MIB 1.54") {
		t.Errorf("upsc shows:\n%s", out)
	}
	rw := p.same(t, "upsrw", "upsrw", "UPS")
	cmds := p.same(t, "upscmd -l", "upscmd", "-l", "UPS")
	for _, want := range []string{"[ups.timer.shutdown]", "[device.contact]"} {
		if !strings.Contains(rw, want) {
			t.Errorf("upsrw lacks %s:\n%s", want, rw)
		}
	}
	for _, want := range []string{"load.off -", "beeper.disable -", "test.battery.start -"} {
		if !strings.Contains(cmds, want) {
			t.Errorf("upscmd -l lacks %s:\n%s", want, cmds)
		}
	}
	t.Logf("upsc:\n%s\nupsrw:\n%s\nupscmd -l:\n%s", out, rw, cmds)
}

// sets runs a client command on one UPS and returns what it printed and
// the SETs the agent got from it.
func (p *pair) sets(t *testing.T, ups string, args ...string) (string, []snmpsim.Set) {
	t.Helper()
	before := len(p.agent.Sets())
	a := make([]string, len(args))
	for i, x := range args {
		a[i] = strings.ReplaceAll(x, "UPS", p.stack.Addr(ups))
	}
	r := nuttest.Exec("", a[0], a[1:]...)
	var got []snmpsim.Set
	nuttest.Eventually(t, "the agent logs the SET", func() (bool, string) {
		got = p.agent.Sets()[before:]
		return len(got) > 0, "no SET logged"
	})
	return strings.TrimSpace(r.Out + r.Err), got
}

// TestIETFSetsLikeDebian: upsrw and upscmd reach the agent as the same
// SET requests (OID, type and value) from Debian's snmp-ups and ours,
// but for a string row of a number, which ours writes as the number
// the agent has (NUT writes a string the agent refuses).
func TestIETFSetsLikeDebian(t *testing.T) {
	p := startPair(t, "ietf", "", "ietf.snmprec")
	for _, c := range []struct {
		args     []string
		result   string // both drivers' answer
		debian   string // Debian's SET where ours differs
		ours     string // ours, where it differs
		ourReply string
	}{
		{args: []string{"upsrw", "-s", "device.contact=ops@example.test", "-u", "admin", "-p", "secret", "-w", "UPS"}, result: "SUCCESS"},
		{args: []string{"upsrw", "-s", "ups.timer.shutdown=30", "-u", "admin", "-p", "secret", "-w", "UPS"}, result: "ERR FAILED",
			debian: "[1.3.6.1.2.1.33.1.8.2.0 = OctetString: 30]", ours: "[1.3.6.1.2.1.33.1.8.2.0 = Integer32: 30]", ourReply: "SUCCESS"},
		{args: []string{"upscmd", "-u", "admin", "-p", "secret", "-w", "UPS", "beeper.disable"}, result: "SUCCESS"},
		{args: []string{"upscmd", "-u", "admin", "-p", "secret", "-w", "UPS", "load.off"}, result: "SUCCESS"},
		// NUT's table writes 0 into upsTestId, an OBJECT IDENTIFIER: refused.
		{args: []string{"upscmd", "-u", "admin", "-p", "secret", "-w", "UPS", "test.battery.start"}, result: "ERR FAILED"},
	} {
		what := strings.Join(c.args, " ")
		debOut, deb := p.sets(t, "deb", c.args...)
		ourOut, ours := p.sets(t, "ours", c.args...)
		wantOurs, wantReply := fmt.Sprint(deb), c.result
		if c.ours != "" {
			if fmt.Sprint(deb) != c.debian {
				t.Errorf("%s: Debian's SET is %v, not %s", what, deb, c.debian)
			}
			wantOurs, wantReply = c.ours, c.ourReply
		}
		if fmt.Sprint(ours) != wantOurs {
			t.Errorf("%s:\nDebian's: %v\nours:     %v (want %s)", what, deb, ours, wantOurs)
		}
		if debOut != c.result || ourOut != wantReply {
			t.Errorf("%s: Debian's answers %q (want %q), ours %q (want %q)", what, debOut, c.result, ourOut, wantReply)
		}
	}
}

// TestAPCLikeDebian: an APC PowerNet-MIB agent whose sysObjectID no
// table names (so both drivers probe the tables in NUT's order) shows
// the same through upsd from Debian's snmp-ups and ours.
func TestAPCLikeDebian(t *testing.T) {
	p := startPair(t, "apcc", "", "apcc.snmprec")
	out := p.same(t, "upsc", "upsc", "UPS")
	if !strings.Contains(out, "ups.status: OL") || !strings.Contains(out, "driver.version.data: apcc MIB 1.6") {
		t.Errorf("upsc shows:\n%s", out)
	}
	rw := p.same(t, "upsrw", "upsrw", "UPS")
	cmds := p.same(t, "upscmd -l", "upscmd", "-l", "UPS")
	t.Logf("upsc:\n%s\nupsrw:\n%s\nupscmd -l:\n%s", out, rw, cmds)
}

// TestGeneratedAgentsLikeDebian: agents made of every object of a
// table (testdata/*.gen.snmprec) show the same through upsd from
// Debian's snmp-ups and ours: an MGE three-phase UPS, a CyberPower UPS
// and an Eaton three-phase switched ePDU with outlets and outlet groups.
func TestGeneratedAgentsLikeDebian(t *testing.T) {
	// NUT 2.8.0 numbers the items of a template row without an OID
	// from -1 (outlet.-1.id, outlet.0.id...).
	ids := func(n int) []string {
		return []string{"outlet.-1.id: -1\n=>", "outlet.0.id: 0\n=>", fmt.Sprintf("=>outlet.%d.id: %d\n", n-1, n-1), fmt.Sprintf("=>outlet.%d.id: %d\n", n, n)}
	}
	// NUT lists a conversion's placeholder "dummy" as the only value of
	// a writable date.
	dummyDate := []string{"Type: ENUM STRING\nMaximum length: 128\nOption: \"dummy\"\n=>Type: STRING\nMaximum length: 128\nValue: 2021-03-15\n"}
	// NUT 2.8.0 never filters bypass rows by phase count: a one-phase
	// device shows three-phase bypass variables too.
	bypass3 := func(voltage, current, realpower string) []string {
		var out []string
		for _, l := range []string{"1", "2", "3"} {
			out = append(out, fmt.Sprintf("input.bypass.L%s-N.voltage: %s\n=>", l, voltage), fmt.Sprintf("input.bypass.L%s.current: %s\n=>", l, current))
			if realpower != "" {
				out = append(out, fmt.Sprintf("input.bypass.L%s.realpower: %s\n=>", l, realpower))
			}
		}
		return out
	}
	for _, c := range []struct {
		name, data, want string
		differ, rwDiffer []string
	}{
		{"mge", "mge.gen.snmprec", "driver.version.data: mge MIB 0.55", nil, nil},
		// NUT's lookups end at an entry "NULL": CyberPower's power
		// status table begins with one, so NUT never shows OL.
		{"cyberpower", "cyberpower.gen.snmprec", "driver.version.data: cyberpower MIB 0.51", []string{"ups.status: \n=>ups.status: OL\n"}, nil},
		{"eaton_epdu", "eaton_epdu.gen.snmprec", "outlet.24.", nil, nil},
		{"eaton_epdu daisy chain", "eaton_epdu_daisy.gen.snmprec", "device.3.outlet.4.", nil, nil},
		{"cpqpower", "cpqpower.gen.snmprec", "driver.version.data: cpqpower MIB 1.66", nil, nil},
		{"pw", "pw.gen.snmprec", "driver.version.data: pw MIB 0.104", nil, dummyDate},
		{"raritan", "raritan.gen.snmprec", "driver.version.data: raritan MIB 0.8", ids(8), nil},
		{"raritan-px2", "raritan-px2.gen.snmprec", "driver.version.data: raritan-px2 MIB 0.4", nil, nil},
		{"huawei", "huawei.gen.snmprec", "driver.version.data: huawei MIB 0.4", nil, nil},
		{"delta_ups", "delta_ups.gen.snmprec", "driver.version.data: delta_ups MIB 0.5", nil, nil},
		{"netvision", "netvision.gen.snmprec", "driver.version.data: netvision MIB 0.44", bypass3("231", "2.50", ""), nil},
		{"apc_ats", "apc_ats.gen.snmprec", "driver.version.data: apc_ats MIB 0.6", nil, nil},
		{"apc_pdu", "apc_pdu.gen.snmprec", "driver.version.data: apc_pdu MIB 0.4", nil, nil},
		{"hpe_epdu", "hpe_epdu.gen.snmprec", "driver.version.data: hpe_epdu MIB 0.33", ids(12), nil},
		{"emerson_avocent_pdu", "emerson_avocent_pdu.gen.snmprec", "driver.version.data: emerson_avocent_pdu MIB 1.3", nil, nil},
		{"eaton_ats16_nm2", "eaton_ats16_nm2.gen.snmprec", "driver.version.data: eaton_ats16_nm2 MIB 0.22", nil, nil},
		{"eaton_ats30", "eaton_ats30.gen.snmprec", "driver.version.data: eaton_ats30 MIB 0.03", nil, nil},
		{"xppc", "xppc.gen.snmprec", "driver.version.data: xppc MIB 0.4", nil, nil},
		{"bestpower", "bestpower.gen.snmprec", "driver.version.data: bestpower MIB 0.4", nil, nil},
		{"eaton_ats16_nmc", "eaton_ats16_nmc.gen.snmprec", "driver.version.data: eaton_ats16_nmc MIB 0.21", nil, nil},
		{"aphel_genesisII", "aphel_genesisII.gen.snmprec", "driver.version.data: aphel_genesisII MIB 0.52", nil, nil},
		{"aphel_revelation", "aphel_revelation.gen.snmprec", "driver.version.data: aphel_revelation MIB 0.52", ids(8), nil},
		{"pulizzi_switched1", "pulizzi_switched1.gen.snmprec", "driver.version.data: pulizzi_switched1 MIB 0.5", ids(8), nil},
		{"pxgx_ups", "pxgx_ups.gen.snmprec", "driver.version.data: pxgx_ups MIB 0.104", nil, dummyDate},
		{"tripplite", "tripplite.gen.snmprec", "driver.version.data: tripplite MIB 1.54", bypass3("231", "2.50", "310"), nil},
		// NUT takes a new value that differs only in case for no change.
		{"baytech", "baytech.gen.snmprec", "driver.version.data: baytech MIB 0.4034", []string{"device.mfr: BayTech\n=>device.mfr: Baytech\n"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := startPair(t, strings.TrimSuffix(c.data, ".snmprec"), "", c.data)
			out := p.sameBut(t, "upsc", c.differ, "upsc", "UPS")
			if !strings.Contains(out, c.want) {
				t.Errorf("upsc lacks %q:\n%s", c.want, out)
			}
			p.sameBut(t, "upsrw", c.rwDiffer, "upsrw", "UPS")
			p.same(t, "upscmd -l", "upscmd", "-l", "UPS")
		})
	}
}

// TestSNMPv3LikeDebian: through Debian's snmpd with SNMPv3 users, the
// drivers read the same at each security level and protocol pair, and
// a wrong pass phrase is an error that says so.
func TestSNMPv3LikeDebian(t *testing.T) {
	needDebianDriver(t)
	users := "createUser authpriv SHA \"authpass123\" AES \"privpass123\"\nrwuser authpriv priv\n" +
		"createUser md5des MD5 \"authpass123\" DES \"privpass123\"\nrwuser md5des priv\n" +
		"createUser authonly SHA256 \"authpass123\"\nrwuser authonly auth\n"
	body, err := os.ReadFile("testdata/ietf.snmprec")
	if err != nil {
		t.Fatal(err)
	}
	addr := snmpsim.Snmpd(t, fmt.Sprintf("127.0.0.1:%d", nuttest.FreeUDPPort(t)), users, string(body))
	ours := nuttest.Build(t, "gonut/cmd/snmp-ups")
	for _, c := range []struct{ name, settings string }{
		{"authPriv SHA AES", "secLevel = authPriv\n\tsecName = authpriv\n\tauthPassword = authpass123\n\tprivPassword = privpass123\n\tauthProtocol = SHA\n\tprivProtocol = AES\n"},
		{"authPriv MD5 DES", "secLevel = authPriv\n\tsecName = md5des\n\tauthPassword = authpass123\n\tprivPassword = privpass123\n"},
		{"authNoPriv SHA256", "secLevel = authNoPriv\n\tsecName = authonly\n\tauthPassword = authpass123\n\tauthProtocol = SHA256\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			section := func(name string) string {
				return fmt.Sprintf("[%s]\n\tdriver = snmp-ups\n\tport = %s\n\tsnmp_version = v3\n\t%s", name, addr, c.settings)
			}
			s := nuttest.NewStack(t, section("deb")+section("ours"), nil)
			s.Start(debianDriver, "-a", "deb", "-u", "root", "-F")
			s.Start(ours, "-a", "ours", "-u", "root", "-F")
			s.WaitSocket("snmp-ups", "deb")
			s.WaitSocket("snmp-ups", "ours")
			s.StartUpsd()
			p := &pair{stack: s}
			out := p.sameBut(t, "upsc", []string{"input.bypass.L1-N.voltage: 121\n=>"}, "upsc", "UPS")
			if !strings.Contains(out, "ups.model: SMART1500RM2UN") {
				t.Errorf("upsc shows:\n%s", out)
			}
		})
	}
	t.Run("wrong pass phrase", func(t *testing.T) {
		s := nuttest.NewStack(t, fmt.Sprintf("[ours]\n\tdriver = snmp-ups\n\tport = %s\n\tsnmp_version = v3\n\tsecLevel = authPriv\n\tsecName = authpriv\n"+
			"\tauthPassword = wrongpass1\n\tprivPassword = privpass123\n\tauthProtocol = SHA\n\tprivProtocol = AES\n\tsnmp_retries = 0\n", addr), nil)
		out, err := s.Run(ours, "-a", "ours", "-u", "root", "-F")
		if err == nil || !strings.Contains(err.Error()+out, "authentication") {
			t.Errorf("a wrong pass phrase: %v\n%s", err, out)
		}
	})
}

// TestListLikeDebian: -x mibs=--list prints what Debian's prints, but
// for the version in the first line.
func TestListLikeDebian(t *testing.T) {
	needDebianDriver(t)
	ours := nuttest.Build(t, "gonut/cmd/snmp-ups")
	args := []string{"-s", "x", "-x", "port=127.0.0.1", "-x", "mibs=--list"}
	deb, mine := nuttest.Exec("", debianDriver, args...), nuttest.Exec("", ours, args...)
	first := regexp.MustCompile(`^Network UPS Tools - Generic SNMP UPS driver 1.21 \(.*\)\n`)
	d, o := first.ReplaceAllString(deb.Out, ""), first.ReplaceAllString(mine.Out, "")
	if d != o || d == deb.Out || o == mine.Out || deb.Code != mine.Code {
		t.Errorf("Debian's (exit %d):\n%s\nours (exit %d):\n%s", deb.Code, deb.Out, mine.Code, mine.Out)
	}
}

// TestOptionsLikeDebian: notransferoids drops the transfer points on
// both drivers, and a named MIB that the agent lacks, or that no table
// has, stops both with an error saying which.
func TestOptionsLikeDebian(t *testing.T) {
	p := startPair(t, "apcc", "\tnotransferoids\n\tmibs = apcc\n", "apcc.snmprec")
	// NUT still reads the transfer points once, at its first walk.
	out := p.sameBut(t, "upsc", []string{"input.transfer.high: 132\n=>", "input.transfer.low: 103\n=>"}, "upsc", "UPS")
	if strings.Contains(out, "input.transfer.high") || !strings.Contains(out, "driver.flag.notransferoids: enabled") {
		t.Errorf("notransferoids: upsc shows\n%s", out)
	}
	p.sameBut(t, "upsrw", []string{"[input.transfer.high]\nHigh voltage transfer point (V)\nType: STRING\nMaximum length: 3\nValue: 132\n\n=>",
		"[input.transfer.low]\nLow voltage transfer point (V)\nType: STRING\nMaximum length: 3\nValue: 103\n\n=>"}, "upsrw", "UPS")
	ours := nuttest.Build(t, "gonut/cmd/snmp-ups")
	agent := snmpsim.Start(t, map[string]string{"apcc.snmprec": mustRead(t, "testdata/apcc.snmprec")})
	for _, c := range []struct{ mibs, want string }{
		{"ietf", "Requested 'mibs' value 'ietf' did not match this device"},
		{"bogus", "Unknown 'mibs' value: bogus"},
	} {
		args := []string{"-s", "x", "-x", "port=" + agent.Addr(), "-x", "community=apcc", "-x", "mibs=" + c.mibs, "-x", "snmp_retries=0"}
		deb, mine := nuttest.Exec("", debianDriver, args...), nuttest.Exec("", ours, args...)
		if deb.Code == 0 || mine.Code == 0 || !strings.Contains(deb.Out+deb.Err, c.want) || !strings.Contains(mine.Out+mine.Err, c.want) {
			t.Errorf("mibs=%s: Debian's (exit %d): %s%s\nours (exit %d): %s%s", c.mibs, deb.Code, deb.Out, deb.Err, mine.Code, mine.Out, mine.Err)
		}
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestInvalidValueLikeDebian: APC's high-precision input voltage says -1
// (not available): both drivers show the lower-precision object's value
// instead, and ours goes on reading it (NUT's never reads it again).
func TestInvalidValueLikeDebian(t *testing.T) {
	rec := strings.Replace(mustRead(t, "testdata/apcc.snmprec"), "1.3.6.1.4.1.318.1.1.1.3.3.1.0|66|1124\n", "1.3.6.1.4.1.318.1.1.1.3.3.1.0|2|-1\n", 1)
	path := filepath.Join(t.TempDir(), "neg.snmprec")
	if err := os.WriteFile(path, []byte(rec), 0o644); err != nil {
		t.Fatal(err)
	}
	p := startPair(t, "neg", "", path)
	out := p.same(t, "upsc", "upsc", "UPS")
	if !strings.Contains(out, "input.voltage: 112\n") {
		t.Errorf("upsc shows:\n%s", out)
	}
}

// TestKillPowerLikeDebian: -k sends the agent the same SET from both
// drivers (APC: shutdown.return), and both fail alike where the table
// has no shutdown command (RFC 1628).
func TestKillPowerLikeDebian(t *testing.T) {
	needDebianDriver(t)
	agent := snmpsim.Start(t, map[string]string{"apcc.snmprec": mustRead(t, "testdata/apcc.snmprec"), "ietf.snmprec": mustRead(t, "testdata/ietf.snmprec")})
	ours := nuttest.Build(t, "gonut/cmd/snmp-ups")
	for _, c := range []struct {
		community string
		sets      string
		code      int
	}{
		{"apcc", "[1.3.6.1.4.1.318.1.1.1.6.1.1.0 = Integer32: 2]", 0},
		{"ietf", "[]", 1},
	} {
		conf := fmt.Sprintf("[x]\n\tdriver = snmp-ups\n\tport = %s\n\tcommunity = %s\n\tsnmp_retries = 1\n", agent.Addr(), c.community)
		s := nuttest.NewStack(t, conf, nil)
		for _, bin := range []string{debianDriver, ours} {
			before := len(agent.Sets())
			cmd := exec.Command(bin, "-a", "x", "-k", "-u", "root")
			cmd.Env = s.Env
			out, _ := cmd.CombinedOutput()
			got := fmt.Sprint(agent.Sets()[before:])
			if cmd.ProcessState.ExitCode() != c.code || got != c.sets {
				t.Errorf("%s -k on %s: exit %d, SETs %s (want exit %d, %s)\n%s", bin, c.community, cmd.ProcessState.ExitCode(), got, c.code, c.sets, out)
			}
		}
	}
}

// TestV2cLikeDebian: with SNMPv2c, where an agent answers a missing
// object with noSuchObject rather than an error, the drivers show the
// same variables; but NUT takes such an answer for the object when it
// checks a command's OID, so it lists commands the agent lacks (here
// the beeper's, of an agent without upsConfigAudibleStatus).
func TestV2cLikeDebian(t *testing.T) {
	rec := strings.Replace(mustRead(t, "testdata/ietf.snmprec"), "1.3.6.1.2.1.33.1.9.8.0|2:writecache|value=2\n", "", 1)
	path := filepath.Join(t.TempDir(), "nobeeper.snmprec")
	if err := os.WriteFile(path, []byte(rec), 0o644); err != nil {
		t.Fatal(err)
	}
	p := startPair(t, "nobeeper", "\tsnmp_version = v2c\n", path)
	out := p.sameBut(t, "upsc", []string{"input.bypass.L1-N.voltage: 121\n=>"}, "upsc", "UPS")
	if strings.Contains(out, "ups.beeper.status") {
		t.Errorf("upsc shows a beeper:\n%s", out)
	}
	p.same(t, "upsrw", "upsrw", "UPS")
	p.sameBut(t, "upscmd -l", []string{"beeper.disable - Disable the UPS beeper\nbeeper.enable - Enable the UPS beeper\nbeeper.mute - Temporarily mute the UPS beeper\n=>"},
		"upscmd", "-l", "UPS")
}

// TestOptionListLikeDebian: -L lists the options Debian's lists, in its
// order and words, but the sensitive ones (the community and the SNMPv3
// secrets) as the VALUEs they are: NUT's tests for VALUE miss them, and
// call them UNKNOWN.
func TestOptionListLikeDebian(t *testing.T) {
	needDebianDriver(t)
	ours := nuttest.Build(t, "gonut/cmd/snmp-ups")
	deb, mine := nuttest.Exec("", debianDriver, "-L"), nuttest.Exec("", ours, "-L")
	first := regexp.MustCompile(`^Network UPS Tools - Generic SNMP UPS driver 1.21 \(.*\)\n`)
	d := strings.ReplaceAll(first.ReplaceAllString(deb.Out, ""), "UNKNOWN ", "VALUE ")
	o := first.ReplaceAllString(mine.Out, "")
	if d != o || strings.Count(deb.Out, "UNKNOWN ") != 4 {
		t.Errorf("Debian's:\n%s\nours:\n%s", deb.Out, mine.Out)
	}
}

// TestCompositeCommandsLikeDebian: MGE's table has delayed load commands
// only; both drivers list load.off, but NUT's then answers that it does
// not know it, where ours runs load.off.delay with a delay of 0.
func TestCompositeCommandsLikeDebian(t *testing.T) {
	p := startPair(t, "mge.gen", "", "mge.gen.snmprec")
	cmds := p.same(t, "upscmd -l", "upscmd", "-l", "UPS")
	if !strings.Contains(cmds, "load.off - ") {
		t.Fatalf("upscmd -l:\n%s", cmds)
	}
	args := []string{"upscmd", "-u", "admin", "-p", "secret", "-w", "UPS", "load.off"}
	before := len(p.agent.Sets())
	a := append([]string(nil), args...)
	a[6] = p.stack.Addr("deb")
	deb := nuttest.Exec("", a[0], a[1:]...)
	if !strings.Contains(deb.Out+deb.Err, "ERR UNKNOWN") || len(p.agent.Sets()) != before {
		t.Errorf("Debian's load.off: %s%s, SETs %v", deb.Out, deb.Err, p.agent.Sets()[before:])
	}
	out, sets := p.sets(t, "ours", args...)
	if out != "SUCCESS" || fmt.Sprint(sets) != "[1.3.6.1.2.1.33.1.8.2.0 = Integer32: 0]" {
		t.Errorf("our load.off: %s, SETs %v", out, sets)
	}
}
