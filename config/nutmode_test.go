package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// What each MODE starts, as NUT's units decide: none nothing, netclient
// upsmon alone, standalone and netserver all; no MODE, or no nut.conf,
// all (NUT's units start then too).
func TestModeStarts(t *testing.T) {
	for _, c := range []struct {
		file                     string // nut.conf; "-" for none
		drivers, server, monitor bool
	}{
		{"-", true, true, true},
		{"# nothing set\nPOWEROFF_WAIT=5s\n", true, true, true},
		{"MODE=none\n", false, false, false},
		{"MODE=standalone\n", true, true, true},
		{"MODE=netserver\n", true, true, true},
		{"MODE=netclient\n", false, false, true},
		{"MODE='netclient'\n", false, false, true},
		{"export MODE=\"none\"\n", false, false, false},
		{"MODE=standalone\nMODE=netclient\n", false, false, true},
	} {
		dir := t.TempDir()
		path := filepath.Join(dir, "nut.conf")
		if c.file != "-" {
			os.WriteFile(path, []byte(c.file), 0o644)
		}
		conf, err := LoadNutMode(path)
		if err != nil {
			t.Errorf("%q: %v", c.file, err)
			continue
		}
		got := [3]bool{conf.Starts(PieceDrivers), conf.Starts(PieceServer), conf.Starts(PieceMonitor)}
		if want := [3]bool{c.drivers, c.server, c.monitor}; got != want {
			t.Errorf("%q: drivers, upsd, upsmon start %v, want %v", c.file, got, want)
		}
	}
}

// A MODE that is not one of NUT's four, or a MODE line a shell would
// not read, is an error naming the file and line: no guess at what the
// admin meant.
func TestModeErrors(t *testing.T) {
	for file, want := range map[string]string{
		"# x\nMODE=netclinet\n":             "nut.conf:2: MODE=netclinet: expected one of none, standalone, netserver, netclient",
		"MODE=netclient\nMODE=Standalone\n": "nut.conf:2: MODE=Standalone: expected one of",
		"MODE = netclient\n":                "nut.conf:1: expected NAME=value",
		"MODE=$(cat /etc/mode)\n":           "nut.conf:1: shell expansion",
	} {
		path := filepath.Join(t.TempDir(), "nut.conf")
		os.WriteFile(path, []byte(file), 0o644)
		conf, err := LoadNutMode(path)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v (%+v), want an error with %q", file, err, conf, want)
		}
	}
	// Another line's problem does not hide a good MODE.
	path := filepath.Join(t.TempDir(), "nut.conf")
	os.WriteFile(path, []byte("MODE=netclient\nUPSD_OPTIONS=$(x)\n"), 0o644)
	if conf, err := LoadNutMode(path); err != nil || conf.Starts(PieceServer) {
		t.Errorf("MODE=netclient beside a bad line: %v, %+v", err, conf)
	}
}
