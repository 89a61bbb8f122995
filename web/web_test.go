package web

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"testing"

	"gonut/internal/nuttest"
)

// steady is a UPS on line with the variables the page shows.
const steady = `device.mfr: gonut
device.model: Simulated UPS 1500
device.type: ups
device.serial: SN123
device.location: rack 4
ups.status: OL CHRG
battery.charge: 100
battery.runtime: 2400
battery.voltage: 27.3
input.voltage: 230.0
output.voltage: 229.5
ups.load: 35
ups.beeper.status: enabled
ups.test.result: Done and passed
`

// startWeb runs nut-web on a free port with args and returns its URL once
// it serves every UPS named in wait.
func startWeb(t *testing.T, s *nuttest.Stack, wait []string, args ...string) string {
	t.Helper()
	bin := nuttest.Build(t, "gonut/cmd/nut-web")
	base := fmt.Sprintf("127.0.0.1:%d", nuttest.FreePort(t))
	s.Start(bin, append([]string{"-l", base}, args...)...)
	url := "http://" + base
	for _, u := range wait {
		nuttest.Eventually(t, "nut-web serves "+u, func() (bool, string) {
			code, body := get(url + "/json/" + u)
			return code == 200, body
		})
	}
	return url
}

func get(url string) (int, string) {
	r, err := http.Get(url)
	if err != nil {
		return 0, err.Error()
	}
	defer r.Body.Close()
	b, _ := io.ReadAll(r.Body)
	return r.StatusCode, string(b)
}

// TestMetricsAndJSON runs nut-web against Debian's upsd and ours: its
// /metrics passes promtool's check and has nut_exporter's names, and its
// JSON is byte for byte what our upsc -j prints for the same UPS.
func TestMetricsAndJSON(t *testing.T) {
	if _, err := exec.LookPath("promtool"); err != nil {
		t.Skip("needs promtool (Debian's prometheus package)")
	}
	conf := "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n[b]\n\tdriver = dummy-ups\n\tport = b.dev\n"
	debian, ours := nuttest.TwoServers(t, conf, map[string]string{"a.dev": steady, "b.dev": "ups.status: OB LB\nbattery.charge: 5\n"}, "a", "b")
	upsc := nuttest.Build(t, "gonut/cmd/upsc")
	for _, s := range []*nuttest.Stack{debian, ours} {
		name := map[*nuttest.Stack]string{debian: "debian", ours: "ours"}[s]
		t.Run(name, func(t *testing.T) {
			url := startWeb(t, s, []string{"a", "b"}, "-i", "0.2", s.HostPort())
			_, metrics := get(url + "/metrics")
			check := exec.Command("promtool", "check", "metrics")
			check.Stdin = strings.NewReader(metrics)
			if out, err := check.CombinedOutput(); err != nil {
				t.Errorf("promtool check metrics: %v\n%s\n%s", err, out, metrics)
			}
			for _, want := range []string{
				`network_ups_tools_battery_charge{ups="a"} 100`,
				`network_ups_tools_battery_charge{ups="b"} 5`,
				`network_ups_tools_input_voltage{ups="a"} 230`,
				`network_ups_tools_ups_status{flag="OL",ups="a"} 1`,
				`network_ups_tools_ups_status{flag="CHRG",ups="a"} 1`,
				`network_ups_tools_ups_status{flag="OB",ups="a"} 0`,
				`network_ups_tools_ups_status{flag="OB",ups="b"} 1`,
				`network_ups_tools_ups_status{flag="LB",ups="b"} 1`,
				`network_ups_tools_ups_beeper_status{ups="a"} 1`,
				`serial="SN123",type="ups",description="",contact="",location="rack 4",part="",macaddr="",ups="a"} 1`,
				`network_ups_tools_ups_stale{ups="a"} 0`,
				// nut_exporter's HELP: upsd's description (Debian's
				// cmdvartab, ours) and the name.
				"# HELP network_ups_tools_battery_charge Battery charge (percent of full) (battery.charge)",
			} {
				if !strings.Contains(metrics, want+"\n") || !strings.HasPrefix(want, "network_") && !strings.Contains(metrics, "network_ups_tools_device_info{model=") {
					t.Errorf("metrics lack %s:\n%s", want, metrics)
				}
			}
			if strings.Contains(metrics, "test_result") {
				t.Errorf("a string that is no number became a metric:\n%s", metrics)
			}
			_, one := get(url + "/ups_metrics?ups=b")
			if strings.Contains(one, `ups="a"`) || !strings.Contains(one, `ups="b"`) {
				t.Errorf("?ups=b gave:\n%s", one)
			}
			for _, c := range [][]string{{"a"}, {"a", "battery.charge"}, {"a", "no.such"}, {"nosuch"}} {
				r := nuttest.Exec("", upsc, append([]string{"-j", s.Addr(c[0])}, c[1:]...)...)
				code, body := get(url + "/json/" + strings.Join(c, "/"))
				if body != r.Out || (code == 200) != (r.Code == 0) {
					t.Errorf("/json/%s: %d\n%s\nupsc -j (exit %d):\n%s", strings.Join(c, "/"), code, body, r.Code, r.Out)
				}
			}
			if _, list := get(url + "/json"); list != "[\n  \"a\",\n  \"b\"\n]\n" {
				t.Errorf("/json: %q", list)
			}
		})
	}
}

// TestSocketActivation: nut-web serves on the socket systemd passes it
// (systemd-socket-activate holds the port and starts nut-web at the first
// connection), as nut-web.socket does.
func TestSocketActivation(t *testing.T) {
	activate, err := exec.LookPath("systemd-socket-activate")
	if err != nil {
		t.Skip("systemd-socket-activate not found (package systemd)")
	}
	debian, _ := nuttest.TwoServers(t, "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n", map[string]string{"a.dev": steady}, "a")
	bin := nuttest.Build(t, "gonut/cmd/nut-web")
	addr := fmt.Sprintf("127.0.0.1:%d", nuttest.FreePort(t))
	// -l names a port nut-web must not use: it takes systemd's socket.
	unused := fmt.Sprintf("127.0.0.1:%d", nuttest.FreePort(t))
	debian.Start(activate, "-l", addr, bin, "-l", unused, debian.HostPort())
	nuttest.Eventually(t, "nut-web answers on the activated socket", func() (bool, string) {
		code, body := get("http://" + addr + "/json/a/battery.charge")
		return code == 200 && body == "\"100\"\n", body
	})
	if code, _ := get("http://" + unused + "/metrics"); code != 0 {
		t.Errorf("nut-web listened on -l's address too")
	}
}

// FuzzParseTarget: any argument is a target or an error, never a panic,
// and a target's address is one Dial takes.
func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{"localhost", "ups@host:3493", "[::1]:3493", "ups@[::1]", "@", "host:port", "a@b@c", ":1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tg, err := ParseTarget(s)
		if err != nil {
			return
		}
		if host, _, err := net.SplitHostPort(tg.Addr); err != nil || strings.ContainsAny(host, "[]") {
			t.Fatalf("%q: address %q: %v", s, tg.Addr, err)
		}
	})
}
