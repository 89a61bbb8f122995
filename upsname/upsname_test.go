package upsname

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	cases := []struct {
		in   string
		want Name
		err  string
	}{
		{in: "ups", want: Name{"ups", "localhost", 3493}},
		{in: "ups@host", want: Name{"ups", "host", 3493}},
		{in: "ups@host:1234", want: Name{"ups", "host", 1234}},
		{in: "ups@[::1]", want: Name{"ups", "::1", 3493}},
		{in: "ups@[::1]:3494", want: Name{"ups", "::1", 3494}},
		{in: "@host", err: "no UPS name"},
		{in: "ups@", err: "nothing after"},
		{in: "ups:3493", err: "no hostname"},
		{in: "ups@host:0", err: "port"},
		{in: "ups@host:http", err: "port"},
		{in: "ups@[::1", err: "bracket"},
		{in: "ups@[::1]x", err: "expected :port"},
	}
	for _, c := range cases {
		got, err := Parse(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("Parse(%q) = %+v, %v; want error with %q", c.in, got, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("Parse(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
		if back, err := Parse(got.String()); err != nil || back != got {
			t.Errorf("%+v prints as %q which reads back as %+v, %v", got, got.String(), back, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"ups", "ups@h:1", "ups@[::1]:2", "@", "a@[", "a@b:99999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Parse(s)
		if err != nil {
			return
		}
		if n.Port < 1 || n.Port > 65535 || n.UPS == "" || n.Host == "" {
			t.Fatalf("%q gave %+v", s, n)
		}
	})
}
