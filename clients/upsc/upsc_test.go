package upsc_test

import (
	"strings"
	"testing"

	"gonut/internal/nuttest"
)

// Our upsc prints what Debian's prints, against Debian's upsd and ours;
// its help also has NUT master's lines for -j.
func TestSameAsDebianUpsc(t *testing.T) {
	ours := nuttest.Build(t, "gonut/cmd/upsc")
	conf := "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n\tdesc = \"Rack A\"\n[b]\n\tdriver = dummy-ups\n\tport = b.dev\n"
	s, g := nuttest.TwoServers(t, conf, map[string]string{"a.dev": "ups.status: OL\nbattery.charge: 90\n", "b.dev": "ups.status: OB\n"}, "a", "b")
	run := func(bin string, args ...string) nuttest.Result { return nuttest.Exec("", bin, args...) }
	for _, st := range []*nuttest.Stack{s, g} {
		for _, args := range [][]string{
			{st.Addr("a")}, {st.Addr("a"), "ups.status"}, {st.Addr("a"), "no.such.var"},
			{st.Addr("nosuch")}, {"-l", st.HostPort()}, {"-L", st.HostPort()}, {"-c", st.Addr("a")},
			{"-c", st.Addr("nosuch")}, {"a@127.0.0.1:1"}, {"-l", "127.0.0.1:1"},
			{st.Addr("a"), "nodot"}, {st.Addr("a"), "ups.status", "extra"}, {}, {"-x"}, {"-h"},
			{"-c", st.Addr("a"), "extra"}, {"-l", st.HostPort(), "extra"}, {"-lc", st.HostPort()},
			{st.Addr("a"), "-l"}, {"--", st.Addr("a")},
		} {
			deb, us := run("upsc", args...), run(ours, args...)
			if len(args) == 1 && (args[0] == "-h" || args[0] == "-x") {
				deb.Out = helpWithJ(t, deb.Out)
			}
			if deb != us {
				t.Errorf("upsc %q\n  Debian: %+v\n  ours:   %+v", args, deb, us)
			}
		}
		// Debian's upsc -V calls itself upscmd; ours says upsc, on the
		// same stream.
		if us := run(ours, "-V"); us != (nuttest.Result{Err: "Network UPS Tools upsc 2.8.0\n"}) {
			t.Errorf("upsc -V: %+v", us)
		}
		// Malformed names: both fail; ours says what is wrong with the
		// name (Debian says "No such host" for "@x").
		for _, name := range []string{"a@b:c", "@x", "a@"} {
			deb, us := run("upsc", name), run(ours, name)
			if deb.Code != 1 || us.Code != 1 || !strings.Contains(us.Err, "Error: invalid UPS definition") {
				t.Errorf("upsc %q\n  Debian: %+v\n  ours:   %+v", name, deb, us)
			}
		}
	}
}

// Against an old upsd (ERR UNKNOWN-COMMAND) and rows too short, ours
// prints what Debian's prints: the rows before the short one, then NUT's
// error.
func TestOddServersAsDebianUpsc(t *testing.T) {
	nuttest.NeedDebianNUT(t)
	ours := nuttest.Build(t, "gonut/cmd/upsc")
	h := scripted(t, map[string]string{
		"LIST VAR short":    "BEGIN LIST VAR short\nVAR short ups.status\nVAR short battery.charge \"90\"\nEND LIST VAR short\n",
		"LIST VAR short2":   "BEGIN LIST VAR short2\nVAR short2 ups.status \"OL\"\nVAR short2 battery.charge\nEND LIST VAR short2\n",
		"LIST CLIENT short": "BEGIN LIST CLIENT short\nCLIENT short\nEND LIST CLIENT short\n",
		"LIST CLIENT x":     "BEGIN LIST CLIENT x\nCLIENT x 1.2.3.4\nCLIENT x\nEND LIST CLIENT x\n",
		"LIST UPS":          "BEGIN LIST UPS\nUPS a \"A\"\nUPS b\nEND LIST UPS\n",
	})
	old := scripted(t, nil)
	for _, args := range [][]string{
		{"u@" + old}, {"u@" + old, "ups.status"}, {"-l", old}, {"-L", old}, {"-c", "u@" + old},
		{"short@" + h}, {"short2@" + h}, {"-c", "short@" + h}, {"-c", "x@" + h}, {"-l", h}, {"-L", h},
	} {
		deb, us := nuttest.Exec("", "upsc", args...), nuttest.Exec("", ours, args...)
		if deb != us {
			t.Errorf("upsc %q\n  Debian: %+v\n  ours:   %+v", args, deb, us)
		}
	}
}

// helpWithJ is Debian's upsc help with NUT master's lines for -j: "[-j]"
// in each usage line, and its "Option:" paragraph.
func helpWithJ(t *testing.T, help string) string {
	t.Helper()
	for _, r := range [][2]string{
		{"usage: upsc -l", "usage: upsc [-j] -l"},
		{"\n       upsc <ups>", "\n       upsc [-j] <ups>"},
		{"\n       upsc -c <ups>", "\n       upsc [-j] -c <ups>"},
		{"\nFirst form", "\nOption:\n  -j         - display output in JSON format\n\nFirst form"},
	} {
		if strings.Count(help, r[0]) != 1 {
			t.Fatalf("Debian's upsc help has not one %q: %q", r[0], help)
		}
		help = strings.Replace(help, r[0], r[1], 1)
	}
	return help
}
