package server_test

import (
	"bufio"
	"net"
	"strings"
	"testing"
	"time"

	"gonut/internal/nuttest"
)

// WATCH: our upsd pushes "CHANGED ups" as soon as the driver changes the
// status; Debian's answers ERR UNKNOWN-COMMAND, which is how clients know
// to poll instead.
func TestWatchPushesChanges(t *testing.T) {
	conf := "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n"
	debian, ours := nuttest.TwoServers(t, conf, map[string]string{"a.dev": "ups.status: OL\nbattery.charge: 90\n"}, "a")
	if got := dial(t, debian.HostPort()).ask("WATCH a"); got != "ERR UNKNOWN-COMMAND" {
		t.Fatalf("Debian's upsd answered WATCH with %q", got)
	}
	if got := dial(t, ours.HostPort()).ask("WATCH nosuch"); got != "ERR UNKNOWN-UPS" {
		t.Fatalf("WATCH of an unknown UPS: %q", got)
	}
	c, err := net.Dial("tcp", ours.HostPort())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	c.Write([]byte("WATCH a\n"))
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	if line, err := r.ReadString('\n'); line != "OK\n" {
		t.Fatalf("WATCH a: %q %v", line, err)
	}
	for _, status := range []string{"OB", "OB LB", "OL"} {
		if res := nuttest.Exec("", "upsrw", "-s", "ups.status="+status, "-u", "admin", "-p", "secret", ours.Addr("a")); res.Code != 0 {
			t.Fatalf("setting the status: %+v", res)
		}
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if line, err := r.ReadString('\n'); line != "CHANGED a\n" {
			t.Fatalf("after ups.status=%s: %q %v", status, line, err)
		}
	}
	// A change of another variable is no news for the feed.
	nuttest.Exec("", "upsrw", "-s", "battery.charge=50", "-u", "admin", "-p", "secret", ours.Addr("a"))
	c.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	if line, err := r.ReadString('\n'); err == nil {
		t.Fatalf("battery.charge changed: %q", strings.TrimSpace(line))
	}
}
