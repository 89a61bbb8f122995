package qx

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"gonut/drivers/core"
	"gonut/drivers/serial"
)

// ticker is a clock that moves on a little at each reading, so that a
// read from a Replay (which never waits) still times out.
type ticker struct{ t time.Time }

func (c *ticker) now() time.Time {
	c.t = c.t.Add(10 * time.Millisecond)
	return c.t
}

// The answers of NUT's megatec_testing, and ours.
const (
	q1OL    = "(215.0 195.0 230.0 014 49.0 22.7 30.0 00000000\r"
	rating  = "#230.0 000 024.0 50.0\r"
	vendor  = "#NOT_A_LIVE_UPS  TESTING    TESTING   \r"
	q1OB    = "(000.0 000.0 230.0 014 00.0 20.1 30.0 10000000\r"
	q1OBLB  = "(000.0 000.0 230.0 014 00.0 19.4 30.0 11000000\r"
	q1Trim  = "(240.0 195.0 220.0 014 49.0 22.7 30.0 00100000\r"
	q1Boost = "(200.0 195.0 230.0 014 49.0 22.7 30.0 00100000\r"
	q1Fail  = "(215.0 195.0 230.0 014 49.0 22.7 30.0 00010001\r"
)

func section(kv ...string) []core.Setting {
	out := []core.Setting{{Key: "port", Value: "/dev/replay"}}
	for _, s := range kv {
		k, v, ok := strings.Cut(s, "=")
		out = append(out, core.Setting{Key: k, Value: v, Flag: !ok})
	}
	return out
}

