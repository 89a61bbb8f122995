package dummyups

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"gonut/config"
	"gonut/words"
)

// A device file (NUT's .dev and .seq) is a list of steps:
//
//	ups.status: OB DISCHRG     a variable and its value (the words after it)
//	ALARM Replace battery      an alarm (ALARM alone clears them)
//	TIMER 10                   wait this many seconds before going on
//
// Lines naming driver.* variables are skipped: the driver owns those.
type step struct {
	line  int
	name  string // variable; "" for TIMER and ALARM
	value string
	alarm bool          // ALARM: value is the text ("" clears)
	timer time.Duration // TIMER
	isTmr bool
}

// maxValue is the longest value a device file line gives: NUT's dummy-ups
// reads values into a 128-byte buffer.
const maxValue = 127

// parseScript reads a device file. Malformed lines are reported (file:line)
// and skipped; the rest still plays.
func parseScript(file string, r io.Reader) ([]step, []error) {
	var steps []step
	var errs []error
	s := words.NewScanner(r)
	for s.Scan() {
		l := s.Line()
		if l.Err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: %v", file, l.Num, l.Err))
			continue
		}
		w := l.Words
		switch {
		case strings.HasPrefix(w[0], "TIMER"):
			if len(w) < 2 {
				errs = append(errs, fmt.Errorf("%s:%d: TIMER needs a number of seconds", file, l.Num))
				continue
			}
			// NUT reads it with atoi: "2.5" waits 2 seconds.
			n, err := strconv.Atoi(w[1])
			if err != nil {
				n = config.Atoi(w[1])
				errs = append(errs, fmt.Errorf("%s:%d: TIMER %q: read as %d, as NUT does (expected a whole number of seconds)", file, l.Num, w[1], n))
			}
			if n < 0 {
				errs = append(errs, fmt.Errorf("%s:%d: TIMER %q: expected a whole number of seconds, 0 or more", file, l.Num, w[1]))
				continue
			}
			steps = append(steps, step{line: l.Num, isTmr: true, timer: time.Duration(n) * time.Second})
		case strings.HasPrefix(w[0], "ALARM"):
			steps = append(steps, step{line: l.Num, alarm: true, value: strings.Join(w[1:], " ")})
		default:
			name, _, _ := strings.Cut(w[0], ":")
			if name == "" {
				errs = append(errs, fmt.Errorf("%s:%d: expected 'variable: value'", file, l.Num))
				continue
			}
			if strings.HasPrefix(name, "driver.") {
				continue
			}
			value := strings.Join(w[1:], " ")
			if len(value) > maxValue {
				errs = append(errs, fmt.Errorf("%s:%d: value of %s cut to %d characters", file, l.Num, name, maxValue))
				value = value[:maxValue]
			}
			steps = append(steps, step{line: l.Num, name: name, value: value})
		}
	}
	if err := s.Err(); err != nil {
		errs = append(errs, fmt.Errorf("%s: %v", file, err))
	}
	return steps, errs
}

// player walks a script: each call to run applies steps up to the next
// TIMER (returning its wait) or to the end of the script.
type player struct {
	steps  []step
	pos    int
	alarms bool // the script has ALARM lines
}

func newPlayer(steps []step) *player {
	p := &player{steps: steps}
	for _, s := range steps {
		p.alarms = p.alarms || s.alarm
	}
	return p
}

// run applies steps from the current position. It returns the TIMER wait
// it stopped at, or ended=true at the end of the script (the position goes
// back to the start).
func (p *player) run(apply func(step)) (wait time.Duration, ended bool) {
	for p.pos < len(p.steps) {
		s := p.steps[p.pos]
		p.pos++
		if s.isTmr {
			return s.timer, false
		}
		apply(s)
	}
	p.pos = 0
	return 0, true
}

// atStart reports whether the next run begins a new pass of the script.
func (p *player) atStart() bool { return p.pos == 0 }
