package server_test

import (
	"os/exec"
	"strings"
	"testing"

	"gonut/internal/nuttest"
)

// upsd -c reload (SIGHUP) adds and removes UPSes from ups.conf and takes
// new users, while a connected client keeps its connection.
func TestReloadKeepsClients(t *testing.T) {
	nuttest.NeedDebianNUT(t)
	driver := nuttest.Build(t, "gonut/cmd/dummy-ups")
	upsd := nuttest.Build(t, "gonut/cmd/upsd")
	one := "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n"
	s := nuttest.NewStack(t, one, map[string]string{"a.dev": "ups.status: OL\nbattery.charge: 90\n", "b.dev": "ups.status: OB\nbattery.charge: 50\n"})
	s.Start(driver, "-a", "a", "-u", "root", "-F")
	s.Start(driver, "-s", "b", "-x", "port=b.dev", "-u", "root", "-F") // not in ups.conf yet
	s.WaitSocket("dummy-ups", "a")
	s.WaitSocket("dummy-ups", "b")
	s.Start(upsd, "-u", "root", "-F")
	waitReady(t, s.HostPort(), "a")
	c := dial(t, s.HostPort())
	if got := c.ask("LIST UPS"); got != "BEGIN LIST UPS\nUPS a \"Description unavailable\"\nEND LIST UPS" {
		t.Fatalf("before reload: %q", got)
	}

	s.WriteFile("ups.conf", "[b]\n\tdriver = dummy-ups\n\tport = b.dev\n\tdesc = \"Second\"\n")
	s.WriteFile("upsd.users", "[newadmin]\n\tpassword = pw\n\tactions = SET\n")
	cmd := exec.Command(upsd, "-c", "reload")
	cmd.Env = s.Env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("upsd -c reload: %v %s", err, out)
	}
	nuttest.Eventually(t, "the new UPS is served on the same connection", func() (bool, string) {
		got := c.ask("GET VAR b battery.charge")
		return got == `VAR b battery.charge "50"`, got
	})
	if got := c.ask("GET VAR a battery.charge"); got != "ERR UNKNOWN-UPS" {
		t.Fatalf("removed UPS: %q", got)
	}
	if got := c.ask("LIST UPS"); got != "BEGIN LIST UPS\nUPS b \"Second\"\nEND LIST UPS" {
		t.Fatalf("after reload: %q", got)
	}
	a := dial(t, s.HostPort())
	for _, l := range []string{"USERNAME newadmin", "PASSWORD pw"} {
		a.ask(l)
	}
	if got := a.ask("SET VAR b ups.mfr x"); got != "OK" {
		t.Fatalf("new user after reload: %q", got)
	}
	if !strings.HasPrefix(c.ask("NETVER"), "1.") {
		t.Fatal("the first client lost its connection")
	}
}
