package config

import (
	"reflect"
	"testing"
)

var parseUpssched = parser[*UpsschedConf](ParseUpsschedConf)

func TestUpsschedConf(t *testing.T) {
	src := `DEBUG_MIN 6
CMDSCRIPT /usr/bin/upssched-cmd "--from" "upssched"
PIPEFN /run/nut/upssched/upssched.pipe
LOCKFN /run/nut/upssched/upssched.lock
AT COMMBAD * START-TIMER upsgone 10
AT onbatt * START-TIMER-SHARED onbattwarn 30
AT COMMOK myups@localhost CANCEL-TIMER upsgone
AT ONLINE * CANCEL-TIMER onbattwarn ups-back
AT ONLINE * CANCEL-TIMER-MATCHED onbattwarn
AT ONLINE * EXECUTE ups-back-on-line
AT LOWBATT ups@host EXECUTE "shut down now"
`
	c, errs := parseUpssched.str("upssched.conf", src)
	wantProblems(t, errs)
	if !reflect.DeepEqual(c.CmdScript, []string{"/usr/bin/upssched-cmd", "--from", "upssched"}) ||
		c.PipeFn != "/run/nut/upssched/upssched.pipe" || c.LockFn != "/run/nut/upssched/upssched.lock" || c.DebugMin != 6 {
		t.Errorf("%+v", c)
	}
	want := []At{
		{"COMMBAD", "*", StartTimer, []string{"upsgone", "10"}, 5, nil},
		{"ONBATT", "*", StartTimerShared, []string{"onbattwarn", "30"}, 6, nil},
		{"COMMOK", "myups@localhost", CancelTimer, []string{"upsgone"}, 7, nil},
		{"ONLINE", "*", CancelTimer, []string{"onbattwarn", "ups-back"}, 8, nil},
		{"ONLINE", "*", CancelTimerMatched, []string{"onbattwarn"}, 9, nil},
		{"ONLINE", "*", Execute, []string{"ups-back-on-line"}, 10, nil},
		{"LOWBATT", "ups@host", Execute, []string{"shut down now"}, 11, nil},
	}
	if !reflect.DeepEqual(c.At, want) {
		t.Errorf("AT lines:\n%+v\nwant\n%+v", c.At, want)
	}
	for i, w := range []struct {
		timer   string
		seconds int
		command string
	}{{"upsgone", 10, ""}, {"onbattwarn", 30, ""}, {"upsgone", 0, ""}, {"onbattwarn", 0, "ups-back"},
		{"onbattwarn", 0, ""}, {"", 0, "ups-back-on-line"}, {"", 0, "shut down now"}} {
		a := c.At[i]
		if a.Timer() != w.timer || a.Seconds() != w.seconds || a.Command() != w.command {
			t.Errorf("line %d: %q %d %q, want %+v", a.Line, a.Timer(), a.Seconds(), a.Command(), w)
		}
	}
	if !c.At[2].Matches("commok", "myups@localhost") || c.At[2].Matches("COMMOK", "myups") || !c.At[0].Matches("COMMBAD", "any@where") {
		t.Errorf("Matches")
	}
}

