package upsc_test

import (
	"os/exec"
	"strings"
	"testing"

	"gonut/internal/nuttest"
)

// result is what a run of upsc shows.
type result struct {
	out, err string
	code     int
}

func run(bin string, args ...string) result {
	cmd := exec.Command(bin, args...)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	}
	// Debian's NSS build says this on every start; ours has nothing to say.
	e := strings.ReplaceAll(errb.String(), "Init SSL without certificate database\n", "")
	return result{out.String(), e, code}
}

// Our upsc prints what Debian's prints, against Debian's upsd and ours.
func TestSameAsDebianUpsc(t *testing.T) {
	nuttest.NeedDebianNUT(t)
	driver := nuttest.Build(t, "gonut/cmd/dummy-ups")
	upsd := nuttest.Build(t, "gonut/cmd/upsd")
	ours := nuttest.Build(t, "gonut/cmd/upsc")
	conf := "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n\tdesc = \"Rack A\"\n[b]\n\tdriver = dummy-ups\n\tport = b.dev\n"
	s := nuttest.NewStack(t, conf, map[string]string{"a.dev": "ups.status: OL\nbattery.charge: 90\n", "b.dev": "ups.status: OB\n"})
	s.Start(driver, "-a", "a", "-u", "root", "-F")
	s.Start(driver, "-a", "b", "-u", "root", "-F")
	s.WaitSocket("dummy-ups", "a")
	s.WaitSocket("dummy-ups", "b")
	s.StartUpsd()
	g := nuttest.NewStack(t, conf, nil)
	g.Env = append(g.Env, "NUT_STATEPATH="+s.Dir)
	g.Start(upsd, "-F")

	for _, st := range []*nuttest.Stack{s, g} {
		nuttest.Eventually(t, "upsd serves", func() (bool, string) {
			r := run("upsc", st.Addr("a"), "battery.charge")
			return r.out == "90\n", r.out + r.err
		})
		for _, args := range [][]string{
			{st.Addr("a")}, {st.Addr("a"), "ups.status"}, {st.Addr("a"), "no.such.var"},
			{st.Addr("nosuch")}, {"-l", st.HostPort()}, {"-L", st.HostPort()}, {"-c", st.Addr("a")},
			{"-c", st.Addr("nosuch")}, {"a@127.0.0.1:1"}, {"-l", "127.0.0.1:1"},
		} {
			deb, us := run("upsc", args...), run(ours, args...)
			if deb != us {
				t.Errorf("upsc %q\n  Debian: %+v\n  ours:   %+v", args, deb, us)
			}
		}
		// Malformed names: both fail; ours says what is wrong with the
		// name (Debian says "No such host" for "@x").
		for _, name := range []string{"a@b:c", "@x", "a@"} {
			deb, us := run("upsc", name), run(ours, name)
			if deb.code != 1 || us.code != 1 || !strings.Contains(us.err, "Error: invalid UPS definition") {
				t.Errorf("upsc %q\n  Debian: %+v\n  ours:   %+v", name, deb, us)
			}
		}
	}
}
