package dummyups_test

import (
	"fmt"
	"math/rand"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"gonut/internal/nuttest"
)

// normalise removes what must differ between the two drivers: the UPS
// names in headers and our version string.
func normalise(out, ups string) string {
	out = strings.ReplaceAll(out, "["+ups+"]", "[UPS]")
	return regexp.MustCompile(`(?m)^driver\.version: .*$`).ReplaceAllString(out, "driver.version: X")
}

// varNames are NUT variable names from docs/nut-names.txt with values of
// the shapes real devices report.
var varNames = []struct {
	name string
	gen  func(r *rand.Rand) string
}{
	{"device.mfr", pick("APC", "Eaton", "CyberPower", "Riello UPS", "Tripp Lite")},
	{"device.model", pick("Smart-UPS 1500", "5E 850i", "CP1500PFCLCD", "iDialog 1000", "SMART1500LCDT")},
	{"device.serial", num("AS%07d")},
	{"ups.mfr", pick("American Power Conversion", "EATON", "CPS")},
	{"ups.model", pick("Back-UPS ES 700G", "Ellipse ECO 1600", "OR1500ELCD")},
	{"ups.serial", num("%012d")},
	{"ups.firmware", pick("871.O4 .I", "02.08.0010", "CR01505B4")},
	{"ups.load", intIn(0, 100)},
	{"ups.realpower.nominal", pick("450", "900", "1000")},
	{"ups.beeper.status", pick("enabled", "disabled", "muted")},
	{"ups.delay.shutdown", pick("20", "30", "120")},
	{"ups.delay.start", pick("30", "0")},
	{"ups.timer.shutdown", pick("-1", "0")},
	{"ups.test.result", pick("No test initiated", "Done and passed", "Aborted")},
	{"ups.temperature", floatIn(20, 45)},
	{"input.voltage", floatIn(200, 250)},
	{"input.voltage.nominal", pick("230", "120")},
	{"input.frequency", floatIn(49, 51)},
	{"input.transfer.low", pick("170", "180", "88")},
	{"input.transfer.high", pick("280", "290", "139")},
	{"input.transfer.reason", pick("input voltage out of range", "self test")},
	{"input.sensitivity", pick("medium", "high", "low")},
	{"output.voltage", floatIn(218, 232)},
	{"output.frequency", floatIn(49.5, 50.5)},
	{"output.current", floatIn(0, 10)},
	{"battery.charge", intIn(0, 100)},
	{"battery.charge.low", pick("10", "20")},
	{"battery.charge.warning", pick("50", "35")},
	{"battery.runtime", intIn(60, 7200)},
	{"battery.runtime.low", pick("120", "300")},
	{"battery.voltage", floatIn(12, 27.6)},
	{"battery.voltage.nominal", pick("12", "24")},
	{"battery.type", pick("PbAc", "Li-ion")},
	{"battery.date", pick("2021/04/12", "01/15/22")},
	{"battery.mfr.date", pick("2020/11/01", "CPS")},
	{"battery.temperature", floatIn(20, 40)},
	{"ambient.temperature", floatIn(18, 30)},
	{"ambient.humidity", floatIn(20, 60)},
	{"outlet.1.status", pick("on", "off")},
	{"outlet.1.desc", pick("PowerShare Outlet 1", "Outlet A")},
	{"ups.productid", pick("0002", "0601", "ffff")},
	{"ups.vendorid", pick("051d", "0463", "0764")},
	{"driver.parameter.bus", pick("001")}, // skipped by dummy-ups: driver.* belongs to the driver
}

func pick(vs ...string) func(*rand.Rand) string {
	return func(r *rand.Rand) string { return vs[r.Intn(len(vs))] }
}
func intIn(a, b int) func(*rand.Rand) string {
	return func(r *rand.Rand) string { return fmt.Sprint(a + r.Intn(b-a+1)) }
}
func floatIn(a, b float64) func(*rand.Rand) string {
	return func(r *rand.Rand) string { return fmt.Sprintf("%.1f", a+r.Float64()*(b-a)) }
}
func num(format string) func(*rand.Rand) string {
	return func(r *rand.Rand) string { return fmt.Sprintf(format, r.Intn(10000000)) }
}

