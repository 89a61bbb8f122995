//go:build !cgo

package libusb

import (
	"errors"

	"gonut/drivers/usb"
)

// ErrNoCgo is NewBus's answer in a build without cgo, which has no libusb.
var ErrNoCgo = errors.New("built without cgo (CGO_ENABLED=0), so without libusb: build this program with cgo to reach USB devices")

// Bus is the system's USB bus; a build without cgo has none.
type Bus struct{}

// NewBus fails in a build without cgo: the program builds, and says why
// it cannot reach a USB device.
func NewBus() (*Bus, error) { return nil, ErrNoCgo }

// Close, Devices and Open are never reached: NewBus gives no Bus.
func (b *Bus) Close() error                           { return ErrNoCgo }
func (b *Bus) Devices() ([]usb.Candidate, error)      { return nil, ErrNoCgo }
func (b *Bus) Open(usb.Candidate) (usb.Handle, error) { return nil, ErrNoCgo }

// Version is empty: no libusb.
func Version() string { return "" }
