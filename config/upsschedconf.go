package config

import (
	"io"
	"strconv"
	"strings"
)

// At is an AT line of upssched.conf: on an event of a UPS ("*" for any),
// start or cancel a timer, or run the command script now.
type At struct {
	Event   string // ONBATT, ONLINE, ...
	UPS     string // upsname@host as upsmon names it, or *
	Action  string // START-TIMER, CANCEL-TIMER, CANCEL-TIMER-MATCHED or EXECUTE
	Timer   string // START-TIMER, CANCEL-TIMER: the timer's name
	Seconds int    // START-TIMER
	Command string // EXECUTE: the argument; CANCEL-TIMER(-MATCHED): run when no timer was cancelled
	Line    int
}

// UpsschedConf is upssched.conf.
type UpsschedConf struct {
	CmdScript string
	PipeFn    string
	LockFn    string
	DebugMin  int // -1: not set
	At        []At
}

// ParseUpsschedConf reads upssched.conf.
func ParseUpsschedConf(file string, r io.Reader) (*UpsschedConf, []error) {
	ds, p := directives(file, r)
	c := &UpsschedConf{DebugMin: -1}
	for _, d := range ds {
		switch d.name {
		case "CMDSCRIPT", "PIPEFN", "LOCKFN":
			if p.arity(d, 1, -1, d.name+" <path>") {
				*map[string]*string{"CMDSCRIPT": &c.CmdScript, "PIPEFN": &c.PipeFn, "LOCKFN": &c.LockFn}[d.name] = strings.Join(d.args, " ")
			}
		case "DEBUG_MIN":
			if n, ok := p.number(d, 0, 1<<30); ok {
				c.DebugMin = n
			}
		case "AT":
			if a, ok := parseAt(p, d); ok {
				c.At = append(c.At, a)
			}
		default:
			p.warnf(d.line, "unknown directive %s (upssched ignores it)", d.name)
		}
	}
	if len(c.At) > 0 && c.CmdScript == "" {
		p.errorf(c.At[0].Line, "AT lines but no CMDSCRIPT: add CMDSCRIPT <path> before them")
	}
	for _, a := range c.At {
		if a.Action != "EXECUTE" && (c.PipeFn == "" || c.LockFn == "") {
			p.errorf(a.Line, "timers need PIPEFN and LOCKFN")
			break
		}
	}
	return c, p.errs
}

func parseAt(p *problems, d directive) (At, bool) {
	a := At{Line: d.line}
	if !p.arity(d, 4, -1, "AT <event> <ups or *> START-TIMER <name> <seconds> | CANCEL-TIMER[-MATCHED] <name> [<cmd>] | EXECUTE <cmd>") {
		return a, false
	}
	a.Event, a.UPS, a.Action = d.args[0], d.args[1], d.args[2]
	if !isEvent(a.Event) {
		p.errorf(d.line, "AT: unknown event %q", a.Event)
		return a, false
	}
	rest := d.args[3:]
	switch a.Action {
	case "START-TIMER":
		if len(rest) != 2 {
			p.errorf(d.line, "expected AT %s %s START-TIMER <name> <seconds>", a.Event, a.UPS)
			return a, false
		}
		n, err := strconv.Atoi(rest[1])
		if err != nil || n < 0 {
			p.errorf(d.line, "START-TIMER %s: %q: expected a whole number of seconds", rest[0], rest[1])
			return a, false
		}
		a.Timer, a.Seconds = rest[0], n
	case "CANCEL-TIMER", "CANCEL-TIMER-MATCHED":
		// -MATCHED (NUT 2.8.1+) cancels only the timer this UPS and
		// event started.
		if len(rest) > 2 {
			p.errorf(d.line, "expected AT %s %s %s <name> [<cmd>]", a.Event, a.UPS, a.Action)
			return a, false
		}
		a.Timer = rest[0]
		if len(rest) == 2 {
			a.Command = rest[1]
		}
	case "EXECUTE":
		a.Command = strings.Join(rest, " ")
	default:
		p.errorf(d.line, "AT: unknown action %q (expected START-TIMER, CANCEL-TIMER, CANCEL-TIMER-MATCHED or EXECUTE)", a.Action)
		return a, false
	}
	return a, true
}

// LoadUpsschedConf reads upssched.conf from disk.
func LoadUpsschedConf(path string) (*UpsschedConf, []error) { return load(path, ParseUpsschedConf) }

// Format writes the file back out.
func (c *UpsschedConf) Format() string {
	var b strings.Builder
	for _, kv := range [][2]string{{"CMDSCRIPT", c.CmdScript}, {"PIPEFN", c.PipeFn}, {"LOCKFN", c.LockFn}} {
		if kv[1] != "" {
			line(&b, kv[0], kv[1])
		}
	}
	if c.DebugMin >= 0 {
		line(&b, "DEBUG_MIN", strconv.Itoa(c.DebugMin))
	}
	for _, a := range c.At {
		ws := []string{"AT", a.Event, a.UPS, a.Action}
		switch a.Action {
		case "START-TIMER":
			ws = append(ws, a.Timer, strconv.Itoa(a.Seconds))
		case "CANCEL-TIMER", "CANCEL-TIMER-MATCHED":
			ws = append(ws, a.Timer)
			if a.Command != "" {
				ws = append(ws, a.Command)
			}
		case "EXECUTE":
			ws = append(ws, a.Command)
		}
		line(&b, ws...)
	}
	return b.String()
}
