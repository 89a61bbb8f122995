//go:build cgo

package libusb

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/google/gousb"

	"gonut/drivers/usb"
)

// Bus is the system's USB.
type Bus struct {
	ctx *gousb.Context
}

var _ usb.Bus = (*Bus)(nil)

// NewBus starts libusb. Close it when done, after the devices opened
// through it are closed.
func NewBus() (b *Bus, err error) {
	defer func() {
		// gousb panics when libusb_init fails (no usbfs, say).
		if r := recover(); r != nil {
			e, ok := r.(error)
			if !ok {
				e = fmt.Errorf("%v", r)
			}
			b, err = nil, fmt.Errorf("libusb: cannot start: %w", codeOf(e))
		}
	}()
	return &Bus{ctx: gousb.NewContext()}, nil
}

// Close stops libusb.
func (b *Bus) Close() error { return b.ctx.Close() }

// Devices lists the devices plugged in, in libusb's order.
func (b *Bus) Devices() ([]usb.Candidate, error) {
	var out []usb.Candidate
	_, err := b.ctx.OpenDevices(func(d *gousb.DeviceDesc) bool {
		out = append(out, usb.Candidate{Bus: d.Bus, Address: d.Address, Port: d.Port,
			VendorID: uint16(d.Vendor), ProductID: uint16(d.Product)})
		return false
	})
	if err != nil && len(out) == 0 {
		return nil, codeOf(err)
	}
	return out, nil
}

// Open opens the device at c's bus and address.
func (b *Bus) Open(c usb.Candidate) (usb.Handle, error) {
	found := false
	devs, err := b.ctx.OpenDevices(func(d *gousb.DeviceDesc) bool {
		if found || d.Bus != c.Bus || d.Address != c.Address {
			return false
		}
		found = true
		return true
	})
	if len(devs) == 0 {
		if err != nil {
			return nil, codeOf(err)
		}
		return nil, usb.CodeNoDevice
	}
	return &handle{dev: devs[0]}, nil
}

// handle is an opened device.
type handle struct {
	dev *gousb.Device

	ctl sync.Mutex // gousb takes a control transfer's timeout from a field

	mu    sync.Mutex
	cfg   *gousb.Config
	iface *gousb.Interface
	eps   map[uint8]*gousb.InEndpoint
}

func (h *handle) Control(rType, request uint8, value, index uint16, data []byte, timeout time.Duration) (int, error) {
	h.ctl.Lock()
	defer h.ctl.Unlock()
	h.dev.ControlTimeout = timeout
	n, err := h.dev.Control(rType, request, value, index, data)
	if err != nil {
		return 0, codeOf(err)
	}
	return n, nil
}

// Claim detaches the kernel's driver from the interface and claims it.
// gousb detaches, when asked to, the drivers of every interface of the
// configuration: an Arduino's serial port would lose its cdc_acm. So it is
// given a description of the configuration in which every interface is
// the one claimed.
func (h *handle) Claim(config, iface int) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.release()
	desc, ok := h.dev.Desc.Configs[config]
	if !ok {
		return fmt.Errorf("no configuration %d: %w", config, usb.CodeNotFound)
	}
	only, err := onlyInterface(desc, iface)
	if err != nil {
		return err
	}
	d := *h.dev.Desc
	d.Configs = map[int]gousb.ConfigDesc{config: only}
	h.dev.Desc = &d
	if err := h.dev.SetAutoDetach(true); err != nil {
		return codeOf(err)
	}
	cfg, err := h.dev.Config(config)
	if err != nil {
		return codeOf(err)
	}
	intf, err := cfg.Interface(iface, 0)
	if err != nil {
		cfg.Close()
		return codeOf(err)
	}
	h.cfg, h.iface, h.eps = cfg, intf, map[uint8]*gousb.InEndpoint{}
	return nil
}

