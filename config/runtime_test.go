package config

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"gonut/nutenv"
)

// Runtime sections come after ups.conf's, in name order, marked; one
// named as a section of ups.conf is left out with an error naming both
// places, and globals in a runtime file are ignored with an error.
func TestLoadAllUPSConf(t *testing.T) {
	dir := t.TempDir()
	conf, state := filepath.Join(dir, "etc"), filepath.Join(dir, "state")
	vars := nutenv.Env(func(k string) string {
		return map[string]string{"NUT_CONFPATH": conf, "NUT_STATEPATH": state}[k]
	})
	os.MkdirAll(conf, 0o755)
	os.WriteFile(filepath.Join(conf, "ups.conf"), []byte("[mine]\n\tdriver = usbhid-ups\n\tport = auto\n"), 0o644)
	c, errs := LoadAllUPSConf(vars)
	if len(errs) > 0 || len(c.UPS) != 1 || c.UPS[0].Runtime {
		t.Fatalf("no runtime directory: %v %+v", errs, c.UPS)
	}
	hot := vars.HotplugDir()
	for _, u := range []*UPS{
		{Name: "usb-b", Settings: []Setting{{Key: "driver", Value: "usbhid-ups"}, {Key: "port", Value: "auto"}, {Key: "serial", Value: "B 1"}}},
		{Name: "usb-a", Settings: []Setting{{Key: "driver", Value: "usbhid-ups"}, {Key: "port", Value: "auto"}}},
		{Name: "mine", Settings: []Setting{{Key: "driver", Value: "usbhid-ups"}, {Key: "port", Value: "auto"}}},
	} {
		if err := WriteRuntimeSection(hot, u, "# test\n"); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(hot, "zz.conf"), []byte("maxretry = 3\n"), 0o644)
	os.WriteFile(filepath.Join(hot, "usb-c.conf.new"), []byte("[usb-c]\n\tdriver = x\n\tport = y\n"), 0o644)
	c, errs = LoadAllUPSConf(vars)
	var names []string
	for _, u := range c.UPS {
		names = append(names, u.Name)
		if u.Runtime != (u.Name != "mine") || u.Runtime && u.File != RuntimeFile(hot, u.Name) {
			t.Errorf("[%s]: Runtime %v, file %s", u.Name, u.Runtime, u.File)
		}
	}
	if got := fmt.Sprint(names); got != "[mine usb-a usb-b]" {
		t.Errorf("sections %s, want [mine usb-a usb-b]", got)
	}
	if v, _ := c.Find("usb-b").Get("serial"); v != "B 1" {
		t.Errorf("serial %q", v)
	}
	wantProblems(t, errs,
		hot+"/mine.conf:2: runtime section [mine] left out: "+conf+"/ups.conf:1 has a section of that name",
		hot+"/zz.conf:1: global settings in a runtime section's file are ignored")
}
