package apcsmart_test

import (
	"context"
	"log/slog"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"gonut/drivers/apcsmart"
	"gonut/drivers/apcsmart/apcsim"
	"gonut/drivers/core"
	"gonut/drivers/serial"
	"gonut/internal/nuttest"
	"gonut/internal/plainlog"
)

const debianAPCSmart = "/lib/nut/apcsmart"

// pair is Debian's apcsmart ([deb]) and ours ([ours]), each on a
// simulated Smart-UPS of its own, behind Debian's upsd.
type pair struct {
	s        *nuttest.Stack
	deb, our *apcsim.UPS
	log      *syncBuffer
	done     chan error // our driver's end
}

// running reports whether our driver still runs.
func (p *pair) running() bool {
	select {
	case err := <-p.done:
		p.done <- err
		return false
	default:
		return true
	}
}

func startPair(t *testing.T, extra string) *pair {
	t.Helper()
	return startPairModel(t, extra, apcsim.Model{})
}

// startPairModel is startPair with UPSes of another model.
func startPairModel(t *testing.T, extra string, m apcsim.Model) *pair {
	t.Helper()
	nuttest.NeedDebianNUT(t)
	if _, err := os.Stat(debianAPCSmart); err != nil {
		t.Skip("Debian's apcsmart is not installed (nut-server)")
	}
	pd, deb := simPTY(t, m)
	po, our := simPTY(t, m)
	conf := "[deb]\n\tdriver = apcsmart\n\tport = " + pd.Path + "\n" + extra +
		"[ours]\n\tdriver = apcsmart\n\tport = " + po.Path + "\n" + extra
	s := nuttest.NewStack(t, conf, nil)
	s.Start(debianAPCSmart, "-a", "deb", "-u", "root", "-F")
	p := &pair{s: s, deb: deb, our: our, log: &syncBuffer{}, done: make(chan error, 1)}
	vars := func(k string) string {
		switch k {
		case "NUT_CONFPATH", "NUT_STATEPATH", "NUT_ALTPIDPATH":
			return s.Dir
		}
		return ""
	}
	done := p.done
	go func() {
		done <- core.Run(context.Background(), apcsmart.New(serial.Open, time.Now), core.Args{UPS: "ours"},
			core.Env{Vars: vars, Clock: core.RealClock(), Stdout: os.Stdout, Log: plainlog.New(p.log, slog.LevelDebug)})
	}()
	t.Cleanup(func() {
		core.SendCommand(vars, "apcsmart", "ours", "exit", 0)
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			t.Error("our driver did not exit")
		}
	})
	s.WaitSocket("apcsmart", "deb")
	s.WaitSocket("apcsmart", "ours")
	s.StartUpsd()
	for _, u := range []string{"deb", "ours"} {
		nuttest.Eventually(t, "upsd serves "+u, func() (bool, string) {
			// WAIT: upsd has the driver but not yet its status.
			r := nuttest.Exec("", "upsc", s.Addr(u), "ups.status")
			return r.Code == 0 && r.Out != "" && r.Out != "WAIT\n", r.Out + r.Err
		})
	}
	return p
}

// same runs a client for both UPSes and compares what it prints, with
// what must differ (names, versions, ports) taken out.
func (p *pair) same(t *testing.T, client string, args ...string) string {
	t.Helper()
	run := func(ups string) nuttest.Result {
		a := make([]string, len(args))
		for i, x := range args {
			a[i] = strings.ReplaceAll(x, "UPS", p.s.Addr(ups))
		}
		r := nuttest.Exec("", client, a...)
		r.Out = normalise(r.Out, ups)
		return r
	}
	d, o := run("deb"), run("ours")
	if d != o {
		t.Errorf("%s %v differs:\nDebian's:\n%s%s\nours:\n%s%s", client, args, d.Out, d.Err, o.Out, o.Err)
	}
	return d.Out
}

var drop = regexp.MustCompile(`(?m)^(driver\.version|driver\.parameter\.port): .*\n`)

func normalise(out, ups string) string {
	out = strings.ReplaceAll(out, ups, "UPS")
	return drop.ReplaceAllString(out, "")
}

// Models that cannot list their commands are set up from NUT's
// firmware table, or with the few variables every model has, as Debian's
// driver sets them up.
func TestOlderModelsSameAsDebian(t *testing.T) {
	for name, m := range map[string]apcsim.Model{"Smart-UPS 600": apcsim.SmartUPS600, "Matrix-UPS": apcsim.MatrixUPS, "old Smart-UPS": apcsim.OldSmartUPS} {
		p := startPairModel(t, "", m)
		out := p.same(t, "upsc", "UPS")
		p.same(t, "upsrw", "UPS")
		p.same(t, "upscmd", "-l", "UPS")
		if !strings.Contains(out, "ups.status: OL") {
			t.Errorf("%s: upsc shows\n%s", name, out)
		}
		t.Logf("%s:\n%s", name, out)
	}
}

