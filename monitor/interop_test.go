package monitor_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonut/internal/nuttest"
)

// Ours and Debian's upsmon together, as primary and secondary both ways,
// against our upsd and Debian's: a power failure ends in FSD, both hosts
// shut down, the primary after the secondary, and leaves POWERDOWNFLAG.
func TestUpsmonInterop(t *testing.T) {
	nuttest.NeedDebianUpsmon(t)
	ours := nuttest.Build(t, "gonut/cmd/upsmon")
	conf := "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n"
	debian, gonut := nuttest.TwoServers(t, conf, map[string]string{"a.dev": "ups.status: OL\nbattery.charge: 90\n"}, "a")
	// And an all-Debian stack: Debian's dummy-ups behind Debian's upsd.
	allDebian := nuttest.NewStack(t, conf, map[string]string{"a.dev": "ups.status: OL\nbattery.charge: 90\n"})
	allDebian.Start(nuttest.DebianDummy, "-a", "a", "-u", "root", "-F")
	allDebian.WaitSocket("dummy-ups", "a")
	allDebian.StartUpsd()
	for _, c := range []struct {
		name               string
		server             *nuttest.Stack
		primary, secondary string
	}{
		{"ours primary, Debian's secondary, our upsd", gonut, ours, nuttest.DebianUpsmon},
		{"Debian's primary, ours secondary, Debian's upsd", debian, nuttest.DebianUpsmon, ours},
		{"ours alone against Debian's upsd and dummy-ups", allDebian, ours, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			set := func(status string) {
				t.Helper()
				via := debian
				if c.server == allDebian {
					via = allDebian
				}
				r := nuttest.Exec("", "upsrw", "-s", "ups.status="+status, "-u", "admin", "-p", "secret", via.Addr("a"))
				if r.Code != 0 {
					t.Fatalf("setting ups.status: %+v", r)
				}
			}
			nuttest.Eventually(t, "upsd serves", func() (bool, string) {
				r := nuttest.Exec("", "upsc", c.server.Addr("a"), "ups.status")
				return r.Code == 0, r.Out + r.Err
			})
			set("OL")
			base := t.TempDir()
			p := nuttest.StartUpsmon(t, c.primary, base, "primary", c.server.Addr("a")+" 1 monuser pass primary")
			var s *nuttest.Upsmon
			want := 1
			if c.secondary != "" {
				s = nuttest.StartUpsmon(t, c.secondary, base, "secondary", c.server.Addr("a")+" 1 monslave pass2 secondary")
				want = 2
			}
			nuttest.Eventually(t, "every upsmon logged in", func() (bool, string) {
				r := nuttest.Exec("", "upsc", "-c", c.server.Addr("a"))
				return strings.Count(r.Out, "127.0.0.1") == want, r.Out + r.Err
			})
			set("OB")
			nuttest.Eventually(t, "ONBATT told", func() (bool, string) {
				ok := strings.Contains(p.Saw(), "ONBATT") && (s == nil || strings.Contains(s.Saw(), "ONBATT"))
				return ok, p.Saw()
			})
			set("OB LB")
			nuttest.Eventually(t, "every host shut down", func() (bool, string) {
				ok := strings.Contains(p.Saw(), "SHUTDOWNCMD") && (s == nil || strings.Contains(s.Saw(), "SHUTDOWNCMD"))
				return ok, "primary: " + p.Saw()
			})
			if s != nil {
				nuttest.Eventually(t, "the secondary told FSD", func() (bool, string) {
					return strings.Contains(s.Saw(), "FSD"), s.Saw()
				})
			}
			if _, err := os.Stat(filepath.Join(p.Dir, "killpower")); err != nil {
				t.Errorf("the primary left no POWERDOWNFLAG: %v", err)
			}
		})
		// FSD stays set in a upsd until it restarts: each case has its own.
	}
}
