package accept

import (
	"errors"
	"net"
	"time"
)

// Pauses between failed attempts: the first, doubling up to the last.
const (
	firstPause = 5 * time.Millisecond
	maxPause   = time.Second
)

// Retrier accepts with retries. Its zero value sleeps with time.Sleep and
// reports nothing.
type Retrier struct {
	// Sleep waits between attempts; nil is time.Sleep.
	Sleep func(time.Duration)
	// Report, when set, hears of the first failure of a spell, then of
	// one failure a second while it lasts.
	Report func(err error)
}

// Accept returns the next connection of l. It returns an error only once
// l is closed (errors.Is(err, net.ErrClosed)).
func (r Retrier) Accept(l net.Listener) (net.Conn, error) {
	sleep := r.Sleep
	if sleep == nil {
		sleep = time.Sleep
	}
	pause := time.Duration(0)
	for {
		c, err := l.Accept()
		if err == nil {
			return c, nil
		}
		if errors.Is(err, net.ErrClosed) {
			return nil, err
		}
		if pause == 0 {
			pause = firstPause
		} else {
			pause = min(2*pause, maxPause)
		}
		if r.Report != nil && (pause == firstPause || pause == maxPause) {
			r.Report(err)
		}
		sleep(pause)
	}
}
