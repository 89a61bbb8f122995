package enumerator

import (
	"os/exec"
	"strings"
	"testing"

	"gonut/config"
)

func TestInstanceNames(t *testing.T) {
	for name, want := range map[string]string{
		"myups": "myups", "rack-1.a:b_c": "rack-1.a:b_c",
		"my ups": "MD5_", "ups/1": "MD5_", "café": "MD5_", "a@b": "MD5_",
	} {
		got := InstanceName(name)
		if want == "MD5_" {
			if !strings.HasPrefix(got, "MD5_") || len(got) != 36 {
				t.Errorf("%q: %q", name, got)
			}
			continue
		}
		if got != want {
			t.Errorf("%q: %q, want %q", name, got, want)
		}
	}
	// NUT's: "MD5_" + `echo "$name" | md5sum`.
	out, err := exec.Command("sh", "-c", `echo "my ups" | md5sum`).Output()
	if err == nil {
		if want := "MD5_" + strings.Fields(string(out))[0]; MD5Name("my ups") != want {
			t.Errorf("MD5Name: %q, want %q", MD5Name("my ups"), want)
		}
	}
}

func TestPlanMediaAndDropIns(t *testing.T) {
	conf, errs := config.ParseUPSConf("ups.conf", strings.NewReader(`
[usb]
	driver = usbhid-ups
	port = auto
[serial]
	driver = apcsmart
	port = /dev/ttyS0
[snmp]
	driver = snmp-ups
	port = 10.0.0.9
[relay]
	driver = dummy-ups
	port = usb@localhost
[remote]
	driver = dummy-ups
	port = ups@far.example
[sim]
	driver = dummy-ups
	port = sim.dev
`))
	if err := config.Fatal(errs); err != nil {
		t.Fatal(err)
	}
	plan := Plan(conf)
	want := map[string]string{"usb": "usb", "serial": "serial", "snmp": "network", "relay": "network-localhost", "remote": "network", "sim": ""}
	for _, in := range plan {
		if in.Media != want[in.Section] {
			t.Errorf("[%s] media %q, want %q", in.Section, in.Media, want[in.Section])
		}
	}
	relay := plan[3]
	if len(relay.Needs) != 1 || relay.Needs[0] != "usb" {
		t.Fatalf("the repeater of a local device needs its instance: %+v", relay)
	}
	d := DropIn(relay)
	for _, w := range []string{"Wants=network.target nut-driver@usb.service", "After=network.target nut-driver@usb.service", `Environment="NUTDEV=relay"`} {
		if !strings.Contains(d, w) {
			t.Errorf("drop-in lacks %q:\n%s", w, d)
		}
	}
	if d := DropIn(plan[1]); !strings.Contains(d, "DeviceAllow=/dev/ttyS0 rw") {
		t.Errorf("serial drop-in:\n%s", d)
	}
	// A changed setting changes the checksum; nothing else does.
	again, _ := config.ParseUPSConf("ups.conf", strings.NewReader("[sim]\n\tdriver = dummy-ups\n\tport = sim.dev\n"))
	if Checksum(again.UPS[0]) != plan[5].Checksum {
		t.Error("the same section, another checksum")
	}
	changed, _ := config.ParseUPSConf("ups.conf", strings.NewReader("[sim]\n\tdriver = dummy-ups\n\tport = other.dev\n"))
	if Checksum(changed.UPS[0]) == plan[5].Checksum {
		t.Error("a changed port kept the checksum")
	}
}
