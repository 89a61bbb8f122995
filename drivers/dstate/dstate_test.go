package dstate

import (
	"strings"
	"testing"
)

type lines []string

func (l *lines) Broadcast(s string) { *l = append(*l, s) }

func dump(t *Tree, name string) string {
	var out string
	t.Dump(name, func(s string) { out = s })
	return out
}

// The dump of a tree shaped like Debian's dummy-ups on a small .dev file
// has the same lines in the same order as Debian's driver sends.
func TestDumpMatchesNUT(t *testing.T) {
	tr := New()
	tr.Set("ups.status", "OL")
	tr.SetAux("ups.status", 32)
	tr.SetFlags("ups.status", RW|String)
	tr.Set("battery.charge", "100")
	tr.SetFlags("battery.charge", RW)
	tr.Set("device.type", "ups")
	tr.Set("Driver.Name", "dummy-ups")
	tr.AddCmd("load.off")
	tr.DataOK()
	want := `SETINFO battery.charge "100"
SETFLAGS battery.charge RW
SETINFO device.type "ups"
SETINFO Driver.Name "dummy-ups"
SETINFO ups.status "OL"
SETAUX ups.status 32
SETFLAGS ups.status RW STRING
ADDCMD load.off
DATAOK
DUMPDONE
`
	if got := dump(tr, ""); got != want {
		t.Fatalf("dump:\n%s\nwant:\n%s", got, want)
	}
	if got := dump(tr, "ups.status"); !strings.HasPrefix(got, `SETINFO ups.status "OL"`) || !strings.HasSuffix(got, "DATAOK\nDUMPDONE\n") || strings.Contains(got, "ADDCMD") {
		t.Fatalf("DUMPVALUE:\n%s", got)
	}
	if got := dump(tr, "no.such"); got != "DATAOK\nDUMPDONE\n" {
		t.Fatalf("DUMPVALUE of an unknown variable: %q", got)
	}
}

func TestChangesAreBroadcastOnce(t *testing.T) {
	tr := New()
	var got lines
	tr.SetSink(&got)
	if dump(tr, "") != "DATASTALE\nDUMPDONE\n" {
		t.Fatal("a new tree is not stale")
	}
	tr.Set("ups.status", "OL")
	tr.Set("ups.status", "OL") // unchanged: nothing sent
	tr.Set("UPS.STATUS", "OB") // same variable, other case
	tr.AddEnum("ups.status", "x")
	tr.AddEnum("ups.status", "x")
	tr.DelEnum("ups.status", "x")
	tr.AddRange("input.transfer.low", 1, 2) // unknown variable: ignored
	tr.Set("input.transfer.low", "95")
	tr.AddRange("input.transfer.low", 90, 100)
	tr.DelRange("input.transfer.low", 90, 100)
	tr.SetAux("ups.status", 16)
	tr.SetFlags("ups.status", RW|String)
	tr.SetFlags("ups.status", RW|String)
	tr.AddCmd("test.battery.start")
	tr.AddCmd("TEST.battery.start")
	tr.DelCmd("test.battery.start")
	tr.DataOK()
	tr.DataOK()
	tr.DataStale()
	tr.Delete("input.transfer.low")
	tr.Delete("input.transfer.low")
	want := []string{
		"SETINFO ups.status \"OL\"\n",
		"SETINFO ups.status \"OB\"\n",
		"ADDENUM ups.status \"x\"\n",
		"DELENUM ups.status \"x\"\n",
		"SETINFO input.transfer.low \"95\"\n",
		"ADDRANGE input.transfer.low 90 100\n",
		"DELRANGE input.transfer.low 90 100\n",
		"SETAUX ups.status 16\n",
		"SETFLAGS ups.status RW STRING\n",
		"ADDCMD test.battery.start\n",
		"DELCMD test.battery.start\n",
		"DATAOK\n",
		"DATASTALE\n",
		"DELINFO input.transfer.low\n",
	}
	if strings.Join(got, "") != strings.Join(want, "") {
		t.Fatalf("broadcast:\n%s\nwant:\n%s", strings.Join(got, ""), strings.Join(want, ""))
	}
}

func TestImmutable(t *testing.T) {
	tr := New()
	tr.Set("device.serial", "A1")
	tr.SetFlags("device.serial", Immutable)
	if tr.Set("device.serial", "B2") {
		t.Fatal("immutable variable changed")
	}
	if v, _ := tr.Get("device.serial"); v != "A1" {
		t.Fatalf("value %q", v)
	}
	if strings.Contains(dump(tr, ""), "SETFLAGS") {
		t.Fatal("the immutable flag is not a wire flag")
	}
}

func TestParseFlags(t *testing.T) {
	if f := ParseFlags([]string{"rw", "STRING", "bogus"}); f != RW|String {
		t.Fatalf("flags %v", f)
	}
}

func TestStatus(t *testing.T) {
	tr := New()
	var s Status
	s.Set("OB")
	s.Set("DISCHRG ob")
	s.Set("LB")
	tr.CommitStatus(&s)
	if v, _ := tr.Get("ups.status"); v != "OB DISCHRG LB" {
		t.Fatalf("status %q", v)
	}
	s.Alarm("Replace battery!")
	tr.CommitAlarms(&s)
	tr.CommitStatus(&s)
	if v, _ := tr.Get("ups.status"); v != "ALARM OB DISCHRG LB" {
		t.Fatalf("status with alarm %q", v)
	}
	if v, _ := tr.Get("ups.alarm"); v != "Replace battery!" {
		t.Fatalf("alarm %q", v)
	}
	s.ResetAlarms()
	tr.CommitAlarms(&s)
	tr.CommitStatus(&s)
	if _, ok := tr.Get("ups.alarm"); ok {
		t.Fatal("ups.alarm not removed")
	}

	// ignorelb: the device's LB is ignored; the thresholds decide.
	tr.Set("driver.flag.ignorelb", "enabled")
	tr.Set("battery.charge", "30")
	tr.Set("battery.charge.low", "20")
	tr.CommitStatus(&s)
	if v, _ := tr.Get("ups.status"); v != "OB DISCHRG" {
		t.Fatalf("ignorelb above threshold: %q", v)
	}
	tr.Set("battery.charge", "10")
	tr.CommitStatus(&s)
	if v, _ := tr.Get("ups.status"); v != "OB DISCHRG LB" {
		t.Fatalf("ignorelb below threshold: %q", v)
	}
	s.Reset()
	s.Set("ALARM OL")
	tr.Delete("driver.flag.ignorelb")
	tr.CommitStatus(&s)
	if v, _ := tr.Get("ups.status"); v != "ALARM OL" {
		t.Fatalf("legacy ALARM token: %q", v)
	}
}
