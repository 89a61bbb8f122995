package core

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonut/config"
	"gonut/nutenv"
)

// A driver finds its section in ups.conf or among the runtime sections
// nut-driver-enumerator writes for hot-plugged devices; an error in
// another file's lines of the same numbers is not its own.
func TestLoadSectionRuntime(t *testing.T) {
	dir := t.TempDir()
	vars := nutenv.Env(func(k string) string {
		return map[string]string{"NUT_CONFPATH": dir, "NUT_STATEPATH": filepath.Join(dir, "state")}[k]
	})
	// Line 2 of ups.conf is in error: line 2 of the runtime file is not.
	os.WriteFile(filepath.Join(dir, "ups.conf"), []byte("[a]\n\tdriver\n\tport = x\n[b]\n\tdriver = dummy-ups\n\tport = y\n"), 0o644)
	u := &config.UPS{Name: "usb-051d-0002-X", Settings: []config.Setting{{Key: "driver", Value: "usbhid-ups"}, {Key: "port", Value: "auto"}, {Key: "serial", Value: "X"}}}
	if err := config.WriteRuntimeSection(vars.HotplugDir(), u, ""); err != nil {
		t.Fatal(err)
	}
	got, err := LoadSection(vars, "usb-051d-0002-X")
	if err != nil || len(got) != 3 || got[2].Key != "serial" || got[2].Value != "X" {
		t.Fatalf("runtime section: %+v %v", got, err)
	}
	if _, err := LoadSection(vars, "a"); err == nil || !strings.Contains(err.Error(), "ups.conf:2") {
		t.Errorf("ups.conf's error: %v", err)
	}
	if _, err := LoadSection(vars, "nope"); err == nil {
		t.Error("no error for a missing section")
	}
}
