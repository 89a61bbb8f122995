package usb

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Transport is what a USB driver asks of its device. Conn is the one
// implementation; a test gives the driver a Conn over a replayed device.
type Transport interface {
	// Identity is what the device said of itself when it was opened.
	Identity() Identity
	// ReportDescriptor is the HID report descriptor read at Open.
	ReportDescriptor() []byte
	// GetReport reads a HID report (GET_REPORT) into buf: its ID first
	// when the device numbers its reports.
	GetReport(ctx context.Context, t ReportType, id uint8, buf []byte) (int, error)
	// SetReport writes one (SET_REPORT).
	SetReport(ctx context.Context, t ReportType, id uint8, data []byte) (int, error)
	// StringDescriptor reads string index, in ASCII.
	StringDescriptor(ctx context.Context, index uint8) (string, error)
	// Interrupt waits up to timeout for a report on the interrupt IN
	// endpoint (ErrTimeout when none comes).
	Interrupt(ctx context.Context, buf []byte, timeout time.Duration) (int, error)
	// Reset resets the device and claims it again.
	Reset(ctx context.Context) error
	// Reconnect finds the device again, by the same rules and as the same
	// device (IDs and strings), after it was gone.
	Reconnect(ctx context.Context) error
	Close() error
}

var _ Transport = (*Conn)(nil)

// Conn is an opened, claimed USB device.
type Conn struct {
	bus Bus
	sel Selector

	mu      sync.RWMutex // held for writing to change h
	h       Handle       // nil once closed, or while gone
	id      Identity
	iface   Interface
	report  []byte
	matcher *Matcher // the options, pinned to the device found

	// The interrupt reads in flight, which may wait long for a report,
	// and how many callers wait to change h: lock ends those reads, and
	// any that starts meanwhile, so that Reset, Reconnect and Close need
	// not wait for a report.
	readsMu sync.Mutex
	reads   map[*int]context.CancelFunc
	locking int
}

// lock takes mu to change h, ending the interrupt reads in flight (they
// return ErrTimeout).
func (c *Conn) lock() {
	c.readsMu.Lock()
	c.locking++
	for _, cancel := range c.reads {
		cancel()
	}
	c.readsMu.Unlock()
	c.mu.Lock()
	c.readsMu.Lock()
	c.locking--
	c.readsMu.Unlock()
}

// ErrClosed is the answer of a closed Conn.
var ErrClosed = errors.New("USB connection closed")

func (c *Conn) Identity() Identity {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.id
}

func (c *Conn) ReportDescriptor() []byte {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.report
}

// Interface is the interface in use, with its interrupt IN endpoint.
func (c *Conn) Interface() Interface {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.iface
}

func (c *Conn) GetReport(ctx context.Context, t ReportType, id uint8, buf []byte) (int, error) {
	return c.control(ctx, fmt.Sprintf("GET_REPORT %v 0x%02x", t, id), rtClassIfaceIn, hidGetReport, uint16(t)<<8|uint16(id), buf)
}

func (c *Conn) SetReport(ctx context.Context, t ReportType, id uint8, data []byte) (int, error) {
	return c.control(ctx, fmt.Sprintf("SET_REPORT %v 0x%02x", t, id), rtClassIfaceOt, hidSetReport, uint16(t)<<8|uint16(id), data)
}

// Control makes any control transfer (IN when rType has 0x80): what a
// driver needs beyond HID reports and strings, such as the vendor
// requests and raw string descriptors of nutdrv_qx's USB-serial bridges.
func (c *Conn) Control(ctx context.Context, rType, request uint8, value, index uint16, data []byte) (int, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	h, timeout, err := c.ready(ctx)
	if err != nil {
		return 0, err
	}
	n, err := h.Control(rType, request, value, index, data, timeout)
	if err != nil {
		return n, c.classify(h, fmt.Sprintf("control request %02x %02x %04x %04x", rType, request, value, index), err)
	}
	return n, nil
}

// InterruptWriter is a Handle that can also write to an interrupt OUT
// endpoint (package libusb's can).
type InterruptWriter interface {
	InterruptOut(ctx context.Context, endpoint uint8, data []byte) (int, error)
}

// InterruptWrite writes data to interrupt OUT endpoint ep of the claimed
// interface, waiting up to timeout (nutdrv_qx's fuji bridge).
func (c *Conn) InterruptWrite(ctx context.Context, ep uint8, data []byte, timeout time.Duration) (int, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	h, _, err := c.ready(ctx)
	if err != nil {
		return 0, err
	}
	op := fmt.Sprintf("interrupt write to 0x%02x", ep)
	w, ok := h.(InterruptWriter)
	if !ok {
		return 0, &Error{Op: op, Err: CodeNotSupported}
	}
	tctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	n, err := w.InterruptOut(tctx, ep, data)
	if err != nil {
		if ctx.Err() != nil {
			return n, ctx.Err()
		}
		return n, &Error{Op: op, Err: err}
	}
	return n, nil
}

