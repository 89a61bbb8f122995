package config

import (
	"reflect"
	"testing"
)

var parseUsers = parser[*Users](ParseUsers)

func TestUsers(t *testing.T) {
	src := `[admin]
	password = mypass
	actions = set
	actions = fsd
	instcmds = all

[pfy]
	password = duh
	instcmds = test.panel.start
	instcmds = test.panel.stop test.battery.start
	instcmds = TEST.PANEL.STOP

[upswired]
	password = blah
	upsmon primary

[observer]
	PASSWORD = abcd
	upsmon = secondary

[old]
	password = "a b = c"
	upsmon master
[older]
	password=x
	upsmon slave
	"actions=SET" FSD
`
	us, errs := parseUsers.str("upsd.users", src)
	wantProblems(t, errs)
	want := []*User{
		{Name: "admin", Line: 1, Password: "mypass", HasPassword: true, Actions: []string{"SET", "FSD"}, InstCmds: []string{"all"}},
		{Name: "pfy", Line: 7, Password: "duh", HasPassword: true, InstCmds: []string{"test.panel.start", "test.panel.stop", "test.battery.start"}},
		{Name: "upswired", Line: 13, Password: "blah", HasPassword: true, Upsmon: RolePrimary},
		{Name: "observer", Line: 17, Password: "abcd", HasPassword: true, Upsmon: RoleSecondary},
		{Name: "old", Line: 21, Password: "a b = c", HasPassword: true, Upsmon: RolePrimary},
		{Name: "older", Line: 24, Password: "x", HasPassword: true, Upsmon: RoleSecondary, Actions: []string{"SET", "FSD"}},
	}
	if !reflect.DeepEqual(us.Users, want) {
		for i := range us.Users {
			t.Errorf("%+v", us.Users[i])
		}
	}
	admin, pfy, wired, observer := us.Find("admin"), us.Find("pfy"), us.Find("upswired"), us.Find("observer")
	for _, tc := range []struct {
		u      *User
		action string
		want   bool
	}{
		{admin, "SET", true}, {admin, "set", true}, {admin, "FSD", true}, {admin, "LOGIN", false}, {admin, "MASTER", false},
		{pfy, "SET", false},
		{wired, "LOGIN", true}, {wired, "MASTER", true}, {wired, "PRIMARY", true}, {wired, "FSD", true}, {wired, "SET", false},
		{observer, "LOGIN", true}, {observer, "MASTER", false}, {observer, "FSD", false},
	} {
		if got := tc.u.Can(tc.action); got != tc.want {
			t.Errorf("%s Can(%s) = %v", tc.u.Name, tc.action, got)
		}
	}
	if !admin.CanRun("load.off") || !pfy.CanRun("TEST.PANEL.START") || pfy.CanRun("load.off") || wired.CanRun("load.off") {
		t.Errorf("CanRun")
	}
	if us.Find("nobody") != nil {
		t.Errorf("Find of a missing user")
	}
}

func TestUsersProblems(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"before any section", "password = x\nupsmon primary\n[a]\npassword = b\n", []string{
			`u:1: password before any [user] section: upsd ignores it`,
			`u:2: upsmon before any [user] section: upsd ignores it`}},
		{"repeated user", "[a]\npassword = b\n[b]\npassword = c\n[a]\nactions = SET\n", []string{
			`u:5: user [a] again (first at line 1): upsd ignores the repeat; its settings are skipped`,
			`u:6: actions skipped: it is under the ignored section at line 5`}},
		{"no name", "[]\npassword = x\n", []string{
			`u:1: [] has no user name: its settings are skipped`,
			`u:2: password skipped: it is under the ignored section at line 1`}},
		{"no password", "[a]\nupsmon secondary\n", []string{`u:1: warning: [a] has no password: upsd never lets this user in`}},
		{"password twice", "[a]\npassword = b\npassword = c\n", []string{`u:3: warning: [a] password again: upsd keeps the first one`}},
		{"password with spaces", "[a]\npassword = b c\n", []string{`u:2: warning: password: words after the first ignored (quote a password that has spaces)`}},
		{"unknown role", "[a]\npassword = b\nupsmon boss\n", []string{`u:3: upsmon "boss": expected primary or secondary`}},
		{"both roles", "[a]\npassword = b\nupsmon secondary\nupsmon primary\n", []string{
			`u:4: warning: [a] upsmon primary after upsmon secondary: upsd grants both, so this user is primary`}},
		{"extra role words", "[a]\npassword = b\nupsmon primary please\n", []string{`u:3: warning: upsmon: words after "primary" ignored`}},
		{"hand-made upsmon actions", "[a]\npassword = b\nactions = LOGIN\n", []string{
			`u:3: warning: actions = LOGIN: upsd grants it, but give upsmon rights with 'upsmon primary' or 'upsmon secondary'`}},
		{"unknown action", "[a]\npassword = b\nactions = REBOOT\n", []string{
			`u:3: warning: actions = REBOOT: upsd knows only SET and FSD; no command needs this action`}},
		{"allowfrom", "[a]\npassword = b\nallowfrom = localhost\n", []string{`u:3: warning: allowfrom in upsd.users is no longer used: upsd ignores it`}},
		{"unknown key", "[a]\npassword = b\ncolour = red\n", []string{
			`u:3: warning: unknown user setting colour: upsd ignores it (expected password, actions, instcmds or upsmon)`}},
		{"old format", "user a\n", []string{`u:1: warning: old-style user line ignored, as upsd ignores it: write a [section] per user`}},
		{"malformed", "[a]\npassword = b\nactions SET\nactions =\n", []string{
			`u:3: expected key = value, upsmon primary|secondary or a [user], got "actions SET"`,
			`u:4: expected key = value, upsmon primary|secondary or a [user], got "actions ="`}},
		{"quote with #", "[a]\npassword = \"s3cr#t\"\n", []string{
			`u:2: unbalanced quotes: unescaped # inside a quoted word (write \# or close the quote)`,
			`u:1: warning: [a] has no password: upsd never lets this user in`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errs := parseUsers.str("u", tc.src)
			wantProblems(t, errs, tc.want...)
		})
	}
}

func TestUsersFormat(t *testing.T) {
	us, _ := parseUsers.str("u", "[a]\npassword = \"p w\"\nactions = SET FSD\ninstcmds = ALL\nupsmon slave\n[b]\npassword = x\n")
	want := "[a]\n\tpassword = \"p w\"\n\tactions = SET FSD\n\tinstcmds = ALL\n\tupsmon secondary\n\n[b]\n\tpassword = x\n"
	if got := us.Format(); got != want {
		t.Errorf("format:\n%s\nwant:\n%s", got, want)
	}
	// Long lists are cut into lines the tokenizer reads whole.
	u := &Users{Users: []*User{{Name: "many", Password: "p", HasPassword: true}}}
	for i := 0; i < 40; i++ {
		u.Users[0].InstCmds = append(u.Users[0].InstCmds, "cmd."+string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	back, errs := parseUsers.str("u", u.Format())
	if len(errs) > 0 || !reflect.DeepEqual(back.Users[0].InstCmds, u.Users[0].InstCmds) {
		t.Errorf("long list: %v\n%s", errs, u.Format())
	}
}
