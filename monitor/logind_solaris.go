package monitor

import "context"

// WatchSleep does nothing on illumos and Solaris: they have no logind to
// say when the host sleeps.
func WatchSleep(ctx context.Context, cmds chan<- Command) {}
