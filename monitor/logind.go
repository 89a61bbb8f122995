//go:build !solaris

package monitor

import (
	"context"

	"github.com/godbus/dbus/v5"
)

// WatchSleep sends CmdSuspend when the OS is about to sleep and CmdResume
// when it has woken up, from logind's PrepareForSleep signal on the
// system bus. Without a system bus (a container, a host without logind)
// it does nothing.
func WatchSleep(ctx context.Context, cmds chan<- Command) {
	conn, err := dbus.ConnectSystemBus()
	if err != nil {
		return
	}
	if err := conn.AddMatchSignal(dbus.WithMatchInterface("org.freedesktop.login1.Manager"), dbus.WithMatchMember("PrepareForSleep")); err != nil {
		conn.Close()
		return
	}
	signals := make(chan *dbus.Signal, 4)
	conn.Signal(signals)
	go func() {
		defer conn.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case sig := <-signals:
				if sig == nil || len(sig.Body) != 1 {
					continue
				}
				starting, ok := sig.Body[0].(bool)
				if !ok {
					continue
				}
				c := CmdResume
				if starting {
					c = CmdSuspend
				}
				select {
				case cmds <- c:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
}
