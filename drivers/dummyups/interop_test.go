package dummyups_test

import (
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gonut/internal/nuttest"
	"gonut/words"
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
	var dumps []dump
	for i := 0; i < 24; i++ {
		dumps = append(dumps, dump{fmt.Sprintf("generated seed %d", i), generateDump(int64(i))})
	}
	s := compareDumps(t, ours, dumps)

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

type dump struct{ name, body string }

// dropEmpty removes from upsc's output the variables that the dump lists
// with no value ("ups.serial:"). NUT 2.8.0's dummy-ups gives those the
// value of the line before (it reuses its buffer); ours removes them, as a
// SET to "" does.
func dropEmpty(out, body string) string {
	empty := map[string]bool{}
	for _, l := range strings.Split(body, "\n") {
		f, err := words.Split(l) // "ups.serial: ####" is empty too: # starts a comment
		if err == nil && len(f) == 1 && strings.HasSuffix(f[0], ":") {
			name := strings.TrimSuffix(f[0], ":")
			empty[name] = true
			if strings.HasPrefix(name, "ups.") { // mirrored to device.*
				empty["device."+strings.TrimPrefix(name, "ups.")] = true
			}
		}
	}
	// upsc: "name: value" lines; upsrw: blocks that start with "[name]".
	var kept []string
	for _, block := range strings.Split(out, "\n\n") {
		if first, _, _ := strings.Cut(block, "\n"); strings.HasPrefix(first, "[") && empty[strings.Trim(first, "[]")] {
			continue
		}
		var ls []string
		for _, l := range strings.Split(block, "\n") {
			if name, _, _ := strings.Cut(l, ":"); !empty[name] {
				ls = append(ls, l)
			}
		}
		kept = append(kept, strings.Join(ls, "\n"))
	}
	return strings.Join(kept, "\n\n")
}

// compareDumps serves each dump with Debian's dummy-ups and ours behind one
// Debian upsd, and checks that upsc, upsrw and upscmd -l show the same.
// It returns the stack, where deb0 and ours0 serve the first dump.
func compareDumps(t *testing.T, ours string, dumps []dump) *nuttest.Stack {
	t.Helper()
	var conf strings.Builder
	files := map[string]string{}
	for i, d := range dumps {
		file := fmt.Sprintf("dump%d.dev", i)
		files[file] = d.body
		fmt.Fprintf(&conf, "[deb%d]\n\tdriver = dummy-ups\n\tport = %s\n", i, file)
		fmt.Fprintf(&conf, "[ours%d]\n\tdriver = dummy-ups\n\tport = %s\n\tdesc = \"gonut %d\"\n", i, file, i)
	}
	s := nuttest.NewStack(t, conf.String(), files)
	for i := range dumps {
		s.Start(nuttest.DebianDummy, "-a", fmt.Sprintf("deb%d", i), "-u", "root", "-F")
		s.Start(ours, "-a", fmt.Sprintf("ours%d", i), "-u", "root", "-F")
	}
	for i := range dumps {
		s.WaitSocket("dummy-ups", fmt.Sprintf("deb%d", i))
		s.WaitSocket("dummy-ups", fmt.Sprintf("ours%d", i))
	}
	s.StartUpsd()
	for i, d := range dumps {
		deb, us := fmt.Sprintf("deb%d", i), fmt.Sprintf("ours%d", i)
		for _, client := range []struct {
			name string
			args []string
		}{
			{"upsc", nil},
			{"upsrw", nil},
			{"upscmd", []string{"-l"}},
		} {
			nuttest.Eventually(t, fmt.Sprintf("%s on %s", client.name, d.name), func() (bool, string) {
				a, err1 := s.Run(client.name, append(client.args, s.Addr(deb))...)
				b, err2 := s.Run(client.name, append(client.args, s.Addr(us))...)
				if err1 != nil || err2 != nil {
					return false, fmt.Sprintf("Debian: %v, ours: %v", err1, err2)
				}
				a, b = normalise(a, deb), normalise(b, us)
				a, b = dropEmpty(a, d.body), dropEmpty(b, d.body)
				// Debian's driver turns synchronous mode on by itself after
				// a socket write would have blocked (big dumps); ours never
				// blocks, so it stays as configured.
				a = strings.Replace(a, "driver.parameter.synchronous: yes", "driver.parameter.synchronous: auto", 1)
				if a != b {
					return false, fmt.Sprintf("differ\nDebian's dummy-ups:\n%s\nours:\n%s\ndump:\n%s", a, b, d.body)
				}
				return true, ""
			})
		}
	}
	return s
}

// NUT's device dump library (networkupstools/nut-ddl, in $NUT_DDL_DIR) and
// NUT's data/*.dev ($NUT_SOURCE_DIR): real devices' dumps, served by both
// drivers, in batches. NUT_DDL_MAX bounds how many (default 48).
func TestSameAsDebianOnDeviceDumpLibrary(t *testing.T) {
	nuttest.NeedDebianNUT(t)
	var paths []string
	if dir := os.Getenv("NUT_DDL_DIR"); dir != "" {
		m, _ := filepath.Glob(filepath.Join(dir, "*", "*.dev"))
		paths = append(paths, m...)
	}
	if dir := os.Getenv("NUT_SOURCE_DIR"); dir != "" {
		m, _ := filepath.Glob(filepath.Join(dir, "data", "*.dev"))
		paths = append(paths, m...)
	}
	if len(paths) == 0 {
		t.Skip("set NUT_DDL_DIR to a copy of networkupstools/nut-ddl (and/or NUT_SOURCE_DIR to NUT's sources) to compare on real device dumps")
	}
	max := 48
	if v, err := strconv.Atoi(os.Getenv("NUT_DDL_MAX")); err == nil {
		max = v
	}
	if len(paths) > max {
		// An even spread over the library, not just its first vendors.
		step := float64(len(paths)) / float64(max)
		var picked []string
		for i := 0; i < max; i++ {
			picked = append(picked, paths[int(float64(i)*step)])
		}
		paths = picked
	}
	ours := nuttest.Build(t, "gonut/cmd/dummy-ups")
	for start := 0; start < len(paths); start += 24 {
		end := min(start+24, len(paths))
		var batch []dump
		for _, p := range paths[start:end] {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			batch = append(batch, dump{filepath.Base(p), string(b)})
		}
		t.Run(fmt.Sprintf("batch%d", start/24), func(t *testing.T) { compareDumps(t, ours, batch) })
	}
	if !t.Failed() {
		t.Logf("%d device dumps served alike", len(paths))
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

// dummy-ups -L lists what Debian's lists, in its format (VALUE and FLAG
// lines after the banner); ours may know more settings.
func TestListSettingsAsDebian(t *testing.T) {
	nuttest.NeedDebianNUT(t)
	ours := nuttest.Build(t, "gonut/cmd/dummy-ups")
	deb, us := nuttest.Exec("", nuttest.DebianDummy, "-L"), nuttest.Exec("", ours, "-L")
	debLines, ourLines := strings.Split(deb.Out, "\n"), strings.Split(us.Out, "\n")
	if us.Code != 0 || !strings.HasPrefix(ourLines[0], "Network UPS Tools - ") {
		t.Fatalf("dummy-ups -L: %+v", us)
	}
	i := 1
	for _, l := range ourLines[1:] {
		if i < len(debLines) && l == debLines[i] {
			i++
		}
	}
	if i < len(debLines) {
		t.Fatalf("dummy-ups -L lacks Debian's %q:\n  Debian: %q\n  ours:   %q", debLines[i], deb.Out, us.Out)
	}
}

// A driver that fails on its way to the background says why where it was
// started (Debian's prints "Can't open ..." there too), once.
func TestBackgroundFailureIsTold(t *testing.T) {
	ours := nuttest.Build(t, "gonut/cmd/dummy-ups")
	s := nuttest.NewStack(t, "[u]\n\tdriver = dummy-ups\n\tport = missing.dev\n", nil)
	cmd := exec.Command(ours, "-a", "u", "-u", "root")
	cmd.Env = s.Env
	out, err := cmd.CombinedOutput()
	if err == nil || strings.Count(string(out), "missing.dev") != 1 {
		t.Fatalf("dummy-ups with a missing device file: %v\n%s", err, out)
	}
}

// driver.parameter.mode says what Debian's says for each way of asking
// for a mode, or of leaving it to the file name.
func TestModeAsDebian(t *testing.T) {
	nuttest.NeedDebianNUT(t)
	ours := nuttest.Build(t, "gonut/cmd/dummy-ups")
	cases := []struct{ mode, port string }{{"dummy", "a.dev"}, {"", "a.txt"}, {"dummy-once", "a.seq"}, {"dummy-loop", "a.dev"}, {"", "a.seq"}}
	var conf strings.Builder
	for i, c := range cases {
		for _, who := range []string{"deb", "ours"} {
			fmt.Fprintf(&conf, "[%s%d]\n\tdriver = dummy-ups\n\tport = %s\n", who, i, c.port)
			if c.mode != "" {
				fmt.Fprintf(&conf, "\tmode = %s\n", c.mode)
			}
		}
	}
	body := "ups.status: OL\n"
	s := nuttest.NewStack(t, conf.String(), map[string]string{"a.dev": body, "a.txt": body, "a.seq": body})
	for i := range cases {
		s.Start(nuttest.DebianDummy, "-a", fmt.Sprintf("deb%d", i), "-u", "root", "-F")
		s.Start(ours, "-a", fmt.Sprintf("ours%d", i), "-u", "root", "-F")
		s.WaitSocket("dummy-ups", fmt.Sprintf("deb%d", i))
		s.WaitSocket("dummy-ups", fmt.Sprintf("ours%d", i))
	}
	s.StartUpsd()
	for i, c := range cases {
		nuttest.Eventually(t, fmt.Sprintf("mode %q, port %s", c.mode, c.port), func() (bool, string) {
			a, err1 := s.Run("upsc", s.Addr(fmt.Sprintf("deb%d", i)), "driver.parameter.mode")
			b, err2 := s.Run("upsc", s.Addr(fmt.Sprintf("ours%d", i)), "driver.parameter.mode")
			return err1 == nil && a == b, fmt.Sprintf("Debian: %q %v, ours: %q %v", a, err1, b, err2)
		})
	}
}