// control makes a class request to the interface. A stall is checked: a
// device that answers no standard request either is gone.
func (c *Conn) control(ctx context.Context, op string, rType, req uint8, value uint16, data []byte) (int, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	h, timeout, err := c.ready(ctx)
	if err != nil {
		return 0, err
	}
	n, err := h.Control(rType, req, value, uint16(c.iface.Number), data, timeout)
	if err != nil {
		return n, c.classify(h, op, err)
	}
	return n, nil
}

func (c *Conn) StringDescriptor(ctx context.Context, index uint8) (string, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	h, timeout, err := c.ready(ctx)
	if err != nil {
		return "", err
	}
	s, err := readString(h, index, timeout)
	if err != nil {
		return "", c.classify(h, fmt.Sprintf("string descriptor %d", index), err)
	}
	return s, nil
}

func (c *Conn) Interrupt(ctx context.Context, buf []byte, timeout time.Duration) (int, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	h, _, err := c.ready(ctx)
	if err != nil {
		return 0, err
	}
	ep := c.iface.EndpointIn
	op := fmt.Sprintf("interrupt read from 0x%02x", ep)
	if ep == 0 {
		return 0, &Error{Op: op, Err: errors.New("the interface has no interrupt IN endpoint")}
	}
	tctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	key := new(int)
	c.readsMu.Lock()
	if c.reads == nil {
		c.reads = map[*int]context.CancelFunc{}
	}
	c.reads[key] = cancel
	if c.locking > 0 {
		cancel() // Reset, Reconnect or Close waits
	}
	c.readsMu.Unlock()
	defer func() {
		c.readsMu.Lock()
		delete(c.reads, key)
		c.readsMu.Unlock()
	}()
	n, err := h.Interrupt(tctx, ep, buf)
	switch {
	case err == nil:
		return n, nil
	case ctx.Err() != nil:
		return n, ctx.Err()
	case errors.Is(err, CodePipe):
		// Clear the halt, on the endpoint read (NUT's libusb1.c clears
		// 0x81 whatever the endpoint).
		if _, cerr := h.Control(rtEndpointOut, reqClearFeature, 0, uint16(ep), nil, controlTimeout); cerr != nil && errors.Is(cerr, ErrGone) {
			return n, &Error{Op: op, Err: err, Gone: cerr}
		}
	}
	return n, &Error{Op: op, Err: err}
}

// ready returns the handle and the time a control transfer may take: NUT's
// 5 s, or less when ctx ends sooner.
func (c *Conn) ready(ctx context.Context) (Handle, time.Duration, error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	if c.h == nil {
		if c.matcher == nil {
			return nil, 0, ErrClosed
		}
		return nil, 0, &Error{Op: "USB transfer", Err: ErrGone} // not reconnected yet
	}
	timeout := controlTimeout
	if dl, ok := ctx.Deadline(); ok {
		timeout = min(timeout, max(time.Until(dl), time.Millisecond))
	}
	return c.h, timeout, nil
}

// classify wraps a failed transfer. After a stall the device is asked for
// its status, which any device gives: when that fails as if it were
// unplugged, so was the stall.
func (c *Conn) classify(h Handle, op string, err error) error {
	e := &Error{Op: op, Err: err}
	if errors.Is(err, CodePipe) {
		status := make([]byte, 2)
		if _, perr := h.Control(rtDeviceIn, reqGetStatus, 0, 0, status, time.Second); perr != nil && errors.Is(perr, ErrGone) {
			e.Gone = perr
		}
	}
	return e
}

func (c *Conn) Reset(ctx context.Context) error {
	c.lock()
	defer c.mu.Unlock()
	if c.h == nil {
		if c.matcher == nil {
			return ErrClosed
		}
		return &Error{Op: "reset", Err: ErrGone}
	}
	if err := c.h.Reset(); err != nil {
		return &Error{Op: "reset", Err: err}
	}
	cfg, err := c.configDescriptor(c.h, c.iface.Config)
	if err != nil {
		return &Error{Op: "reset: reading the configuration", Err: err}
	}
	if err := c.claim(c.h, cfg.Value, c.iface.Number); err != nil {
		return &Error{Op: "reset: claiming the interface", Err: err}
	}
	return nil
}

// Reconnect closes what is left of the device and finds it again: a device
// the Selector takes (the driver's claim and ups.conf's options) that is
// also the same device as before (IDs and strings; it may be on another
// port). The report descriptor is not read again, as NUT does not.
// ErrNotFound while it is not back.
func (c *Conn) Reconnect(ctx context.Context) error {
	c.lock()
	defer c.mu.Unlock()
	if c.matcher == nil {
		return ErrClosed
	}
	if c.h != nil {
		c.h.Close()
		c.h = nil
	}
	c.debug(4, "==================================================")
	c.debug(4, "= device has been disconnected, try to reconnect =")
	c.debug(4, "==================================================")
	return c.find(ctx, c.matcher, false)
}

// Close releases the device. A closed Conn cannot Reconnect.
func (c *Conn) Close() error {
	c.lock()
	defer c.mu.Unlock()
	c.matcher = nil
	if c.h == nil {
		return nil
	}
	err := c.h.Close()
	c.h = nil
	return err
}