var statuses = []string{"OL", "OL CHRG", "OB DISCHRG", "OB DISCHRG LB", "OL BOOST", "OL TRIM", "OL CHRG RB", "OB", "OL BYPASS", "OFF"}

// generateDump makes a device dump like NUT's device dump library holds:
// a random subset of variables, in upsc's "name: value" form.
func generateDump(seed int64) string {
	r := rand.New(rand.NewSource(seed))
	var b strings.Builder
	fmt.Fprintf(&b, "# generated device dump, seed %d\n", seed)
	if r.Intn(4) > 0 {
		fmt.Fprintf(&b, "ups.status: %s\n", statuses[r.Intn(len(statuses))])
	}
	for _, v := range varNames {
		if r.Intn(3) == 0 {
			continue
		}
		val := v.gen(r)
		if r.Intn(5) == 0 {
			val = `"` + val + `"` // some dumps quote their values
		}
		fmt.Fprintf(&b, "%s: %s\n", v.name, val)
	}
	if r.Intn(5) == 0 {
		fmt.Fprintf(&b, "ups.alarm: %s\n", pick("Replace battery!", "Overheat")(r))
	}
	return b.String()
}

// Debian's upsc, upsrw and upscmd see the same through Debian's upsd
// whether Debian's dummy-ups or ours serves a device dump.
func TestSameAsDebianDummyUPS(t *testing.T) {
	nuttest.NeedDebianNUT(t)
	ours := nuttest.Build(t, "gonut/cmd/dummy-ups")
	const dumps = 24
	var conf strings.Builder
	files := map[string]string{}
	for i := 0; i < dumps; i++ {
		file := fmt.Sprintf("dump%d.dev", i)
		files[file] = generateDump(int64(i))
		fmt.Fprintf(&conf, "[deb%d]\n\tdriver = dummy-ups\n\tport = %s\n", i, file)
		fmt.Fprintf(&conf, "[ours%d]\n\tdriver = dummy-ups\n\tport = %s\n\tdesc = \"gonut %d\"\n", i, file, i)
	}
	s := nuttest.NewStack(t, conf.String(), files)
	for i := 0; i < dumps; i++ {
		s.Start(nuttest.DebianDummy, "-a", fmt.Sprintf("deb%d", i), "-u", "root", "-F")
		s.Start(ours, "-a", fmt.Sprintf("ours%d", i), "-u", "root", "-F")
	}
	for i := 0; i < dumps; i++ {
		s.WaitSocket("dummy-ups", fmt.Sprintf("deb%d", i))
		s.WaitSocket("dummy-ups", fmt.Sprintf("ours%d", i))
	}
	s.StartUpsd()

	for i := 0; i < dumps; i++ {
		deb, us := fmt.Sprintf("deb%d", i), fmt.Sprintf("ours%d", i)
		for _, client := range []struct {
			name string
			args []string
		}{
			{"upsc", nil},
			{"upsrw", nil},
			{"upscmd", []string{"-l"}},
		} {
			nuttest.Eventually(t, fmt.Sprintf("%s on dump %d", client.name, i), func() (bool, string) {
				a, err1 := s.Run(client.name, append(client.args, s.Addr(deb))...)
				b, err2 := s.Run(client.name, append(client.args, s.Addr(us))...)
				if err1 != nil || err2 != nil {
					return false, fmt.Sprintf("Debian: %v, ours: %v", err1, err2)
				}
				a, b = normalise(a, deb), normalise(b, us)
				if a != b {
					return false, fmt.Sprintf("differ\nDebian's dummy-ups:\n%s\nours:\n%s\ndump:\n%s", a, b, files[fmt.Sprintf("dump%d.dev", i)])
				}
				return true, ""
			})
		}
	}

	// SET and INSTCMD with TRACKING go through Debian's upsd to our driver
	// and back: upsrw -w and upscmd -w wait for the driver's answer.
	if _, err := s.Run("upsrw", "-s", "ups.mfr=Server room A", "-u", "admin", "-p", "secret", "-w", s.Addr("ours0")); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Run("upsc", s.Addr("ours0"), "ups.mfr"); err != nil || strings.TrimSpace(v) != "Server room A" {
		t.Fatalf("after SET, ups.mfr is %q (%v)", v, err)
	}
	if _, err := s.Run("upsrw", "-s", "ups.status=OB LB", "-u", "admin", "-p", "secret", "-w", s.Addr("ours0")); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Run("upsc", s.Addr("ours0"), "ups.status"); err != nil || strings.TrimSpace(v) != "OB LB" {
		t.Fatalf("after SET, ups.status is %q (%v)", v, err)
	}
	// dummy-ups declares load.off but carries out no command: the driver
	// answers "unknown", which upscmd -w reports as Debian's does.
	cmd := exec.Command("upscmd", "-u", "admin", "-p", "secret", "-w", s.Addr("ours0"), "load.off")
	cmd.Env = s.Env
	out, _ := cmd.CombinedOutput()
	if !strings.Contains(string(out), "ERR UNKNOWN") {
		t.Fatalf("upscmd -w load.off: %q", out)
	}
	// A command the driver does not declare is refused by upsd itself.
	_, err := s.Run("upscmd", "-u", "admin", "-p", "secret", s.Addr("ours0"), "beeper.toggle")
	if err == nil || !strings.Contains(err.Error(), "CMD-NOT-SUPPORTED") {
		t.Fatalf("upscmd beeper.toggle: %v", err)
	}
}

