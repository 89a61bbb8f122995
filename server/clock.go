package server

import "time"

// clock is where upsd's event loops take the time from and how they wait
// for a deadline; tests give a clock they move by hand.
type clock interface {
	Now() time.Time
	// AfterFunc calls f in a goroutine of its own once d has passed.
	AfterFunc(d time.Duration, f func()) stopper
}

// stopper cancels what AfterFunc set up; false when it already ran.
type stopper interface{ Stop() bool }

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) AfterFunc(d time.Duration, f func()) stopper { return time.AfterFunc(d, f) }
