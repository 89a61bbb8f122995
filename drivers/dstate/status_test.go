package dstate

import (
	"testing"

	"gonut/state"
)

func TestStatus(t *testing.T) {
	tr := state.New()
	var s Status
	s.Set("OB")
	s.Set("DISCHRG ob")
	s.Set("LB")
	s.Commit(tr)
	if v, _ := tr.Get("ups.status"); v != "OB DISCHRG LB" {
		t.Fatalf("status %q", v)
	}
	s.Alarm("Replace battery!")
	s.CommitAlarms(tr)
	s.Commit(tr)
	if v, _ := tr.Get("ups.status"); v != "ALARM OB DISCHRG LB" {
		t.Fatalf("status with alarm %q", v)
	}
	if v, _ := tr.Get("ups.alarm"); v != "Replace battery!" {
		t.Fatalf("alarm %q", v)
	}
	s.ResetAlarms()
	s.CommitAlarms(tr)
	s.Commit(tr)
	if _, ok := tr.Get("ups.alarm"); ok {
		t.Fatal("ups.alarm not removed")
	}

	// ignorelb: the device's LB is ignored; the thresholds decide.
	tr.Set("driver.flag.ignorelb", "enabled")
	tr.Set("battery.charge", "30")
	tr.Set("battery.charge.low", "20")
	s.Commit(tr)
	if v, _ := tr.Get("ups.status"); v != "OB DISCHRG" {
		t.Fatalf("ignorelb above threshold: %q", v)
	}
	tr.Set("battery.charge", "10")
	s.Commit(tr)
	if v, _ := tr.Get("ups.status"); v != "OB DISCHRG LB" {
		t.Fatalf("ignorelb below threshold: %q", v)
	}
	s.Reset()
	s.Set("ALARM OL")
	tr.Delete("driver.flag.ignorelb")
	s.Commit(tr)
	if v, _ := tr.Get("ups.status"); v != "ALARM OL" {
		t.Fatalf("legacy ALARM token: %q", v)
	}
}