// A .seq file plays its steps in order, one TIMER apart, as a power
// failure: on line, on battery, low battery.
func TestSequenceFile(t *testing.T) {
	nuttest.NeedDebianNUT(t)
	ours := nuttest.Build(t, "gonut/cmd/dummy-ups")
	seq := "ups.status: OL\nbattery.charge: 100\nTIMER 1\n" +
		"ups.status: OB DISCHRG\nbattery.charge: 60\nTIMER 1\n" +
		"ups.status: OB DISCHRG LB\nbattery.charge: 8\nTIMER 30\n"
	s := nuttest.NewStack(t, "[seq]\n\tdriver = dummy-ups\n\tport = outage.seq\n", map[string]string{"outage.seq": seq})
	s.Start(ours, "-a", "seq", "-u", "root", "-F")
	s.WaitSocket("dummy-ups", "seq")
	s.StartUpsd()
	var seen []string
	nuttest.Eventually(t, "the sequence reaches OB DISCHRG LB", func() (bool, string) {
		v, err := s.Run("upsc", s.Addr("seq"), "ups.status")
		v = strings.TrimSpace(v)
		if err == nil && (len(seen) == 0 || seen[len(seen)-1] != v) {
			seen = append(seen, v)
		}
		return v == "OB DISCHRG LB", fmt.Sprintf("seen %q", seen)
	})
	mode, _ := s.Run("upsc", s.Addr("seq"), "driver.parameter.mode")
	if strings.TrimSpace(mode) != "dummy-loop" {
		t.Fatalf("mode %q, want dummy-loop for a .seq file", mode)
	}
	// OL may have passed before upsd first asked; what was seen is in order.
	order := map[string]int{"OL": 0, "OB DISCHRG": 1, "OB DISCHRG LB": 2}
	for i := 1; i < len(seen); i++ {
		if order[seen[i]] < order[seen[i-1]] {
			t.Fatalf("states out of order: %q", seen)
		}
	}
}
