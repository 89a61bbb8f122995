package config

import (
	"io"
	"strconv"
	"strings"
)

// AT actions.
const (
	StartTimer         = "START-TIMER"          // <timer> <seconds>
	StartTimerShared   = "START-TIMER-SHARED"   // <timer> <seconds>, joining a running timer of that name
	CancelTimer        = "CANCEL-TIMER"         // <timer> [<command>]
	CancelTimerMatched = "CANCEL-TIMER-MATCHED" // <timer> [<command>], only a timer this UPS and event started
	Execute            = "EXECUTE"              // <command>
)

// At is an AT line of upssched.conf: on an event of a UPS, start or
// cancel a timer, or pass a command to CMDSCRIPT now.
type At struct {
	Event  string   // ONBATT, ONLINE, ... (upper case; upssched ignores case)
	UPS    string   // the UPS as upsmon names it (its MONITOR system), or * for any
	Action string   // StartTimer, StartTimerShared, CancelTimer, CancelTimerMatched or Execute
	Args   []string // the words after the action, as checked by the parser
	Line   int
	// Problems are what is wrong with this line. upssched, as NUT's,
	// judges an AT line only when it applies to the event it is called
	// for: then it tells them, and acts on the line only if it is Usable.
	Problems []error
}

// Usable reports whether upssched acts on this line when it applies: no
// error among its problems, warnings at most.
func (a At) Usable() bool { return len(Fatal(a.Problems)) == 0 }

// Timer is the timer a START-TIMER or CANCEL-TIMER line names.
func (a At) Timer() string {
	if a.Action == Execute || len(a.Args) == 0 {
		return ""
	}
	return a.Args[0]
}

// Seconds is a START-TIMER's interval.
func (a At) Seconds() int {
	if (a.Action != StartTimer && a.Action != StartTimerShared) || len(a.Args) < 2 {
		return 0
	}
	n, _, _ := cNumber(a.Args[1])
	return n
}

// Command is what goes to CMDSCRIPT: EXECUTE's argument, or the command a
// CANCEL-TIMER runs when there was no timer to cancel.
func (a At) Command() string {
	switch {
	case a.Action == Execute && len(a.Args) > 0:
		return a.Args[0]
	case (a.Action == CancelTimer || a.Action == CancelTimerMatched) && len(a.Args) > 1:
		return a.Args[1]
	}
	return ""
}

// Matches reports whether this line applies to an event of a UPS, as
// upssched decides it.
func (a At) Matches(event, ups string) bool {
	return (a.UPS == "*" || a.UPS == ups) && strings.EqualFold(a.Event, event)
}

// UpsschedConf is upssched.conf.
type UpsschedConf struct {
	CmdScript []string // the script and any arguments before the timer name
	PipeFn    string
	LockFn    string
	DebugMin  int // -1: not set
	At        []At
}

var upsschedDirectives = []string{"CMDSCRIPT", "PIPEFN", "LOCKFN", "DEBUG_MIN", "AT"}

// AtProblems are the problems of every AT line (At.Problems), which
// ParseUpsschedConf does not return: upssched tells those of a line only
// when the line applies. A check of the whole file wants them too.
func (c *UpsschedConf) AtProblems() []error {
	var out []error
	for _, a := range c.At {
		out = append(out, a.Problems...)
	}
	return out
}

// ParseUpsschedConf reads upssched.conf as upssched does
// (clients/upssched.c). Directives are case-sensitive. As upssched
// requires, CMDSCRIPT, PIPEFN and LOCKFN must come before the first AT.
// An AT line of four words or more is kept whatever is wrong with it,
// its problems in At.Problems rather than among those returned.
func ParseUpsschedConf(file string, r io.Reader) (*UpsschedConf, []error) {
	ds, p := directives(file, r)
	c := &UpsschedConf{DebugMin: -1}
	orderChecked := false
	for _, d := range ds {
		switch d.name {
		case "CMDSCRIPT":
			if !p.need(d, 1, -1, `CMDSCRIPT "<script>" ["<arg>" ...]`) {
				continue
			}
			if d.args[0] == "" {
				p.errorf(d.line, "CMDSCRIPT: the script name is empty")
				continue
			}
			if strings.Contains(d.args[0], " ") {
				p.warnf(d.line, "CMDSCRIPT %q has spaces: NUT master runs it as one program path, spaces included; give any arguments as separate quoted words", d.args[0])
			}
			c.CmdScript = append([]string(nil), d.args...)
		case "PIPEFN", "LOCKFN":
			if !p.need(d, 1, 1, d.name+" <file>") {
				continue
			}
			if d.args[0] == "" {
				p.errorf(d.line, "%s: the file name is empty", d.name)
				continue
			}
			*map[string]*string{"PIPEFN": &c.PipeFn, "LOCKFN": &c.LockFn}[d.name] = d.args[0]
		case "DEBUG_MIN":
			if p.need(d, 1, 1, "DEBUG_MIN <level>") {
				if n, ok := p.number(d.line, d.name, d.args[0], minInt, maxInt, strict); ok {
					c.DebugMin = max(n, -1)
				}
			}
		case "AT":
			a, ok := parseAt(p, d)
			if !ok {
				continue
			}
			if !orderChecked {
				orderChecked = true
				var missing []string
				for _, m := range []struct{ name, v string }{{"CMDSCRIPT", strings.Join(c.CmdScript, "")}, {"PIPEFN", c.PipeFn}, {"LOCKFN", c.LockFn}} {
					if m.v == "" {
						missing = append(missing, m.name)
					}
				}
				if len(missing) > 0 {
					p.unusablef(d.line, "AT before %s: upssched refuses to run unless CMDSCRIPT, PIPEFN and LOCKFN come before the first AT", strings.Join(missing, " and "))
				}
			}
			c.At = append(c.At, a)
		default:
			p.warnf(d.line, "unknown directive %s: upssched ignores it%s", d.name, caseHint(d.name, upsschedDirectives))
		}
	}
	return c, p.errs
}

