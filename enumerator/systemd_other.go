//go:build !linux

package enumerator

import (
	"context"
	"errors"
)

// newSystemdManager: systemd runs on Linux only (its D-Bus library
// does not build elsewhere).
func newSystemdManager(context.Context, string) (manager, error) {
	return nil, errors.New("systemd is only on Linux: set SERVICE_FRAMEWORK=smf, or install SMF's commands")
}
