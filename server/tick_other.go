//go:build !linux

package server

import (
	"errors"
	"time"
)

// tick is a ticker; on Linux, a kernel timer (tick_linux.go).
type tick struct {
	t    *time.Ticker
	done chan struct{}
}

func newTick(d time.Duration) (*tick, error) {
	return &tick{t: time.NewTicker(d), done: make(chan struct{})}, nil
}

// Wait waits for the next tick; an error once the tick is closed.
func (t *tick) Wait() error {
	select {
	case <-t.t.C:
		return nil
	case <-t.done:
		return errors.New("tick closed")
	}
}

// Close stops the tick; Wait returns.
func (t *tick) Close() error {
	t.t.Stop()
	close(t.done)
	return nil
}
