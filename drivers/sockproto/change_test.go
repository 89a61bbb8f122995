package sockproto

import (
	"errors"
	"strings"
	"testing"

	"gonut/state"
	"gonut/words"
)

// lines collects the lines a tree's changes are told in.
type lines []string

func (l *lines) Changed(c state.Change) { *l = append(*l, string(AppendChange(nil, c))) }

func dump(t *state.Tree, name string) string {
	var out string
	Dump(t, name, func(b []byte) { out = string(b) })
	return out
}

// The dump of a tree shaped like Debian's dummy-ups on a small .dev file
// has the same lines in the same order as Debian's driver sends.
func TestDumpMatchesNUT(t *testing.T) {
	tr := state.New()
	tr.Set("ups.status", "OL")
	tr.SetAux("ups.status", 32)
	tr.SetFlags("ups.status", state.RW|state.String)
	tr.Set("battery.charge", "100")
	tr.SetFlags("battery.charge", state.RW)
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
	if got := dump(state.New(), ""); got != "DATASTALE\nDUMPDONE\n" {
		t.Fatalf("dump of a new tree: %q", got)
	}
}

// Every change a driver's tree makes is told in NUT's words, and applying
// each line to another tree makes the same changes there.
func TestChangesTravel(t *testing.T) {
	tr := state.New()
	var got lines
	tr.SetSink(&got)
	cp := state.New()
	var again lines
	cp.SetSink(&again)
	tr.Set("ups.status", "OB LB")
	tr.Set("ups.mfr", `say "hi" \ #1`)
	tr.Set("x", "")
	tr.AddEnum("ups.status", "x")
	tr.DelEnum("ups.status", "x")
	tr.Set("input.transfer.low", "95")
	tr.AddRange("input.transfer.low", 90, 100)
	tr.DelRange("input.transfer.low", 90, 100)
	tr.SetAux("ups.status", 16)
	tr.SetFlags("ups.status", state.RW|state.String)
	tr.AddCmd("test.battery.start")
	tr.DelCmd("test.battery.start")
	tr.DataOK()
	tr.DataStale()
	tr.Delete("input.transfer.low")
	want := []string{
		"SETINFO ups.status \"OB LB\"\n",
		"SETINFO ups.mfr \"say \\\"hi\\\" \\\\ \\#1\"\n",
		"SETINFO x \"\"\n",
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
		t.Fatalf("told:\n%s\nwant:\n%s", strings.Join(got, ""), strings.Join(want, ""))
	}
	for _, l := range got {
		m, err := Parse(l)
		if err != nil {
			t.Fatal(err)
		}
		if changed, err := Apply(cp, m); err != nil || !changed {
			t.Errorf("Apply(%q): changed %v, %v", l, changed, err)
		}
	}
	if strings.Join(again, "") != strings.Join(want, "") {
		t.Fatalf("the copy told:\n%s", strings.Join(again, ""))
	}
	if dump(cp, "") != dump(tr, "") {
		t.Fatalf("the copy dumps\n%s\nthe tree\n%s", dump(cp, ""), dump(tr, ""))
	}
}

func TestApplyRefuses(t *testing.T) {
	tr := state.New()
	for line, notChange := range map[string]bool{
		"DUMPDONE":                      true,
		"PONG":                          true,
		"TRACKING a 0":                  true,
		"FOO bar":                       true,
		"SETINFO ups.status":            false,
		"ADDRANGE x 1":                  false,
		`SETINFO "ups status" "OL"`:     false,
		`SETINFO "" "OL"`:               false,
		`ADDCMD "load off"`:             false,
		`SETFLAGS "two words" RW`:       false,
		"SETAUX":                        false,
		`DELENUM input.transfer.low`:    false,
		`SETINFO ups.status "OL" extra`: false, // accepted: NUT ignores extra words
	} {
		m, _ := Parse(line)
		_, err := Apply(tr, m)
		if line == `SETINFO ups.status "OL" extra` {
			if err != nil {
				t.Errorf("%q: %v", line, err)
			}
			continue
		}
		if err == nil || errors.Is(err, ErrNoChange) != notChange {
			t.Errorf("%q: error %v (a change line: %v)", line, err, !notChange)
		}
	}
	if v, _ := tr.Get("ups.status"); v != "OL" || len(tr.Vars()) != 1 || len(tr.Cmds()) != 0 {
		t.Fatalf("a refused line changed the tree: %+v %v", tr.Vars(), tr.Cmds())
	}
}

func TestResultTracking(t *testing.T) {
	for r, want := range map[Result]string{Pending: "PENDING", Handled: "SUCCESS", Unknown: "ERR UNKNOWN",
		Invalid: "ERR INVALID-ARGUMENT", Failed: "ERR FAILED", ConversionFailed: "ERR UNKNOWN", 9: "ERR UNKNOWN"} {
		if got := r.Tracking(); got != want {
			t.Errorf("%d: %q, want %q", r, got, want)
		}
	}
}

// Whatever a driver sends, Apply neither panics nor keeps a name that is
// not one plain word; what it applied dumps, and reads back, the same.
func FuzzApply(f *testing.F) {
	for _, s := range []string{`SETINFO ups.status "OL"`, "ADDRANGE x 1 2", "SETFLAGS x RW STRING", "ADDCMD a", `ADDENUM x "a b"`, "DATAOK", "SETAUX x 9999999999999999999999", `SETINFO "a b" c`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		m, err := Parse(line)
		if err != nil {
			return
		}
		tr := state.New()
		tr.Set("x", "1")
		Apply(tr, m)
		for _, v := range tr.Vars() {
			if !words.IsPlain(v.Name) {
				t.Fatalf("%q made a variable named %q", line, v.Name)
			}
		}
		cp := state.New()
		for _, l := range strings.SplitAfter(strings.TrimSuffix(dump(tr, ""), "DUMPDONE\n"), "\n") {
			if l == "" {
				continue
			}
			back, err := Parse(l)
			if err != nil {
				t.Fatalf("%q dumps %q, which does not parse: %v", line, l, err)
			}
			if _, err := Apply(cp, back); err != nil {
				t.Fatalf("%q dumps %q, which does not apply: %v", line, l, err)
			}
		}
		if dump(cp, "") != dump(tr, "") {
			t.Fatalf("%q: the copy dumps\n%s\nthe tree\n%s", line, dump(cp, ""), dump(tr, ""))
		}
	})
}
