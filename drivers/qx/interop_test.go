package qx_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gonut/drivers/qx/qxsim"
	"gonut/drivers/serial/serialtest"
	"gonut/internal/nuttest"
)

const debianQX = "/lib/nut/nutdrv_qx"

// side is one driver (Debian's or ours) on its own simulated UPS, behind
// its own Debian upsd.
type side struct {
	name  string
	stack *nuttest.Stack
	ups   *qxsim.UPS
	drv   string
	proc  *exec.Cmd
}

// twoSides runs Debian's nutdrv_qx and ours, each on a simulated UPS of
// proto, with the same section (port aside), each behind a Debian upsd.
func twoSides(t *testing.T, proto qxsim.Protocol, section string) (deb, ours *side) {
	t.Helper()
	nuttest.NeedDebianNUT(t)
	if _, err := os.Stat(debianQX); err != nil {
		t.Skipf("Debian's nutdrv_qx is not installed (%s): apt-get install nut-server", debianQX)
	}
	ourBin := nuttest.Build(t, "gonut/cmd/nutdrv_qx")
	mk := func(name, bin string) *side {
		pty := serialtest.Open(t)
		u := qxsim.New(pty, proto)
		conf := fmt.Sprintf("[qx]\n\tdriver = nutdrv_qx\n\tport = %s\n%s", pty.Path, section)
		s := nuttest.NewStack(t, conf, nil)
		proc := s.Start(bin, "-a", "qx", "-u", "root", "-F")
		s.WaitSocket("nutdrv_qx", "qx")
		s.StartUpsd()
		return &side{name: name, stack: s, ups: u, drv: bin, proc: proc}
	}
	deb, ours = mk("Debian's", debianQX), mk("ours", ourBin)
	for _, s := range []*side{deb, ours} {
		nuttest.Eventually(t, s.name+" upsd serves qx", func() (bool, string) {
			r := nuttest.Exec("", "upsc", s.stack.Addr("qx"), "ups.status")
			return r.Code == 0 && r.Out != "", r.Out + r.Err
		})
	}
	return deb, ours
}

// upsc is what upsc shows of the UPS, less what must differ: the port (a
// PTY each) and our version.
func (s *side) upsc(t *testing.T) string {
	r := nuttest.Exec("", "upsc", s.stack.Addr("qx"))
	if r.Code != 0 {
		return "error: " + r.Err
	}
	// Debian's is also built for USB bridges and shows its libusb.
	out := regexp.MustCompile(`(?m)^driver\.(parameter\.port|version\.usb): .*\n`).ReplaceAllString(r.Out, "")
	return regexp.MustCompile(`(?m)^driver\.version: .*$`).ReplaceAllString(out, "driver.version: X")
}

func (s *side) client(t *testing.T, bin string, args ...string) string {
	r := nuttest.Exec("", bin, args...)
	return fmt.Sprintf("%s%s(exit %d)", r.Out, r.Err, r.Code)
}

// same waits until both show the same through upsc and want holds.
// Variables named in mask are left out.
func same(t *testing.T, what string, deb, ours *side, want func(string) bool, mask ...string) string {
	t.Helper()
	var a, b string
	nuttest.Eventually(t, what, func() (bool, string) {
		a, b = deb.upsc(t), ours.upsc(t)
		for _, m := range mask {
			re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(m) + `: .*\n`)
			a, b = re.ReplaceAllString(a, ""), re.ReplaceAllString(b, "")
		}
		return a == b && want(a), "Debian's:\n" + a + "\nours:\n" + b
	})
	return a
}

func status(s string) string {
	m := regexp.MustCompile(`(?m)^ups\.status: (.*)$`).FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	return m[1]
}

