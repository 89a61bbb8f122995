// Package simbus puts usbsim's devices (usbip.Devices) on a usb.Bus in
// the same process, so that a driver's host test runs the real usb.Open
// and usb.Conn against a simulated device's own bytes, with no kernel:
// what USB/IP would carry, handed over directly. Test code.
package simbus

import (
	"context"
	"errors"
	"sync"
	"time"

	"gonut/drivers/usb"
	"gonut/test/usbsim/usbip"
)

// Bus is a usb.Bus of simulated devices, on bus 1 at addresses 2, 3...
type Bus struct {
	mu      sync.Mutex
	devices []*slot
}

// slot is a device on the bus: its address, and whether it is plugged in.
type slot struct {
	dev     usbip.Device
	address int
	gone    bool
}

// New puts devices on a bus, each connected (as a host that imported it).
func New(devices ...usbip.Device) *Bus {
	b := &Bus{}
	for i, d := range devices {
		d.Connected(true)
		b.devices = append(b.devices, &slot{dev: d, address: 2 + i})
	}
	return b
}

// Unplug takes device i off the bus: its handles fail as an unplugged
// device's do, and the bus no longer lists it.
func (b *Bus) Unplug(i int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.devices[i].gone = true
	b.devices[i].dev.Connected(false)
}

// Plug puts device i back, at a new address.
func (b *Bus) Plug(i int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.devices[i]
	s.gone, s.address = false, s.address+len(b.devices)
	s.dev.Connected(true)
}

// Devices implements usb.Bus.
func (b *Bus) Devices() ([]usb.Candidate, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []usb.Candidate
	for i, s := range b.devices {
		if s.gone {
			continue
		}
		info := s.dev.Info()
		out = append(out, usb.Candidate{Bus: 1, Address: s.address, Port: 1 + i, VendorID: info.VendorID, ProductID: info.ProductID})
	}
	return out, nil
}

// Open implements usb.Bus.
func (b *Bus) Open(c usb.Candidate) (usb.Handle, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, s := range b.devices {
		if !s.gone && c.Bus == 1 && s.address == c.Address {
			return &handle{b: b, s: s, address: s.address, d: s.dev}, nil
		}
	}
	return nil, usb.CodeNoDevice
}

type handle struct {
	b       *Bus
	s       *slot
	address int
	d       usbip.Device
}

// alive: the device this handle opened is still plugged in.
func (h *handle) alive() bool {
	h.b.mu.Lock()
	defer h.b.mu.Unlock()
	return !h.s.gone && h.s.address == h.address
}

func (h *handle) Control(rType, request uint8, value, index uint16, data []byte, timeout time.Duration) (int, error) {
	if !h.alive() {
		return 0, usb.CodeNoDevice
	}
	s := usbip.Setup{RequestType: rType, Request: request, Value: value, Index: index, Length: uint16(len(data))}
	var out []byte
	if !s.In() {
		out = append([]byte(nil), data...)
	}
	in, err := h.d.Control(s, out)
	switch {
	case errors.Is(err, usbip.ErrNoAnswer):
		time.Sleep(timeout)
		return 0, usb.CodeTimeout
	case err != nil:
		return 0, usb.CodePipe
	case s.In():
		return copy(data, in), nil
	}
	return len(data), nil
}

func (h *handle) Claim(config, iface int) error {
	if !h.alive() {
		return usb.CodeNoDevice
	}
	return nil
}

func (h *handle) Interrupt(ctx context.Context, endpoint uint8, buf []byte) (int, error) {
	for {
		if !h.alive() {
			return 0, usb.CodeNoDevice
		}
		if r, delivered, ok := h.d.TakeInput(endpoint & 0x0f); ok {
			delivered()
			n := copy(buf, r)
			if len(r) > len(buf) {
				return n, usb.CodeOverflow
			}
			return n, nil
		}
		select {
		case <-h.d.InputReady():
		case <-ctx.Done():
			return 0, usb.CodeTimeout
		}
	}
}

// InterruptOut hands data to a device that takes interrupt OUT
// transfers (usbip.OutputDevice); others stall.
func (h *handle) InterruptOut(ctx context.Context, endpoint uint8, data []byte) (int, error) {
	if !h.alive() {
		return 0, usb.CodeNoDevice
	}
	if o, ok := h.d.(usbip.OutputDevice); ok && o.InterruptOut(endpoint&0x0f, append([]byte(nil), data...)) {
		return len(data), nil
	}
	return 0, usb.CodePipe
}

func (h *handle) Reset() error { return nil }
func (h *handle) Close() error { return nil }
