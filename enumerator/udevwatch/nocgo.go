//go:build !linux || !cgo

package udevwatch

import (
	"context"
	"errors"

	"gonut/enumerator/hotplug"
)

// Watch needs libudev: this build has none.
func Watch(ctx context.Context) ([]hotplug.Device, <-chan Event, error) {
	return nil, nil, errors.New("this build has no udev (Linux, built with cgo and libudev, has)")
}
