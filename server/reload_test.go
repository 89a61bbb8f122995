package server_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

	// An upsmon logged in to a, which the reload removes.
	mon := dial(t, s.HostPort())
	for _, l := range []string{"USERNAME monuser", "PASSWORD pass", "LOGIN a"} {
		if got := mon.ask(l); got != "OK" {
			t.Fatalf("%s: %q", l, got)
		}
	}

	s.WriteFile("ups.conf", "[b]\n\tdriver = dummy-ups\n\tport = b.dev\n\tdesc = \"Second\"\n")
	s.WriteFile("upsd.users", "[newadmin]\n\tpassword = pw\n\tactions = SET\n")
	if _, err := s.Run(upsd, "-c", "reload"); err != nil {
		t.Fatal(err)
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
	// A reload while upsd.users cannot be read keeps the users.
	os.Rename(filepath.Join(s.Dir, "upsd.users"), filepath.Join(s.Dir, "upsd.users.tmp"))
	if _, err := s.Run(upsd, "-c", "reload"); err != nil {
		t.Fatal(err)
	}
	nuttest.Eventually(t, "upsd says it kept the users", func() (bool, string) {
		log := upsdLog(s)
		return strings.Contains(log, "upsd.users unreadable: users kept"), log
	})
	b := dial(t, s.HostPort())
	for _, l := range []string{"USERNAME newadmin", "PASSWORD pw"} {
		b.ask(l)
	}
	if got := b.ask("SET VAR b ups.mfr y"); got != "OK" {
		t.Fatalf("a user after a reload without upsd.users: %q", got)
	}
	// As NUT's upsd kicks them, the clients of a removed UPS are let go.
	mon.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if got, err := mon.r.ReadString('\n'); err == nil {
		t.Fatalf("the client logged in to the removed UPS is still connected: %q", got)
	}
}

// A reload that points a UPS at another driver socket (here, a new
// STATEPATH) keeps what upsd knows of that UPS's clients: upsmon's login,
// and WATCH feeds, which hear of the new driver's changes.
func TestReloadToAnotherDriverKeepsLogins(t *testing.T) {
	nuttest.NeedDebianNUT(t)
	driver := nuttest.Build(t, "gonut/cmd/dummy-ups")
	upsd := nuttest.Build(t, "gonut/cmd/upsd")
	s := nuttest.NewStack(t, "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n", map[string]string{
		"a.dev": "ups.status: OL\nbattery.charge: 90\n", "a2.dev": "ups.status: OL\nbattery.charge: 55\n"})
	s.Start(driver, "-a", "a", "-u", "root", "-F")
	other := t.TempDir()
	second := exec.Command(driver, "-s", "a", "-x", "port=a2.dev", "-u", "root", "-F")
	second.Env = append(s.Env, "NUT_STATEPATH="+other)
	if err := second.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { second.Process.Kill(); second.Wait() })
	s.WaitSocket("dummy-ups", "a")
	s.Start(upsd, "-u", "root", "-F")
	waitReady(t, s.HostPort(), "a")

	mon := dial(t, s.HostPort())
	for _, l := range []string{"USERNAME monuser", "PASSWORD pass", "LOGIN a"} {
		if got := mon.ask(l); got != "OK" {
			t.Fatalf("%s: %q", l, got)
		}
	}
	watch := dial(t, s.HostPort())
	if got := watch.ask("WATCH a"); got != "OK" {
		t.Fatalf("WATCH a: %q", got)
	}

	s.WriteFile("upsd.conf", fmt.Sprintf("LISTEN 127.0.0.1 %d\nSTATEPATH %s\n", s.Port, other))
	if _, err := s.Run(upsd, "-c", "reload"); err != nil {
		t.Fatal(err)
	}
	c := dial(t, s.HostPort())
	nuttest.Eventually(t, "the other driver's data is served", func() (bool, string) {
		got := c.ask("GET VAR a battery.charge")
		return got == `VAR a battery.charge "55"`, got
	})
	if got := c.ask("GET NUMLOGINS a"); got != "NUMLOGINS a 1" {
		t.Errorf("after the reload: %q, want upsmon's login kept", got)
	}
	if got := c.ask("LIST CLIENT a"); got != "BEGIN LIST CLIENT a\nCLIENT a 127.0.0.1\nEND LIST CLIENT a" {
		t.Errorf("after the reload: %q", got)
	}
	// Notices of the reload itself are not what is tested: drain them,
	// then change the UPS through the new driver.
	watch.c.SetReadDeadline(time.Now().Add(500 * time.Millisecond))
	for {
		if _, err := watch.r.ReadString('\n'); err != nil {
			break
		}
	}
	admin := dial(t, s.HostPort())
	for _, l := range []string{"USERNAME admin", "PASSWORD secret", "SET VAR a ups.status OB"} {
		if got := admin.ask(l); got != "OK" {
			t.Fatalf("%s: %q", l, got)
		}
	}
	watch.c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if got, err := watch.r.ReadString('\n'); got != "CHANGED a\n" {
		t.Errorf("the WATCH feed after the reload: %q %v", got, err)
	}
}