// differential runs the whole comparison for one protocol: start, mains
// lost, low battery, mains back, every instant command's bytes, and a
// UPS that garbles, goes silent and comes back.
func differential(t *testing.T, proto qxsim.Protocol, section string, sets ...[2]string) {
	deb, ours := twoSides(t, proto, section+"\tpollfreq = 4\n")
	sides := []*side{deb, ours}
	start := same(t, "upsc at start", deb, ours, func(s string) bool {
		return status(s) == "OL" && (!strings.Contains(section, "runtimecal") || strings.Contains(s, "battery.runtime: "))
	})
	t.Logf("upsc at start:\n%s", start)
	// What each sent at start that is no poll (a setting from ups.conf).
	if a, b := notPolls(proto, deb.ups.Dev.Requests()), notPolls(proto, ours.ups.Dev.Requests()); !slices.Equal(a, b) {
		t.Errorf("at start Debian's sent %q, ours %q", a, b)
	} else if len(a) > 0 {
		t.Logf("at start both sent %q", a)
	}
	for _, args := range [][]string{{"upsrw"}, {"upscmd", "-l"}} {
		a := deb.client(t, args[0], append(args[1:], deb.stack.Addr("qx"))...)
		b := ours.client(t, args[0], append(args[1:], ours.stack.Addr("qx"))...)
		if a != b {
			t.Errorf("%s differs:\nDebian's:\n%s\nours:\n%s", args[0], a, b)
		}
	}
	for _, s := range sides {
		s.ups.MainsLost(true)
	}
	// On battery the runtime left counts down from when each driver last
	// looked, and back on mains it counts up again: the two differ by
	// their phase.
	var drift []string
	if strings.Contains(section, "runtimecal") {
		drift = []string{"battery.charge", "battery.runtime"}
	}
	same(t, "upsc on battery", deb, ours, func(s string) bool {
		return status(s) == "OB" && strings.Contains(s, "input.voltage: 0.0")
	}, drift...)
	for _, s := range sides {
		s.ups.LowBattery()
	}
	same(t, "upsc on low battery", deb, ours, func(s string) bool {
		// A Voltronic UPS warns of it too: ALARM.
		return strings.TrimPrefix(status(s), "ALARM ") == "OB LB" && strings.Contains(s, "battery.voltage: 20.80")
	})
	for _, s := range sides {
		s.ups.MainsLost(false)
	}
	same(t, "upsc with mains back", deb, ours, func(s string) bool {
		return status(s) == "OL" && strings.Contains(s, "battery.voltage: 27.4")
	}, drift...)

	// The bypass/boost/buck bit and the UPS-failed bit, as each protocol
	// reads them (Ablerex sets its own tokens first: BYPASS RB OL).
	if proto.Kind != qxsim.Plain {
		for _, s := range sides {
			s.ups.Bypass(true)
		}
		st := same(t, "upsc in bypass", deb, ours, func(s string) bool { return strings.Contains(status(s), "BYPASS") })
		t.Logf("in bypass: ups.status %q", status(st))
		for _, s := range sides {
			s.ups.Bypass(false)
		}
		same(t, "upsc out of bypass", deb, ours, func(s string) bool { return status(s) == "OL" })
	}

	// Each setting sends the same bytes, gets the same answer and shows
	// the same.
	for _, kv := range sets {
		var got, result [2][]string
		var wg sync.WaitGroup
		for i, s := range sides {
			wg.Add(1)
			go func() {
				defer wg.Done()
				from := len(s.ups.Dev.Requests())
				r := nuttest.Exec("", "upsrw", "-w", "-s", kv[0]+"="+kv[1], "-u", "admin", "-p", "secret", s.stack.Addr("qx"))
				result[i] = []string{r.Out, r.Err}
				got[i] = notPolls(proto, s.ups.Dev.Requests()[from:])
			}()
		}
		wg.Wait()
		if !slices.Equal(got[0], got[1]) || !slices.Equal(result[0], result[1]) {
			t.Errorf("set %s=%s: Debian's sent %q (upsrw: %q), ours %q (upsrw: %q)", kv[0], kv[1], got[0], result[0], got[1], result[1])
		} else {
			t.Logf("set %s=%s: both sent %q; upsrw -w: %q", kv[0], kv[1], got[0], result[0])
		}
		same(t, "upsc after setting "+kv[0], deb, ours, func(s string) bool { return strings.Contains(s, kv[0]+": "+kv[1]) })
	}

	// Every instant command sends the same bytes.
	r := nuttest.Exec("", "upscmd", "-l", ours.stack.Addr("qx"))
	var cmds []string
	for _, l := range strings.Split(r.Out, "\n")[2:] {
		if name, _, ok := strings.Cut(l, " - "); ok {
			cmds = append(cmds, name)
		}
	}
	if len(cmds) == 0 {
		t.Fatalf("no instant commands listed: %q", r.Out)
	}
	if slices.Contains(cmds, "test.battery.start") {
		cmds = append(cmds, "test.battery.start 120")
	}
	for _, c := range cmds {
		name, param, _ := strings.Cut(c, " ")
		var got, result [2][]string
		var wg sync.WaitGroup
		for i, s := range sides {
			wg.Add(1)
			go func() { // both at once: a command waits a second for an answer
				defer wg.Done()
				from := len(s.ups.Dev.Requests())
				// -w: upscmd waits for the driver's result and prints it.
				args := []string{"-w", "-u", "admin", "-p", "secret", s.stack.Addr("qx"), name}
				if param != "" {
					args = append(args, param)
				}
				r := nuttest.Exec("", "upscmd", args...)
				result[i] = []string{r.Out, r.Err}
				if r.Code != 0 {
					t.Errorf("%s: upscmd %s: %s", s.name, c, r.Err)
				}
				// The command is the first request that is no poll.
				at := s.ups.Dev.WaitFor(from, 10*time.Second, func(q string) bool { return !isPoll(proto, q) })
				if at < 0 {
					t.Errorf("%s: %s reached the UPS as nothing", s.name, c)
					return
				}
				got[i] = []string{s.ups.Dev.Requests()[at]}
				if proto.Kind == qxsim.KindVoltronic {
					// What the next command sends may hang on what the
					// UPS says after this one (the beeper's state):
					// wait for the full poll that follows a command.
					s.ups.Dev.WaitFor(at+1, 15*time.Second, func(q string) bool { return q == "QFLAG\r" })
				}
			}()
		}
		wg.Wait()
		t.Logf("%s: %q %q", c, got[0], got[1])
		if !slices.Equal(got[0], got[1]) {
			t.Errorf("%s: Debian's sent %q, ours %q", c, got[0], got[1])
		}
		if !slices.Equal(result[0], result[1]) {
			t.Errorf("%s: Debian's upscmd -w said %q, with ours %q", c, result[0], result[1])
		} else {
			t.Logf("%s: upscmd -w: %q", c, result[0])
		}
	}

	// Line noise, then silence: stale on both; then the UPS answers again
	// and both recover, our driver without a restart and with one line
	// about each.
	for _, s := range sides {
		s.ups.SetFault(qxsim.Garbled)
	}
	for _, s := range sides {
		nuttest.Eventually(t, s.name+" stale on a garbling UPS", func() (bool, string) {
			r := nuttest.Exec("", "upsc", s.stack.Addr("qx"), "ups.status")
			return strings.Contains(r.Err, "Data stale"), r.Out + r.Err
		})
		s.ups.SetFault(qxsim.Silent)
	}
	for _, s := range sides {
		s.ups.SetFault(qxsim.Healthy)
	}
	same(t, "upsc after recovery", deb, ours, func(s string) bool { return status(s) == "OL" }, drift...)
	if !nuttest.Alive(ours.proc.Process.Pid) {
		t.Errorf("our driver is gone")
	}
	logs, _ := filepath.Glob(filepath.Join(ours.stack.Dir, "nutdrv_qx-*.log"))
	if len(logs) != 1 {
		t.Fatalf("our driver's log: %v", logs)
	}
	b, _ := os.ReadFile(logs[0])
	// After the commands, the noise and the silence: one line when the
	// data went stale (with the reason), one when it came back.
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		// NUT logs a value that is no NUT variable each time it reads it
		// (BestUPS's pins_shutdown_mode, Voltronic's battery_number after
		// a command), ours too.
		if !regexp.MustCompile(`^[a-z_]+: `).MatchString(l) {
			lines = append(lines, l)
		}
	}
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.Contains(lines[i], "instant command") {
			lines = lines[i+1:]
			break
		}
	}
	if len(lines) != 2 || !strings.Contains(lines[0], "data is stale") || !strings.Contains(lines[1], "communication with the device restored") {
		t.Errorf("our driver's log after the commands, want a stale line and a restored line:\n%s", b)
	}
}

