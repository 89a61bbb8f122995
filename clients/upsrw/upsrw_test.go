package upsrw_test

import (
	"path/filepath"
	"strings"
	"testing"

	"gonut/drivers/sockproto"
	"gonut/drivers/sockserver"
	"gonut/internal/nuttest"
	"gonut/state"
)

// serveChoices serves, as the driver of UPS "e", writable variables of
// every kind upsrw shows: string and number enums and a range.
func serveChoices(t *testing.T, stateDir string) {
	tree := state.New()
	tree.Set("ups.status", "OL")
	tree.Set("ups.beeper.status", "enabled")
	tree.SetFlags("ups.beeper.status", state.Flags(1|2)) // RW STRING
	tree.SetAux("ups.beeper.status", 10)
	for _, v := range []string{"enabled", "disabled", "muted"} {
		tree.AddEnum("ups.beeper.status", v)
	}
	tree.Set("input.transfer.high", "264")
	tree.SetFlags("input.transfer.high", 1)
	for _, v := range []string{"253", "264", "271"} {
		tree.AddEnum("input.transfer.high", v)
	}
	tree.Set("input.transfer.low", "170")
	tree.SetFlags("input.transfer.low", 1)
	tree.AddRange("input.transfer.low", 160, 180)
	tree.AddRange("input.transfer.low", 190, 200)
	tree.Set("battery.charge.low", "abc")
	tree.SetFlags("battery.charge.low", 1)
	tree.AddRange("battery.charge.low", 10, 20)
	tree.DataOK()
	srv := sockserver.New(tree, func(sockproto.Request) sockproto.Result { return sockproto.Handled }, nil)
	l, err := sockserver.Listen(filepath.Join(stateDir, "dummy-ups-e"))
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(srv.Close)
}

// Our upsrw prints what Debian's prints and exits alike, against
// Debian's upsd and ours.
func TestSameAsDebianUpsrw(t *testing.T) {
	ours := nuttest.Build(t, "gonut/cmd/upsrw")
	conf := "[a]\n\tdriver = dummy-ups\n\tport = a.dev\n[e]\n\tdriver = dummy-ups\n\tport = e.dev\n"
	dev := "ups.status: OL\nbattery.charge: 90\nups.id: hello\ninput.transfer.low: 95\n"
	debian, gonut := nuttest.TwoServers(t, conf, map[string]string{"a.dev": dev}, "a")
	serveChoices(t, debian.Dir)
	for _, st := range []*nuttest.Stack{debian, gonut} {
		nuttest.Eventually(t, "upsd follows the enum driver", func() (bool, string) {
			r := nuttest.Exec("", "upsc", st.Addr("e"), "input.transfer.low")
			return r.Out == "170\n", r.Out + r.Err
		})
		a := st.Addr("a")
		for _, c := range []struct {
			stdin string
			args  []string
		}{
			{"", []string{a}},
			{"", []string{"-l", st.Addr("e")}},
			{"", []string{st.Addr("nosuch")}},
			{"", []string{"-s", "ups.id=it's \"quoted\"", "-u", "admin", "-p", "secret", a}},
			{"", []string{"-s", "ups.id=new", "-u", "admin", "-p", "secret", a}},
			{"", []string{a}},
			{"", []string{"-s", "ups.id=tracked", "-w", "-u", "admin", "-p", "secret", a}},
			{"", []string{"-s", "no.such=1", "-w", "-t", "2", "-u", "admin", "-p", "secret", a}},
			{"", []string{"-s", "ups.id=x", "-u", "admin", "-p", "wrong", a}},
			{"", []string{"-s", "ups.id=x", "-u", "monuser", "-p", "pass", a}},
			{"", []string{"-s", "oldname=x", "-u", "admin", "-p", "secret", a}},
			{"", []string{"-s", "battery.charge=x", "-u", "admin", "-p", "secret", st.Addr("nosuch")}},
			{"typed value\n", []string{"-s", "ups.id", "-u", "admin", "-p", "secret", a}},
			{"admin\n", []string{"-s", "ups.id=prompted", "-p", "secret", a}},
			{"", []string{"-s", "ups.id=x", "-l", a}},
			{"", nil},
			{"", []string{"-h"}},
			{"", []string{"-V"}},
			{"", []string{"-q", a}},
			{"", []string{"a@127.0.0.1:1"}},
		} {
			deb, us := nuttest.Exec(c.stdin, "upsrw", c.args...), nuttest.Exec(c.stdin, ours, c.args...)
			if deb != us {
				t.Errorf("upsrw %q (stdin %q)\n  Debian: %+v\n  ours:   %+v", c.args, c.stdin, deb, us)
			}
		}
		// Without a terminal (setsid): the prompts, and standard input
		// that ends before a username or a password.
		for _, c := range []struct {
			stdin string
			args  []string
		}{
			{"admin\nsecret\n", []string{"-s", "ups.mfr=Acme", a}},
			{"", []string{"-u", "admin", "-s", "ups.mfr=Acme", a}},
			{"", []string{"-s", "ups.mfr=Acme", a}},
		} {
			deb := nuttest.Exec(c.stdin, "setsid", append([]string{"-w", "upsrw"}, c.args...)...)
			us := nuttest.Exec(c.stdin, "setsid", append([]string{"-w", ours}, c.args...)...)
			if deb != us {
				t.Errorf("upsrw %q without a terminal (stdin %q)\n  Debian: %+v\n  ours:   %+v", c.args, c.stdin, deb, us)
			}
		}
		// The listing really shows every kind of choice.
		got := nuttest.Exec("", ours, st.Addr("e")).Out
		for _, want := range []string{"Type: ENUM STRING\nMaximum length: 10\n", "Option: \"disabled\"\n", "Option: \"enabled\" SELECTED\n",
			"Type: ENUM NUMBER\n", "Type: RANGE NUMBER\nOption: \"160-180\" SELECTED\nOption: \"190-200\"\n", "Option: \"10-20\"\n"} {
			if !strings.Contains(got, want) {
				t.Errorf("upsrw %s lacks %q:\n%s", st.Addr("e"), want, got)
			}
		}
		for _, name := range []string{"a@b:c", "@x", "a@"} {
			deb, us := nuttest.Exec("", "upsrw", name), nuttest.Exec("", ours, name)
			if deb.Code != 1 || us.Code != 1 || !strings.HasSuffix(us.Err, "Error: invalid UPS definition.  Required format: upsname[@hostname[:port]]\n") {
				t.Errorf("upsrw %q\n  Debian: %+v\n  ours:   %+v", name, deb, us)
			}
		}
	}
}