// upsc, upsrw and upscmd -l show the same through Debian's upsd for
// Debian's apcsmart and ours, each on a simulated Smart-UPS 1500: the
// variables found through `a`, the enumerated values of ^Z, the strings,
// the commands, and the options as driver.parameter.*.
func TestSameAsDebian(t *testing.T) {
	p := startPair(t, "\tsdtype = 3\n\tawd = 5\n\tcshdelay = 1.5\n\tadvorder = no\n")
	if out := p.same(t, "upsc", "UPS"); !strings.Contains(out, "ups.status: OL\n") || !strings.Contains(out, "ups.model: SMART-UPS 1500\n") {
		t.Errorf("upsc shows:\n%s", out)
	}
	p.same(t, "upsrw", "UPS")
	p.same(t, "upscmd", "-l", "UPS")
}

// status is ups.status of one UPS as upsc shows it ("" when upsc fails).
func (p *pair) status(ups string) string {
	r := nuttest.Exec("", "upsc", p.s.Addr(ups), "ups.status")
	return strings.TrimSpace(r.Out + r.Err)
}

// alertSteps are alert characters the UPS sends by itself, and the
// status they lead to.
var alertSteps = []struct {
	what string
	do   func(u *apcsim.UPS) error
	want string
}{
	{"mains lost (!)", (*apcsim.UPS).PowerFail, "OB"},
	{"low battery (%)", (*apcsim.UPS).LowBattery, "OB LB"},
	{"battery no longer low (+)", func(u *apcsim.UPS) error { return u.Event('+') }, "OB"},
	{"replace battery (#)", func(u *apcsim.UPS) error { return u.Event('#') }, "OB RB"},
	{"overload (?)", func(u *apcsim.UPS) error { return u.Event('?') }, "OB OVER RB"},
	{"overload over (=)", func(u *apcsim.UPS) error { return u.Event('=') }, "OB RB"},
	{"mains back ($)", (*apcsim.UPS).PowerBack, "OL RB"},
}

// Alert characters sent between polls change ups.status on both drivers,
// the same way. Debian's needs ttymode = raw to see them before its next
// poll (TestAlertsActAtOnce).
func TestAlertsSameAsDebian(t *testing.T) {
	p := startPair(t, "\tpollinterval = 300\n\tttymode = raw\n")
	checkAlerts(t, p, "deb", "ours")
}

// An alert right behind an answer, in the same write, is acted on. NUT
// 2.8.0's apc_read returns at the answer's end and drops the rest of
// what it read, so Debian's apcsmart misses it until a later poll.
func TestAlertBehindAnswer(t *testing.T) {
	p := startPair(t, "\tpollinterval = 300\n\tttymode = raw\n")
	for _, u := range []*apcsim.UPS{p.deb, p.our} {
		u.Quiet(300*time.Millisecond, 10*time.Second)
		u.GlueAlert('!')
		// '$' (on line already) wakes both drivers, which then poll.
		if err := u.Alert("$"); err != nil {
			t.Fatal(err)
		}
	}
	nuttest.Eventually(t, "OB on ours", func() (bool, string) {
		s := p.status("ours")
		return s == "OB", "ups.status is " + s
	})
	p.deb.Quiet(300*time.Millisecond, 10*time.Second)
	t.Logf("Debian's shows %s (the UPS says OB)", p.status("deb"))
}

// In the default (canonical) tty mode, Debian's apcsmart sees a lone
// alert character only at its next poll (the tty holds it until a line
// ends); ours reads the line byte by byte and acts at once.
func TestAlertsActAtOnce(t *testing.T) {
	p := startPair(t, "\tpollinterval = 300\n")
	checkAlerts(t, p, "ours")
}

func checkAlerts(t *testing.T, p *pair, upses ...string) {
	for _, st := range alertSteps {
		for _, u := range []*apcsim.UPS{p.deb, p.our} {
			// Between polls: Debian's apcsmart drops an alert that
			// comes in the same read as an answer (TestAlertBehindAnswer).
			u.Quiet(300*time.Millisecond, 10*time.Second)
			if err := st.do(u); err != nil {
				t.Fatal(err)
			}
		}
		for _, ups := range upses {
			nuttest.Eventually(t, st.what+" on "+ups, func() (bool, string) {
				s := p.status(ups)
				return s == st.want, "ups.status is " + s + ", want " + st.want
			})
		}
	}
}

