package replay

import (
	"sync"

	"gonut/drivers/usb"
)

// Bus is a usb.Bus of Devices.
type Bus struct {
	mu      sync.Mutex
	devices []*Device
}

// NewBus puts devices on a bus, listed in that order.
func NewBus(devices ...*Device) *Bus { return &Bus{devices: devices} }

// Add plugs one more device in, listed last.
func (b *Bus) Add(d *Device) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.devices = append(b.devices, d)
}

// Devices lists the devices that are plugged in.
func (b *Bus) Devices() ([]usb.Candidate, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []usb.Candidate
	for _, d := range b.devices {
		d.mu.Lock()
		if !d.gone {
			out = append(out, d.candidate())
		}
		d.mu.Unlock()
	}
	return out, nil
}

// Open opens the device at c's bus and address.
func (b *Bus) Open(c usb.Candidate) (usb.Handle, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, d := range b.devices {
		d.mu.Lock()
		here := !d.gone && d.Bus == c.Bus && d.Address == c.Address
		gen, openErr := d.gen, d.OpenErr
		d.mu.Unlock()
		if !here {
			continue
		}
		if openErr != 0 {
			return nil, openErr
		}
		return &handle{d: d, gen: gen, claimed: -1}, nil
	}
	return nil, usb.CodeNoDevice
}
