//go:build !linux || !cgo

package udevwatch

import (
	"context"
	"errors"

	"gonut/enumerator/hotplug"
)

// Watch needs libudev: this build has none.
func Watch(ctx context.Context) ([]hotplug.Device, <-chan Event, error) {
	return nil, nil, errors.New("built without cgo: no udev, no hot-plug")
}
