//go:build cgo

package libusb

/*
#cgo pkg-config: libusb-1.0
#include <libusb.h>
#include <stdlib.h>
#include <string.h>

// xfer is an interrupt transfer and the flag its callback sets when it
// ends, as libusb's own synchronous calls keep them.
typedef struct {
	struct libusb_transfer *t;
	int done;
} xfer;

static void xfer_done(struct libusb_transfer *t) { ((xfer *)t->user_data)->done = 1; }

// xfer_start submits an interrupt transfer of len bytes on endpoint ep:
// an OUT one carries a copy of data, an IN one reads into a buffer of its
// own. It has no timeout: it ends when the device answers or it is
// cancelled.
static int xfer_start(libusb_device_handle *h, unsigned char ep, const void *data, int len, xfer **out) {
	xfer *x = calloc(1, sizeof *x);
	unsigned char *buf = malloc(len > 0 ? len : 1);
	struct libusb_transfer *t = libusb_alloc_transfer(0);
	if (!x || !buf || !t) {
		free(x);
		free(buf);
		libusb_free_transfer(t);
		return LIBUSB_ERROR_NO_MEM;
	}
	if (!(ep & LIBUSB_ENDPOINT_IN) && len > 0)
		memcpy(buf, data, len);
	libusb_fill_interrupt_transfer(t, h, ep, buf, len, xfer_done, x, 0);
	t->flags = LIBUSB_TRANSFER_FREE_BUFFER;
	x->t = t;
	int r = libusb_submit_transfer(t);
	if (r < 0) {
		libusb_free_transfer(t);
		free(x);
		return r;
	}
	*out = x;
	return 0;
}

// xfer_wait handles libusb's events until x ends. The thread sleeps in
// poll(2) meanwhile, or, when another thread already handles the events,
// waits for it to say that a transfer ended: nothing wakes it while the
// device says nothing (but libusb's 60 s timeout).
static void xfer_wait(libusb_context *ctx, xfer *x) {
	while (!x->done) {
		int r = libusb_handle_events_completed(ctx, &x->done);
		if (r < 0 && r != LIBUSB_ERROR_INTERRUPTED) {
			libusb_cancel_transfer(x->t);
		} else if (!x->done && !x->t->dev_handle) {
			// Closed under it (libusb_close).
			x->t->status = LIBUSB_TRANSFER_NO_DEVICE;
			x->done = 1;
		}
	}
}

static void xfer_free(xfer *x) {
	libusb_free_transfer(x->t);
	free(x);
}
*/
import "C"

import (
	"context"
	"fmt"
	"sync"
	"time"
	"unsafe"

	"gonut/drivers/usb"
)

// Bus is the system's USB: a libusb context of its own. Nothing runs in
// the background: the calls that wait for a device handle libusb's
// events themselves (libusb's own thread only follows hotplug events).
type Bus struct {
	ctx *C.libusb_context
}

var _ usb.Bus = (*Bus)(nil)

// NewBus starts libusb. Close it when done, after the devices opened
// through it are closed.
func NewBus() (*Bus, error) {
	var ctx *C.libusb_context
	if r := C.libusb_init(&ctx); r < 0 {
		return nil, fmt.Errorf("libusb: cannot start: %w", usb.Code(r))
	}
	return &Bus{ctx: ctx}, nil
}

// Close stops libusb.
func (b *Bus) Close() error {
	C.libusb_exit(b.ctx)
	return nil
}

// list calls f with each device plugged in, in libusb's order, until f
// returns false.
func (b *Bus) list(f func(d *C.libusb_device, c usb.Candidate) bool) error {
	var list **C.libusb_device
	n := C.libusb_get_device_list(b.ctx, &list)
	if n < 0 {
		return usb.Code(n)
	}
	defer C.libusb_free_device_list(list, 1)
	for _, d := range unsafe.Slice(list, n) {
		var desc C.struct_libusb_device_descriptor
		if C.libusb_get_device_descriptor(d, &desc) < 0 {
			continue
		}
		c := usb.Candidate{
			Bus:       int(C.libusb_get_bus_number(d)),
			Address:   int(C.libusb_get_device_address(d)),
			Port:      int(C.libusb_get_port_number(d)),
			VendorID:  uint16(desc.idVendor),
			ProductID: uint16(desc.idProduct),
		}
		if !f(d, c) {
			break
		}
	}
	return nil
}