func TestUpsschedConfProblems(t *testing.T) {
	head := "CMDSCRIPT /bin/cmd\nPIPEFN /p\nLOCKFN /l\n"
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"AT before the paths", "CMDSCRIPT /bin/cmd\nAT ONBATT * EXECUTE x\nPIPEFN /p\nLOCKFN /l\nAT ONLINE * EXECUTE y\n", []string{
			`u:2: AT before PIPEFN and LOCKFN: upssched refuses to run unless CMDSCRIPT, PIPEFN and LOCKFN come before the first AT`}},
		// upssched checks the order at every AT line of four words or more,
		// before it judges the line.
		{"odd AT before the paths", "CMDSCRIPT /bin/cmd\nAT ONBATT * BOGUS x\nPIPEFN /p\nLOCKFN /l\n", []string{
			`u:2: AT before PIPEFN and LOCKFN: upssched refuses to run unless CMDSCRIPT, PIPEFN and LOCKFN come before the first AT`,
			`u:2: AT: unknown action "BOGUS": expected START-TIMER, START-TIMER-SHARED, CANCEL-TIMER, CANCEL-TIMER-MATCHED or EXECUTE`}},
		{"no CMDSCRIPT", "AT ONBATT * EXECUTE x\n", []string{
			`u:1: AT before CMDSCRIPT and PIPEFN and LOCKFN: upssched refuses to run unless CMDSCRIPT, PIPEFN and LOCKFN come before the first AT`}},
		{"short AT", head + "AT ONBATT * EXECUTE\n", []string{
			`u:4: expected AT <event> <ups or *> START-TIMER[-SHARED] <timer> <seconds> | CANCEL-TIMER[-MATCHED] <timer> [<command>] | EXECUTE <command>`}},
		{"START-TIMER without seconds", head + "AT ONBATT * START-TIMER t\n", []string{`u:4: AT ONBATT * START-TIMER: expected <timer> <seconds>`}},
		{"bad seconds", head + "AT ONBATT * START-TIMER t soon\nAT ONBATT * START-TIMER t -5\nAT ONBATT * START-TIMER t 5s\n", []string{
			`u:4: START-TIMER t "soon": expected a whole number, 0 or more`,
			`u:5: START-TIMER t "-5": expected a whole number, 0 or more`,
			`u:6: warning: START-TIMER t "5s": read as 5, as NUT does (write just the number)`}},
		{"unknown action", head + "AT ONBATT * PAUSE x\n", []string{
			`u:4: AT: unknown action "PAUSE": expected START-TIMER, START-TIMER-SHARED, CANCEL-TIMER, CANCEL-TIMER-MATCHED or EXECUTE`}},
		{"actions are case-sensitive", head + "AT ONBATT * execute x\n", []string{
			`u:4: AT: unknown action "execute": expected START-TIMER, START-TIMER-SHARED, CANCEL-TIMER, CANCEL-TIMER-MATCHED or EXECUTE`}},
		{"unknown event", head + "AT HEATWAVE * EXECUTE x\n", nil},
		{"extra words", head + "AT ONBATT * EXECUTE shut down\nAT ONLINE * CANCEL-TIMER t c d\n", []string{
			`u:4: warning: AT EXECUTE: words after "shut" ignored (quote a command that has spaces)`,
			`u:5: warning: AT CANCEL-TIMER: words after "c" ignored (quote a command that has spaces)`}},
		{"empty EXECUTE", head + "AT ONBATT * EXECUTE \"\"\n", []string{`u:4: AT ONBATT * EXECUTE: the command is empty, upssched refuses it`}},
		{"empty paths", "CMDSCRIPT \"\"\nPIPEFN \"\"\nLOCKFN\n", []string{
			`u:1: CMDSCRIPT: the script name is empty`,
			`u:2: PIPEFN: the file name is empty`,
			`u:3: LOCKFN: expected LOCKFN <file>`}},
		{"CMDSCRIPT with spaces", "CMDSCRIPT \"/bin/cmd -x\"\n", []string{
			`u:1: warning: CMDSCRIPT "/bin/cmd -x" has spaces: NUT master runs it as one program path, spaces included; give any arguments as separate quoted words`}},
		{"directives are case-sensitive", "cmdscript /x\ndebug_min 3\nDEBUG_MIN x\n", []string{
			`u:1: warning: unknown directive cmdscript: upssched ignores it (directives are case-sensitive: did you mean CMDSCRIPT?)`,
			`u:2: warning: unknown directive debug_min: upssched ignores it (directives are case-sensitive: did you mean DEBUG_MIN?)`,
			`u:3: DEBUG_MIN "x": expected a whole number`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, errs := parseUpssched.str("u", tc.src)
			wantProblems(t, append(errs, c.AtProblems()...), tc.want...)
		})
	}
}

// An AT line of four words or more is kept whatever is wrong with it,
// with its own problems, since upssched judges it only when it applies;
// a shorter one is a problem of the file, told at every call.
func TestUpsschedConfAtProblemsStayWithTheirLine(t *testing.T) {
	c, errs := parseUpssched.str("u", "CMDSCRIPT /bin/cmd\nPIPEFN /p\nLOCKFN /l\n"+
		"AT REPLBATT * ONBATT * EXECUTE x\nAT ONBATT *\nAT ONBATT * EXECUTE two words\nAT ONBATT * EXECUTE one\n")
	wantProblems(t, errs, `u:5: expected AT <event> <ups or *> START-TIMER[-SHARED] <timer> <seconds> | CANCEL-TIMER[-MATCHED] <timer> [<command>] | EXECUTE <command>`)
	if len(c.At) != 3 {
		t.Fatalf("AT lines kept: %+v", c.At)
	}
	for i, w := range []struct {
		usable   bool
		problems []string
	}{
		{false, []string{`u:4: AT: unknown action "ONBATT": expected START-TIMER, START-TIMER-SHARED, CANCEL-TIMER, CANCEL-TIMER-MATCHED or EXECUTE`}},
		{true, []string{`u:6: warning: AT EXECUTE: words after "two" ignored (quote a command that has spaces)`}},
		{true, nil},
	} {
		if a := c.At[i]; a.Usable() != w.usable {
			t.Errorf("line %d: usable %v", a.Line, a.Usable())
		}
		wantProblems(t, c.At[i].Problems, w.problems...)
	}
	if got := c.At[0]; got.Event != "REPLBATT" || got.UPS != "*" || got.Action != "ONBATT" {
		t.Errorf("kept as %+v", got)
	}
}

func TestUpsschedConfFormat(t *testing.T) {
	c := &UpsschedConf{DebugMin: -1, At: []At{{Event: "ONBATT", UPS: "*", Action: StartTimer, Args: []string{"t", "5"}}},
		LockFn: "/l", PipeFn: "/p", CmdScript: []string{"/my script", "a b"}}
	want := "CMDSCRIPT \"/my script\" \"a b\"\nPIPEFN /p\nLOCKFN /l\nAT ONBATT * START-TIMER t 5\n"
	if got := c.Format(); got != want {
		t.Errorf("format:\n%s\nwant:\n%s", got, want)
	}
}