// pollChars are what the drivers send to poll (the status and the
// polled variables), left out when commands' bytes are compared.
const pollChars = "QCPXiLF9GMNOhH{}tT[]fBj/"

// sent is what a UPS received from offset from on, poll characters left
// out.
func sent(u *apcsim.UPS, from int) string {
	var b strings.Builder
	for _, c := range u.Received()[from:] {
		if strings.IndexByte(pollChars, c) < 0 {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// Each instant command sends the UPS the same bytes from both drivers.
// A dangerous one (load.off, shutdown.*) runs only when asked twice, 3 to
// 15 s apart, on both. Each command gets fresh drivers: NUT's window is
// one for all dangerous commands.
func TestInstantCommandBytesSameAsDebian(t *testing.T) {
	cases := []struct {
		cmd, param string
		nasty      bool
		want       string // what reaches the UPS
	}{
		{"test.panel.start", "", false, "A"},
		{"test.failure.start", "", false, "U"},
		{"test.battery.start", "", false, "W"},
		{"test.battery.stop", "", false, "W"},
		{"calibrate.start", "", false, "D"},
		{"calibrate.stop", "", false, ""}, // not calibrating: nothing sent
		{"load.on", "", false, "\x0e\x0e"},
		{"load.off", "", true, "ZZ"},
		{"shutdown.stayoff", "", true, "KK"},
		{"shutdown.return", "", true, "S"},
		{"shutdown.return", "at:5", true, "@005"},
		{"shutdown.return", "cs", true, "US"},
	}
	for _, c := range cases {
		t.Run(strings.TrimSpace(c.cmd+" "+c.param), func(t *testing.T) {
			t.Parallel()
			p := startPair(t, "\tpollinterval = 300\n\tcshdelay = .5\n")
			var mu sync.Mutex
			got := map[string]string{}
			done := make(chan struct{})
			for _, ups := range []string{"deb", "ours"} {
				u := map[string]*apcsim.UPS{"deb": p.deb, "ours": p.our}[ups]
				go func() {
					defer func() { done <- struct{}{} }()
					from := len(u.Received())
					args := []string{"-u", "admin", "-p", "secret", p.s.Addr(ups), c.cmd}
					if c.param != "" {
						args = append(args, c.param)
					}
					if c.nasty {
						nuttest.Exec("", "upscmd", args...)
						time.Sleep(4 * time.Second)
					}
					nuttest.Exec("", "upscmd", append([]string{"-w"}, args...)...)
					time.Sleep(300 * time.Millisecond)
					mu.Lock()
					got[ups] = sent(u, from)
					mu.Unlock()
				}()
			}
			<-done
			<-done
			if got["deb"] != got["ours"] || got["ours"] != c.want {
				t.Errorf("bytes sent: Debian's %q, ours %q; want %q", got["deb"], got["ours"], c.want)
			}
		})
	}
}

// SET cycles an enumerated variable with `-` and writes a string padded
// with CRs: the same bytes from both drivers, the same values after.
func TestSetSameAsDebian(t *testing.T) {
	t.Parallel() // mostly waiting on the UPS
	p := startPair(t, "\tpollinterval = 300\n")
	for _, c := range []struct{ name, value, want string }{
		// asked, stepped twice to 271, read again
		{"input.transfer.high", "271", "u-u-uu"},
		{"input.transfer.high", "271", "u"}, // unchanged: nothing written
		{"ups.delay.shutdown", "020", "p"},
		{"battery.runtime.low", "420", "q-q-qq"},
		{"ups.id", "rack7", "c-rack7\r\r\rc"},
		{"battery.date", "12-01-26", "x-12-01-26x"},
	} {
		got := map[string]string{}
		for _, ups := range []string{"deb", "ours"} {
			u := map[string]*apcsim.UPS{"deb": p.deb, "ours": p.our}[ups]
			from := len(u.Received())
			r := nuttest.Exec("", "upsrw", "-s", c.name+"="+c.value, "-u", "admin", "-p", "secret", "-w", p.s.Addr(ups))
			if r.Code != 0 {
				t.Errorf("%s: upsrw -s %s=%s: %s%s", ups, c.name, c.value, r.Out, r.Err)
			}
			got[ups] = sent(u, from)
		}
		if got["deb"] != got["ours"] || got["ours"] != c.want {
			t.Errorf("SET %s=%s: bytes sent: Debian's %q, ours %q; want %q", c.name, c.value, got["deb"], got["ours"], c.want)
		}
		for _, ups := range []string{"deb", "ours"} {
			nuttest.Eventually(t, "value of "+c.name+" on "+ups, func() (bool, string) {
				r := nuttest.Exec("", "upsc", p.s.Addr(ups), c.name)
				return strings.TrimSpace(r.Out) == c.value, r.Out + r.Err
			})
		}
	}
	p.same(t, "upsrw", "UPS")
}

// A UPS that falls silent, answers garbage or at the wrong baud rate
// makes the data stale with one log line each time, and the driver
// picks it up again when it answers, without a restart.
func TestStaleAndBack(t *testing.T) {
	t.Parallel() // mostly waiting on the UPS
	p := startPair(t, "\tpollinterval = 1\n")
	waitStatus := func(what, want string) {
		t.Helper()
		nuttest.Eventually(t, what, func() (bool, string) {
			s := p.status("ours")
			return s == want, "upsc shows " + s + ", want " + want
		})
	}
	troubles := []struct {
		what string
		set  func(bool)
	}{
		{"silence", p.our.Silent},
		{"garbled answers", p.our.Garble},
		{"baud-rate mismatch", p.our.BaudMismatch},
	}
	count := func(what string) int { return strings.Count(p.log.String(), what) }
	for i, tr := range troubles {
		// Noise on the line (no alert character in it) changes nothing
		// between polls; if it lands in an answer, that poll fails.
		if err := p.our.Alert("\x00\xfe\x13noise\xff"); err != nil {
			t.Fatal(err)
		}
		waitStatus("after noise", "OL")
		tr.set(true)
		waitStatus(tr.what, "Error: Data stale")
		if n := count("data is stale"); n < i+1 {
			t.Errorf("after %s: %d log lines say the data is stale, want at least %d:\n%s", tr.what, n, i+1, p.log.String())
		}
		tr.set(false)
		waitStatus("recovery after "+tr.what, "OL")
		// One line when the data goes stale, one when it comes back.
		stale, back := count("data is stale"), count("communication with the device restored")
		if stale != back {
			t.Errorf("after %s: %d log lines say the data is stale, %d that it is back:\n%s", tr.what, stale, back, p.log.String())
		}
	}
	// '*' between polls (an older model turning its load off) is said.
	if err := p.our.Alert("*"); err != nil {
		t.Fatal(err)
	}
	nuttest.Eventually(t, "the log says '*'", func() (bool, string) {
		return strings.Contains(p.log.String(), "turning the load off now"), p.log.String()
	})
	if !p.running() {
		t.Error("our driver stopped")
	}
}

// A dangerous command runs only when the same command is asked again 3
// to 15 s later. The first asking answers INVALID-ARGUMENT with ours (Debian's
// answers SUCCESS having done nothing), and another dangerous command is no
// confirmation (Debian's keeps one window for all: its shutdown.stayoff
// below runs as the confirmation of load.off).
func TestDangerousCommandsConfirmed(t *testing.T) {
	t.Parallel() // mostly waiting on the UPS
	p := startPair(t, "\tpollinterval = 300\n")
	var mu sync.Mutex
	got := map[string][]string{}
	done := make(chan struct{})
	for _, ups := range []string{"deb", "ours"} {
		u := map[string]*apcsim.UPS{"deb": p.deb, "ours": p.our}[ups]
		go func() {
			defer func() { done <- struct{}{} }()
			from := len(u.Received())
			var answers []string
			for i, cmd := range []string{"load.off", "shutdown.stayoff", "load.off"} {
				if i > 0 {
					time.Sleep(4 * time.Second)
				}
				r := nuttest.Exec("", "upscmd", "-w", "-u", "admin", "-p", "secret", p.s.Addr(ups), cmd)
				answers = append(answers, strings.TrimSpace(r.Out+r.Err))
			}
			time.Sleep(300 * time.Millisecond)
			mu.Lock()
			got[ups] = append(answers, sent(u, from))
			mu.Unlock()
		}()
	}
	<-done
	<-done
	if d := got["deb"]; d[3] != "KKZZ" || d[0] != "SUCCESS" {
		t.Errorf("Debian's: answers %q, sent %q; want SUCCESS first, then KKZZ sent", d[:3], d[3])
	}
	if o := got["ours"]; o[3] != "ZZ" || o[0] != "ERR INVALID-ARGUMENT" || o[1] != "ERR INVALID-ARGUMENT" || o[2] != "SUCCESS" {
		t.Errorf("ours: answers %q, sent %q; want INVALID-ARGUMENT twice, then SUCCESS, and ZZ sent", o[:3], o[3])
	}
}