// Devices lists the devices plugged in, in libusb's order.
func (b *Bus) Devices() ([]usb.Candidate, error) {
	var out []usb.Candidate
	err := b.list(func(_ *C.libusb_device, c usb.Candidate) bool {
		out = append(out, c)
		return true
	})
	return out, err
}

// Open opens the device at c's bus and address.
func (b *Bus) Open(c usb.Candidate) (usb.Handle, error) {
	var dh *C.libusb_device_handle
	r := C.int(usb.CodeNoDevice)
	err := b.list(func(d *C.libusb_device, o usb.Candidate) bool {
		if o.Bus != c.Bus || o.Address != c.Address {
			return true
		}
		r = C.libusb_open(d, &dh)
		return false
	})
	if err != nil {
		return nil, err
	}
	if r < 0 {
		return nil, usb.Code(r)
	}
	return &handle{ctx: b.ctx, dh: dh, iface: -1, flying: map[*C.xfer]bool{}}, nil
}

// handle is an opened device.
type handle struct {
	ctx *C.libusb_context
	dh  *C.libusb_device_handle // nil once closed

	// Transfers hold busy for reading; Claim, Reset and Close for
	// writing, after cancelling the interrupt transfers in flight.
	busy sync.RWMutex

	mu       sync.Mutex
	iface    int // the interface claimed, -1 for none
	flying   map[*C.xfer]bool
	stopping int // Claim, Reset or Close waits for busy
}

// stop ends the interrupt transfers in flight, keeps others from
// starting, and takes busy. resume undoes it.
func (h *handle) stop() {
	h.mu.Lock()
	h.stopping++
	for x := range h.flying {
		C.libusb_cancel_transfer(x.t)
	}
	h.mu.Unlock()
	h.busy.Lock()
}

func (h *handle) resume() {
	h.mu.Lock()
	h.stopping--
	h.mu.Unlock()
	h.busy.Unlock()
}

func (h *handle) Control(rType, request uint8, value, index uint16, data []byte, timeout time.Duration) (int, error) {
	if len(data) > 0xffff {
		return 0, fmt.Errorf("control transfer of %d bytes: %w", len(data), usb.CodeInvalidParam)
	}
	h.busy.RLock()
	defer h.busy.RUnlock()
	if h.dh == nil {
		return 0, errClosed
	}
	var p *C.uchar
	if len(data) > 0 {
		p = (*C.uchar)(unsafe.Pointer(&data[0]))
	}
	// libusb copies data to and from a buffer of its own before it
	// returns: it keeps no Go pointer.
	n := C.libusb_control_transfer(h.dh, C.uint8_t(rType), C.uint8_t(request), C.uint16_t(value), C.uint16_t(index),
		p, C.uint16_t(len(data)), C.uint(millis(timeout)))
	if n < 0 {
		return 0, usb.Code(n)
	}
	return int(n), nil
}

// millis is a timeout in libusb's milliseconds, of which 0 would be none.
func millis(d time.Duration) int64 {
	return max(1, int64((d+time.Millisecond-1)/time.Millisecond))
}

var errClosed = fmt.Errorf("device closed: %w", usb.CodeNoDevice)

// Claim detaches the kernel's driver (usbhid) from the interface, and
// from that one only, makes config the active configuration if it is
// not, and claims the interface. libusb gives the interface back to the
// kernel's driver when it is released.
func (h *handle) Claim(config, iface int) error {
	h.stop()
	defer h.resume()
	if h.dh == nil {
		return errClosed
	}
	h.release()
	if r := C.libusb_set_auto_detach_kernel_driver(h.dh, 1); r < 0 && r != C.LIBUSB_ERROR_NOT_SUPPORTED {
		return fmt.Errorf("asking libusb to detach the kernel's driver: %w", usb.Code(r))
	}
	var active C.int
	if r := C.libusb_get_configuration(h.dh, &active); r < 0 {
		return fmt.Errorf("reading the active configuration: %w", usb.Code(r))
	}
	if int(active) != config {
		if r := C.libusb_set_configuration(h.dh, C.int(config)); r < 0 {
			return fmt.Errorf("setting configuration %d (%d is active): %w", config, active, usb.Code(r))
		}
	}
	if r := C.libusb_claim_interface(h.dh, C.int(iface)); r < 0 {
		return usb.Code(r)
	}
	h.iface = iface
	return nil
}

