package state

import (
	"reflect"
	"strings"
	"testing"
)

type changes []Change

func (l *changes) Changed(c Change) { *l = append(*l, c) }

func replay(t *Tree, name string) []Change {
	var out []Change
	ended := false
	t.Replay(name, func(c Change) { out = append(out, c) }, func() { ended = true })
	if !ended {
		panic("Replay did not call end")
	}
	return out
}

func TestChangesAreReportedOnce(t *testing.T) {
	tr := New()
	var got changes
	tr.SetSink(&got)
	if r := replay(tr, ""); !reflect.DeepEqual(r, []Change{{Op: OpDataStale}}) {
		t.Fatalf("a new tree is not stale: %+v", r)
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
	want := changes{
		{Op: OpSet, Name: "ups.status", Value: "OL"},
		{Op: OpSet, Name: "ups.status", Value: "OB"},
		{Op: OpAddEnum, Name: "ups.status", Value: "x"},
		{Op: OpDelEnum, Name: "ups.status", Value: "x"},
		{Op: OpSet, Name: "input.transfer.low", Value: "95"},
		{Op: OpAddRange, Name: "input.transfer.low", Range: Range{90, 100}},
		{Op: OpDelRange, Name: "input.transfer.low", Range: Range{90, 100}},
		{Op: OpSetAux, Name: "ups.status", Aux: 16},
		{Op: OpSetFlags, Name: "ups.status", Flags: RW | String},
		{Op: OpAddCmd, Name: "test.battery.start"},
		{Op: OpDelCmd, Name: "test.battery.start"},
		{Op: OpDataOK},
		{Op: OpDataStale},
		{Op: OpDelete, Name: "input.transfer.low"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("changes:\n%+v\nwant:\n%+v", got, want)
	}
}

// Replaying a tree into another (as upsd copies a driver's through
// DUMPALL) makes the same tree, with the same changes reported.
func TestReplayAndApply(t *testing.T) {
	tr := New()
	tr.Set("ups.status", "OL")
	tr.SetAux("ups.status", 32)
	tr.SetFlags("ups.status", RW|String)
	tr.Set("input.transfer.low", "95")
	tr.AddEnum("input.transfer.low", "95")
	tr.AddRange("input.transfer.low", 90, 100)
	tr.Set("device.serial", "A1")
	tr.SetFlags("device.serial", Immutable) // not a flag a copy hears of
	tr.AddCmd("load.off")
	tr.DataOK()
	cp := New()
	var heard changes
	cp.SetSink(&heard)
	all := replay(tr, "")
	for _, c := range all {
		if !cp.Apply(&c) {
			t.Errorf("applying %+v changed nothing", c)
		}
	}
	if !reflect.DeepEqual([]Change(heard), all) {
		t.Errorf("the copy heard\n%+v\nof\n%+v", heard, all)
	}
	if got, want := replay(cp, ""), all; !reflect.DeepEqual(got, want) {
		t.Errorf("the copy replays\n%+v\nwant\n%+v", got, want)
	}
	if cp.Apply(&all[0]) {
		t.Error("applying a change again changed the tree")
	}
	if got := replay(tr, "input.transfer.low"); len(got) != 4 || got[3].Op != OpDataOK {
		t.Errorf("replay of one variable: %+v", got)
	}
	if got := replay(tr, "no.such"); !reflect.DeepEqual(got, []Change{{Op: OpDataOK}}) {
		t.Errorf("replay of an unknown variable: %+v", got)
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
	for _, c := range replay(tr, "") {
		if c.Op == OpSetFlags {
			t.Fatal("the immutable flag is not a wire flag")
		}
	}
	// It outlives a delete (NUT's too) and the driver's flags (NUT's
	// does not).
	if tr.Delete("device.serial") {
		t.Fatal("immutable variable deleted")
	}
	tr.SetFlags("device.serial", RW)
	if tr.Set("device.serial", "C3") {
		t.Fatal("immutable variable changed once the driver set its flags")
	}
}

// A tree that keeps values as upsd shows them cuts them, and its
// enumerated values, to n characters once escaped; a withdrawn long
// enumerated value is cut alike, so that it is found.
func TestLimitValues(t *testing.T) {
	tr := New()
	tr.LimitValues(10)
	tr.Set("ups.long", strings.Repeat("x", 20))
	if v, _ := tr.Get("ups.long"); v != strings.Repeat("x", 10) {
		t.Fatalf("value %q", v)
	}
	if tr.Set("ups.long", strings.Repeat("x", 30)) {
		t.Fatal("a change beyond the cut changed the value")
	}
	tr.Set("ups.quoted", `123456789"`)
	if v, _ := tr.Get("ups.quoted"); v != "123456789" {
		t.Fatalf("half an escape kept: %q", v)
	}
	tr.AddEnum("ups.long", strings.Repeat("e", 40))
	if !tr.DelEnum("ups.long", strings.Repeat("e", 40)) {
		t.Fatal("a long enumerated value was not found to withdraw")
	}
}

func TestParseFlags(t *testing.T) {
	if f := ParseFlags([]string{"rw", "STRING", "bogus"}); f != RW|String {
		t.Fatalf("flags %v", f)
	}
}
