// Package ctxsleep is a pause that a context ends early: the real clock
// the drivers' code is given where tests give their own.
package ctxsleep

import (
	"context"
	"time"
)

// Sleep waits d, or until ctx is done (its error then).
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