// release gives the interface back, to the kernel's driver. busy is held.
func (h *handle) release() {
	if h.iface >= 0 {
		C.libusb_release_interface(h.dh, C.int(h.iface))
		h.iface = -1
	}
}

// Interrupt reads from an interrupt IN endpoint of the claimed interface.
func (h *handle) Interrupt(ctx context.Context, endpoint uint8, buf []byte) (int, error) {
	return h.interrupt(ctx, endpoint|C.LIBUSB_ENDPOINT_IN, buf)
}

// InterruptOut writes to an interrupt OUT endpoint of the claimed
// interface (usb.InterruptWriter).
func (h *handle) InterruptOut(ctx context.Context, endpoint uint8, data []byte) (int, error) {
	return h.interrupt(ctx, endpoint&^C.LIBUSB_ENDPOINT_IN, data)
}

// interrupt makes an interrupt transfer, until the device answers or ctx
// ends (usb.CodeTimeout). The calling thread handles libusb's events
// meanwhile.
func (h *handle) interrupt(ctx context.Context, ep uint8, buf []byte) (int, error) {
	h.busy.RLock()
	defer h.busy.RUnlock()
	dir := "read"
	if ep&C.LIBUSB_ENDPOINT_IN == 0 {
		dir = "write"
	}
	h.mu.Lock()
	switch {
	case h.dh == nil:
		h.mu.Unlock()
		return 0, errClosed
	case h.iface < 0:
		h.mu.Unlock()
		return 0, fmt.Errorf("interrupt %s before the interface is claimed: %w", dir, usb.CodeNotFound)
	case h.stopping > 0 || ctx.Err() != nil:
		h.mu.Unlock()
		return 0, usb.CodeTimeout
	}
	var p unsafe.Pointer
	if len(buf) > 0 {
		p = unsafe.Pointer(&buf[0]) // copied, for a write, before xfer_start returns
	}
	var x *C.xfer
	if r := C.xfer_start(h.dh, C.uchar(ep), p, C.int(len(buf)), &x); r < 0 {
		h.mu.Unlock()
		return 0, usb.Code(r)
	}
	h.flying[x] = true
	h.mu.Unlock()

	// x is freed only once out of flying: cancel never reaches it then.
	stop := context.AfterFunc(ctx, func() {
		h.mu.Lock()
		if h.flying[x] {
			C.libusb_cancel_transfer(x.t)
		}
		h.mu.Unlock()
	})
	C.xfer_wait(h.ctx, x)
	stop()
	h.mu.Lock()
	delete(h.flying, x)
	h.mu.Unlock()
	defer C.xfer_free(x)

	n := int(x.t.actual_length)
	if dir == "read" {
		n = copy(buf, unsafe.Slice((*byte)(unsafe.Pointer(x.t.buffer)), n))
	}
	return n, statusErr(int(x.t.status))
}

// statusErr is a transfer's end as the error codes libusb's synchronous
// calls give (a cancelled transfer is one whose context ended: timed out).
func statusErr(s int) error {
	switch s {
	case C.LIBUSB_TRANSFER_COMPLETED:
		return nil
	case C.LIBUSB_TRANSFER_TIMED_OUT, C.LIBUSB_TRANSFER_CANCELLED:
		return usb.CodeTimeout
	case C.LIBUSB_TRANSFER_STALL:
		return usb.CodePipe
	case C.LIBUSB_TRANSFER_NO_DEVICE:
		return usb.CodeNoDevice
	case C.LIBUSB_TRANSFER_OVERFLOW:
		return usb.CodeOverflow
	}
	return usb.CodeIO
}

// Reset resets the device; the interface is released (Claim again).
func (h *handle) Reset() error {
	h.stop()
	defer h.resume()
	if h.dh == nil {
		return errClosed
	}
	h.release()
	if r := C.libusb_reset_device(h.dh); r < 0 {
		return usb.Code(r)
	}
	return nil
}

// Close releases the interface and closes the device.
func (h *handle) Close() error {
	h.stop()
	defer h.resume()
	if h.dh == nil {
		return nil
	}
	h.release()
	C.libusb_close(h.dh)
	h.dh = nil
	return nil
}
