package upsc_test

import (
	"strings"
	"testing"

	"gonut/internal/nuttest"
)

// Our upsc prints what Debian's prints, against Debian's upsd and ours.
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
