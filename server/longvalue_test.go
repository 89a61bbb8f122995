package server_test

import (
	"strings"
	"testing"

	"gonut/internal/nuttest"
	"gonut/state"
)

// A driver may send values up to NUT's word limit (512 characters); NUT's
// upsd cuts them to 255 characters once escaped, and NUT's clients read
// lines of at most 511 bytes. Ours cuts them alike: Debian's upsc lists
// every variable of a UPS with long values from our upsd, and shows what
// it shows from Debian's upsd for the same driver; so do upsrw (long
// enumerated values) and the raw answers.
func TestLongDriverValuesCutAsDebianUpsd(t *testing.T) {
	conf := "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n[long]\n\tdriver = dummy-ups\n\tport = long.dev\n"
	debian, ours := nuttest.TwoServers(t, conf, map[string]string{"a.dev": "ups.status: OL\nbattery.charge: 90\n"}, "a")

	tree := state.New()
	for _, v := range [][2]string{
		{"battery.charge", "80"},
		{"device.model", "Long One"},
		{"ups.alpha", "a"},
		{"ups.beta", "b"},
		// The fifth in LIST VAR order: Debian's upsc used to stop here.
		{"ups.long", strings.Repeat("x", 500)},
		// Its escaped quote does not fit in the 255th character.
		{"ups.quoted", strings.Repeat("q", 254) + `"` + strings.Repeat("y", 100)},
		{"ups.slashes", strings.Repeat(`a\#"`, 120)},
		{"ups.status", "OL"},
		{"ups.zeta", strings.Repeat("z", 255)},
	} {
		tree.Set(v[0], v[1])
	}
	tree.SetFlags("ups.long", state.RW|state.String)
	tree.SetAux("ups.long", 600)
	for _, e := range []string{"short", strings.Repeat("e", 400), strings.Repeat(`e"`, 200)} {
		tree.AddEnum("ups.long", e)
	}
	tree.DataOK()
	serveTree(t, debian.Dir, "long", tree)
	both := []*nuttest.Stack{debian, ours}
	for _, st := range both {
		nuttest.Eventually(t, st.HostPort()+" serves long", func() (bool, string) {
			r := nuttest.Exec("", "upsc", st.Addr("long"), "ups.status")
			return r.Out == "OL\n", r.Out + r.Err
		})
	}

	same := func(what string) {
		t.Helper()
		run := func(st *nuttest.Stack) nuttest.Result {
			return nuttest.Exec("", "upsc", st.Addr("long"))
		}
		deb, us := run(debian), run(ours)
		if deb != us {
			t.Errorf("%s: upsc long\n  Debian: %+v\n  ours:   %+v", what, deb, us)
		}
		if n := strings.Count(us.Out, "\n"); n != 9 || us.Code != 0 {
			t.Errorf("%s: upsc listed %d of 9 variables from our upsd: %+v", what, n, us)
		}
		for _, args := range [][]string{{"upsc", "ADDR", "ups.long"}, {"upsc", "ADDR", "ups.quoted"}, {"upsrw", "ADDR"}} {
			var r [2]nuttest.Result
			for i, st := range both {
				as := append([]string(nil), args[1:]...)
				as[0] = st.Addr("long")
				r[i] = nuttest.Exec("", args[0], as...)
			}
			if r[0] != r[1] {
				t.Errorf("%s: %q\n  Debian: %+v\n  ours:   %+v", what, args, r[0], r[1])
			}
		}
		deb2, us2 := dial(t, debian.HostPort()), dial(t, ours.HostPort())
		for _, l := range []string{"LIST VAR long", "LIST RW long", "LIST ENUM long ups.long", "GET VAR long ups.long",
			"GET VAR long ups.quoted", "GET VAR long ups.slashes", "GET VAR long ups.zeta"} {
			if a, b := deb2.ask(l), us2.ask(l); a != b {
				t.Errorf("%s: %s\n  Debian: %q\n  ours:   %q", what, l, a, b)
			}
		}
	}
	same("the dump")

	// Changes the driver sends later are cut alike; one beyond the cut
	// shows no change.
	tree.Set("ups.long", strings.Repeat("x", 400)+"changed")
	tree.Set("ups.zeta", strings.Repeat("w", 300))
	tree.Set("ups.status", "OB")
	for _, st := range both {
		nuttest.Eventually(t, st.HostPort()+" has the changes", func() (bool, string) {
			r := nuttest.Exec("", "upsc", st.Addr("long"), "ups.status")
			return r.Out == "OB\n", r.Out + r.Err
		})
	}
	same("the changes")
	if r := nuttest.Exec("", "upsc", ours.Addr("long"), "ups.long"); r.Out != strings.Repeat("x", 255)+"\n" {
		t.Errorf("ups.long from our upsd: %+v", r)
	}

	// The driver withdraws its long enumerated values: ours withdraws
	// what it shows of them (Debian's compares the whole value with the
	// escaped, cut one it keeps, and goes on listing it).
	tree.DelEnum("ups.long", strings.Repeat("e", 400))
	tree.DelEnum("ups.long", strings.Repeat(`e"`, 200))
	c := dial(t, ours.HostPort())
	want := "BEGIN LIST ENUM long ups.long\nENUM long ups.long \"short\"\nEND LIST ENUM long ups.long"
	nuttest.Eventually(t, "our upsd withdraws the long values", func() (bool, string) {
		got := c.ask("LIST ENUM long ups.long")
		return got == want, got
	})
}