// isPoll reports whether a request is one of the polls (status, rating,
// vendor) rather than a command.
func isPoll(p qxsim.Protocol, q string) bool {
	switch q {
	case p.Status, p.Vendor, "F\r", "M\r", "ID\r", "RT\r", "BP?\r", "SS?\r", "Q5\r", "At\r", "TR\r", "RE0\r":
		return true
	}
	return len(q) > 2 && q[0] == 'Q' // Voltronic's queries (QPI, QGS, ...); Q alone is a command
}

func notPolls(p qxsim.Protocol, reqs []string) []string {
	var out []string
	for _, q := range reqs {
		if !isPoll(p, q) {
			out = append(out, q)
		}
	}
	return out
}

// One differential test per protocol, two at a time (most of each is
// waiting for polls).
func TestDebianSame(t *testing.T) {
	for _, c := range []struct {
		name    string
		proto   qxsim.Protocol
		section string
		sets    [][2]string
	}{
		{"megatec", qxsim.Megatec, "\tprotocol = megatec\n", nil},
		{"mustek", qxsim.Mustek, "\tprotocol = mustek\n", nil},
		{"megatec-old", qxsim.MegatecOld, "\tprotocol = megatec/old\n", nil},
		{"zinto", qxsim.Zinto, "\tprotocol = zinto\n", nil},
		{"q1", qxsim.Q1, "\tprotocol = q1\n", nil},
		{"voltronic-qs", qxsim.VoltronicQS, "\tprotocol = voltronic-qs\n", nil},
		{"mecer", qxsim.Mecer, "\tprotocol = mecer\n", nil},
		{"hunnox", qxsim.Hunnox, "\tprotocol = hunnox\n", nil},
		{"voltronic-qs-hex", qxsim.VoltronicQSHex, "\tprotocol = voltronic-qs-hex\n", nil},
		// novendor and norating: neither I nor F is asked.
		{"megatec-novendor-norating", qxsim.Megatec, "\tprotocol = megatec\n\tnovendor\n\tnorating\n", nil},
		// The charge and runtime guessed from the battery voltage and
		// runtimecal, with the voltages given in ups.conf.
		{"megatec-runtimecal", qxsim.Megatec, "\tprotocol = megatec\n\tdefault.battery.voltage.high = 27.0\n\tdefault.battery.voltage.low = 21.0\n" +
			"\truntimecal = 240,100,720,50\n\tchargetime = 28800\n\tidleload = 5\n\tondelay = 300\n\toffdelay = 45\n", nil},
		{"q1-runtimecal-override", qxsim.Q1, "\tprotocol = q1\n\toverride.battery.voltage.nominal = 24\n\truntimecal = 300,100,900,50\n", nil},
		// An Axxium: battery packs to set (BPn), and the voltage
		// settings of an E model.
		{"bestups", qxsim.BestUPS, "\tprotocol = bestups\n", [][2]string{{"battery.packs", "3"}, {"ups.delay.start", "120"}}},
		// pins_shutdown_mode is set at start (SSn), once.
		{"bestups-pins", qxsim.BestUPS, "\tprotocol = bestups\n\tpins_shutdown_mode = 2\n\tignoresab\n", nil},
		{"ablerex", qxsim.Ablerex, "\tprotocol = ablerex\n", [][2]string{{"ups.delay.shutdown", "60"}}},
		// Without F no nominal battery voltage: the charge is 100 and
		// the voltage is Q1's.
		{"ablerex-norating", qxsim.Ablerex, "\tprotocol = ablerex\n\tnorating\n\tnovendor\n", nil},
		// Voltronic's QPI protocol (P01): settings answered (ACK; the
		// batteries of a pack set from ups.conf at start (BATN3).
		{"voltronic", qxsim.Voltronic, "\tprotocol = voltronic\n\tbattery_number = 3\n\tbypass_alarm = disabled\n\tbattery_alarm = enabled\n" +
			"\toutput_phase_angle = 180\n\tmax_bypass_volt = 250\n\tmin_bypass_volt = 100\n\tmin_bypass_freq = 45\n",
			[][2]string{{"battery.packs", "2"}, {"battery.voltage.low", "22"}, {"ups.delay.shutdown", "120"}, {"ups.start.auto", "no"},
				{"battery.energysave", "yes"}, {"outlet.2.delay.shutdown", "300"}, {"input.transfer.high", "250"},
				{"input.frequency.low", "45"}}},
		// Three phases, and QBDR with testing.
		{"voltronic-p10", qxsim.VoltronicP10, "\tprotocol = voltronic\n\ttesting\n", nil},
		// P31: battery type and working range (PGR01 at start).
		{"voltronic-p31", qxsim.VoltronicP31, "\tprotocol = voltronic\n\twork_range_type = UPS\n", [][2]string{{"battery.type", "AGM"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			differential(t, c.proto, c.section, c.sets...)
		})
	}
}

// Without a protocol, both drivers pick the same one, in NUT's order.
func TestDebianSameAutodetect(t *testing.T) {
	for _, c := range []struct {
		name  string
		proto qxsim.Protocol
	}{{"megatec", qxsim.Megatec}, {"mustek", qxsim.Mustek}, {"megatec-old", qxsim.MegatecOld}, {"zinto", qxsim.Zinto}, {"q1", qxsim.Q1}, {"voltronic-qs", qxsim.VoltronicQS}, {"mecer", qxsim.Mecer}, {"voltronic-qs-hex", qxsim.VoltronicQSHex},
		{"bestups", qxsim.BestUPS}, {"ablerex", qxsim.Ablerex}, {"voltronic", qxsim.Voltronic}} { // an Ablerex UPS is Megatec's: it comes first
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			deb, ours := twoSides(t, c.proto, "")
			out := same(t, "upsc at start", deb, ours, func(s string) bool { return status(s) == "OL" })
			t.Logf("%s", regexp.MustCompile(`driver\.version\.data: .*`).FindString(out))
		})
	}
}

