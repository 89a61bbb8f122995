package server_test

import (
	"bufio"
	"net"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"gonut/drivers/sockproto"
	"gonut/drivers/sockserver"
	"gonut/internal/nuttest"
	"gonut/state"
)

// serveTree serves tree as the driver of a UPS of a stack, on the socket
// upsd looks for (dummy-ups-NAME in stateDir), until the test ends.
func serveTree(t *testing.T, stateDir, ups string, tree *state.Tree) {
	t.Helper()
	srv := sockserver.New(tree, func(sockproto.Request) sockproto.Result { return sockproto.Handled }, nil)
	l, err := sockserver.Listen(filepath.Join(stateDir, "dummy-ups-"+ups))
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(srv.Close)
}

// dialFrom connects to addr from a loopback address of its own, so that
// LIST CLIENT tells clients apart.
func dialFrom(t *testing.T, local, addr string) *conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}, Timeout: 5 * time.Second}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &conn{c, bufio.NewReader(c)}
}

// Every listing of our upsd comes in the order Debian's gives it, with
// several UPSes in ups.conf (not in alphabetical order) and several
// entries in each list, whether the driver sent them in its dump or
// later: UPSes in ups.conf order, variables and commands sorted by name
// without regard to case, enumerations and ranges in the order the driver
// added them, clients newest connection first. After a reload that adds a
// UPS in the middle of ups.conf, ours still lists ups.conf's order.
func TestListingsInDebianUpsdOrder(t *testing.T) {
	conf := "[dummy]\n\tdriver = dummy-ups\n\tport = a.dev\n" +
		"[UPS1]\n\tdriver = dummy-ups\n\tport = u1.dev\n\tdesc = \"First\"\n" +
		"[zeta]\n\tdriver = dummy-ups\n\tport = z.dev\n" +
		"[UPS2]\n\tdriver = dummy-ups\n\tport = u2.dev\n" +
		"[Alpha]\n\tdriver = dummy-ups\n\tport = al.dev\n"
	debian, ours := nuttest.TwoServers(t, conf, map[string]string{"a.dev": "ups.status: OL\nbattery.charge: 90\n"}, "dummy")

	// UPS1's driver: names in mixed case, added out of order.
	tree := state.New()
	for _, v := range []string{"ups.status", "Zebra.var", "battery.charge", "alpha_b", "alpha.b", "Alpha.a", "input.voltage", "ups.Beeper"} {
		tree.Set(v, "v-"+v)
	}
	for _, v := range []string{"Zebra.var", "alpha.b", "input.voltage", "ups.Beeper"} {
		tree.SetFlags(v, state.RW)
	}
	for _, e := range []string{"c", "a", "B", "b"} {
		tree.AddEnum("ups.Beeper", e)
	}
	for _, r := range [][2]int{{30, 40}, {1, 5}, {10, 20}} {
		tree.AddRange("input.voltage", r[0], r[1])
	}
	for _, c := range []string{"test.battery.start", "Beeper.off", "load.off", "a.cmd"} {
		tree.AddCmd(c)
	}
	tree.DataOK()
	serveTree(t, debian.Dir, "UPS1", tree)
	both := []*nuttest.Stack{debian, ours}
	for _, st := range both {
		waitReady(t, st.HostPort(), "dummy")
		nuttest.Eventually(t, st.HostPort()+" serves UPS1", func() (bool, string) {
			r := nuttest.Exec("", "upsc", st.Addr("UPS1"), "Zebra.var")
			return r.Out == "v-Zebra.var\n", r.Out + r.Err
		})
	}
	// More, sent once both upsd have the dump.
	tree.Set("ZZZ.late", "z")
	tree.Set("aaa.late", "a")
	tree.AddEnum("ups.Beeper", "A")
	tree.AddRange("input.voltage", 50, 60)
	tree.AddCmd("Zz.cmd")
	tree.AddCmd("aa.cmd")
	tree.Set("battery.charge", "done")
	for _, st := range both {
		nuttest.Eventually(t, st.HostPort()+" has the later changes", func() (bool, string) {
			r := nuttest.Exec("", "upsc", st.Addr("UPS1"), "battery.charge")
			return r.Out == "done\n", r.Out + r.Err
		})
	}

	// Clients from addresses of their own: connected in one order,
	// logged in in another; one leaves, one is on another UPS.
	login := func(c *conn, ups string) {
		t.Helper()
		for _, l := range []string{"USERNAME monuser", "PASSWORD pass", "LOGIN " + ups} {
			if got := c.ask(l); got != "OK" {
				t.Fatalf("%s: %q", l, got)
			}
		}
	}
	for _, st := range both {
		cs := map[string]*conn{}
		for _, a := range []string{"127.0.0.3", "127.0.0.2", "127.0.0.6", "127.0.0.5", "127.0.0.4"} {
			cs[a] = dialFrom(t, a, st.HostPort())
		}
		for _, a := range []string{"127.0.0.4", "127.0.0.6", "127.0.0.3", "127.0.0.2"} {
			login(cs[a], "UPS1")
		}
		login(cs["127.0.0.5"], "dummy")
		cs["127.0.0.6"].ask("LOGOUT")
	}

	lists := []string{"LIST UPS", "LIST VAR UPS1", "LIST RW UPS1", "LIST CMD UPS1", "LIST ENUM UPS1 ups.Beeper",
		"LIST RANGE UPS1 input.voltage", "LIST CLIENT UPS1", "LIST CLIENT dummy", "LIST VAR dummy"}
	deb, us := dial(t, debian.HostPort()), dial(t, ours.HostPort())
	for _, c := range []*conn{deb, us} {
		nuttest.Eventually(t, "the client that logged out is gone", func() (bool, string) {
			got := c.ask("LIST CLIENT UPS1")
			return !strings.Contains(got, "127.0.0.6"), got
		})
	}
	for _, l := range lists {
		if a, b := deb.ask(l), us.ask(l); a != b {
			t.Errorf("%s\n  Debian: %s\n  ours:   %s", l, a, b)
		}
	}
	// And what NUT's clients print of them.
	for _, args := range []func(st *nuttest.Stack) []string{
		func(st *nuttest.Stack) []string { return []string{"upsc", "-l", st.HostPort()} },
		func(st *nuttest.Stack) []string { return []string{"upsc", "-L", st.HostPort()} },
		func(st *nuttest.Stack) []string { return []string{"upsc", st.Addr("UPS1")} },
		func(st *nuttest.Stack) []string { return []string{"upsc", "-c", st.Addr("UPS1")} },
		func(st *nuttest.Stack) []string { return []string{"upscmd", "-l", st.Addr("UPS1")} },
		func(st *nuttest.Stack) []string { return []string{"upsrw", st.Addr("UPS1")} },
	} {
		da, oa := args(debian), args(ours)
		if a, b := nuttest.Exec("", da[0], da[1:]...), nuttest.Exec("", oa[0], oa[1:]...); a != b {
			t.Errorf("%q\n  Debian: %+v\n  ours:   %+v", oa, a, b)
		}
	}
	if r := nuttest.Exec("", "upsc", "-l", ours.HostPort()); r.Out != "dummy\nUPS1\nzeta\nUPS2\nAlpha\n" {
		t.Errorf("upsc -l: %+v, want ups.conf's order", r)
	}

	// A reload adds a UPS in the middle of ups.conf and drops another.
	// Debian's upsd then lists the new one first; ours keeps ups.conf's
	// order, the order it lists after a restart.
	conf = strings.Replace(conf, "[zeta]\n\tdriver = dummy-ups\n\tport = z.dev\n", "[middle]\n\tdriver = dummy-ups\n\tport = m.dev\n", 1)
	for _, st := range both {
		st.WriteFile("ups.conf", conf)
		if err := st.Upsd.Process.Signal(syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []*conn{deb, us} {
		nuttest.Eventually(t, "the reload", func() (bool, string) {
			got := c.ask("LIST UPS")
			return strings.Contains(got, "middle") && !strings.Contains(got, "zeta"), got
		})
	}
	want := "BEGIN LIST UPS\nUPS dummy \"Description unavailable\"\nUPS UPS1 \"First\"\nUPS middle \"Description unavailable\"\n" +
		"UPS UPS2 \"Description unavailable\"\nUPS Alpha \"Description unavailable\"\nEND LIST UPS"
	if got := us.ask("LIST UPS"); got != want {
		t.Errorf("after a reload: %q\nwant %q", got, want)
	}
	t.Logf("Debian's upsd after the reload:\n%s", deb.ask("LIST UPS"))
}
