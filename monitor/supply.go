package monitor

import (
	"sort"
	"strings"
	"time"

	"gonut/config"
)

// flag is one UPS status condition upsmon tracks.
type flag uint32

const (
	stOnline flag = 1 << iota
	stOnBatt
	stLowBatt
	stFSD
	stCal
	stOff
	stBypass
	stEco
	stAlarm
	stOver
	stTrim
	stBoost
	stOther
)

// tokens are the status words upsmon knows; the others are OTHER.
var tokens = map[string]flag{
	"OL": stOnline, "OB": stOnBatt, "LB": stLowBatt, "FSD": stFSD, "CAL": stCal, "OFF": stOff,
	"BYPASS": stBypass, "ECO": stEco, "ALARM": stAlarm, "OVER": stOver, "TRIM": stTrim, "BOOST": stBoost,
	"HB": 0, "RB": 0, "CHRG": 0, "DISCHRG": 0,
}

// paired are the conditions with an event when they start (told also
// when seen at the first poll) and a NOT event when they end.
var paired = []struct {
	f       flag
	on, off string
}{
	{stCal, "CAL", "NOTCAL"}, {stOff, "OFF", "NOTOFF"}, {stBypass, "BYPASS", "NOTBYPASS"},
	{stEco, "ECO", "NOTECO"}, {stAlarm, "ALARM", "NOTALARM"}, {stOver, "OVER", "NOTOVER"},
	{stTrim, "TRIM", "NOTTRIM"}, {stBoost, "BOOST", "NOTBOOST"}, {stOther, "OTHER", "NOTOTHER"},
}

// Event is something upsmon tells: NOTIFYTYPE, the UPS (its MONITOR
// name; "" for host-wide events) and, for ALARM and OTHER, what they are.
type Event struct {
	Type   string
	UPS    string
	Detail string
}

// Supply is what upsmon knows of one MONITOR line's UPS.
type Supply struct {
	Mon config.Monitor

	flags     flag
	commState int // -1 never tried, 0 lost, 1 talking
	lineState int // -1 startup, 0 not on line, 1 on line
	lastPoll  time.Time
	// lastNonCrit is when the UPS was last seen not OB+LB.
	lastNonCrit time.Time
	lastRBWarn  time.Time
	lastNCWarn  time.Time
	offSince    time.Time
	overSince   time.Time
	oblbSince   time.Time
	status      string
	failures    int // polls failed in a row
}

// NewSupply starts a supply as upsmon does: never heard from, assumed fine.
func NewSupply(m config.Monitor, now time.Time) *Supply {
	return &Supply{Mon: m, commState: -1, lineState: -1, lastPoll: now, lastNonCrit: now}
}

// Status is the last ups.status read ("" before the first).
func (s *Supply) Status() string { return s.status }

// Talking reports whether the last poll got an answer.
func (s *Supply) Talking() bool { return s.commState == 1 }

func (s *Supply) has(f flag) bool { return s.flags&f != 0 }

// Observe takes a status read from upsd (and ups.alarm, when ALARM is
// in it) and tells what changed.
func (s *Supply) Observe(status, alarm string, now time.Time, c *config.UpsmonConf, emit func(Event)) {
	ev := func(t, detail string) { emit(Event{Type: t, UPS: s.Mon.System, Detail: detail}) }
	if strings.TrimSpace(status) == "" {
		s.Lost(now, c, emit)
		return
	}
	s.lastPoll = now
	if s.commState == 0 {
		ev("COMMOK", "")
	}
	s.commState = 1
	s.status = status

	var seen flag
	var others []string
	for _, w := range strings.Fields(status) {
		f, known := tokens[strings.ToUpper(w)]
		if !known {
			others = append(others, w)
			f = stOther
		}
		seen |= f
	}
	old := s.flags
	// On line / on battery, as NUT: the first OL at startup is not told.
	switch {
	case seen&stOnline != 0 && old&stOnline == 0:
		if s.lineState != -1 {
			ev("ONLINE", "")
		}
		s.lineState = 1
	case seen&stOnBatt != 0 && old&stOnBatt == 0:
		s.lineState = 0
		ev("ONBATT", "")
	}
	if seen&stOnline == 0 && seen&stOnBatt == 0 {
		// Neither word: keep what we knew of the line.
		seen |= old & (stOnline | stOnBatt)
	}
	if seen&stLowBatt != 0 && old&stLowBatt == 0 {
		ev("LOWBATT", "")
	}
	replace := strings.Contains(" "+strings.ToUpper(status)+" ", " RB ")
	if replace && (s.lastRBWarn.IsZero() || now.Sub(s.lastRBWarn) > time.Duration(c.RBWarnTime)*time.Second) {
		ev("REPLBATT", "")
		s.lastRBWarn = now
	}
	for _, p := range paired {
		switch {
		case seen&p.f != 0 && old&p.f == 0:
			detail := ""
			if p.f == stAlarm {
				detail = alarm
			}
			if p.f == stOther {
				sort.Strings(others)
				detail = strings.Join(others, " ")
			}
			ev(p.on, detail)
		case seen&p.f == 0 && old&p.f != 0:
			ev(p.off, "")
		}
	}
	if seen&stFSD != 0 && old&stFSD == 0 {
		ev("FSD", "")
	}
	if seen&stOff != 0 && old&stOff == 0 {
		s.offSince = now
	}
	if seen&stOver != 0 && old&stOver == 0 {
		s.overSince = now
	}
	s.flags = seen
	if !(s.has(stOnBatt) && s.has(stLowBatt)) || s.has(stCal) {
		s.lastNonCrit = now
		s.oblbSince = time.Time{}
	} else if s.oblbSince.IsZero() {
		// NUT's upsmon times the status words one by one: the poll that
		// first sees OB LB saw OB alone first. HOSTSYNC counts from it.
		s.lastNonCrit = now
		s.oblbSince = now
	}
}

