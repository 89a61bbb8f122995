package dummyups

import (
	"context"
	"errors"
	"log/slog"

	"gonut/drivers/core"
)

// repeater serves what another upsd shows. Not in this build yet: it needs
// the network client gonut/nutclient; Init fails with a clear message.
type repeater struct{}

func newRepeater(string, bool, *vars, *slog.Logger) *repeater { return &repeater{} }
func (r *repeater) start(context.Context) error {
	return errors.New("repeater mode is not in this build yet (arrives with gonut/nutclient)")
}
func (r *repeater) update(context.Context) error {
	return errors.New("repeater mode is not in this build yet (arrives with gonut/nutclient)")
}
func (r *repeater) setVar(context.Context, string, string) core.Status {
	return core.Unknown
}
func (r *repeater) instCmd(context.Context, string, string) core.Status { return core.Unknown }
func (r *repeater) close()                                              {}
