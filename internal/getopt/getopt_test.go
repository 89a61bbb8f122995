package getopt

import (
	"reflect"
	"testing"
)

func TestParse(t *testing.T) {
	for _, c := range []struct {
		argv []string
		opts []Opt
		rest []string
		err  string
	}{
		{[]string{"-l", "ups"}, []Opt{{'l', ""}}, []string{"ups"}, ""},
		{[]string{"-uadmin", "-p", "pw", "-w", "ups", "cmd", "-x"}, []Opt{{'u', "admin"}, {'p', "pw"}, {'w', ""}}, []string{"ups", "cmd", "-x"}, ""},
		{[]string{"-wl", "--", "-ups"}, []Opt{{'w', ""}, {'l', ""}}, []string{"-ups"}, ""},
		{[]string{"-wu"}, []Opt{{'w', ""}}, nil, "option requires an argument -- 'u'"},
		{[]string{"-q"}, nil, nil, "invalid option -- 'q'"},
		{[]string{"-"}, nil, []string{"-"}, ""},
		{nil, nil, nil, ""},
	} {
		opts, rest, err := Parse(c.argv, "+lhu:p:t:wV")
		es := ""
		if err != nil {
			es = err.Error()
		}
		if !reflect.DeepEqual(opts, c.opts) || !reflect.DeepEqual(rest, c.rest) || es != c.err {
			t.Errorf("Parse(%q) = %v, %q, %q; want %v, %q, %q", c.argv, opts, rest, es, c.opts, c.rest, c.err)
		}
	}
}

// ParseAll goes on past unknown options, as glibc's getopt does.
func TestParseAll(t *testing.T) {
	opts, rest, errs := ParseAll([]string{"-x", "-s", "a", "-yl", "-", "arg"}, "+s:l:")
	want := []Opt{{'s', "a"}, {'l', "-"}}
	if !reflect.DeepEqual(opts, want) || !reflect.DeepEqual(rest, []string{"arg"}) || len(errs) != 2 ||
		errs[0].Error() != "invalid option -- 'x'" || errs[1].Error() != "invalid option -- 'y'" {
		t.Fatalf("%v %q %v", opts, rest, errs)
	}
	if _, _, err := Parse([]string{"-x", "-s", "a"}, "+s:"); err == nil {
		t.Fatal("Parse went past an unknown option")
	}
}