// parseAt reads AT <event> <ups> <action> <args>. A line of fewer words
// is a problem of the file (NUT's upssched complains of it at every call,
// whatever the event) and is not kept.
func parseAt(p *problems, d directive) (At, bool) {
	const usage = "AT <event> <ups or *> START-TIMER[-SHARED] <timer> <seconds> | CANCEL-TIMER[-MATCHED] <timer> [<command>] | EXECUTE <command>"
	a := At{Line: d.line}
	if len(d.args) < 4 {
		p.errorf(d.line, "expected %s", usage)
		return a, false
	}
	a.Problems = judgeAt(&problems{file: p.file}, &a, d.args)
	return a, true
}

// judgeAt fills in an AT line of four words or more and returns what is
// wrong with it.
func judgeAt(p *problems, a *At, args []string) []error {
	// An event upsmon never sends is no problem: such a line never
	// applies, and NUT's upssched passes it over in silence.
	a.Event, _ = event(args[0])
	a.UPS, a.Action = args[1], args[2]
	rest := args[3:]
	a.Args = append([]string(nil), rest...)
	limit := 2
	switch a.Action {
	case StartTimer, StartTimerShared:
		if len(rest) < 2 {
			p.errorf(a.Line, "AT %s %s %s: expected <timer> <seconds>", args[0], a.UPS, a.Action)
			return p.errs
		}
		if _, ok := p.number(a.Line, a.Action+" "+rest[0], rest[1], 0, maxInt, lenient); !ok {
			return p.errs
		}
	case CancelTimer, CancelTimerMatched:
	case Execute:
		limit = 1
		if rest[0] == "" {
			p.errorf(a.Line, "AT %s %s EXECUTE: the command is empty, upssched refuses it", args[0], a.UPS)
			return p.errs
		}
	default:
		p.errorf(a.Line, "AT: unknown action %q: expected START-TIMER, START-TIMER-SHARED, CANCEL-TIMER, CANCEL-TIMER-MATCHED or EXECUTE", a.Action)
		return p.errs
	}
	if len(rest) > limit {
		p.warnf(a.Line, "AT %s: words after %q ignored (quote a command that has spaces)", a.Action, rest[limit-1])
		a.Args = a.Args[:limit]
	}
	return p.errs
}

// LoadUpsschedConf reads upssched.conf from disk (see Path).
func LoadUpsschedConf(path string) (*UpsschedConf, []error) { return load(path, ParseUpsschedConf) }

// Format writes the file back out: CMDSCRIPT, PIPEFN and LOCKFN first, as
// upssched needs them above the AT lines.
func (c *UpsschedConf) Format() string {
	var b strings.Builder
	if c.DebugMin >= 0 {
		writeLine(&b, "", "DEBUG_MIN", strconv.Itoa(c.DebugMin))
	}
	if len(c.CmdScript) > 0 {
		writeLine(&b, "", append([]string{"CMDSCRIPT"}, c.CmdScript...)...)
	}
	for _, kv := range [][2]string{{"PIPEFN", c.PipeFn}, {"LOCKFN", c.LockFn}} {
		if kv[1] != "" {
			writeLine(&b, "", kv[0], kv[1])
		}
	}
	for _, a := range c.At {
		writeLine(&b, "", append([]string{"AT", a.Event, a.UPS, a.Action}, a.Args...)...)
	}
	return b.String()
}