// onlyInterface describes a configuration as if all its interfaces were
// interface number: as many entries as gousb may index, each that one.
func onlyInterface(desc gousb.ConfigDesc, number int) (gousb.ConfigDesc, error) {
	var mine *gousb.InterfaceDesc
	for i := range desc.Interfaces {
		if desc.Interfaces[i].Number == number {
			mine = &desc.Interfaces[i]
			break
		}
	}
	if mine == nil {
		return desc, fmt.Errorf("no interface %d in configuration %d: %w", number, desc.Number, usb.CodeNotFound)
	}
	ifs := make([]gousb.InterfaceDesc, max(len(desc.Interfaces), number+1))
	for i := range ifs {
		ifs[i] = *mine
	}
	desc.Interfaces = ifs
	return desc, nil
}

// release gives the interface back (the kernel's driver comes back to it).
func (h *handle) release() {
	if h.iface != nil {
		h.iface.Close()
		h.iface = nil
	}
	if h.cfg != nil {
		h.cfg.Close()
		h.cfg = nil
	}
}

func (h *handle) Interrupt(ctx context.Context, endpoint uint8, buf []byte) (int, error) {
	h.mu.Lock()
	if h.iface == nil {
		h.mu.Unlock()
		return 0, fmt.Errorf("interrupt read before the interface is claimed: %w", usb.CodeNotFound)
	}
	ep, ok := h.eps[endpoint]
	if !ok {
		var err error
		if ep, err = h.iface.InEndpoint(int(endpoint & 0x0f)); err != nil {
			h.mu.Unlock()
			return 0, fmt.Errorf("%v: %w", err, usb.CodeNotFound)
		}
		h.eps[endpoint] = ep
	}
	h.mu.Unlock()
	n, err := ep.ReadContext(ctx, buf)
	if err != nil {
		if errors.Is(err, gousb.TransferCancelled) && ctx.Err() != nil {
			return n, usb.CodeTimeout
		}
		return n, codeOf(err)
	}
	return n, nil
}

// InterruptOut writes to an interrupt OUT endpoint of the claimed
// interface (usb.InterruptWriter).
func (h *handle) InterruptOut(ctx context.Context, endpoint uint8, data []byte) (int, error) {
	h.mu.Lock()
	if h.iface == nil {
		h.mu.Unlock()
		return 0, fmt.Errorf("interrupt write before the interface is claimed: %w", usb.CodeNotFound)
	}
	ep, err := h.iface.OutEndpoint(int(endpoint & 0x0f))
	h.mu.Unlock()
	if err != nil {
		return 0, fmt.Errorf("%v: %w", err, usb.CodeNotFound)
	}
	n, err := ep.WriteContext(ctx, data)
	if err != nil {
		if errors.Is(err, gousb.TransferCancelled) && ctx.Err() != nil {
			return n, usb.CodeTimeout
		}
		return n, codeOf(err)
	}
	return n, nil
}

func (h *handle) Reset() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.release()
	return codeOf(h.dev.Reset())
}

func (h *handle) Close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.release()
	return codeOf(h.dev.Close())
}

// codedError is gousb's error, which says more, with the libusb code it
// carries.
type codedError struct {
	err  error
	code usb.Code
}

func (e *codedError) Error() string { return e.err.Error() }
func (e *codedError) Unwrap() error { return e.code }

// gousb writes a libusb error as "libusb: ... [code N]", and wraps some
// with %v, which loses their type but not that.
var codeText = regexp.MustCompile(`\[code (-?[0-9]+)\]`)

// codeOf turns gousb's errors into usb.Codes.
func codeOf(err error) error {
	if err == nil {
		return nil
	}
	var e gousb.Error
	if errors.As(err, &e) {
		if err == error(e) {
			return usb.Code(e)
		}
		return &codedError{err, usb.Code(e)}
	}
	var ts gousb.TransferStatus
	if errors.As(err, &ts) {
		switch ts {
		case gousb.TransferTimedOut, gousb.TransferCancelled:
			return usb.CodeTimeout
		case gousb.TransferStall:
			return usb.CodePipe
		case gousb.TransferNoDevice:
			return usb.CodeNoDevice
		case gousb.TransferOverflow:
			return usb.CodeOverflow
		}
		return &codedError{err, usb.CodeIO}
	}
	if m := codeText.FindStringSubmatch(err.Error()); m != nil {
		if n, perr := strconv.Atoi(m[1]); perr == nil {
			return &codedError{err, usb.Code(n)}
		}
	}
	return err
}