// start runs Init on a Replay of steps with these settings.
func start(t *testing.T, set []core.Setting, steps ...serial.Step) (*Driver, *core.Device, *serial.Replay, *ticker) {
	t.Helper()
	r := serial.NewReplay(steps...)
	clk := &ticker{t: time.Unix(1e9, 0)}
	d := New(func(string, serial.Options) (serial.Port, error) { return r, nil }, clk.now)
	dev := core.NewDevice("t", set, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := d.Init(context.Background(), dev); err != nil {
		t.Fatalf("Init: %v (replay: %v)", err, r.Err())
	}
	return d, dev, r, clk
}

// megatecStart is the conversation of a start with protocol = megatec:
// the claim (Q1, I), then the walk of what is not known yet.
var megatecStart = []serial.Step{{Send: "Q1\r", Reply: q1OL}, {Send: "I\r", Reply: vendor},
	{Send: "Q1\r", Reply: q1OL}, {Send: "F\r", Reply: rating}, {Send: "I\r", Reply: vendor}}

func get(dev *core.Device, name string) string {
	v, _ := dev.Tree.Get(name)
	return v
}

func TestStartAndPolls(t *testing.T) {
	steps := append(megatecStart[:len(megatecStart):len(megatecStart)],
		serial.Step{Send: "Q1\r", Reply: q1OL}, serial.Step{Send: "Q1\r", Reply: q1OB}, serial.Step{Send: "Q1\r", Reply: q1OBLB})
	d, dev, r, _ := start(t, section("protocol=megatec"), steps...)
	for name, want := range map[string]string{
		"input.voltage": "215.0", "input.voltage.fault": "195.0", "output.voltage": "230.0", "ups.load": "14",
		"input.frequency": "49.0", "battery.voltage": "22.70", "ups.temperature": "30.0", "ups.type": "online",
		"ups.beeper.status": "disabled", "input.voltage.nominal": "230", "input.current.nominal": "0.0",
		"battery.voltage.nominal": "24.0", "input.frequency.nominal": "50", "device.mfr": "NOT_A_LIVE_UPS",
		"device.model": "TESTING", "ups.firmware": "TESTING", "ups.delay.start": "180", "ups.delay.shutdown": "30",
		"driver.version.data": "Megatec 0.06", "battery.voltage.low": "20.80", "battery.voltage.high": "26.00",
		"battery.charge": "37", "driver.parameter.pollfreq": "30",
	} {
		if got := get(dev, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	for _, want := range []string{"OL", "OB", "OB LB"} {
		if err := d.Update(context.Background(), dev); err != nil {
			t.Fatal(err)
		}
		if got := get(dev, "ups.status"); got != want {
			t.Errorf("ups.status = %q, want %q", got, want)
		}
	}
	if r.Err() != nil || r.Left() != 0 {
		t.Fatalf("conversation: %v, %d steps left", r.Err(), r.Left())
	}
	// Quick polls read the status alone: the voltages wait for a full one.
	if got := get(dev, "input.voltage"); got != "215.0" {
		t.Errorf("a quick poll changed input.voltage to %s", got)
	}
}

// Four polls in a row may fail (line noise, a cut or echoed answer,
// silence) before the data goes stale, as in NUT; a good answer then
// resets the count.
func TestFailuresBeforeStale(t *testing.T) {
	bad := []string{"\x13\xfe(2#0.\x00 9?\r", q1OL[:20], "Q1\r", "", "(215.0 195.0 230.0 014 49.0 22.7 30.0 x0000000\r"}
	steps := append(megatecStart[:len(megatecStart):len(megatecStart)], serial.Step{Send: "Q1\r", Reply: q1OL})
	for _, b := range bad {
		steps = append(steps, serial.Step{Send: "Q1\r", Reply: b})
	}
	steps = append(steps, serial.Step{Send: "Q1\r", Reply: q1OB}, serial.Step{Send: "Q1\r", Reply: ""})
	d, dev, r, _ := start(t, section("protocol=megatec"), steps...)
	if err := d.Update(context.Background(), dev); err != nil {
		t.Fatal(err)
	}
	for i := range bad {
		err := d.Update(context.Background(), dev)
		if stale := err != nil; stale != (i == len(bad)-1) {
			t.Fatalf("failure %d (%q): Update = %v", i+1, bad[i], err)
		}
	}
	if err := d.Update(context.Background(), dev); err != nil || get(dev, "ups.status") != "OB" {
		t.Fatalf("recovery: %v, status %q", err, get(dev, "ups.status"))
	}
	if err := d.Update(context.Background(), dev); err != nil {
		t.Fatalf("one failure after recovery: %v", err)
	}
	if r.Err() != nil {
		t.Fatal(r.Err())
	}
}

// Bit 40 is TRIM, BYPASS or BOOST by the output voltage against the
// input's. As in NUT, a quick poll that sees it clear does not clear the
// token (only the next full poll does), and it judges by the voltages of
// the last full poll.
func TestBypassBoostBuck(t *testing.T) {
	steps := append(megatecStart[:len(megatecStart):len(megatecStart)],
		serial.Step{Send: "Q1\r", Reply: q1Trim}, // quick: input 215 known, output 230 → BOOST (1.07)
		serial.Step{Send: "Q1\r", Reply: q1OL},   // quick: the bit is clear, BOOST stays
		serial.Step{Send: "Q1\r", Reply: q1Trim}, // full: values read first → 220 < 0.95 × 240: TRIM
		serial.Step{Send: "Q1\r", Reply: q1Boost},
	)
	d, dev, _, clk := start(t, section("protocol=megatec"), steps...)
	want := []string{"OL BOOST", "OL BOOST", "OL TRIM", "OL TRIM"}
	for i, w := range want {
		if i == 2 {
			clk.t = clk.t.Add(31 * time.Second)
		}
		if err := d.Update(context.Background(), dev); err != nil {
			t.Fatal(err)
		}
		if got := get(dev, "ups.status"); got != w {
			t.Errorf("poll %d: ups.status = %q, want %q", i+1, got, w)
		}
	}
}

// The UPS-failed bit is an alarm: shown from the next full poll on.
func TestAlarm(t *testing.T) {
	steps := append(megatecStart[:len(megatecStart):len(megatecStart)],
		serial.Step{Send: "Q1\r", Reply: q1Fail}, serial.Step{Send: "Q1\r", Reply: q1Fail}, serial.Step{Send: "Q1\r", Reply: q1OL})
	d, dev, _, clk := start(t, section("protocol=megatec"), steps...)
	if d.Update(context.Background(), dev); get(dev, "ups.status") != "OL" || get(dev, "ups.alarm") != "" {
		t.Fatalf("quick poll: %q, alarm %q", get(dev, "ups.status"), get(dev, "ups.alarm"))
	}
	clk.t = clk.t.Add(31 * time.Second)
	if d.Update(context.Background(), dev); get(dev, "ups.status") != "ALARM OL" ||
		get(dev, "ups.alarm") != "UPS selftest failed!" || get(dev, "ups.beeper.status") != "enabled" {
		t.Fatalf("full poll: %q, alarm %q", get(dev, "ups.status"), get(dev, "ups.alarm"))
	}
	if d.Update(context.Background(), dev); get(dev, "ups.status") != "ALARM OL" {
		t.Fatalf("quick poll after: %q", get(dev, "ups.status"))
	}
}

// A command is done when the UPS says nothing or ACK, refused when it
// echoes the request; a parameter out of range never reaches it.
func TestCommands(t *testing.T) {
	steps := append(megatecStart[:len(megatecStart):len(megatecStart)],
		serial.Step{Send: "T\r"}, serial.Step{Send: "TL\r", Reply: "ACK\r"}, serial.Step{Send: "CT\r", Reply: "CT\r"},
		serial.Step{Send: "T05\r"}, serial.Step{Send: "S.5R0003\r"}, serial.Step{Send: "S02R0005\r"})
	d, dev, r, _ := start(t, section("protocol=megatec"), steps...)
	ctx := context.Background()
	for _, c := range []struct {
		name, param string
		want        core.Result
	}{
		{"test.battery.start.quick", "", core.Handled},
		{"test.battery.start.deep", "", core.Handled},
		{"test.battery.stop", "", core.Failed},
		{"test.battery.start", "30", core.Failed},
		{"test.battery.start", "300", core.Handled},
		{"shutdown.return", "", core.Handled},
		{"no.such.command", "", core.Invalid},
	} {
		if got := d.InstCmd(ctx, dev, c.name, c.param); got != c.want {
			t.Errorf("%s %s = %v, want %v", c.name, c.param, got, c.want)
		}
	}
	if got := d.SetVar(ctx, dev, "ups.delay.start", "300"); got != core.Handled {
		t.Errorf("SET ups.delay.start = %v", got)
	}
	if got := d.SetVar(ctx, dev, "ups.delay.shutdown", "121"); got != core.Handled || get(dev, "ups.delay.shutdown") != "120" {
		t.Errorf("SET ups.delay.shutdown 121 = %v, %s", got, get(dev, "ups.delay.shutdown"))
	}
	if got := d.SetVar(ctx, dev, "ups.delay.shutdown", "6000"); got != core.Invalid {
		t.Errorf("SET ups.delay.shutdown out of range = %v", got)
	}
	if got := d.InstCmd(ctx, dev, "shutdown.return", ""); got != core.Handled {
		t.Errorf("shutdown.return with new delays = %v", got)
	}
	if r.Err() != nil || r.Left() != 0 {
		t.Fatalf("conversation: %v, %d left; sent %q", r.Err(), r.Left(), r.Sent())
	}
}

// Without a protocol, the subdrivers are tried in NUT's order, three
// times each; a UPS that echoes what it does not know is Megatec.
func TestAutodetect(t *testing.T) {
	var steps []serial.Step
	for range 3 { // Voltronic: QGS echoed
		steps = append(steps, serial.Step{Send: "QGS\r", Reply: "QGS\r"})
	}
	for range 6 { // Voltronic-QS, then Voltronic-QS-Hex
		steps = append(steps, serial.Step{Send: "M\r", Reply: "M\r"})
	}
	for range 3 {
		steps = append(steps, serial.Step{Send: "QS\r", Reply: "QS\r"})
	}
	for range 3 {
		steps = append(steps, serial.Step{Send: "D\r", Reply: "D\r"})
	}
	for range 3 { // BestUPS: the status line, but ID echoed
		steps = append(steps, serial.Step{Send: "Q1\r", Reply: q1OL}, serial.Step{Send: "ID\r", Reply: "ID\r"})
	}
	for range 3 { // Mecer: the status line, but QPI echoed
		steps = append(steps, serial.Step{Send: "Q1\r", Reply: q1OL}, serial.Step{Send: "QPI\r", Reply: "QPI\r"})
	}
	steps = append(steps, megatecStart...)
	_, dev, r, _ := start(t, section(), steps...)
	if got := get(dev, "driver.version.data"); got != "Megatec 0.06" || r.Err() != nil {
		t.Fatalf("picked %q; %v", got, r.Err())
	}
}

// The shutdown-active bit is FSD, and an alarm from the next full poll;
// ignoresab skips it.
func TestShutdownActive(t *testing.T) {
	const q1SAB = "(215.0 195.0 230.0 014 49.0 22.7 30.0 00000010\r"
	for _, c := range []struct {
		flag        string
		quick, full string
		alarm       string
	}{{"", "OL FSD", "ALARM OL FSD", "Shutdown imminent!"}, {"ignoresab", "OL", "OL", ""}} {
		set := section("protocol=megatec")
		if c.flag != "" {
			set = section("protocol=megatec", c.flag)
		}
		steps := append(megatecStart[:len(megatecStart):len(megatecStart)],
			serial.Step{Send: "Q1\r", Reply: q1SAB}, serial.Step{Send: "Q1\r", Reply: q1SAB})
		d, dev, _, clk := start(t, set, steps...)
		d.Update(context.Background(), dev)
		q := get(dev, "ups.status")
		clk.t = clk.t.Add(31 * time.Second)
		d.Update(context.Background(), dev)
		if q != c.quick || get(dev, "ups.status") != c.full || get(dev, "ups.alarm") != c.alarm {
			t.Errorf("%q: quick %q, full %q, alarm %q", c.flag, q, get(dev, "ups.status"), get(dev, "ups.alarm"))
		}
	}
}

// Whatever the UPS answers to a poll, the driver neither panics nor
// shows a status it did not understand.
func FuzzPollAnswer(f *testing.F) {
	for _, s := range []string{q1OL, q1OB, q1OBLB, q1Trim, q1Boost, q1Fail, "", "Q1\r", "(\r", "(215.0 195.0 230.0 014 49.0 22.7 30.0 0000000\r"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, answer string, full bool) {
		steps := append(megatecStart[:len(megatecStart):len(megatecStart)],
			serial.Step{Send: "Q1\r", Reply: q1OL}, serial.Step{Send: "Q1\r", Reply: answer})
		d, dev, _, clk := start(t, section("protocol=megatec", "runtimecal=240,100,720,50"), steps...)
		d.Update(context.Background(), dev)
		if full {
			clk.t = clk.t.Add(31 * time.Second)
		}
		if err := d.Update(context.Background(), dev); err != nil {
			t.Fatalf("one bad answer made the data stale: %v", err)
		}
		st := get(dev, "ups.status")
		if !strings.HasPrefix(strings.TrimPrefix(st, "ALARM "), "OL") && !strings.HasPrefix(strings.TrimPrefix(st, "ALARM "), "OB") {
			t.Fatalf("ups.status %q", st)
		}
	})
}

// Every item of every subdriver's table takes any answer without a
// panic, and what it sets is never empty.
func FuzzItems(f *testing.F) {
	for _, s := range []string{q1OL, rating, vendor, "ACK\r", "", "(", "#"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, answer string) {
		for _, sub := range subdrivers() {
			for _, it := range sub.table() {
				raw, err := it.extract(answer, sub.rejected)
				if err != nil || it.value != nil {
					continue
				}
				if v, err := it.format(raw); err == nil && v == "" {
					t.Fatalf("%s: empty value from %q", it.name, answer)
				}
			}
		}
	})
}

// A UPS that never answered a poll is stale at once: there is no data to
// keep through failures.
func TestFirstPollFails(t *testing.T) {
	steps := append(megatecStart[:len(megatecStart):len(megatecStart)], serial.Step{Send: "Q1\r", Reply: "garbage\r"})
	d, dev, _, _ := start(t, section("protocol=megatec"), steps...)
	if err := d.Update(context.Background(), dev); err == nil {
		t.Fatal("a first poll without an answer is not an error")
	}
}

// NUT's own Voltronic-QS-Hex answer (its voltronic_qs_hex_testing),
// escapes and all, reads as NUT reads it.
func TestHexRefine(t *testing.T) {
	got, err := hexRefine("#\x6C\x01 \x35 \x6C\x01 \x35 \x03 \x51\x9A \x28\x02\x12\xD0 \xE6 \x1E \x09\r")
	if want := "#6c01 35 6c01 35 03 519a 1312d0 e6 1e 00001001\r"; err != nil || got != want {
		t.Fatalf("hexRefine = %q, %v; want %q", got, err, want)
	}
	it := item{name: "input.voltage", from: 1, to: 7}
	raw, _ := it.extract(got, "")
	if v, _ := hexVoltage(nil, &it, raw); v != "112.2" {
		t.Errorf("input.voltage %q from %q", v, raw)
	}
}

func FuzzHexRefine(f *testing.F) {
	f.Add("#\x6C\x01 \x35 \x6C\x01 \x35 \x03 \x51\x9A \x28\x02\x12\xD0 \xE6 \x1E \x09\r")
	f.Add("#(")
	f.Fuzz(func(t *testing.T, ans string) {
		r, err := hexRefine(ans)
		if err == nil && r != "" && len(r) != 47 && len(r) != 56 {
			t.Fatalf("refined %q to %d bytes", ans, len(r))
		}
	})
}
