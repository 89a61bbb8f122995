package dstate

import (
	"strconv"
	"strings"

	"gonut/state"
)

// Status builds ups.status (and ups.alarm) the way NUT's drivers do: a
// driver resets it, adds the tokens it sees (OL, OB, LB, CHRG, ...) and
// alarms, and commits it to the tree once per update.
type Status struct {
	tokens      []string
	alarms      []string
	alarmStatus bool // the ALARM token was set directly
}

// Reset forgets the tokens (not the alarms; see ResetAlarms).
func (s *Status) Reset() {
	s.tokens = s.tokens[:0]
	s.alarmStatus = false
}

// ResetAlarms forgets the alarms.
func (s *Status) ResetAlarms() { s.alarms = s.alarms[:0] }

// Set adds each space-separated token once (case is ignored when comparing).
func (s *Status) Set(tokens string) {
	for _, tok := range strings.Fields(tokens) {
		if strings.EqualFold(tok, "ALARM") {
			s.alarmStatus = true
			continue
		}
		if !s.Has(tok) {
			s.tokens = append(s.tokens, tok)
		}
	}
}

// Has reports whether a token is set.
func (s *Status) Has(tok string) bool {
	for _, t := range s.tokens {
		if strings.EqualFold(t, tok) {
			return true
		}
	}
	return false
}

// Alarm adds an alarm text (shown in ups.alarm; ups.status gets ALARM).
func (s *Status) Alarm(text string) {
	if text != "" {
		s.alarms = append(s.alarms, text)
	}
}

// CommitAlarms writes ups.alarm: the alarms, or no such variable.
func (s *Status) CommitAlarms(t *state.Tree) {
	if len(s.alarms) > 0 {
		t.Set("ups.alarm", strings.Join(s.alarms, " "))
	} else {
		t.Delete("ups.alarm")
	}
}

// Commit writes ups.status, ALARM first when there are alarms. With the
// driver.flag.ignorelb flag set, the device's own LB is ignored and LB is
// set when battery.charge or battery.runtime is below its .low threshold
// instead.
func (s *Status) Commit(t *state.Tree) {
	tokens := s.tokens
	if _, ignoreLB := t.Get("driver.flag.ignorelb"); ignoreLB {
		tokens = tokens[:0:0]
		for _, tok := range s.tokens {
			if !strings.EqualFold(tok, "LB") {
				tokens = append(tokens, tok)
			}
		}
		if below(t, "battery.charge", "battery.charge.low") || below(t, "battery.runtime", "battery.runtime.low") {
			tokens = append(tokens, "LB")
		}
	}
	status := strings.Join(tokens, " ")
	if len(s.alarms) > 0 || s.alarmStatus {
		status = strings.TrimSpace("ALARM " + status)
	}
	t.Set("ups.status", status)
}

// below reports whether numeric variable v is under threshold variable low.
func below(t *state.Tree, v, low string) bool {
	a, ok1 := t.Get(v)
	b, ok2 := t.Get(low)
	if !ok1 || !ok2 {
		return false
	}
	x, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
	y, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
	return err1 == nil && err2 == nil && x < y
}
