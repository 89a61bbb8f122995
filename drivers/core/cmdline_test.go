package core

import (
	"reflect"
	"strings"
	"testing"

	"gonut/config"
	"gonut/internal/daemon"
)

func TestParseArgs(t *testing.T) {
	cases := []struct {
		argv string
		want Args
		err  string
	}{
		{argv: "-a myups", want: Args{UPS: "myups"}},
		{argv: "-amyups -DDD -FF", want: Args{UPS: "myups", Flags: daemon.Flags{Debug: 3, Mode: daemon.ForegroundPIDFile}}},
		{argv: "-s tmp -x port=/dev/null -x nowait", want: Args{UPS: "tmp", Direct: true, Settings: []Setting{{Key: "port", Value: "/dev/null"}, {Key: "nowait", Flag: true}}}},
		{argv: "-a u -x desc=a=b", want: Args{UPS: "u", Settings: []Setting{{Key: "desc", Value: "a=b"}}}},
		{argv: "-a u -c reload-or-error", want: Args{UPS: "u", Flags: daemon.Flags{Command: "reload-or-error"}}},
		{argv: "-a u -c reload -P 42", want: Args{UPS: "u", Flags: daemon.Flags{Command: "reload", PID: 42}}},
		{argv: "-a u -k -u nut -g nut -r /chroot -i 5 -d 1 -B -q", want: Args{UPS: "u", Kill: true, Flags: daemon.Flags{User: "nut", Chroot: "/chroot", Mode: daemon.Background, Quiet: 1}, Group: "nut", Interval: 5, DumpAfter: 1}},
		{argv: "-V", want: Args{Version: true}},
		{argv: "-h -L", want: Args{Help: true, List: true}},
		{argv: "-a", err: "needs a value"},
		{argv: "-a u -c restart", err: "expected reload"},
		{argv: "-a u -i soon", err: "whole number"},
		{argv: "-a u -z", err: "unknown option -z"},
		{argv: "-a u extra", err: "unexpected argument"},
		{argv: "-a u -x =1", err: "expected <var>=<value>"},
	}
	for _, c := range cases {
		got, err := ParseArgs(strings.Fields(c.argv))
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: error %v, want one containing %q", c.argv, err, c.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: got %+v, %v\nwant %+v", c.argv, got, err, c.want)
		}
	}
}

func TestResolve(t *testing.T) {
	info := Info{Name: "dummy-ups", Options: config.UPSKeys{config.DriverOption("mode", ""), config.DriverFlag("repeater_disable_strict_start", "")}}
	section := []Setting{{Key: "driver", Value: "dummy-ups"}, {Key: "port", Value: "a.dev"}, {Key: "mode", Value: "dummy-loop"}, {Key: "ignorelb", Flag: true}}
	r, err := resolve(info, section, []Setting{{Key: "port", Value: "b.seq"}})
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := r.get("port"); s.Value != "b.seq" {
		t.Fatalf("-x did not override ups.conf: %+v", s)
	}
	for _, c := range []struct {
		s   []Setting
		err string
	}{
		{[]Setting{{Key: "bogus", Value: "1"}}, "'bogus' is not a valid variable for dummy-ups"},
		{[]Setting{{Key: "DEBUG_MIN", Value: "1"}}, "'DEBUG_MIN' is not a valid variable"},
		{[]Setting{{Key: "mode", Flag: true}}, "'mode' needs a value"},
		{[]Setting{{Key: "ignorelb", Value: "yes"}}, "'ignorelb' is a flag"},
		{[]Setting{{Key: "driver", Value: "usbhid-ups"}}, "for driver 'usbhid-ups', but this is dummy-ups"},
		{[]Setting{{Key: "pollinterval", Value: "0"}}, "pollinterval \"0\""},
	} {
		if _, err := resolve(info, c.s, nil); err == nil || !strings.Contains(err.Error(), c.err) {
			t.Errorf("%+v: error %v, want %q", c.s, err, c.err)
		}
	}
}