// Lost records a poll that got no status: COMMBAD the first time, NOCOMM
// once the silence passes NOCOMMWARNTIME (and again each such period).
func (s *Supply) Lost(now time.Time, c *config.UpsmonConf, emit func(Event)) {
	if s.commState != 0 {
		s.commState = 0
		emit(Event{Type: "COMMBAD", UPS: s.Mon.System})
		return
	}
	warn := time.Duration(c.NoCommWarnTime) * time.Second
	if now.Sub(s.lastPoll) < warn {
		return
	}
	if now.Sub(s.lastNCWarn) > warn {
		emit(Event{Type: "NOCOMM", UPS: s.Mon.System})
		s.lastNCWarn = now
	}
}

// Critical reports whether this supply can no longer be counted on, and
// why: NUT master's rules (clients/upsmon.c is_ups_critical and recalc).
//   - FSD is set (a primary, or the UPS itself, forces the shutdown);
//   - it is on battery with a low battery (for OBLBDURATION, when set);
//     a secondary gives the primary HOSTSYNC seconds to set FSD first;
//   - it has been OFF for OFFDURATION;
//   - upsd has not answered for DEADTIME and the UPS was last seen on
//     battery, or in a state that means it may not be feeding us (OFF,
//     BYPASS, CAL, ALARM with ALARMCRITICAL, OVER past OVERDURATION).
//
// A UPS last seen on line power is never critical for being silent:
// a secondary whose network drops for a while keeps running.
func (s *Supply) Critical(now time.Time, c *config.UpsmonConf) (bool, string) {
	if s.has(stFSD) {
		return true, "forced shutdown (FSD)"
	}
	dead := s.commState == 0 && now.Sub(s.lastPoll) > time.Duration(c.DeadTime)*time.Second
	if dead {
		switch {
		case s.has(stOnBatt):
			return true, "not answering, last seen on battery"
		case s.has(stOff) && c.OffDuration >= 0:
			return true, "not answering, last seen OFF"
		case s.has(stBypass):
			return true, "not answering, last seen on bypass"
		case s.has(stCal):
			return true, "not answering, last seen calibrating"
		case s.has(stAlarm) && c.AlarmCritical:
			return true, "not answering, last seen in ALARM (ALARMCRITICAL)"
		case s.has(stOver) && c.OverDuration >= 0 && now.Sub(s.overSince) >= time.Duration(c.OverDuration)*time.Second:
			return true, "not answering, last seen overloaded past OVERDURATION"
		}
	}
	if s.has(stOff) && c.OffDuration >= 0 && now.Sub(s.offSince) >= time.Duration(c.OffDuration)*time.Second {
		return true, "administratively OFF past OFFDURATION"
	}
	if !s.has(stOnBatt) || !s.has(stLowBatt) || s.has(stCal) {
		return false, ""
	}
	if c.OBLBDuration > 0 && now.Sub(s.oblbSince) < time.Duration(c.OBLBDuration)*time.Second {
		return false, ""
	}
	if s.Mon.IsPrimary() {
		return true, "on battery, low battery"
	}
	if now.Sub(s.lastNonCrit) > time.Duration(c.HostSync)*time.Second {
		return true, "on battery, low battery, and the primary has not set FSD within HOSTSYNC"
	}
	return false, ""
}

// Alert reports whether the UPS is on battery, when upsmon polls at
// POLLFREQALERT instead of POLLFREQ.
func (s *Supply) Alert() bool { return s.has(stOnBatt) }
