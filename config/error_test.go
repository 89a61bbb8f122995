package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"gonut/nutenv"
)

func TestErrorText(t *testing.T) {
	for _, tc := range []struct {
		e    *Error
		want string
	}{
		{&Error{File: "ups.conf", Line: 3, Msg: "bad"}, "ups.conf:3: bad"},
		{&Error{File: "ups.conf", Line: 3, Msg: "odd", Warning: true}, "ups.conf:3: warning: odd"},
		{&Error{File: "nut.conf", Msg: "whole file"}, "nut.conf: whole file"},
	} {
		if got := tc.e.Error(); got != tc.want {
			t.Errorf("%#v: %q, want %q", tc.e, got, tc.want)
		}
	}
}

func TestFatalAndWarnings(t *testing.T) {
	errs := []error{
		&Error{File: "f", Line: 1, Msg: "e"},
		&Error{File: "f", Line: 2, Msg: "w", Warning: true},
		fmt.Errorf("wrapped: %w", &Error{File: "f", Line: 3, Msg: "w2", Warning: true}),
		errors.New("read failure"),
	}
	if got := msgs(Fatal(errs)); got != "f:1: e\nread failure" {
		t.Errorf("Fatal: %q", got)
	}
	if got := len(Warnings(errs)); got != 2 {
		t.Errorf("Warnings: %d", got)
	}
}

func TestPath(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{nil, "/etc/nut/ups.conf"},
		{map[string]string{"NUT_CONFPATH": ""}, "/etc/nut/ups.conf"},
		{map[string]string{"NUT_CONFPATH": "/tmp/x"}, "/tmp/x/ups.conf"},
	} {
		env := nutenv.Env(func(k string) string { return tc.env[k] })
		if got := PathIn(env, UPSConfFile); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.env, got, tc.want)
		}
	}
	t.Setenv("NUT_CONFPATH", "/somewhere")
	if got := Path(UpsmonConfFile); got != "/somewhere/upsmon.conf" {
		t.Errorf("Path with NUT_CONFPATH: %q", got)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	if c, errs := LoadUPSConf(filepath.Join(dir, "missing")); c != nil || len(errs) != 1 || !errors.Is(errs[0], os.ErrNotExist) {
		t.Fatalf("missing file: %v %v", c, errs)
	}
	files := map[string]string{
		UPSConfFile:      "[u]\ndriver = dummy-ups\nport = x.dev\n",
		UpsdConfFile:     "MAXAGE 20\n",
		UpsdUsersFile:    "[a]\npassword = b\n",
		UpsmonConfFile:   "POLLFREQ 3\n",
		UpsschedConfFile: "CMDSCRIPT /bin/true\n",
		NutConfFile:      "MODE=standalone\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	env := nutenv.Env(func(k string) string { return map[string]string{"NUT_CONFPATH": dir}[k] })
	u, errs1 := LoadUPSConf(PathIn(env, UPSConfFile))
	d, errs2 := LoadUpsdConf(PathIn(env, UpsdConfFile))
	us, errs3 := LoadUsers(PathIn(env, UpsdUsersFile))
	m, errs4 := LoadUpsmonConf(PathIn(env, UpsmonConfFile))
	s, errs5 := LoadUpsschedConf(PathIn(env, UpsschedConfFile))
	n, errs6 := LoadNutConf(PathIn(env, NutConfFile))
	for _, errs := range [][]error{errs1, errs2, errs3, errs4, errs5, errs6} {
		if len(errs) > 0 {
			t.Errorf("%v", errs)
		}
	}
	if u.Find("u").Driver != "dummy-ups" || d.MaxAge != 20 || us.Find("a").Password != "b" || m.PollFreq != 3 ||
		s.CmdScript[0] != "/bin/true" || n.Mode != ModeStandalone {
		t.Errorf("loaded values are wrong")
	}
	// The error names the file as given.
	_, errs := LoadUpsdConf(PathIn(env, UPSConfFile))
	if len(errs) == 0 || errs[0].Error() != filepath.Join(dir, "ups.conf")+":1: warning: unknown directive [u]: upsd ignores it" {
		t.Errorf("errors name the path: %v", errs)
	}
}