// -k sends the UPS what Debian's -k sends: a cancel of any pending
// shutdown, then the shutdown with the delays of ups.conf.
func TestDebianSameKill(t *testing.T) {
	nuttest.NeedDebianNUT(t)
	if _, err := os.Stat(debianQX); err != nil {
		t.Skipf("Debian's nutdrv_qx is not installed (%s)", debianQX)
	}
	ourBin := nuttest.Build(t, "gonut/cmd/nutdrv_qx")
	type kill struct {
		proto   qxsim.Protocol
		name    string
		section string
	}
	var cases []kill
	for _, section := range []string{"", "\tstayoff\n", "\tondelay = 0\n\toffdelay = 90\n", "\tondelay = 150\n\toffdelay = 20\n"} {
		cases = append(cases, kill{qxsim.Megatec, "megatec", section})
	}
	// The protocols with commands of their own: CS and an answer
	// (Voltronic), a stay-off without R0000 (BestUPS).
	for _, section := range []string{"", "\tstayoff\n", "\tondelay = 120\n\toffdelay = 90\n"} {
		cases = append(cases, kill{qxsim.Voltronic, "voltronic", section}, kill{qxsim.BestUPS, "bestups", section})
	}
	for _, c := range cases {
		var sent [2][]string
		for i, bin := range []string{debianQX, ourBin} {
			pty := serialtest.Open(t)
			u := qxsim.New(pty, c.proto)
			s := nuttest.NewStack(t, fmt.Sprintf("[qx]\n\tdriver = nutdrv_qx\n\tport = %s\n\tprotocol = %s\n%s", pty.Path, c.name, c.section), nil)
			out, err := s.Run(bin, "-a", "qx", "-k", "-u", "root")
			if err != nil {
				t.Errorf("%s -k: %v\n%s", bin, err, out)
			}
			sent[i] = notPolls(c.proto, u.Dev.Requests())
		}
		t.Logf("%s %q: %q", c.name, c.section, sent[1])
		if !slices.Equal(sent[0], sent[1]) || len(sent[0]) == 0 {
			t.Errorf("%s %q: Debian's -k sent %q, ours %q", c.name, c.section, sent[0], sent[1])
		}
	}
}

