package upscmd_test

import (
	"strings"
	"testing"

	"gonut/internal/nuttest"
)

// Our upscmd prints what Debian's prints and exits alike, against
// Debian's upsd and ours.
func TestSameAsDebianUpscmd(t *testing.T) {
	ours := nuttest.Build(t, "gonut/cmd/upscmd")
	conf := "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n"
	debian, gonut := nuttest.TwoServers(t, conf, map[string]string{"a.dev": "ups.status: OL\nbattery.charge: 90\n"}, "a")
	for _, st := range []*nuttest.Stack{debian, gonut} {
		a := st.Addr("a")
		for _, c := range []struct {
			stdin string
			args  []string
		}{
			{"", []string{"-l", a}},
			{"", []string{"-l", st.Addr("nosuch")}},
			{"", []string{"-u", "admin", "-p", "secret", a, "load.off"}},
			{"", []string{"-u", "admin", "-p", "secret", a, "load.off", "5"}},
			{"", []string{"-u", "admin", "-p", "secret", "-w", a, "load.off"}},
			{"", []string{"-u", "admin", "-p", "secret", "-w", "-t", "3", a, "no.such.cmd"}},
			{"", []string{"-u", "admin", "-p", "wrong", a, "load.off"}},
			{"", []string{"-u", "monuser", "-p", "pass", a, "load.off"}},
			{"", []string{"-u", "nobody", "-p", "x", a, "load.off"}},
			{"", []string{"-u", "admin", "-p", "secret", a, "oldname"}},
			{"", []string{"-u", "admin", "-p", "secret", a, "no.such.cmd"}},
			{"", []string{"-u", "admin", "-p", "secret", st.Addr("nosuch"), "load.off"}},
			{"admin\n", []string{"-p", "secret", a, "load.off"}},
			{"", []string{"-u", "admin", "-p", "secret", a}},
			{"", []string{a}},
			{"", nil},
			{"", []string{"-h"}},
			{"", []string{"-V"}},
			{"", []string{"-q", a}},
			{"", []string{"-l", "a@127.0.0.1:1"}},
			{"", []string{"-t", "2147483648", "-l", "a@127.0.0.1:1"}},
			{"", []string{"-t", " 5", "-l", "a@127.0.0.1:1"}},
			{"", []string{"-t", "abc", "-l", "a@127.0.0.1:1"}},
			{"", []string{"-t", "99999999999", "-l", "a@127.0.0.1:1"}},
		} {
			deb, us := nuttest.Exec(c.stdin, "upscmd", c.args...), nuttest.Exec(c.stdin, ours, c.args...)
			if deb != us {
				t.Errorf("upscmd %q (stdin %q)\n  Debian: %+v\n  ours:   %+v", c.args, c.stdin, deb, us)
			}
		}
		// Without a terminal (setsid): the prompts, and standard input
		// that ends before a username or a password.
		for _, c := range []struct {
			stdin string
			args  []string
		}{
			{"admin\nsecret\n", []string{a, "load.off"}},
			{"", []string{"-u", "admin", a, "load.off"}},
			{"", []string{a, "load.off"}},
			{"\n", []string{a, "load.off"}},
		} {
			deb := nuttest.Exec(c.stdin, "setsid", append([]string{"-w", "upscmd"}, c.args...)...)
			us := nuttest.Exec(c.stdin, "setsid", append([]string{"-w", ours}, c.args...)...)
			if deb != us {
				t.Errorf("upscmd %q without a terminal (stdin %q)\n  Debian: %+v\n  ours:   %+v", c.args, c.stdin, deb, us)
			}
		}
		// A malformed name fails in both; ours says what is wrong with it.
		for _, name := range []string{"a@b:c", "@x", "a@"} {
			deb, us := nuttest.Exec("", "upscmd", "-l", name), nuttest.Exec("", ours, "-l", name)
			if deb.Code != 1 || us.Code != 1 || !strings.HasSuffix(us.Err, "Error: invalid UPS definition.  Required format: upsname[@hostname[:port]]\n") {
				t.Errorf("upscmd -l %q\n  Debian: %+v\n  ours:   %+v", name, deb, us)
			}
		}
	}
}
