package upssched

import (
	"sort"
	"time"
)

// timer is one running START-TIMER.
type timer struct {
	name  string
	ups   string
	event string
	due   time.Time
}

// Timers are the timer daemon's state: what runs and when it is due. It
// knows nothing of time passing; the daemon asks it with the current time.
type Timers struct {
	list []*timer
}

// Start starts a timer, unless one of that name already runs for that
// UPS (for any UPS when shared: START-TIMER-SHARED); the running one is
// left as it is, as NUT's upssched does. It reports whether one started.
func (t *Timers) Start(name, ups, event string, after time.Duration, now time.Time, shared bool) bool {
	for _, x := range t.list {
		if x.name == name && (shared || x.ups == ups) {
			return false
		}
	}
	t.list = append(t.list, &timer{name: name, ups: ups, event: event, due: now.Add(after)})
	return true
}

// Cancel stops the timers of that name; with matched, only those the
// same UPS started. It reports whether there was one.
func (t *Timers) Cancel(name, ups string, matched bool) bool {
	kept := t.list[:0]
	for _, x := range t.list {
		if x.name != name || (matched && x.ups != ups) {
			kept = append(kept, x)
		}
	}
	found := len(kept) < len(t.list)
	t.list = kept
	return found
}

// Due removes and returns the names of the timers due at now, earliest
// first.
func (t *Timers) Due(now time.Time) []string {
	sort.SliceStable(t.list, func(i, j int) bool { return t.list[i].due.Before(t.list[j].due) })
	var out []string
	for len(t.list) > 0 && !t.list[0].due.After(now) {
		out = append(out, t.list[0].name)
		t.list = t.list[1:]
	}
	return out
}

// Next is when the next timer is due; false when none runs.
func (t *Timers) Next() (time.Time, bool) {
	if len(t.list) == 0 {
		return time.Time{}, false
	}
	next := t.list[0].due
	for _, x := range t.list[1:] {
		if x.due.Before(next) {
			next = x.due
		}
	}
	return next, true
}

// Len is how many timers run.
func (t *Timers) Len() int { return len(t.list) }