// NUT 2.8.0's Masterguard claims no UPS (its claim looks for items its
// table renamed): with protocol = masterguard both drivers refuse to
// start, having sent nothing, whatever the UPS; and slave_address, one
// of its settings, is read by both.
func TestDebianSameMasterguard(t *testing.T) {
	nuttest.NeedDebianNUT(t)
	if _, err := os.Stat(debianQX); err != nil {
		t.Skipf("Debian's nutdrv_qx is not installed (%s)", debianQX)
	}
	ourBin := nuttest.Build(t, "gonut/cmd/nutdrv_qx")
	for _, section := range []string{"", "\tslave_address = 1\n", "\tslave_address = 100\n"} {
		var codes [2]int
		for i, bin := range []string{debianQX, ourBin} {
			pty := serialtest.Open(t)
			u := qxsim.New(pty, qxsim.Megatec)
			s := nuttest.NewStack(t, fmt.Sprintf("[qx]\n\tdriver = nutdrv_qx\n\tport = %s\n\tprotocol = masterguard\n%s", pty.Path, section), nil)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			cmd := exec.CommandContext(ctx, bin, "-a", "qx", "-u", "root", "-F")
			cmd.Env = s.Env
			out, err := cmd.CombinedOutput()
			cancel()
			var ee *exec.ExitError
			if !errors.As(err, &ee) {
				t.Fatalf("%q: %s: %v\n%s", section, bin, err, out)
			}
			codes[i] = ee.ExitCode()
			if r := u.Dev.Requests(); len(r) != 0 {
				t.Errorf("%q: %s sent %q", section, bin, r)
			}
			t.Logf("%q: %s: exit %d: %s", section, bin, codes[i], out)
		}
		if codes[0] != codes[1] {
			t.Errorf("%q: Debian's exit code %d, ours %d", section, codes[0], codes[1])
		}
	}
}
