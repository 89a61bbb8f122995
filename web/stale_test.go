package web

import (
	"strings"
	"testing"

	"gonut/internal/nuttest"
)

// TestStaleAndBack: when the driver goes, the UPS is stale on the page,
// in the metrics and in the JSON (upsc -j's error); when upsd goes, too;
// both coming back bring the data back, against Debian's upsd and ours.
func TestStaleAndBack(t *testing.T) {
	nuttest.NeedDebianNUT(t)
	driver := nuttest.Build(t, "gonut/cmd/dummy-ups")
	oursUpsd := nuttest.Build(t, "gonut/cmd/upsd")
	upsc := nuttest.Build(t, "gonut/cmd/upsc")
	for _, name := range []string{"debian", "ours"} {
		t.Run(name, func(t *testing.T) {
			s := nuttest.NewStack(t, "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n", map[string]string{"a.dev": steady})
			drv := s.Start(driver, "-a", "a", "-u", "root", "-F")
			s.WaitSocket("dummy-ups", "a")
			startUpsd := func() {
				if name == "debian" {
					s.StartUpsd()
				} else {
					s.Upsd = s.Start(oursUpsd, "-u", "root", "-F")
				}
			}
			startUpsd()
			nuttest.Eventually(t, "upsd serves a", func() (bool, string) {
				r := nuttest.Exec("", "upsc", s.Addr("a"), "ups.status")
				return r.Code == 0, r.Out + r.Err
			})
			url := startWeb(t, s, []string{"a"}, "-i", "0.2", s.HostPort())
			stale := func(want bool) {
				nuttest.Eventually(t, "the UPS is stale: "+map[bool]string{true: "yes", false: "no"}[want], func() (bool, string) {
					_, m := get(url + "/metrics")
					_, page := get(url + "/")
					isStale := strings.Contains(m, `network_ups_tools_ups_stale{ups="a"} 1`) && strings.Contains(page, `data-state="stale"`) &&
						!strings.Contains(m, "network_ups_tools_battery_charge")
					fresh := strings.Contains(m, `network_ups_tools_ups_stale{ups="a"} 0`) && strings.Contains(page, `data-state="OL"`)
					return want && isStale || !want && fresh, m
				})
			}
			stale(false)
			drv.Process.Kill()
			drv.Wait()
			stale(true)
			// The JSON says what upsc -j says, once both see the same.
			nuttest.Eventually(t, "JSON as upsc -j", func() (bool, string) {
				r := nuttest.Exec("", upsc, "-j", s.Addr("a"))
				_, body := get(url + "/json/a")
				return body == r.Out, body + " / " + r.Out
			})
			drv = s.Start(driver, "-a", "a", "-u", "root", "-F")
			stale(false)
			s.Upsd.Process.Kill()
			s.Upsd.Wait()
			stale(true)
			startUpsd()
			stale(false)
		})
	}
}
